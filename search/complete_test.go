package search

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/indexer"
)

func TestComplete(t *testing.T) {
	s := seedIndex(t)
	tests := []struct {
		name, q string
		first   string   // the best completion
		also    []string // other completions that must be offered
		not     []string // completions that must not be offered
	}{
		{"a prefix on the last syllable, no diacritics", "dinh danh dien t", "định danh điện tử", nil,
			[]string{"định danh điện thông", "định danh điện"}},
		{"a whole last syllable is still a prefix", "dinh danh dien tu", "định danh điện tử", nil, nil},
		{"a trailing space: nothing to complete, diacritics restored", "dinh danh dien ", "định danh điện", nil,
			[]string{"định danh điện tử"}},
		{"a body name", "bo cong a", "Bộ Công an", nil, []string{"bộ công án"}},
		{"a misspelling in the corpus is offered after the common form", "chuyen doi s", "chuyển đổi số",
			[]string{"Chuyến đổi số"}, nil},
		{"a misspelling the passages hold more often still comes after", "cccd gan c", "CCCD gắn chíp",
			[]string{"CCCD găn chíp"}, nil},
		{"a toned prefix keeps its tone", "đề á", "Đề án", nil, nil},
		{"a prefix with its tone typed before the end", "định danh điệ", "định danh điện", nil, []string{"định danh định"}},
		{"a bare đi prefix in a query with tones is any tone", "định danh đi", "định danh điện", nil, nil},
		{"a long phrase", "co so du lieu quoc gia ve dan c", "Cơ sở dữ liệu quốc gia về dân cư", nil, nil},
		{"a number", "40 tr", "40 triệu", nil, []string{"40 trong"}},
		{"a decimal number keeps its comma", "99,7", "99,73", nil, nil},
		{"a number typed with its leading zero", "đề án 0", "Đề án 06", nil, nil},
		{"a code is completed whole", "276/T", "276/TB-VPCP", nil, []string{"276/TB", "276 TB"}},
		{"a number completed into its code", "thông báo 276", "Thông báo 276/TB-VPCP", nil, nil},
		{"a compound with a hyphen", "covid-1", "COVID-19", nil, nil},
		{"a space typed stands for a hyphen between words", "kinh te xa h", "kinh tế-xã hội", nil, nil},
		{"words joined by a hyphen are no code to complete whole", "kinh t", "kinh tế", nil, []string{"kinh tế-xã"}},
		{"Telex typed with the input method off", "ddinhj danh", "định danh", nil, nil},
		// One syllable: the most frequent words of the dictionary.
		{"one syllable: frequent words, diacritics restored", "đi", "địa", []string{"điện", "định"}, []string{"dân", "dữ"}},
		{"one syllable: accented first letters", "u", "ứng", []string{"ưu", "uỷ"}, nil},
		{"one syllable: a typed hat is kept", "ư", "ứng", []string{"ưu"}, []string{"uỷ", "uy"}},
		{"one syllable: a typed tone is kept", "ứ", "ứng", nil, []string{"ưu"}},
		{"one syllable in the case typed", "CSD", "CSDL", nil, nil},
		{"an acronym typed in lower case keeps the corpus's spelling", "cccd", "CCCD", nil, []string{"cccd"}},
		{"so does a word that is no syllable", "vne", "VneID", nil, []string{"vneid", "Vneid"}},
		{"one syllable, capitalised", "Ng", "Ngành", []string{"Người"}, []string{"ngành"}},
		// No passage holds these words together: the ending is completed, the words before restored.
		{"words before the longest match are restored", "hanh chinh dien t", "hành chính điện tử", nil, nil},
		{"words before the longest match are restored too", "nguoi dan chuyen doi s", "người dân chuyển đổi số", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Complete(context.Background(), tt.q, MaxSuggestions)
			require.NoError(t, err)
			require.NotEmpty(t, got)
			assert.Equal(t, tt.first, got[0], "all: %q", got)
			for _, w := range tt.also {
				assert.Contains(t, got, w)
			}
			for _, w := range tt.not {
				assert.NotContains(t, got, w)
			}
			seen := map[string]bool{}
			for _, g := range got {
				assert.False(t, seen[strings.ToLower(g)], "duplicate %q in %q", g, got)
				seen[strings.ToLower(g)] = true
			}
		})
	}
}

// A code's parts are joined by one character; an ellipsis between words (Việt Nam...Chính) joins
// nothing, so a completion does not run on over it.
func TestJoiner(t *testing.T) {
	for gap, want := range map[string]bool{"/": true, "-": true, "_": true, ".": true, "...": false, "": false, " ": false, "/-": false, ", ": false} {
		assert.Equal(t, want, joiner(gap), "%q", gap)
	}
}

func TestCompleteNothingToOffer(t *testing.T) {
	s := seedIndex(t)
	for _, q := range []string{"xyzzy q", "!!! ...", "Hà N", "dinh danh qwxz"} {
		t.Run(q, func(t *testing.T) {
			got, err := s.Complete(context.Background(), q, 5)
			require.NoError(t, err)
			assert.NotNil(t, got, "an empty list, not null")
			assert.Empty(t, got)
		})
	}
}

func TestCompleteLimits(t *testing.T) {
	s := seedIndex(t)
	got, err := s.Complete(context.Background(), "d", 3)
	require.NoError(t, err)
	assert.Len(t, got, 3)

	tests := []struct {
		name, q string
		n       int
		msg     string
	}{
		{"empty", "", 5, "q must not be empty"},
		{"blank", " \t ", 5, "q must not be empty"},
		{"too long", strings.Repeat("a ", MaxCompleteRunes), 5, "at most 200"},
		{"no suggestions asked", "dinh", 0, "limit must be between 1 and 20"},
		{"too many asked", "dinh", MaxSuggestions + 1, "limit must be between 1 and 20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Complete(context.Background(), tt.q, tt.n)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrBadRequest), err)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

// BenchmarkComplete measures search-as-you-type on the seeds, one keystroke at a time.
func BenchmarkComplete(b *testing.B) {
	s := seedIndex(b)
	ctx := context.Background()
	for _, typed := range []string{"dinh danh dien tu", "co so du lieu quoc gia ve dan cu", "người dân chuyển đổi số"} {
		b.Run(typed, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := 1; i <= len(typed); i++ {
					if !utf8.RuneStart(typed[i%len(typed)]) && i < len(typed) {
						continue // only whole characters are typed
					}
					if _, err := s.Complete(ctx, typed[:i], DefaultSuggestions); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*utf8.RuneCountInString(typed))/1000, "ms/keystroke")
		})
	}
	b.Run("slowest keystroke d", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Complete(ctx, "d", DefaultSuggestions); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCompleteOnDisk measures completions on an on-disk index named by TRACUU_BENCH_INDEX
// (built with tracuu index from ../shared/bench data; see docs/benchmarks.md).
func BenchmarkCompleteOnDisk(b *testing.B) {
	dir := os.Getenv("TRACUU_BENCH_INDEX")
	if dir == "" {
		b.Skip("set TRACUU_BENCH_INDEX to an on-disk index built by tracuu index")
	}
	idx, err := indexer.OpenReadOnly(dir)
	require.NoError(b, err)
	defer idx.Close()
	s := New(idx)
	ctx := context.Background()
	for _, q := range []string{"d", "th", "dinh danh dien t", "chuyen doi s", "thanh pho ho chi m", "nguoi dan chuyen doi s"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Complete(ctx, q, DefaultSuggestions); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzComplete checks the invariants of completions for any input: no panic, only bad-request errors,
// at most the number asked for, valid UTF-8, no duplicates.
func FuzzComplete(f *testing.F) {
	for _, q := range []string{"dinh danh dien t", "đề á", "CSD", "ddinhj danh", "99,7", "\u200bd", "a-b ", "\xff"} {
		f.Add(q)
	}
	s := seedIndex(f)
	f.Fuzz(func(t *testing.T, q string) {
		got, err := s.Complete(context.Background(), q, 3)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("%q: %v", q, err)
			}
			return
		}
		if len(got) > 3 {
			t.Fatalf("%q: %d completions", q, len(got))
		}
		seen := map[string]bool{}
		for _, g := range got {
			if !utf8.ValidString(g) || g == "" || seen[strings.ToLower(g)] {
				t.Fatalf("%q: bad completion %q in %q", q, g, got)
			}
			seen[strings.ToLower(g)] = true
		}
	})
}
