//go:build browser

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tracuu/tracuu/api"
	"github.com/tracuu/tracuu/corpus"
	"github.com/tracuu/tracuu/indexer"
	"github.com/tracuu/tracuu/search"
	"github.com/tracuu/tracuu/seeds"
)

// browser is one headless Chromium tab on the page served from the seeds.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	axe  string
}

// newBrowser starts the page's handler over the seeds, wrapped by wrap when it is not nil, and a browser.
func newBrowser(t *testing.T, wrap func(http.Handler) http.Handler) *browser {
	t.Helper()
	exe := os.Getenv("TRACUU_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	_, err := os.Stat(exe)
	require.NoError(t, err, "the browser test needs Chromium: apt-get install -y chromium (or set TRACUU_CHROMIUM)")
	axe, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	require.NoError(t, err, "the browser test needs axe-core: run npm ci in api/browsertest")

	docs, err := corpus.LoadFS(seeds.FS)
	require.NoError(t, err)
	idx, err := indexer.NewMemory()
	require.NoError(t, err)
	_, err = indexer.Add(context.Background(), idx, docs, nil)
	require.NoError(t, err)
	h := api.New(search.New(idx), api.Options{})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser; it must not run under a timeout (see chromedp.Run).
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	return &browser{t: t, ctx: ctx, base: srv.URL, axe: string(axe)}
}

// do runs actions with a time limit, so a page that never shows what is awaited fails instead of hanging.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, actions...))
}

// eval evaluates a JavaScript expression and decodes its value into out.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(b.t, err, expr)
	return v
}

// follow moves the focus to a link and presses Enter, as a keyboard user does, and waits for the page
// it leads to.
func (b *browser) follow(sel string) string {
	b.t.Helper()
	href := eval[string](b, fmt.Sprintf(`document.querySelector(%q).href`, sel))
	b.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent(kb.Enter))
	b.waitFor(href)
	return href
}

// waitFor waits until the tab has loaded href. Evaluations fail while the old page goes away, so they
// are retried.
func (b *browser) waitFor(href string) {
	b.t.Helper()
	check := fmt.Sprintf(`location.href === %q && document.readyState === "complete"`, href)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && ok {
			return
		}
	}
	b.t.Fatalf("%s did not load", href)
}

type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// audit runs axe-core on the current page, prints every violation and fails on serious or critical ones.
func (b *browser) audit(page string) {
	b.t.Helper()
	if !eval[bool](b, `typeof axe === "object"`) {
		eval[bool](b, b.axe+"\n;true")
	}
	raw := eval[[]byte](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`)
	var vs []violation
	require.NoError(b.t, json.Unmarshal(raw, &vs))
	for _, v := range vs {
		b.t.Logf("axe on %s: %s (%s): %s", page, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			b.t.Logf("    %s", strings.ReplaceAll(n, "\n", " "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Errorf("axe on %s: %s violation %s: %s", page, v.Impact, v.ID, v.Help)
		}
	}
}

// fits checks that the page needs no horizontal scrolling at the given viewport width.
func (b *browser) fits(width int64, target string) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, 800), chromedp.Navigate(b.base+target))
	scroll := eval[int](b, `document.documentElement.scrollWidth`)
	inner := eval[int](b, `window.innerWidth`)
	assert.LessOrEqual(b.t, scroll, inner, "%s at %d px scrolls sideways", target, width)
}

func TestBrowserSearchPage(t *testing.T) {
	b := newBrowser(t, nil)

	// The first Tab lands on the skip link, which shows with a focus outline and jumps to the content.
	b.do(chromedp.EmulateViewport(1280, 860), chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.KeyEvent(kb.Tab))
	assert.Equal(t, "skip", eval[string](b, `document.activeElement.className`))
	assert.GreaterOrEqual(t, eval[float64](b, `document.activeElement.getBoundingClientRect().left`), 0.0, "the focused skip link is on screen")
	assert.NotEqual(t, "none", eval[string](b, `getComputedStyle(document.activeElement).outlineStyle`), "focus is visible")
	b.do(chromedp.KeyEvent(kb.Enter))
	assert.Equal(t, "#main", eval[string](b, `location.hash`))
	b.audit("the home page")

	// Type a query without diacritics and submit it with Enter.
	b.do(chromedp.Focus(chromedp.CSS("#q")), chromedp.KeyEvent("dinh danh dien tu"), chromedp.KeyEvent(kb.Enter))
	b.waitFor(b.base + "/search?q=dinh+danh+dien+tu")
	b.do(chromedp.WaitVisible(chromedp.CSS(".results mark")))
	assert.Contains(t, eval[string](b, `location.search`), "q=dinh+danh+dien+tu")
	status := eval[string](b, `document.querySelector(".count[role=status]").textContent`)
	assert.Contains(t, status, "Tìm thấy", "the count is announced")
	marks := eval[[]string](b, `[...document.querySelectorAll(".results mark")].map(m => m.textContent.toLowerCase())`)
	assert.Subset(t, marks, []string{"định", "danh", "điện", "tử"}, "the highlighted words carry their diacritics")
	assert.Contains(t, eval[string](b, `document.querySelector(".suggestion").textContent`), "định danh điện tử")
	b.audit("the results page")
	if path := os.Getenv("TRACUU_SCREENSHOT"); path != "" {
		if !filepath.IsAbs(path) {
			path = filepath.Join("..", "..", path) // relative to the repository's root, not this folder
		}
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, png, 0o644))
		t.Logf("screenshot written to %s", path)
	}

	// Follow the first body filter: every result names that body, and the filter shows as removable.
	body := eval[string](b, `document.querySelector(".facet a").firstChild.textContent.trim()`)
	b.follow(".facet a")
	b.do(chromedp.WaitVisible(chromedp.CSS(".chip")))
	assert.Contains(t, eval[string](b, `document.querySelector(".chip").textContent`), body)
	bodies := eval[[]string](b, `[...document.querySelectorAll(".results ol > li")].map(li => (li.querySelector(".bodies") || {}).textContent || "")`)
	require.NotEmpty(t, bodies)
	for _, got := range bodies {
		assert.Contains(t, got, body, "a result of the filter %q", body)
	}
	b.audit("a page filtered by body")

	// Then a year from the chart: every result is dated in that year.
	year := eval[string](b, `document.querySelector(".chart tbody a").textContent.trim()`)
	b.follow(".chart tbody a")
	dates := eval[[]string](b, `[...document.querySelectorAll(".results time")].map(t => t.dateTime)`)
	require.NotEmpty(t, dates)
	for _, d := range dates {
		assert.True(t, strings.HasPrefix(d, year), "date %s in year %s", d, year)
	}
	assert.Len(t, eval[[]string](b, `[...document.querySelectorAll(".chip")].map(c => c.textContent)`), 2, "both filters are active")

	// Open the first result: the document page scrolls to the marked passage.
	b.follow(".results h2 a")
	b.do(chromedp.WaitVisible(chromedp.CSS("#passage")))
	assert.Equal(t, "#passage", eval[string](b, `location.hash`))
	// Scrolled to its first line: the top of the line box (it has some padding) may sit a pixel above.
	top := eval[float64](b, `document.getElementById("passage").getBoundingClientRect().top`)
	assert.True(t, top > -8 && top < eval[float64](b, `window.innerHeight`)/2, "the passage is on screen (top %v)", top)
	b.audit("a document page")
	// The way back keeps both filters.
	b.follow(".crumbs a")
	assert.Len(t, eval[[]string](b, `[...document.querySelectorAll(".chip")].map(c => c.textContent)`), 2, "both filters are still active")

	b.do(chromedp.Navigate(b.base + "/documents/khong-co"))
	b.audit("the page of an unknown document")

	// A phone-width screen, and 200% zoom of a 1280 px window, need no sideways scrolling.
	for _, width := range []int64{640, 360} {
		b.fits(width, "/search?q="+strings.ReplaceAll("dinh danh dien tu", " ", "+"))
		b.fits(width, "/documents/000_ccc4d5c2107aed12?p=10#passage")
		b.fits(width, "/")
	}
	b.do(chromedp.Navigate(b.base + "/search?q=chuyen+doi+so"))
	b.audit("the results page at 360 px")
}

// TestBrowserSuggestions checks the search-as-you-type script against a fixed GET /api/v1/suggest, so
// it tests the script's contract with the endpoint (the endpoint has tests of its own): a listbox opens
// under the box, the arrow keys choose, Enter searches the choice, Escape closes.
func TestBrowserSuggestions(t *testing.T) {
	var (
		mu    sync.Mutex
		asked []string
	)
	b := newBrowser(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/v1/suggest" {
				h.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			asked = append(asked, r.URL.Query().Get("q"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"suggestions": ["định danh", "định danh điện tử", "<b>định</b>"]}`))
		})
	})
	b.do(chromedp.Navigate(b.base+"/"), chromedp.Focus(chromedp.CSS("#q")), chromedp.KeyEvent("dinh d"),
		chromedp.WaitVisible(chromedp.CSS("#q-suggestions li")))
	mu.Lock()
	assert.Contains(t, asked, "dinh d")
	mu.Unlock()
	assert.Equal(t, "combobox", eval[string](b, `document.getElementById("q").getAttribute("role")`))
	assert.Equal(t, "true", eval[string](b, `document.getElementById("q").getAttribute("aria-expanded")`))
	options := eval[[]string](b, `[...document.querySelectorAll("#q-suggestions [role=option]")].map(o => o.textContent)`)
	assert.Equal(t, []string{"định danh", "định danh điện tử", "<b>định</b>"}, options, "suggestions are shown as text")
	b.audit("the home page with suggestions open")

	b.do(chromedp.KeyEvent(kb.Escape))
	assert.True(t, eval[bool](b, `document.getElementById("q-suggestions").hidden`), "Escape closes the list")
	assert.Equal(t, "dinh d", eval[string](b, `document.getElementById("q").value`), "and keeps what was typed")

	b.do(chromedp.KeyEvent("a"), chromedp.WaitVisible(chromedp.CSS("#q-suggestions li")),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	assert.Equal(t, "q-opt-1", eval[string](b, `document.getElementById("q").getAttribute("aria-activedescendant")`))
	b.do(chromedp.KeyEvent(kb.Enter))
	b.waitFor(b.base + "/search?q=" + url.QueryEscape("định danh điện tử"))
	b.do(chromedp.WaitVisible(chromedp.CSS(".results mark")))
}
