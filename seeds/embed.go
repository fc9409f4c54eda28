// Package seeds holds tracuu's first corpus, embedded so the binary needs no files to run.
package seeds

import "embed"

// FS holds the seed documents, one .txt file each; a file's stem is the document id.
//
//go:embed *.txt
var FS embed.FS
