package corpus

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tracuu/tracuu/analyzer"
)

var (
	// A header line some sources put before the text: " date 2023-02 Ngày 25-2, …".
	headerDate = regexp.MustCompile(`^\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s+`)
	// A byline with a date: "Đình Hiệp| 25/12/2022 13:07".
	byline = regexp.MustCompile(`^[\p{L} .'-]{2,60}\|\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2})?$`)
	// A source tag opening the text: "(HNMO) - Sáng 25-12 …", "(HG) - Đây là …".
	sourceTag = regexp.MustCompile(`^\((\p{Lu}{2,8})\)\s*[-–—]\s*`)
	// "Theo dõi Báo Hànộimới trên": a follow button, which also names the publication.
	followLine = regexp.MustCompile(`^Theo dõi (.{2,60}?) trên\b.{0,30}$`)
	// Comment counters, copyright notices, "read more here" links.
	navigation = regexp.MustCompile(`(?i)^\(\d+\)\s*bình luận$|sao chép|bản quyền|©|copyright|\btại đây\b|^đừng bỏ lỡ$|^xem thêm$|^chia sẻ$|^bình luận$`)
)

// Parse cleans a raw text document (as scraped from a site) and reads its metadata. Invalid UTF-8 is
// replaced, never dropped.
func Parse(id, raw string) Document { return parse(id, raw, true, "") }

// parse reads a document; scraped says whether site boilerplate may be in it and must be removed.
// A title given by the source is kept; only without one is a title read from the text.
func parse(id, raw string, scraped bool, title string) Document {
	doc := Document{ID: NormalizeID(id)}
	text := analyzer.Sanitize(strings.ReplaceAll(raw, "\r\n", "\n"))
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 0 {
		if m := headerDate.FindStringSubmatch(lines[0]); m != nil {
			if ValidDate(m[1]) {
				doc.Date = m[1]
			}
			lines[0] = strings.TrimSpace(lines[0][len(m[0]):])
		}
	}
	if scraped {
		lines = dropTrailingQuestions(lines)
	}
	seen := map[string]bool{}
	kept := lines[:0]
	for _, l := range lines {
		switch m := byline.FindStringSubmatch(l); {
		case m != nil:
			if d := m[3] + "-" + pad2(m[2]) + "-" + pad2(m[1]); doc.Date == "" && ValidDate(d) {
				doc.Date = d
			}
			continue
		case scraped && followLine.MatchString(l):
			doc.Source = followLine.FindStringSubmatch(l)[1]
			continue
		case scraped && (seen[l] || syllables(l) < 40 && navigation.MatchString(l)):
			continue
		}
		if m := sourceTag.FindStringSubmatch(l); m != nil && doc.Source == "" {
			doc.Source = m[1]
		}
		seen[l] = true
		kept = append(kept, l)
	}
	doc.Text = strings.Join(kept, "\n\n")
	if doc.Date == "" {
		doc.Date = dateFromText(kept)
	}
	if title == "" {
		title = titleOf(kept)
	}
	doc.Title = shortTitle(title)
	return doc
}

// dropTrailingQuestions removes a list of two or more questions closing a page ("- … đúng không?"):
// news sites append links to unrelated Q&A articles.
func dropTrailingQuestions(lines []string) []string {
	n := len(lines)
	for n > 0 && isListedQuestion(lines[n-1]) {
		n--
	}
	if len(lines)-n >= 2 {
		return lines[:n]
	}
	return lines
}

func isListedQuestion(l string) bool {
	return strings.HasPrefix(l, "- ") && strings.HasSuffix(l, "?") && syllables(l) < 60
}

// titleOf takes the first line when it reads as a heading, else the opening words of the first sentence.
func titleOf(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	first := lines[0]
	if isHeading(first) || strings.HasSuffix(first, "?") && syllables(first) <= 60 {
		return first
	}
	sentence := first
	if spans := Sentences(first); len(spans) > 0 {
		sentence = first[spans[0][0]:spans[0][1]]
	}
	sentence = sourceTag.ReplaceAllString(sentence, "")
	words := strings.Fields(sentence)
	const titleWords = 16
	if len(words) <= titleWords {
		return strings.TrimRight(sentence, ".")
	}
	return strings.TrimRight(strings.Join(words[:titleWords], " "), ",;:") + " …"
}

// isHeading reports a short line that does not end a sentence: a title or section heading.
func isHeading(l string) bool {
	if syllables(l) > 40 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(l)
	return !strings.ContainsRune(".!;:…\"”", r)
}

var yearMention = regexp.MustCompile(`năm (20\d\d|19\d\d)`)

// dateFromText dates a text that has no dated header or byline: the first full date of its opening
// paragraph (news leads open with it: "Sáng 25-12, …"), the year from the rest of the text completing a
// day without one; else just that year.
func dateFromText(paragraphs []string) string {
	year := yearFromText(strings.Join(paragraphs, "\n"))
	if len(paragraphs) > 0 {
		for _, d := range Dates(paragraphs[0], year) {
			if len(d) == len("2006-01-02") {
				return d
			}
		}
	}
	return year
}

// yearFromText guesses the year of a text with no dated header from the year it names most often.
func yearFromText(text string) string {
	counts := map[string]int{}
	best := ""
	for _, m := range yearMention.FindAllStringSubmatch(text, -1) {
		counts[m[1]]++
		if counts[m[1]] > counts[best] || counts[m[1]] == counts[best] && m[1] > best {
			best = m[1]
		}
	}
	return best
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// syllables counts the space-separated words of s that contain a letter or digit. It reads s once
// without allocating: it runs on every sentence and line of every document.
func syllables(s string) int {
	n := 0
	counted := false // the current word has a letter or digit and is counted
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && asciiSpace[r]:
			counted = false
		case r < utf8.RuneSelf:
			if !counted && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
				n, counted = n+1, true
			}
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n, counted = n+1, true
		}
	}
	return n
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports, as strings.Fields splits on them.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
