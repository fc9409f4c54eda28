package corpus

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyText is a document of several passages: whatever its title, source and bodies are, every
// passage stores them again.
var copyText = strings.Repeat("Bộ Công an đề nghị các địa phương đẩy mạnh cấp căn cước công dân gắn chíp và tài khoản định danh điện tử cho người dân trên địa bàn. ", 30)

// jsonLine is a JSONL line of copyText with the given extra fields.
func jsonLine(t *testing.T, id string, fields map[string]any) string {
	t.Helper()
	doc := map[string]any{"id": id, "text": copyText}
	for k, v := range fields {
		doc[k] = v
	}
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(b)
}

// TestPassagesCopyBoundedMetadata checks that what every passage copies of its document (title,
// source, given bodies) is bounded, whatever a file or a PUT sends: a long title is cut, too many or
// too long bodies and a too long source are refused with the limit. Before, a 1 MB title was copied
// into each passage (3.4 GB to index a 384 KB PUT) and 30,000 bodies were merged in quadratic time.
func TestPassagesCopyBoundedMetadata(t *testing.T) {
	longTitle := strings.Repeat("Thông tư hướng dẫn cấp căn cước, ", 1<<20/len("Thông tư hướng dẫn cấp căn cước, ")) // 1 MB
	// A first line of 25 long words is a heading, so it was the title whole: 500 KB.
	longHeading := strings.TrimSpace(strings.Repeat(strings.Repeat("Địnhdanhđiệntử", 1000)+" ", 25))
	var manyBodies, givenBodies []string
	for i := range 30000 {
		manyBodies = append(manyBodies, "Sở Tư pháp tỉnh số "+strings.Repeat("I", i%40)+" "+string(rune('A'+i%26))+string(rune('A'+i/26%26))+string(rune('A'+i/676%26)))
	}
	for _, b := range Bodies()[:MaxBodies] {
		givenBodies = append(givenBodies, b.Name)
	}
	source := "https://baochinhphu.vn/can-cuoc.htm?q=" + strings.Repeat("dinh-danh-dien-tu-", (MaxSourceChars-40)/18)
	source += strings.Repeat("x", MaxSourceChars-utf8.RuneCountInString(source))

	for _, tc := range []struct {
		name, file, data string
		err              string // the start of the report of a refused document
		title            string // the title is this one, cut to MaxTitleChars ("" for the text's own)
		source           string
		bodies           []string // given bodies every passage holds
	}{
		{name: "a 1 MB title", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"title": longTitle}), title: longTitle},
		{name: "a .txt whose first line is 500 KB", file: "dai.txt", data: longHeading + "\n\n" + copyText, title: longHeading},
		{name: "an .html page whose title is 1 MB", file: "dai.html", data: "<title>" + longTitle + "</title><p>" + copyText + "</p>", title: longTitle},
		{name: "30,000 bodies", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"bodies": manyBodies}),
			err: `"bodies" must hold at most 20 names, got 30000`},
		{name: "a body of 101 characters", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"bodies": []string{"Bộ Công an", strings.Repeat("Sở Tư pháp ", 9) + "XY"}}),
			err: `"bodies": a name must be at most 100 characters, the 2nd has 101`},
		{name: "20 bodies of the gazetteer", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"bodies": givenBodies}), bodies: givenBodies},
		{name: "a 3 MB source", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"source": strings.Repeat(source, 1500)}),
			err: `"source" must be at most 2000 characters, got 3000000`},
		{name: "a source of 2000 characters", file: "d.jsonl", data: jsonLine(t, "dai", map[string]any{"source": source}), source: source},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			writeFile(t, path, []byte(tc.data))
			docs, bad, err := load(t, path)
			require.NoError(t, err)
			if tc.err != "" {
				assert.Empty(t, docs)
				require.Len(t, bad, 1)
				assert.Contains(t, bad[0].Error(), ":1: "+tc.err)
				_, err := ParseJSONAs("dai", []byte(tc.data))
				assert.EqualError(t, err, tc.err, "a PUT of it is refused the same way")
				return
			}
			require.Empty(t, bad)
			require.Len(t, docs, 1)
			doc := docs[0]
			passages := Split(doc)
			require.Greater(t, len(passages), 1)
			if tc.title != "" {
				assertCutTitle(t, tc.title, doc.Title)
			}
			assert.Equal(t, tc.source, doc.Source)
			for _, p := range passages {
				assert.Equal(t, doc.Title, p.Title)
				assert.LessOrEqual(t, utf8.RuneCountInString(p.Title), MaxTitleChars)
				assert.Equal(t, tc.source, p.Source)
				assert.LessOrEqual(t, utf8.RuneCountInString(p.Source), MaxSourceChars)
				assert.Subset(t, p.Bodies, tc.bodies)
				for _, b := range p.Bodies {
					assert.LessOrEqual(t, utf8.RuneCountInString(b), MaxBodyChars)
				}
			}
			assert.Subset(t, BodiesOf(doc, passages), tc.bodies)
		})
	}
}

// assertCutTitle checks that title is long cut at a word to MaxTitleChars characters (or long itself
// when it fits), ending in " …", or in "…" when its first word alone is longer.
func assertCutTitle(t *testing.T, long, title string) {
	t.Helper()
	assert.LessOrEqual(t, utf8.RuneCountInString(title), MaxTitleChars)
	if utf8.RuneCountInString(long) <= MaxTitleChars {
		assert.Equal(t, long, title)
		return
	}
	if head, ok := strings.CutSuffix(title, " …"); ok {
		require.True(t, strings.HasPrefix(long, head), "%q is not the start of the title", head)
		next, _ := utf8.DecodeRuneInString(long[len(head):])
		assert.True(t, unicode.IsSpace(next) || strings.ContainsRune(",;:", next), "cut inside a word: %q", title)
		assert.Greater(t, utf8.RuneCountInString(title), MaxTitleChars-40, "cut far before the limit: %q", title)
		return
	}
	head, ok := strings.CutSuffix(title, "…")
	require.True(t, ok, "%q does not end in …", title)
	assert.True(t, strings.HasPrefix(long, head))
	assert.False(t, strings.ContainsFunc(head, unicode.IsSpace), "a title with words is cut at a word: %q", title)
	assert.Equal(t, MaxTitleChars-2, utf8.RuneCountInString(head))
}

func TestShortTitle(t *testing.T) {
	for _, tc := range []struct {
		name, title, want string
	}{
		{"short", "Thủ tướng yêu cầu đẩy mạnh cấp căn cước", "Thủ tướng yêu cầu đẩy mạnh cấp căn cước"},
		{"exactly the limit", strings.Repeat("căn ", 74) + "cước", strings.Repeat("căn ", 74) + "cước"},
		{"one character over, cut at the last whole word", strings.Repeat("căn ", 74) + "cướcx", strings.Repeat("căn ", 74) + "…"},
		{"a comma before the cut is dropped", "Thông tư" + strings.Repeat(" căn cước,", 30),
			"Thông tư" + strings.TrimSuffix(strings.Repeat(" căn cước,", 29), ",") + " …"},
		{"one long word", strings.Repeat("Đ", 500), strings.Repeat("Đ", 298) + "…"},
		{"a comma alone before the cut", strings.Repeat("căn ", 73) + "cước , định", strings.Repeat("căn ", 73) + "cước …"},
		{"spaces and one long word", "  " + strings.Repeat("Đ", 500), "  " + strings.Repeat("Đ", 296) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := shortTitle(tc.title)
			assert.Equal(t, tc.want, got)
			assert.LessOrEqual(t, utf8.RuneCountInString(got), MaxTitleChars)
		})
	}
}
