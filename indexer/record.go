package indexer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tracuu/tracuu/corpus"
)

// fieldPassages holds, on a stored document, how many passages it was split into.
const fieldPassages = "passages"

// passageRecord is a passage as indexed. A paired passage's bigrams are left to a bulk build's pair
// postings files (pairs.go); any other passage indexes them in bleve.
func passageRecord(p corpus.Passage, paired bool) map[string]any {
	rec := map[string]any{
		FieldKind:    KindPassage,
		FieldText:    p.Text,
		FieldTitle:   p.Title,
		FieldDocID:   p.DocID,
		FieldDate:    p.Date,
		FieldYear:    corpus.Year(p.Date),
		FieldBodies:  p.Bodies,
		FieldPlaces:  p.Places,
		FieldDates:   p.Dates,
		FieldSource:  p.Source,
		FieldOrdinal: p.Ordinal,
		FieldStart:   p.Start,
		FieldEnd:     p.End,
	}
	if paired {
		rec[FieldPaired] = pairedValue
	} else {
		rec[FieldBigram] = p.Text
	}
	return rec
}

// documentRecord keeps a document's metadata and the text between its passages: the passages hold the
// rest, so the text is stored once (Gaps, DocumentText). acronyms are those its text defines
// (corpus.MineAcronyms).
func documentRecord(d corpus.Document, passages []corpus.Passage, acronyms map[string]string) map[string]any {
	gaps, _ := json.Marshal(Gaps(d.Text, passages))
	rec := map[string]any{
		FieldKind:     KindDocument,
		FieldTitle:    d.Title,
		FieldDate:     d.Date,
		FieldSource:   d.Source,
		FieldBodies:   d.Bodies,
		FieldGaps:     string(gaps),
		fieldPassages: len(passages),
	}
	// Every record has the field, even empty: zap merges segments by copying their bytes only when
	// all have the same fields, and re-encodes every posting list otherwise (0.8 s more in the
	// final merge of viquad2-dev, where few documents define acronyms).
	rec[FieldAcronyms] = ""
	if len(acronyms) > 0 {
		defs := make([]string, 0, len(acronyms))
		for acr, expansion := range acronyms {
			defs = append(defs, acr+acronymSeparator+expansion)
		}
		slices.Sort(defs)
		rec[FieldAcronyms] = defs
	}
	return rec
}

// acronymSeparator joins an acronym and its expansion in FieldAcronyms: a control character, which
// neither holds.
const acronymSeparator = "\x1f"

// Gaps returns the text of a document around its passages: before the first, between each two, after
// the last (len(passages)+1 strings, mostly blank). The passages are in order and do not overlap; their
// code-point offsets are found in one pass over the text.
func Gaps(text string, passages []corpus.Passage) []string {
	gaps := make([]string, 0, len(passages)+1)
	r, b := 0, 0 // a code-point offset and its byte offset
	byteOf := func(cp int) int {
		for ; r < cp && b < len(text); r++ {
			if text[b] < utf8.RuneSelf {
				b++
				continue
			}
			_, size := utf8.DecodeRuneInString(text[b:])
			b += size
		}
		return b
	}
	at := 0
	for _, p := range passages {
		start := byteOf(p.Start)
		gaps = append(gaps, text[at:start])
		at = byteOf(p.End)
	}
	return append(gaps, text[at:])
}

// StoredText puts a document's text back together from its record's stored gaps (FieldGaps, JSON)
// and its passages' texts in order; unreadable gaps are ErrDamaged.
func StoredText(gaps string, passages []string) (string, error) {
	var g []string
	if err := json.Unmarshal([]byte(gaps), &g); err != nil {
		return "", fmt.Errorf("%w: its stored layout is unreadable (%v)", ErrDamaged, err)
	}
	return DocumentText(g, passages), nil
}

// DocumentText puts a document's text back together from its gaps and its passages' texts in order.
func DocumentText(gaps, passages []string) string {
	var b strings.Builder
	for i, g := range gaps {
		b.WriteString(g)
		if i < len(passages) {
			b.WriteString(passages[i])
		}
	}
	return b.String()
}
