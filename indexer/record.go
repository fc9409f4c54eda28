package indexer

import (
	"github.com/tracuu/tracuu/corpus"
)

// fieldPassages holds, on a stored document, how many passages it was split into.
const fieldPassages = "passages"

func passageRecord(p corpus.Passage) map[string]any {
	return map[string]any{
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
}

func documentRecord(d corpus.Document, passages int) map[string]any {
	return map[string]any{
		FieldKind:     KindDocument,
		FieldTitle:    d.Title,
		FieldDate:     d.Date,
		FieldSource:   d.Source,
		FieldBodies:   d.Bodies,
		FieldText:     d.Text,
		fieldPassages: passages,
	}
}
