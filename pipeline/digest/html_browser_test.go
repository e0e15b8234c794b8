package digest

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome binary, or skips the
// test if there is none. CI installs Debian's chromium package (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (install Debian's chromium package, as .ci/run does, to run the browser test)")
	return ""
}

// browserPage is what the browser test reads from the rendered page.
type browserPage struct {
	Title          string   `json:"title"`
	Pwned          string   `json:"pwned"` // typeof window.__pwned
	Scripts        int      `json:"scripts"`
	Images         int      `json:"images"`
	Handlers       []string `json:"handlers"` // elements with on* attributes
	BadHrefs       []string `json:"badHrefs"` // hrefs that are neither #fragments nor http(s)
	Boards         int      `json:"boards"`
	Rows           int      `json:"rows"`
	Cells          int      `json:"cells"`
	Changed        int      `json:"changed"`
	ChangedBadges  int      `json:"changedBadges"`
	ChangeCards    int      `json:"changeCards"`
	Contradictions int      `json:"contradictions"`
	FeedSummary    string   `json:"feedSummary"`
	// Computed styles: a changed cell has a thick inset outline, a
	// signed cell is green, an opposed or declined one red or orange.
	ChangedShadow string `json:"changedShadow"`
	SignedColor   string `json:"signedColor"`
	DeclinedColor string `json:"declinedColor"`
	Evidence      string `json:"evidence"`
}

const readPage = `(() => {
	const q = s => document.querySelectorAll(s);
	const handlers = [];
	for (const e of q('*')) {
		for (const a of e.attributes) {
			if (a.name.toLowerCase().startsWith('on')) handlers.push(e.tagName + ' ' + a.name);
		}
	}
	const badHrefs = [];
	for (const a of q('[href]')) {
		const h = a.getAttribute('href');
		if (h.startsWith('#')) continue;
		if (!/^https?:$/.test(new URL(h).protocol)) badHrefs.push(h);
	}
	const style = s => { const e = document.querySelector(s); return e ? getComputedStyle(e) : null; };
	const bra = document.querySelector('article.card.change[data-actor="BRA"] blockquote.evidence');
	return {
		title: document.title,
		pwned: typeof window.__pwned,
		scripts: q('script').length,
		images: q('img').length,
		handlers,
		badHrefs,
		boards: q('table#stance-board').length,
		rows: q('table#stance-board tbody tr').length,
		cells: q('table#stance-board td.cell').length,
		changed: q('td.cell.changed').length,
		changedBadges: q('td.cell.changed span.badge.changed').length,
		changeCards: q('section#changes article.card.change').length,
		contradictions: q('section#contradictions article.card.contradiction').length,
		feedSummary: (document.querySelector('#feed-summary') || {}).textContent,
		changedShadow: style('td.cell.changed').boxShadow,
		signedColor: style('td.cell.stance-signed').backgroundColor,
		declinedColor: style('td.cell.stance-declined').backgroundColor,
		evidence: bra ? bra.textContent : '',
	};
})()`

// TestHTMLInBrowser renders the hostile digest in headless Chromium: it
// takes a screenshot, checks that the board, its marks and the cards are
// there and styled, and that nothing from the hostile strings became an
// element, an attribute or a script that ran.
func TestHTMLInBrowser(t *testing.T) {
	exe := chromium(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "digest-2026-11-26.html")
	if err := os.WriteFile(file, []byte(writeHTMLString(t, hostileDigest(t))), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 2000),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Any dialog (alert) or uncaught exception means a script ran.
	var dialogs atomic.Int32
	if err := chromedp.Listen(bctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatalf("starting Chromium (%s): %v", exe, err)
	}
	if err := chromedp.Do(bctx,
		chromedp.Navigate("file://"+file),
		chromedp.WaitReady(chromedp.CSS("table#stance-board")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	pngPath := filepath.Join(dir, "digest.png")
	if err := os.WriteFile(pngPath, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", pngPath, len(shot))
	checkScreenshot(t, shot)

	got, err := chromedp.Run(bctx, chromedp.Evaluate[browserPage](readPage))
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	t.Logf("page as Chromium sees it: %+v", got)

	if got.Pwned != "undefined" {
		t.Errorf("window.__pwned is %s: an injected script ran", got.Pwned)
	}
	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d dialogs opened", n)
	}
	if got.Scripts != 0 || got.Images != 0 || len(got.Handlers) != 0 || len(got.BadHrefs) != 0 {
		t.Errorf("injected content: %d scripts, %d images, handlers %q, hrefs %q", got.Scripts, got.Images, got.Handlers, got.BadHrefs)
	}
	if got.Title != "accordwatch digest — 2026-11-26 (Europe/Paris)" {
		t.Errorf("title = %q", got.Title)
	}
	if got.Boards != 1 || got.Rows != hostileActors || got.Cells != hostileActors*hostileAccords {
		t.Errorf("board: %d tables, %d rows, %d cells; want 1, %d, %d", got.Boards, got.Rows, got.Cells, hostileActors, hostileActors*hostileAccords)
	}
	if got.Changed != hostileChanged || got.ChangedBadges != hostileChanged {
		t.Errorf("%d changed cells with %d badges, want %d", got.Changed, got.ChangedBadges, hostileChanged)
	}
	if got.ChangeCards != hostileChangeCards || got.Contradictions != hostileContradictions {
		t.Errorf("%d change cards and %d contradiction cards, want %d and %d", got.ChangeCards, got.Contradictions, hostileChangeCards, hostileContradictions)
	}
	if got.FeedSummary != "1 feed healthy / 1 failing / 1 not polled yet." {
		t.Errorf("feed summary = %q", got.FeedSummary)
	}
	if got.Evidence != "“We sign.” "+pwnScript+" & more" {
		t.Errorf("evidence shown as %q", got.Evidence)
	}
	if got.ChangedShadow == "" || got.ChangedShadow == "none" {
		t.Errorf("changed cells have no outline (box-shadow %q)", got.ChangedShadow)
	}
	if r, g, _, ok := rgb(got.SignedColor); !ok || g <= r {
		t.Errorf("signed cells are %q, want green", got.SignedColor)
	}
	if r, g, _, ok := rgb(got.DeclinedColor); !ok || r <= g {
		t.Errorf("declined cells are %q, want orange or red", got.DeclinedColor)
	}
}

// checkScreenshot checks that shot is a PNG at least as wide as the window
// that is not blank: it has the colours of the board.
func checkScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 1000 || b.Dy() < 500 {
		t.Errorf("screenshot is %dx%d", b.Dx(), b.Dy())
	}
	colours := make(map[[3]uint32]bool)
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("screenshot has %d colours: blank?", len(colours))
	}
	var greens, reds int
	for c := range colours {
		switch {
		case c[1] > c[0]+40 && c[1] > c[2]+20:
			greens++
		case c[0] > c[1]+60 && c[0] > c[2]+60:
			reds++
		}
	}
	if greens == 0 || reds == 0 {
		t.Errorf("screenshot has %d green and %d red or orange shades: the board's colours are missing", greens, reds)
	}
}

// rgb parses a computed colour "rgb(r, g, b)".
func rgb(s string) (r, g, b int, ok bool) {
	var a float64
	if n, _ := fmt.Sscanf(s, "rgb(%d, %d, %d)", &r, &g, &b); n == 3 {
		return r, g, b, true
	}
	if n, _ := fmt.Sscanf(s, "rgba(%d, %d, %d, %g)", &r, &g, &b, &a); n == 4 {
		return r, g, b, true
	}
	return 0, 0, 0, false
}
