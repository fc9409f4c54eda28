package search

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
)

// BenchmarkRestoreDiacritics measures learning a stripped query's diacritics from its best seed
// passages, as Search does.
func BenchmarkRestoreDiacritics(b *testing.B) {
	s := seedIndex(b)
	const q = "dinh danh dien tu cho nguoi dan"
	resp, err := s.Search(context.Background(), Request{Query: q, Limit: restoreFrom, SkipHighlights: true})
	if err != nil || len(resp.Results) == 0 {
		b.Fatal(err)
	}
	var texts []string
	for _, r := range resp.Results {
		texts = append(texts, r.Text)
	}
	p := parse(q)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := restoreDiacritics(q, p, texts, evidence{}); !ok {
			b.Fatal("nothing restored")
		}
	}
}

// decodeTyping reads a word as Telex or VNI when the decoded word is in far more passages than the
// word as typed: on a large corpus nearly every Telex spelling is in some passage.
func TestDecodeTypingWeighsTheCorpus(t *testing.T) {
	tests := []struct {
		name             string
		rawDF, decodedDF uint64
		want             string
		decoded          bool
	}{
		{"the raw word is in no passage", 0, 5, "là", true},
		{"it is rare beside the decoded one", 3, 300, "là", true},
		{"it is too common to be a typing slip", 10, 500, "", false},
		{"the decoded word is in no passage", 0, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			df := func(field, term string) uint64 {
				switch {
				case field == indexer.FieldFolded && term == "laf":
					return tt.rawDF
				case field == indexer.FieldText && term == "là":
					return tt.decodedDF
				}
				return 0
			}
			got, ok := decodeTyping("laf", df)
			assert.Equal(t, tt.decoded, ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

// A question typed with tones is taken as typed: a word typed without tones in it is restored only
// when the corpus writes it otherwise beside the same neighbours, and rarely as typed (viquad2-dev:
// 124 of 2,653 typed questions got a suggestion, most of them wrong: do → đó, thu gom → thu gồm).
func TestCorrectlyTypedQueriesAreKept(t *testing.T) {
	checkSuggestions(t, seedIndex(t), []suggestionCase{
		{"thu gom dữ liệu", ""},              // gom is a word (thu gom), not gồm
		{"can bộ công an", ""},               // nor căn
		{"Bộ Công an co trách nhiệm gì", ""}, // nor cơ: kept rather than guessed
		{"định danh dien tu", "định danh điện tử"},
		{"cac bộ ngành", "các bộ ngành"},
	})
}

// In a query typed with tones a capitalised word or one that is no Vietnamese syllable is a name or
// the word meant, whatever the passages write beside it.
func TestNamesAreNotRestoredInAccentedQueries(t *testing.T) {
	texts := []string{
		"Ái là tên một nhân vật trong truyện, Ái là người đứng đầu làng. Ái là con út.",
		"Sĩ quan Karl Vị là người đứng đầu đoàn.",
	}
	tests := []struct{ query, want string }{
		{"Ai là người đứng đầu?", ""},
		{"Karl VI là người đứng đầu", ""},
		{"ai là người đứng đầu?", "ái là người đứng đầu?"}, // a word in lower case follows the passages
		{"AI LÀ NGƯỜI ĐỨNG ĐẦU?", "ÁI LÀ NGƯỜI ĐỨNG ĐẦU?"}, // as does one in a query all in capitals
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ev := evidence{beside: func(string) []string { return texts }, df: func(field, term string) uint64 {
				return map[string]uint64{"ai": 1, "ái": 50}[term]
			}}
			got, ok := restoreDiacritics(tt.query, parse(tt.query), texts, ev)
			assert.Equal(t, tt.want != "", ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

// A word that reads as Telex in a query typed with an input method on is a word as typed (six flags,
// chats), however much more common the decoded word is.
func TestDecodeTypingKeepsWordsOfAccentedQueries(t *testing.T) {
	df := func(field, term string) uint64 {
		if field == indexer.FieldText && (term == "sĩ" || term == "là") {
			return 500
		}
		return 0
	}
	checkRewrites(t, decodeTyping, df, []suggestionCase{
		{"thuật ngữ six flags over Texas", ""},
		{"six laf gif", "sĩ là gif"}, // no diacritics anywhere: Telex
	})
}

// checkRewrites checks what rewrite makes of each query: want, or no rewrite when want is "".
func checkRewrites(t *testing.T, rewrite func(string, docFreq) (string, bool), df docFreq, tests []suggestionCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, ok := rewrite(tt.query, df)
			assert.Equal(t, tt.want != "", ok)
			if ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

// A typo's suggestion names the word it was taken for, typed with diacritics or not; two letters
// swapped are read as the word they spell (the fallback would take any word one edit away: toung →
// trung, kohan → khăn), and the results are matched on that word.
func TestTypoSuggestionNamesTheWordTaken(t *testing.T) {
	s := seedIndex(t)
	tests := []struct{ query, suggestion, marked string }{
		{"chuyểnn đổi số", "chuyển đổi số", "chuyển"},
		{"định danh điện tử 40 triiệu", "định danh điện tử 40 triệu", "định"},
		{"bao nhieieu", "bao nhiêu", ""}, // a question phrase, not bảo … nhiều
		{"Thu toung", "Thủ tướng", "tướng"},
		{"tai kohan", "tài khoản", "khoản"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 3})
			require.NoError(t, err)
			require.NotEmpty(t, resp.Results)
			require.NotNil(t, resp.Suggestion)
			assert.Equal(t, tt.suggestion, *resp.Suggestion)
			if tt.marked != "" {
				assert.Contains(t, strings.ToLower(strings.Join(marked(resp.Results[0]), " ")), tt.marked)
			}
		})
	}
}

// The suggestion writes a word as the passages read most often write it (the seeds write Ủy ban, never
// Uỷ ban), as /suggest does, not as the analyzer normalises it.
func TestSuggestionSpellsWordsAsTheCorpus(t *testing.T) {
	checkSuggestions(t, seedIndex(t), []suggestionCase{
		{"uy ban quoc gia", "ủy ban quốc gia"},
		{"Uy ban nhan dan", "Ủy ban nhân dân"},
	})
}

// Telex with the tone key typed before the final consonant (vieejt, asn) or oo for ô (coong) is
// decoded as Telex typed the usual way.
func TestTelexWithTheToneKeyMidWord(t *testing.T) {
	s := seedIndex(t)
	for _, tt := range []struct{ query, want string }{
		{"vieejt nam", "việt nam"},
		{"Ddeef asn 06", "Đề án 06"},
		{"coong an", "công an"},
	} {
		resp, err := s.Search(context.Background(), Request{Query: tt.query, Limit: 3})
		require.NoError(t, err)
		require.NotNil(t, resp.Suggestion, tt.query)
		assert.Equal(t, tt.want, *resp.Suggestion)
		assert.NotEmpty(t, resp.Results)
	}
}

// Only a word typed without diacritics is read as two letters swapped: in one typed with them the
// slip is more likely a letter left out (ngĩa is nghĩa, not ngaĩ).
func TestFixSwaps(t *testing.T) {
	df := func(field, term string) uint64 {
		return map[string]uint64{"tuong": 40, "tung": 5, "ngai": 10, "khoan": 30}[term]
	}
	checkRewrites(t, fixSwaps, df, []suggestionCase{
		{"Thu toung", "Thu tuong"},
		{"tai kohan", "tai khoan"},
		{"có ngĩa là gì", ""},
		{"Fraklin", ""}, // no swap spells a syllable
		{"tuong", ""},   // in passages as typed
	})
}

// After the typo fallback (nothing matched as typed) the suggestion still names the word taken.
func TestFallbackSuggestionNamesTheWordTaken(t *testing.T) {
	s := seedIndex(t)
	resp, err := s.Search(context.Background(), Request{Query: "Vietteel", Limit: 3})
	require.NoError(t, err)
	require.True(t, resp.Fuzzy)
	require.NotEmpty(t, resp.Results)
	require.NotNil(t, resp.Suggestion)
	assert.Equal(t, "Viettel", *resp.Suggestion)
	assert.Contains(t, marked(resp.Results[0]), "Viettel")
}

// A query read as Telex has the decoder's tones, not the user's: a word in it that is no Vietnamese
// syllable is a name typed bare, restored from the passages (Petains → Pétain), while a syllable typed
// without a tone key is a level-tone word, kept.
func TestDecodedQueriesRestoreNames(t *testing.T) {
	texts := []string{"Thống chế Pétain đảm nhận vai trò người đứng đầu chính phủ Vichy."}
	q := "Pétain đảm nhận vai trò gì"
	for _, decoded := range []bool{false, true} {
		got, ok := restoreDiacritics("Petain đảm nhận vai trò gì", parse("Petain đảm nhận vai trò gì"), texts, evidence{decoded: decoded})
		assert.Equal(t, decoded, ok, "decoded: %v", decoded)
		if ok {
			assert.Equal(t, q, got)
		}
	}
}

// One word typed without diacritics has no neighbour to settle its form: the passages read are those
// where its letters are densest, so the form most passages of the index hold wins (nam → năm, not the
// nấm of two pages about mushrooms); capitalised and held as typed, it is a name (Nam).
func TestOneWordTakesTheFormTheIndexHoldsMost(t *testing.T) {
	var docs []corpus.Document
	for i := range 2 {
		docs = append(docs, corpus.Parse(fmt.Sprintf("nam-%d", i), strings.Repeat("Nấm rơm, nấm hương và nấm mèo. ", 4)))
	}
	for i := range 8 {
		docs = append(docs, corpus.Parse(fmt.Sprintf("tin-%d", i), fmt.Sprintf("Năm %d tỉnh đã cấp thêm nhiều thẻ căn cước cho người dân ở các xã vùng cao.", 2010+i)))
	}
	docs = append(docs, corpus.Parse("mien-nam", "Các tỉnh miền Nam đã kết nối dữ liệu dân cư."))
	s := New(buildIndex(t, docs))
	// Capitalised, a word the passages hold as typed is a name, kept.
	resp, err := s.Search(context.Background(), Request{Query: "Nam", Limit: 3})
	require.NoError(t, err)
	assert.Nil(t, resp.Suggestion)
	typed, err := s.Search(context.Background(), Request{Query: "năm", Limit: 10})
	require.NoError(t, err)
	require.Contains(t, typed.Results[0].Text, "Năm")
	for _, q := range []string{"nam", "NAM"} {
		resp, err := s.Search(context.Background(), Request{Query: q, Limit: 10})
		require.NoError(t, err)
		require.NotNil(t, resp.Suggestion, q)
		assert.Equal(t, "năm", strings.ToLower(*resp.Suggestion), q)
		assert.Equal(t, ids(typed.Results), ids(resp.Results), "%s ranks as năm typed", q)
	}
}
