// Package indexer defines tracuu's bleve index (mapping, fields, versions) and builds and updates it
// from corpus documents.
package indexer

import (
	"github.com/blevesearch/bleve/v2/mapping"

	// Registered components the mapping names: every binary that opens an index needs them.
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"

	"github.com/tracuu/tracuu/analyzer"
)

// Field names. The passage text is stored once (FieldText) and indexed in three views (the bigrams of
// a bulk build's passages in files of their own, see pairs.go); a syllable
// typed with hats but no tone is matched in the exact view through its tone forms
// (analyzer.ToneForms), so the toneless view is not indexed.
const (
	FieldKind      = "kind"
	FieldText      = "text"      // exact view, stored
	FieldFolded    = "text_fold" // folded view
	FieldBigram    = "text_bi"   // folded bigrams, of passages not paired
	FieldPaired    = "paired"    // pairedValue on a passage whose bigrams are in pair postings files (PairSources)
	FieldTitle     = "title"     // stored only: queries match titles in the folded view
	FieldTitleFold = "title_fold"
	FieldDocID     = "doc_id"
	FieldDate      = "date"
	FieldYear      = "year"
	FieldBodies    = "bodies"
	FieldPlaces    = "places"
	FieldDates     = "dates"
	FieldSource    = "source"
	FieldOrdinal   = "ordinal"
	FieldStart     = "start"
	FieldEnd       = "end"
	FieldGaps      = "gaps" // on a document: JSON list of the text between its passages
	// FieldAcronyms, on a document: the acronyms its text defines, each "acronym\x1fexpansion",
	// indexed so that the index's list of them (Acronyms) always matches the documents it holds.
	FieldAcronyms = "acronyms"
)

// pairedValue is FieldPaired's one term.
const pairedValue = "1"

// Document kinds: a passage is what is searched, a document is kept whole for display.
const (
	KindPassage  = "passage"
	KindDocument = "document"
)

// ViewFields maps each analyzer view to the field that indexes it.
var ViewFields = map[analyzer.View]string{
	analyzer.Exact:  FieldText,
	analyzer.Folded: FieldFolded,
	analyzer.Bigram: FieldBigram,
}

// MappingVersion changes whenever the mapping or the analysis changes what is indexed; an on-disk index
// with another version must be rebuilt.
const MappingVersion = "7"

// NewMapping returns the index mapping: passages with their text in every view, and whole documents
// stored for display.
func NewMapping() *mapping.IndexMappingImpl {
	textView := func(name string, view analyzer.View, store, vectors bool) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = string(view)
		fm.Store = store
		fm.IncludeTermVectors = vectors
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	keyword := func(store bool) *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Store = store
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}
	// Doc values only where facets read them.
	faceted := func(store bool) *mapping.FieldMapping {
		fm := keyword(store)
		fm.DocValues = true
		return fm
	}
	stored := func(fm *mapping.FieldMapping) *mapping.FieldMapping {
		fm.Index = false
		fm.Store = true
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}

	passage := mapping.NewDocumentStaticMapping()
	passage.AddFieldMappingsAt(FieldKind, keyword(false))
	passage.AddFieldMappingsAt(FieldText,
		// Term vectors (positions) only where phrases are matched: the folded view.
		textView(FieldText, analyzer.Exact, true, false),
		textView(FieldFolded, analyzer.Folded, false, true),
	)
	// The same text, given only on passages not paired (see pairs.go).
	passage.AddFieldMappingsAt(FieldBigram, textView(FieldBigram, analyzer.Bigram, false, false))
	passage.AddFieldMappingsAt(FieldPaired, keyword(false))
	passage.AddFieldMappingsAt(FieldTitle,
		stored(mapping.NewTextFieldMapping()),
		textView(FieldTitleFold, analyzer.Folded, false, false),
	)
	passage.AddFieldMappingsAt(FieldDocID, keyword(true))
	passage.AddFieldMappingsAt(FieldDate, keyword(true))
	passage.AddFieldMappingsAt(FieldYear, faceted(false))
	passage.AddFieldMappingsAt(FieldBodies, faceted(true))
	passage.AddFieldMappingsAt(FieldPlaces, keyword(true))
	passage.AddFieldMappingsAt(FieldDates, keyword(true))
	passage.AddFieldMappingsAt(FieldSource, stored(mapping.NewTextFieldMapping()))
	passage.AddFieldMappingsAt(FieldOrdinal, stored(mapping.NewNumericFieldMapping()))
	passage.AddFieldMappingsAt(FieldStart, stored(mapping.NewNumericFieldMapping()))
	passage.AddFieldMappingsAt(FieldEnd, stored(mapping.NewNumericFieldMapping()))

	document := mapping.NewDocumentStaticMapping()
	document.AddFieldMappingsAt(FieldKind, keyword(false))
	for _, f := range []string{FieldTitle, FieldDate, FieldSource, FieldGaps} {
		document.AddFieldMappingsAt(f, stored(mapping.NewTextFieldMapping()))
	}
	document.AddFieldMappingsAt(FieldBodies, stored(mapping.NewTextFieldMapping()))
	document.AddFieldMappingsAt(fieldPassages, stored(mapping.NewNumericFieldMapping()))
	document.AddFieldMappingsAt(FieldAcronyms, keyword(false))

	// No _all field: every field is searched by name, and bleve would otherwise build it for each
	// document anyway.
	for _, m := range []*mapping.DocumentMapping{passage, document} {
		m.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())
	}

	im := mapping.NewIndexMapping()
	im.AddDocumentMapping(KindPassage, passage)
	im.AddDocumentMapping(KindDocument, document)
	im.DefaultMapping = mapping.NewDocumentDisabledMapping()
	im.TypeField = FieldKind
	im.DefaultType = KindPassage
	im.DefaultAnalyzer = string(analyzer.Exact)
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im
}
