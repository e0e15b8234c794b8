package main

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/daemon"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// newsSite serves a home page that advertises its feed with a relative
// link, the feed, its stories, a page without feeds and a second feed.
type newsSite struct {
	srv      *httptest.Server
	feedGets atomic.Int64
}

// newsCountries are the countries whose signing of the Paris Call the
// site's feed reports, one story each.
var newsCountries = []string{"Kenya", "Chile"}

func newNewsSite(t *testing.T) *newsSite {
	t.Helper()
	s := &newsSite{}
	mux := http.NewServeMux()
	mux.HandleFunc("/news/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Test Wire</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/news/">
<link rel="Alternate" type="application/rss+xml" title="Test Wire headlines" href="feeds/news.xml">
<link rel="alternate" type="application/atom+xml" href="/missing.atom">
</head><body><h1>Test Wire</h1></body></html>`)
	})
	mux.HandleFunc("/news/feeds/news.xml", func(w http.ResponseWriter, r *http.Request) {
		s.feedGets.Add(1)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title><link>` + s.srv.URL + `/news/</link>`)
		for i, c := range newsCountries {
			fmt.Fprintf(&b, `<item><title>%s signs the Paris Call</title><link>%s/story/%d</link><guid>wire-%d</guid><description>%s signed the Paris Call.</description></item>`, c, s.srv.URL, i, i, c)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, b.String())
	})
	mux.HandleFunc("/other.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Other</title><id>urn:other</id><updated>2025-03-01T00:00:00Z</updated></feed>`)
	})
	mux.HandleFunc("/plain/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><head><title>No feeds</title><link rel="alternate" type="text/html" href="/x"></head><body>Hello</body></html>`)
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/story/"), "%d", &i)
		if i < 0 || i >= len(newsCountries) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%[1]s signs the Paris Call</title></head><body><article><h1>%[1]s signs the Paris Call</h1>
<p>%[1]s signed the Paris Call for Trust and Security in Cyberspace on Monday, the foreign ministry said in a statement issued in the capital.</p>
<p>The declaration now counts more than eighty governments among its supporters, along with hundreds of companies.</p></article></body></html>`, newsCountries[i])
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// feedsConfig writes a configuration file for the feeds commands: the
// store at dsn, loopback fetching allowed (the test sites are on
// 127.0.0.1) and the given feeds configured.
func feedsConfig(t *testing.T, dsn string, feeds ...config.Feed) string {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, `data_dir: %q
store: {dsn: %q}
nats: {listen: "127.0.0.1:0"}
http: {allow_private_addresses: true, host_delay: -1s, timeout: 10s}
poll_interval: 1s
schedule: {min_interval: 1s, max_interval: 1s}
jobs: {ack_wait: 5s, backoff: [200ms]}
metrics: {addr: ""}
`, dir, dsn)
	if len(feeds) > 0 {
		b.WriteString("feeds:\n")
		for _, f := range feeds {
			fmt.Fprintf(&b, "  - {url: %q, name: %q}\n", f.URL, f.Name)
		}
	}
	path := filepath.Join(dir, "accordwatch.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// storeFeeds returns the feeds added to the store at dsn.
func storeFeeds(t *testing.T, dsn string) []store.Feed {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs, err := st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// mustRun runs a command that must succeed and returns its output.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("%q: exit %d: %s%s", args, code, out, errs)
	}
	return out
}

// TestFeedsAddDiscovers adds a site's home page and finds the feed its
// relative <link rel="alternate"> advertises.
func TestFeedsAddDiscovers(t *testing.T) {
	site := newNewsSite(t)
	base := site.srv.URL
	dsn := filepath.Join(t.TempDir(), "accordwatch.db")
	cfg := feedsConfig(t, dsn, config.Feed{URL: base + "/other.xml", Name: "Other"})
	feedURL := base + "/news/feeds/news.xml"

	out := mustRun(t, "feeds", "add", "--config", cfg, base+"/news/")
	if !strings.Contains(out, base+"/news/ advertises the feed "+feedURL) || !strings.Contains(out, "added "+feedURL+" (Test Wire) (2 items now)") {
		t.Errorf("feeds add output:\n%s", out)
	}
	got := storeFeeds(t, dsn)
	if len(got) != 1 || got[0].URL != feedURL || got[0].Title != "Test Wire" || time.Since(got[0].Added) > time.Minute {
		t.Fatalf("store feeds = %+v, want %s titled Test Wire, added now", got, feedURL)
	}

	// Known feeds are reported without fetching them again.
	gets := site.feedGets.Load()
	if out := mustRun(t, "feeds", "add", "--config", cfg, feedURL); !strings.Contains(out, feedURL+" was already added") {
		t.Errorf("adding the feed again: %q", out)
	}
	if out := mustRun(t, "feeds", "add", "--config", cfg, base+"/news/"); !strings.Contains(out, feedURL+" was already added") {
		t.Errorf("adding the page again: %q", out)
	}
	if out := mustRun(t, "feeds", "add", "--config", cfg, base+"/other.xml"); !strings.Contains(out, "already in the configuration") {
		t.Errorf("adding a configured feed: %q", out)
	}
	if n := site.feedGets.Load() - gets; n != 1 { // the page's feed, checked once more
		t.Errorf("feed fetched %d times by the repeated adds, want 1", n)
	}
	if got := storeFeeds(t, dsn); len(got) != 1 {
		t.Errorf("store feeds after repeated adds = %+v", got)
	}

	// A feed given directly, with a title of our own.
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf("store: {dsn: %q}\nhttp: {allow_private_addresses: true, host_delay: -1s}\n", dsn)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "feeds", "add", "--config", cfg, "--title", "Elsewhere", base+"/other.xml"); !strings.Contains(out, "added "+base+"/other.xml (Elsewhere)") {
		t.Errorf("adding a feed directly: %q", out)
	}

	var rows []struct {
		URL, Source, Title string
		Added              time.Time
	}
	runJSON(t, &rows, "feeds", "list", "--config", cfg, "--json")
	if len(rows) != 2 || rows[0].Source != "added" || rows[0].Title != "Test Wire" || rows[0].Added.IsZero() || rows[1].Title != "Elsewhere" {
		t.Errorf("feeds list = %+v", rows)
	}

	for _, tc := range []struct {
		url, want string
		code      int
	}{
		{base + "/plain/", "advertises no feed", 1},
		{base + "/story/9", "fetching", 1},
		{"ftp://example.org/feed", "not an http(s) URL", 2},
	} {
		code, _, errs := runCmd(t, "", "feeds", "add", "--config", cfg, tc.url)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("feeds add %s: exit %d, %q; want %d and %q", tc.url, code, errs, tc.code, tc.want)
		}
	}
}

func TestFeedLinks(t *testing.T) {
	page := `<html><head>
<base href="https://cdn.example/site/">
<link rel="alternate" type="application/atom+xml; charset=utf-8" href="atom.xml" title=" Atom ">
<link rel="alternate nofollow" type="APPLICATION/RSS+XML" href="https://news.example/rss#top">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/rss+xml" href="https://news.example/rss">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="text/html" href="/fr/">
<link rel="feed" type="application/rss+xml" href="/not-alternate.xml">
</head><body><link rel="alternate" type="application/rss+xml" href="//other.example/body.xml"></body></html>`
	got, err := feedLinks("https://news.example/section/page.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := []feedLink{
		{"https://cdn.example/site/atom.xml", "Atom"},
		{"https://news.example/rss", ""},
		{"https://cdn.example/feed.json", ""},
		{"https://other.example/body.xml", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("feedLinks =\n%+v\nwant\n%+v", got, want)
	}
}

// TestFeedsOPMLRoundTrip imports an OPML file, exports the configured and
// added feeds, imports the export into a fresh store, and finds the same
// feeds there.
func TestFeedsOPMLRoundTrip(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "first.db")
	cfg := feedsConfig(t, dsn,
		config.Feed{URL: "https://config.example/rss", Name: "Config & Co"},
		config.Feed{URL: "https://plain.example/feed.xml"})
	subscriptions := filepath.Join(dir, "subscriptions.opml")
	if err := os.WriteFile(subscriptions, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News">
      <outline text="A" title="A &lt;Wire&gt; caf`+"\xe9"+`" type="rss" xmlUrl="https://a.example/feed"/>
      <outline text="B Daily" type="rss" xmlUrl=" https://b.example/atom.xml " htmlUrl="https://b.example/"/>
      <outline text="Configured" type="rss" xmlUrl="https://config.example/rss"/>
    </outline>
    <outline text="A again" type="rss" xmlUrl="https://a.example/feed"/>
    <outline text="Old" type="rss" xmlUrl="gopher://old.example/feed"/>
    <outline text="Just a note"/>
  </body>
</opml>
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "feeds", "import", "--config", cfg, subscriptions)
	if !strings.Contains(out, "imported 2 new feeds from "+subscriptions+" (1 already present, 1 skipped)") || !strings.Contains(out, "gopher://old.example/feed") {
		t.Errorf("feeds import:\n%s", out)
	}
	want := []store.Feed{
		{URL: "https://a.example/feed", Title: "A <Wire> café"},
		{URL: "https://b.example/atom.xml", Title: "B Daily"},
	}
	if got := feedsWithoutTimes(storeFeeds(t, dsn)); !reflect.DeepEqual(got, want) {
		t.Fatalf("store feeds after import =\n%+v\nwant\n%+v", got, want)
	}

	exported := filepath.Join(dir, "export.opml")
	if out := mustRun(t, "feeds", "export", "--config", cfg, "--out", exported); !strings.Contains(out, "exported 4 feeds to "+exported) {
		t.Errorf("feeds export: %q", out)
	}
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version string `xml:"version,attr"`
		Title   string `xml:"head>title"`
		Created string `xml:"head>dateCreated"`
		Outline []struct {
			Text   string `xml:"text,attr"`
			XMLURL string `xml:"xmlUrl,attr"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("export is not XML: %v\n%s", err, b)
	}
	if _, err := time.Parse(time.RFC1123Z, doc.Created); doc.Version != "2.0" || doc.Title == "" || err != nil || len(doc.Outline) != 4 {
		t.Errorf("export = %+v (%v)\n%s", doc, err, b)
	}
	for _, o := range doc.Outline {
		if o.Text == "" {
			t.Errorf("outline %s has no text, which OPML 2.0 requires", o.XMLURL)
		}
	}
	created := regexp.MustCompile(`<dateCreated>[^<]*</dateCreated>`)
	if stdout := mustRun(t, "feeds", "export", "--config", cfg); created.ReplaceAllString(stdout, "") != created.ReplaceAllString(string(b), "") || !strings.HasPrefix(stdout, xml.Header) {
		t.Errorf("feeds export to standard output:\n%s\nwant what --out wrote:\n%s", stdout, b)
	}

	// Into a fresh store with nothing configured: every feed, once.
	fresh := filepath.Join(dir, "fresh.db")
	freshCfg := feedsConfig(t, fresh)
	if out := mustRun(t, "feeds", "import", "--config", freshCfg, exported); !strings.Contains(out, "imported 4 new feeds from "+exported+" (0 already present, 0 skipped)") {
		t.Errorf("import of the export: %q", out)
	}
	want = []store.Feed{
		{URL: "https://a.example/feed", Title: "A <Wire> café"},
		{URL: "https://b.example/atom.xml", Title: "B Daily"},
		{URL: "https://config.example/rss", Title: "Config & Co"},
		{URL: "https://plain.example/feed.xml"},
	}
	if got := feedsWithoutTimes(storeFeeds(t, fresh)); !reflect.DeepEqual(got, want) {
		t.Errorf("fresh store feeds =\n%+v\nwant\n%+v", got, want)
	}
	if out := mustRun(t, "feeds", "import", "--config", freshCfg, exported); !strings.Contains(out, "imported 0 new feeds from "+exported+" (4 already present, 0 skipped)") {
		t.Errorf("second import: %q", out)
	}
	if code, _, errs := runCmd(t, "", "feeds", "import", "--config", freshCfg, cfg); code != 1 || !strings.Contains(errs, "not an OPML document") {
		t.Errorf("importing a YAML file: exit %d, %q", code, errs)
	}
}

// feedsWithoutTimes returns fs with their Added times cleared.
func feedsWithoutTimes(fs []store.Feed) []store.Feed {
	out := make([]store.Feed, 0, len(fs))
	for _, f := range fs {
		f.Added = time.Time{}
		out = append(out, f)
	}
	return out
}

func TestFeedsRemove(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "accordwatch.db")
	cfg := feedsConfig(t, dsn, config.Feed{URL: "https://config.example/rss"})
	list := filepath.Join(dir, "list.opml")
	os.WriteFile(list, []byte(`<opml version="2.0"><head/><body><outline text="x" xmlUrl="https://x.example/feed"/></body></opml>`), 0o644)
	mustRun(t, "feeds", "import", "--config", cfg, list)
	if out := mustRun(t, "feeds", "remove", "--config", cfg, "https://x.example/feed"); !strings.HasPrefix(out, "removed https://x.example/feed;") {
		t.Errorf("feeds remove: %q", out)
	}
	if got := storeFeeds(t, dsn); len(got) != 0 {
		t.Errorf("store feeds after remove = %+v", got)
	}
	for url, want := range map[string]string{
		"https://x.example/feed":     "no feed https://x.example/feed was added",
		"https://config.example/rss": "listed in the configuration file",
	} {
		if code, _, errs := runCmd(t, "", "feeds", "remove", "--config", cfg, url); code != 1 || !strings.Contains(errs, want) {
			t.Errorf("feeds remove %s: exit %d, %q; want 1 and %q", url, code, errs, want)
		}
	}
	for _, args := range [][]string{{"feeds"}, {"feeds", "frobnicate"}, {"feeds", "remove"}, {"feeds", "add"}, {"feeds", "import"}, {"feeds", "export", "x"}} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// TestDaemonPicksUpAddedFeed runs a daemon with no configured feed, adds a
// site with "feeds add" while it runs, and checks that the daemon polls the
// discovered feed and processes its stories; once the feed is removed, the
// daemon stops polling it.
func TestDaemonPicksUpAddedFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the daemon")
	}
	defer func(d time.Duration) { daemon.StoreFeedsInterval = d }(daemon.StoreFeedsInterval)
	daemon.StoreFeedsInterval = 100 * time.Millisecond

	site := newNewsSite(t)
	dsn := filepath.Join(t.TempDir(), "accordwatch.db")
	cfgFile := feedsConfig(t, dsn)
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuf{}
	d, err := daemon.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(ctx) }()

	time.Sleep(300 * time.Millisecond) // the daemon lists the store's feeds: none yet
	mustRun(t, "feeds", "add", "--config", cfgFile, site.srv.URL+"/news/")

	waitUntil(t, "the added feed's stories processed", 30*time.Second, logs, func() bool {
		return d.Stats.Get("items_processed") == int64(len(newsCountries))
	})
	for _, actor := range []string{"KEN", "CHL"} {
		waitUntil(t, actor+"'s stance stored", 10*time.Second, logs, func() bool {
			c, err := d.Store.Current(ctx, actor, "paris-call")
			return err == nil && c.Stance == store.StanceSigned
		})
	}
	// Polled again and again (poll_interval 1s) until removed.
	waitUntil(t, "a second poll", 10*time.Second, logs, func() bool { return site.feedGets.Load() >= 3 })
	mustRun(t, "feeds", "remove", "--config", cfgFile, site.srv.URL+"/news/feeds/news.xml")
	waitUntil(t, "the removal noticed", 5*time.Second, logs, func() bool {
		return strings.Contains(logs.String(), "feed removed; no longer scheduled")
	})
	gets := site.feedGets.Load()
	time.Sleep(3500 * time.Millisecond)
	if n := site.feedGets.Load() - gets; n > 1 { // a poll queued just before may still run
		t.Errorf("the removed feed was fetched %d more times", n)
	}
	if got := d.Stats.Get("items_processed"); got != int64(len(newsCountries)) {
		t.Errorf("%d items processed, want each story once", got)
	}

	stop()
	if err := <-runDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}
}

// waitUntil polls cond until it holds, failing with the daemon's logs
// after d.
func waitUntil(t *testing.T, what string, d time.Duration, logs *syncBuf, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; daemon logs:\n%s", d, what, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
