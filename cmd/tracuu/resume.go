package main

import (
	"fmt"
	"io"

	"github.com/tracuu/tracuu/indexer"
)

// reportStart tells on stderr when an index build continues or restarts one that was interrupted.
func reportStart(stderr io.Writer, dir string, how indexer.BuildStart) {
	switch how {
	case indexer.Resuming:
		fmt.Fprintf(stderr, "%s: the last build was interrupted; continuing it (documents are replaced by id)\n", dir)
	case indexer.Rebuilt:
		fmt.Fprintf(stderr, "%s: the last build of these sources was interrupted and left an unreadable index; building it again\n", dir)
	}
}

// warnInterrupted tells on stderr when an index being opened was left by an unfinished build.
func warnInterrupted(stderr io.Writer, dir string) {
	if m, ok := indexer.Interrupted(dir); ok {
		fmt.Fprintf(stderr, "warning: %s: a build started %s did not finish, so documents may be missing: run the same 'tracuu index' command again to complete it\n",
			dir, m.Started.Format("2006-01-02 15:04:05 UTC"))
	}
}
