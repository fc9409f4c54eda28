package indexer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
)

// maxAcronyms bounds the mined acronyms Acronyms returns.
const maxAcronyms = 5000

// Acronyms returns the acronyms the indexed documents define ("Cơ sở dữ liệu (CSDL)"), acronym →
// expansion. They are read from the documents themselves (FieldAcronyms), so an acronym goes when
// the last document defining it is deleted or rewritten without it. An acronym spelt out in several
// ways takes the expansion most documents give, whatever its capitals (on a tie, the first in byte
// order); beyond maxAcronyms, those defined by the fewest documents are left out.
func Acronyms(idx bleve.Index) (map[string]string, error) {
	r, err := Snapshot(idx)
	if err != nil {
		return nil, fmt.Errorf("read acronyms: %w", err)
	}
	defer r.Close()
	dict, err := r.FieldDict(FieldAcronyms)
	if err != nil {
		return nil, fmt.Errorf("read acronyms: %w", err)
	}
	defer dict.Close()
	type definition struct {
		acronym, expansion string // the expansion as first spelt, in byte order
		docs               uint64
	}
	spellings := map[[2]string]definition{} // acronym and lower-case expansion → its documents
	for {
		entry, err := dict.Next()
		if err != nil {
			return nil, fmt.Errorf("read acronyms: %w", err)
		}
		if entry == nil {
			break
		}
		acr, expansion, ok := strings.Cut(entry.Term, acronymSeparator)
		if !ok {
			continue
		}
		// The dictionary may still list a term of deleted documents until their segment is merged
		// away; a term reader counts the live ones.
		tfr, err := r.TermFieldReader(context.Background(), []byte(entry.Term), FieldAcronyms, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("read acronyms: %w", err)
		}
		docs := tfr.Count()
		tfr.Close()
		if docs == 0 {
			continue
		}
		key := [2]string{acr, strings.ToLower(expansion)}
		d, seen := spellings[key]
		if !seen {
			d = definition{acronym: acr, expansion: expansion} // terms come in byte order
		}
		d.docs += docs
		spellings[key] = d
	}
	best := map[string]definition{}
	for key, d := range spellings {
		b, seen := best[d.acronym]
		if !seen || d.docs > b.docs || d.docs == b.docs && key[1] < strings.ToLower(b.expansion) {
			best[d.acronym] = d
		}
	}
	defs := make([]definition, 0, len(best))
	for _, d := range best {
		defs = append(defs, d)
	}
	if len(defs) > maxAcronyms {
		slices.SortFunc(defs, func(a, b definition) int {
			return cmp.Or(cmp.Compare(b.docs, a.docs), strings.Compare(a.acronym, b.acronym))
		})
		defs = defs[:maxAcronyms]
	}
	out := make(map[string]string, len(defs))
	for _, d := range defs {
		out[d.acronym] = d.expansion
	}
	return out, nil
}
