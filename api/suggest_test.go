package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSuggestEndpoint(t *testing.T) {
	tests := []struct {
		query string
		want  []string // the first completions, in order
		n     int      // how many at most
	}{
		{"q=" + url.QueryEscape("dinh danh dien t"), []string{"định danh điện tử"}, 5},
		{"q=" + url.QueryEscape("chuyen doi s") + "&limit=1", []string{"chuyển đổi số"}, 1},
		{"q=" + url.QueryEscape("bo cong a"), []string{"Bộ Công an"}, 5},
		{"q=xyzzy+q", []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := get(t, "/api/v1/suggest?"+tt.query)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
			var out struct {
				Suggestions []string `json:"suggestions"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
			require.NotNil(t, out.Suggestions, "a list, never null: %s", rec.Body.String())
			assert.LessOrEqual(t, len(out.Suggestions), tt.n)
			require.GreaterOrEqual(t, len(out.Suggestions), len(tt.want))
			assert.Equal(t, tt.want, out.Suggestions[:len(tt.want)])
		})
	}
}

func TestSuggestErrors(t *testing.T) {
	tests := []struct{ name, target, message string }{
		{"missing q", "/api/v1/suggest", "q is required"},
		{"empty q", "/api/v1/suggest?q=", "q must not be empty"},
		{"blank q", "/api/v1/suggest?q=+++", "q must not be empty"},
		{"long q", "/api/v1/suggest?q=" + strings.Repeat("a", 201), "at most 200"},
		{"invalid UTF-8", "/api/v1/suggest?q=%C4", "UTF-8"},
		{"limit zero", "/api/v1/suggest?q=d&limit=0", "limit must be between 1 and 20"},
		{"limit too big", "/api/v1/suggest?q=d&limit=21", "limit must be between 1 and 20"},
		{"limit not a number", "/api/v1/suggest?q=d&limit=5x", "limit must be a whole number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := get(t, tt.target)
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			var e apiError
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
			assert.Equal(t, "bad_request", e.Error.Code)
			assert.Contains(t, e.Error.Message, tt.message)
		})
	}
}
