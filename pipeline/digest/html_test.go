package digest

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/accordwatch/accordwatch/store"
)

// Hostile strings from articles and feeds.
const (
	pwnScript  = `<script>window.__pwned=1</script>`
	imgOnerror = `"><img src=x onerror=alert(1)>`
	jsURL      = `javascript:alert(1)`
	quotesAmp  = `"Q&A" & 'quotes' &amp; <b>bold</b>`
)

// Feed URLs of the hostile fixture.
const (
	feedHealthy   = "https://wire.example/feed.xml"
	feedFailing   = "https://broken.example/rss?a=1&b=2"
	feedNotPolled = "https://new.example/feed"
)

// hostileRecords returns the records of 2026-11-26 (Europe/Paris) with
// hostile strings in titles, evidence, speakers, outlets, actor and accord
// ids, URLs, feed names and errors, and what its board must hold.
func hostileRecords(t *testing.T) Records {
	t.Helper()
	loc := paris(t)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, loc) }
	changes := []store.Change{
		{
			ID: "chg-1", Actor: "BRA", Accord: "pall-mall-process",
			Previous: "declined", PreviousSince: day(20, 9),
			Stance: "signed", Since: day(26, 9), Sources: 3, Detected: day(26, 10),
			Evidence: "“We sign.” " + pwnScript + " & more", Speaker: imgOnerror,
			URL: jsURL, Outlet: quotesAmp, Title: pwnScript,
		},
		{
			ID: "chg-2", Actor: imgOnerror, Accord: pwnScript,
			Stance: "supports", Since: day(26, 8), Sources: 1, Detected: day(26, 11),
			Evidence: imgOnerror, Speaker: quotesAmp,
			URL:    `https://news.example/a?x=1&y="2"` + pwnScript,
			Outlet: pwnScript, Title: `Q&A: "quotes" & <i>more</i>`,
		},
		{
			ID: "chg-3", Actor: "USA", Accord: "counter-ransomware-initiative",
			Stance: "declined", Since: day(26, 7), Sources: 2, Detected: day(26, 12),
			Evidence: "The United States declined to sign.", Speaker: "Ann Lee",
			URL: " JaVaScRiPt:alert(1)", Outlet: "Cyber Policy Wire", Title: "US stays out",
		},
		{
			// A stance the store would not produce ends up as text.
			ID: "chg-4", Actor: "JPN", Accord: "paris-call",
			Stance: `signed" onmouseover="alert(1)`, Detected: day(26, 13),
			URL: "data:text/html," + pwnScript, Title: imgOnerror,
		},
	}
	contradictions := []store.Contradiction{{
		ID: "con-1", Actor: "USA", Accord: "pall-mall-process",
		Current: "signed", CurrentSince: day(25, 9),
		Stance: "opposes", Since: day(26, 6), Detected: day(26, 14),
		Evidence: "=cmd " + imgOnerror, Speaker: pwnScript,
		URL: jsURL, Outlet: imgOnerror, Title: imgOnerror,
	}}
	current := []store.Current{
		{Actor: "BRA", Accord: "pall-mall-process", Stance: "signed", Since: day(26, 9)},
		{Actor: "BRA", Accord: "counter-ransomware-initiative", Stance: "supports", Since: day(1, 9)},
		{Actor: "USA", Accord: "counter-ransomware-initiative", Stance: "declined", Since: day(26, 7)},
		{Actor: "USA", Accord: "pall-mall-process", Stance: "signed", Since: day(25, 9)},
		{Actor: imgOnerror, Accord: pwnScript, Stance: "supports", Since: day(26, 8)},
		{Actor: "JPN", Accord: "paris-call", Stance: `signed" onmouseover="alert(1)`},
		// Changed after the day: withdrew now, undecided at its end.
		{Actor: "KEN", Accord: "pall-mall-process", Stance: "withdrew", Since: day(28, 9)},
		// First stance after the day: not on the board.
		{Actor: "MEX", Accord: "pall-mall-process", Stance: "signed", Since: day(27, 9)},
	}
	later := []store.Change{
		{ID: "chg-9", Actor: "MEX", Accord: "pall-mall-process", Stance: "signed", Detected: day(27, 10)},
		{ID: "chg-10", Actor: "KEN", Accord: "pall-mall-process", Previous: "undecided", PreviousSince: day(2, 9),
			Stance: "declined", Detected: day(27, 11)},
		{ID: "chg-11", Actor: "KEN", Accord: "pall-mall-process", Previous: "declined", PreviousSince: day(27, 9),
			Stance: "withdrew", Detected: day(28, 11)},
	}
	states := []store.FeedState{
		{URL: feedHealthy, LastPolled: day(27, 6), LastSuccess: day(27, 6)},
		{URL: feedFailing, LastPolled: day(27, 6), LastSuccess: day(20, 6), Failures: 4,
			LastError: "parsing feed: " + pwnScript + " " + imgOnerror},
		{URL: "https://removed.example/feed", LastPolled: day(1, 6), Failures: 9, LastError: "gone"},
	}
	feedNames := map[string]string{feedHealthy: "Wire & Co", feedFailing: imgOnerror}
	return Records{
		Changes:        changes,
		Contradictions: contradictions,
		Current:        current,
		Later:          later,
		FeedStates:     states,
		Feeds:          []string{feedHealthy, feedFailing, feedNotPolled},
		Names: func(kind, id string) string {
			if kind == KindFeed {
				return feedNames[id]
			}
			return names(kind, id)
		},
	}
}

// Expected shape of the hostile fixture's board and cards.
const (
	hostileAccords        = 4 // counter-ransomware-initiative, paris-call, pall-mall-process, the hostile one
	hostileActors         = 5 // BRA, USA, JPN, KEN, the hostile one; not MEX
	hostileChanged        = 4
	hostileContradicted   = 1
	hostileChangeCards    = 4
	hostileContradictions = 1
)

func hostileDigest(t *testing.T) Digest {
	t.Helper()
	return BuildFrom("2026-11-26", paris(t), hostileRecords(t), time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
}

func writeHTMLString(t *testing.T, d Digest) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d, "html"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func parseHTML(t *testing.T, page string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// checkNoInjection fails if the document has an element or attribute that
// a hostile string could have injected, or loads anything.
func checkNoInjection(t *testing.T, doc *goquery.Document) {
	t.Helper()
	if n := doc.Find("script").Length(); n != 0 {
		t.Errorf("%d <script> elements", n)
	}
	for _, sel := range []string{"img", "iframe", "object", "embed", "link", "base", "form", "b", "i", "[src]"} {
		if n := doc.Find(sel).Length(); n != 0 {
			t.Errorf("%d %s elements", n, sel)
		}
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s> has an event handler attribute %s=%q", goquery.NodeName(s), a.Key, a.Val)
			}
		}
	})
	doc.Find("[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if strings.HasPrefix(href, "#") {
			if doc.Find(href).Length() != 1 {
				t.Errorf("link to %s, which is not one element of the page", href)
			}
			return
		}
		u, err := url.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Errorf("href %q is not an http(s) URL", href)
		}
	})
	css := doc.Find("style").Text()
	for _, bad := range []string{"url(", "@import", "@font-face", "expression("} {
		if strings.Contains(css, bad) {
			t.Errorf("the stylesheet has %s", bad)
		}
	}
}

func TestWriteHTML(t *testing.T) {
	d := hostileDigest(t)
	page := writeHTMLString(t, d)
	doc := parseHTML(t, page)
	checkNoInjection(t, doc)
	// The hostile strings are there, as text.
	for _, bad := range []string{"<script", "<img", "<b>", "<i>", `href="javascript:`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page has %s", bad)
		}
	}

	// The board.
	board := doc.Find("table#stance-board.board")
	if board.Length() != 1 {
		t.Fatalf("%d stance boards", board.Length())
	}
	if n := board.Find("thead th.accord").Length(); n != hostileAccords {
		t.Errorf("%d accord columns, want %d", n, hostileAccords)
	}
	if n := board.Find("tbody tr[data-actor]").Length(); n != hostileActors {
		t.Errorf("%d actor rows, want %d", n, hostileActors)
	}
	if n := board.Find("td.cell").Length(); n != hostileAccords*hostileActors {
		t.Errorf("%d cells, want %d", n, hostileAccords*hostileActors)
	}
	changed := board.Find("td.cell.changed")
	if changed.Length() != hostileChanged {
		t.Errorf("%d changed cells, want %d", changed.Length(), hostileChanged)
	}
	if n := changed.Find("span.badge.changed").Length(); n != hostileChanged {
		t.Errorf("%d changed badges, want %d", n, hostileChanged)
	}
	if n := board.Find("span.badge.changed").Length(); n != hostileChanged {
		t.Errorf("%d changed badges on the board, want %d (only changed cells)", n, hostileChanged)
	}
	changed.Each(func(_ int, s *goquery.Selection) {
		href, ok := s.Find("a.cell-link").Attr("href")
		if !ok || doc.Find("article.card.change"+href).Length() != 1 {
			t.Errorf("changed cell %q links to %q, not to its card", s.Text(), href)
		}
	})
	if n := board.Find("td.cell.contradicted").Length(); n != hostileContradicted {
		t.Errorf("%d contradicted cells, want %d", n, hostileContradicted)
	}
	cell := func(actor, accord string) *goquery.Selection {
		t.Helper()
		var found *goquery.Selection
		board.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if a, _ := tr.Attr("data-actor"); a != actor {
				return
			}
			tr.Find("td.cell").Each(func(_ int, td *goquery.Selection) {
				if a, _ := td.Attr("data-accord"); a == accord {
					found = td
				}
			})
		})
		if found == nil {
			t.Fatalf("no cell for %s on %s", actor, accord)
		}
		return found
	}
	for _, tc := range []struct {
		actor, accord, class string
		changed              bool
	}{
		{"BRA", "pall-mall-process", "stance-signed", true},
		{"BRA", "counter-ransomware-initiative", "stance-supports", false},
		{"USA", "counter-ransomware-initiative", "stance-declined", true},
		{"USA", "pall-mall-process", "stance-signed", false},
		{"KEN", "pall-mall-process", "stance-undecided", false}, // as at the end of the day
		{"KEN", "paris-call", "stance-none", false},
		{imgOnerror, pwnScript, "stance-supports", true},
		{"JPN", "paris-call", "stance-unknown", true},
	} {
		c := cell(tc.actor, tc.accord)
		if !c.HasClass(tc.class) || c.HasClass("changed") != tc.changed {
			class, _ := c.Attr("class")
			t.Errorf("cell %s/%s has class %q, want %s, changed %v", tc.actor, tc.accord, class, tc.class, tc.changed)
		}
	}
	if s, _ := cell("JPN", "paris-call").Attr("data-stance"); s != `signed" onmouseover="alert(1)` {
		t.Errorf("unknown stance data-stance = %q", s)
	}
	if board.Find(`tr[data-actor="MEX"]`).Length() != 0 {
		t.Error("MEX, whose first stance came after the day, is on the board")
	}
	if n := doc.Find("ul#legend li").Length(); n < 9 {
		t.Errorf("legend has %d items, want the 7 stances, none and changed", n)
	}

	// The cards, in the order of d.Changes.
	cards := doc.Find("section#changes article.card.change")
	if cards.Length() != hostileChangeCards {
		t.Fatalf("%d change cards, want %d", cards.Length(), hostileChangeCards)
	}
	if n := doc.Find("section#contradictions article.card.contradiction").Length(); n != hostileContradictions {
		t.Errorf("%d contradiction cards, want %d", n, hostileContradictions)
	}
	var bra *goquery.Selection
	cards.Each(func(i int, s *goquery.Selection) {
		if a, _ := s.Attr("data-actor"); a != d.Changes[i].Actor {
			t.Errorf("card %d is %q's, want %q's", i, a, d.Changes[i].Actor)
		}
		if a, _ := s.Attr("data-actor"); a == "BRA" {
			bra = s
		}
	})
	if bra == nil {
		t.Fatal("no card for BRA")
	}
	for sel, want := range map[string]string{
		"blockquote.evidence": "“We sign.” " + pwnScript + " & more",
		"dd.speaker":          imgOnerror,
		"dd.outlet":           quotesAmp,
		"dd.article":          pwnScript + " " + jsURL,
		"dd.sources":          "3",
		"dd.previous":         "declined since 2026-11-20",
		".transition":         "declined → signed since 2026-11-26",
	} {
		if got := strings.TrimSpace(bra.Find(sel).Text()); got != want {
			t.Errorf("BRA card %s = %q, want %q", sel, got, want)
		}
	}
	if bra.Find("dd.article a").Length() != 0 || bra.Find("dd.article code.unlinked-url").Text() != jsURL {
		t.Errorf("the javascript: URL is linked or not shown as text: %s", mustHTML(t, bra.Find("dd.article")))
	}
	links := doc.Find("section#changes a[href]")
	if links.Length() != 1 {
		t.Errorf("%d links in the change cards, want 1 (the https URL)", links.Length())
	}
	if href, _ := links.Attr("href"); !strings.HasPrefix(href, "https://news.example/a?x=1&y=") {
		t.Errorf("href = %q", href)
	}
	if links.Text() != `Q&A: "quotes" & <i>more</i>` {
		t.Errorf("link text = %q", links.Text())
	}
	if doc.Find("section#contradictions a[href]").Length() != 0 {
		t.Error("the contradiction's javascript: URL is linked")
	}
	if doc.Find("#no-changes").Length() != 0 {
		t.Error("a digest with changes says there are none")
	}

	// Feed health: the configured feeds only.
	if got := doc.Find("#feed-summary").Text(); got != "1 feed healthy / 1 failing / 1 not polled yet." {
		t.Errorf("feed summary = %q", got)
	}
	failing := doc.Find("ul#failing-feeds li.feed.failing")
	if failing.Length() != 1 {
		t.Fatalf("%d failing feeds listed, want 1", failing.Length())
	}
	if got := failing.Find(".feed-name").Text(); got != imgOnerror {
		t.Errorf("failing feed name = %q", got)
	}
	if got := failing.Find(".feed-url").Text(); got != feedFailing {
		t.Errorf("failing feed URL = %q", got)
	}
	if got := failing.Find(".last-error").Text(); !strings.HasPrefix(got, "parsing feed: "+pwnScript+" "+imgOnerror+" (4 failed polls in a row; last success 2026-11-20") {
		t.Errorf("failing feed error = %q", got)
	}
	if got := doc.Find("title").Text(); got != "accordwatch digest — 2026-11-26 (Europe/Paris)" {
		t.Errorf("title = %q", got)
	}
}

func TestWriteHTMLNoChanges(t *testing.T) {
	r := hostileRecords(t)
	r.Changes, r.Contradictions = nil, nil
	d := BuildFrom("2026-11-26", paris(t), r, time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	doc := parseHTML(t, writeHTMLString(t, d))
	checkNoInjection(t, doc)
	if got := doc.Find("p#no-changes").Text(); got != "No stance changes on 2026-11-26." {
		t.Errorf("no-changes = %q", got)
	}
	if got := doc.Find("#summary").Text(); got != "No stance changes on 2026-11-26." {
		t.Errorf("summary = %q", got)
	}
	if n := doc.Find("article.card").Length(); n != 0 {
		t.Errorf("%d cards", n)
	}
	if n := doc.Find("td.cell.changed, .badge.changed").Length(); n != 0 {
		t.Errorf("%d changed marks", n)
	}
	// The board still shows the stances of the end of the day.
	if n := doc.Find("table#stance-board td.cell").Not(".stance-none").Length(); n != 7 {
		t.Errorf("%d cells with a stance, want 7", n)
	}
	if doc.Find("#feed-summary").Length() != 1 || doc.Find("ul#failing-feeds li").Length() != 1 {
		t.Error("feed health missing")
	}

	// Nothing at all: an empty board, and no feed health without feed
	// states.
	doc = parseHTML(t, writeHTMLString(t, Build("2026-11-26", nil, nil, nil, nil, time.Now())))
	checkNoInjection(t, doc)
	if doc.Find("table#stance-board").Length() != 0 || doc.Find("p#board-empty").Length() != 1 {
		t.Error("an empty board is not said to be empty")
	}
	if doc.Find("section#feeds").Length() != 0 {
		t.Error("feed health shown while unknown")
	}
}

func TestNewHTMLLink(t *testing.T) {
	for _, tc := range []struct {
		title, url string
		want       htmlLink
	}{
		{"T", "https://a.example/x", htmlLink{Href: "https://a.example/x", Text: "T"}},
		{"", "HTTP://a.example/", htmlLink{Href: "http://a.example/", Text: "http://a.example/"}},
		{"T", jsURL, htmlLink{Text: "T", Unlinked: jsURL}},
		{"T", " javascript:alert(1)", htmlLink{Text: "T", Unlinked: jsURL}},
		{"T", "//a.example/x", htmlLink{Text: "T", Unlinked: "//a.example/x"}},
		{"T", "/relative", htmlLink{Text: "T", Unlinked: "/relative"}},
		{"T", "https:///nohost", htmlLink{Text: "T", Unlinked: "https:///nohost"}},
		{"T", "", htmlLink{Text: "T"}},
	} {
		if got := newHTMLLink(tc.title, tc.url); got != tc.want {
			t.Errorf("newHTMLLink(%q, %q) = %+v, want %+v", tc.title, tc.url, got, tc.want)
		}
	}
}

func mustHTML(t *testing.T, s *goquery.Selection) string {
	t.Helper()
	h, err := goquery.OuterHtml(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCorrectionToNoStance: a correction that leaves an actor without a
// stance (store.Change.Stance "") shows as "no stance", and its cell as
// changed to none.
func TestCorrectionToNoStance(t *testing.T) {
	loc := paris(t)
	r := Records{
		Changes: []store.Change{{ID: "chg-c", Actor: "BRA", Accord: "pall-mall-process", Previous: "signed",
			PreviousSince: time.Date(2026, 11, 20, 9, 0, 0, 0, loc), Detected: time.Date(2026, 11, 26, 9, 0, 0, 0, loc)}},
		Current: []store.Current{{Actor: "USA", Accord: "pall-mall-process", Stance: "declined"}},
		Names:   names,
	}
	d := BuildFrom("2026-11-26", loc, r, time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	var md bytes.Buffer
	if err := Write(&md, d, "md"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "- **Brazil** (BRA): signed → no stance (was signed since 2026-11-20)") {
		t.Errorf("markdown:\n%s", md.String())
	}
	doc := parseHTML(t, writeHTMLString(t, d))
	cell := doc.Find(`tr[data-actor="BRA"] td.cell.changed`)
	if cell.Length() != 1 || !cell.HasClass("stance-none") {
		t.Errorf("BRA's cell: %s", mustHTML(t, doc.Find(`tr[data-actor="BRA"]`)))
	}
	if got := doc.Find("article.card.change .transition").Text(); got != "signed → no stance" {
		t.Errorf("transition = %q", got)
	}
}
