package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
)

// fullDiskWriter refuses every write as the server's writer does when the disk is short of space.
type fullDiskWriter struct{}

func (fullDiskWriter) Put(context.Context, corpus.Document) (int, bool, error) {
	return 0, false, fmt.Errorf("%w for the index at /srv/idx: adding this document needs about 64 MB free on its disk, 2.6 MB are", indexer.ErrNoSpace)
}

func (fullDiskWriter) Delete(context.Context, string) (int, error) {
	return 0, fmt.Errorf("%w for the index at /srv/idx: deleting a document needs about 64 MB free on its disk, 2.6 MB are", indexer.ErrNoSpace)
}

// TestWriteOnAFullDisk: a write refused for lack of disk space is a 507 that says so, not a 500;
// searches go on.
func TestWriteOnAFullDisk(t *testing.T) {
	h := New(search.New(seedsIndex(t)), Options{Writer: fullDiskWriter{}, AdminToken: testToken})
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		t.Run(method, func(t *testing.T) {
			rec := send(h, method, "/api/v1/documents/x", testToken, `{"text": "Thông báo."}`)
			assertJSONError(t, rec, http.StatusInsufficientStorage)
			assert.Contains(t, rec.Body.String(), `"code":"insufficient_storage"`)
			assert.Contains(t, rec.Body.String(), "needs about 64 MB free on its disk, 2.6 MB are")
		})
	}
	rec := send(h, http.MethodGet, "/api/v1/search?q=dinh+danh", "", "")
	assert.Equal(t, http.StatusOK, rec.Code)
}
