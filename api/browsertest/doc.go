// Package browsertest drives tracuu's search page in a headless Chromium: typing and submitting a query
// with the keyboard, following filters, opening a document, checking the layout on a phone-width screen
// and running axe-core's accessibility rules. Its test needs the build tag browser, Debian's chromium and
// `npm ci` in this folder (for axe-core):
//
//	go test -tags browser ./api/browsertest
//
// Set TRACUU_SCREENSHOT=docs/screenshot.png to also save a screenshot of the results page.
package browsertest
