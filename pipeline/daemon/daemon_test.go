package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/store"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixtureSite serves the feeds and pages of testdata plus the bad feeds.
type fixtureSite struct {
	srv         *httptest.Server
	articleGets atomic.Int64
	feedGets    atomic.Int64
	notModified atomic.Int64
	hang        chan struct{}
}

func newFixtureSite(t *testing.T) *fixtureSite {
	t.Helper()
	fs := &fixtureSite{hang: make(chan struct{})}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feeds/good.xml", func(w http.ResponseWriter, r *http.Request) {
		fs.feedGets.Add(1)
		const etag = `"good-v1"`
		if r.Header.Get("If-None-Match") == etag {
			fs.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bytes.ReplaceAll(read("good.xml"), []byte("{{BASE}}"), []byte(fs.srv.URL)))
	})
	mux.HandleFunc("/feeds/malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(read("malformed.xml"))
	})
	mux.HandleFunc("/feeds/error.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
	mux.HandleFunc("/feeds/hang.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-fs.hang:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/feeds/huge.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title><description>`))
		w.Write(bytes.Repeat([]byte("x"), 600<<10))
		w.Write([]byte(`</description></channel></rss>`))
	})
	mux.HandleFunc("/articles/", func(w http.ResponseWriter, r *http.Request) {
		fs.articleGets.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/articles/")
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if name == "cp1252.html" {
			w.Header().Set("Content-Type", "text/html") // charset only in the page
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(b)
	})
	fs.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(fs.hang)
		fs.srv.Close()
	})
	return fs
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEndToEnd runs the daemon against a fixture site with one good feed and
// four bad ones, checks the stance event on NATS, the store records and the
// digest, then proves that a 304 leads to no fetch and no publication.
func TestEndToEnd(t *testing.T) {
	site := newFixtureSite(t)
	base := site.srv.URL
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.PollInterval = config.Duration(time.Hour) // one poll per feed during the test
	cfg.HTTP.Timeout = config.Duration(1500 * time.Millisecond)
	cfg.HTTP.MaxBodyBytes = 256 << 10
	cfg.HTTP.AllowPrivateAddresses = true // the fixture site is on 127.0.0.1
	cfg.HTTP.HostDelay = -1
	good := base + "/feeds/good.xml"
	bad := map[string]string{
		base + "/feeds/malformed.xml": "feed_errors_parse",
		base + "/feeds/error.xml":     "feed_errors_status",
		base + "/feeds/hang.xml":      "feed_errors_timeout",
		base + "/feeds/huge.xml":      "feed_errors_too_large",
	}
	cfg.Feeds = []config.Feed{{URL: good}}
	for u := range bad {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: u})
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	ctx := context.Background()
	d, err := Open(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })

	// An analyst's own client, subscribed with an accord wildcard.
	nc, err := nats.Connect(d.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	stanceMsgs := make(chan *nats.Msg, 64)
	if _, err := nc.ChanSubscribe("accordwatch.stance.paris-call.>", stanceMsgs); err != nil {
		t.Fatal(err)
	}
	changeMsgs := make(chan *nats.Msg, 64)
	if _, err := nc.ChanSubscribe("accordwatch.change.*.USA", changeMsgs); err != nil {
		t.Fatal(err)
	}
	nc.Flush()

	runCtx, stop := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(runCtx) }()

	// The stance event arrives on the accord wildcard.
	var got events.Stance
	select {
	case m := <-stanceMsgs:
		if err := json.Unmarshal(m.Data, &got); err != nil {
			t.Fatal(err)
		}
		if m.Subject != "accordwatch.stance.paris-call.USA" {
			t.Errorf("subject = %q", m.Subject)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no stance event; logs:\n%s", logs.String())
	}
	if got.Actor != "USA" || got.Accord != "paris-call" || got.Stance != "declined" || got.Historical {
		t.Errorf("stance event = %+v, want USA paris-call declined", got)
	}
	if got.Outlet != "Test Wire" || !strings.HasSuffix(got.URL, "/articles/declines.html") {
		t.Errorf("stance event source = %q %q", got.Outlet, got.URL)
	}
	select {
	case m := <-changeMsgs:
		var c events.Change
		json.Unmarshal(m.Data, &c)
		if c.Stance != "declined" || c.Previous != "" || c.Sources != 1 {
			t.Errorf("change event = %+v", c)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no change event for USA")
	}

	// Every good item arrives complete; the bad feeds are logged and counted.
	waitFor(t, "items processed", 20*time.Second, func() bool { return d.Stats.Get("items_processed") == 4 })
	for u, counter := range bad {
		waitFor(t, counter, 10*time.Second, func() bool { return d.Stats.Get(counter) >= 1 })
		if !strings.Contains(logs.String(), u) {
			t.Errorf("logs do not name the failing feed %s", u)
		}
		st, err := d.Store.FeedState(ctx, u)
		if err != nil || st.Failures != 1 || st.LastError == "" {
			t.Errorf("feed state of %s = %+v, %v; want one failure with its error", u, st, err)
		}
	}
	var cur store.Current
	waitFor(t, "current stance stored", 20*time.Second, func() bool {
		cur, err = d.Store.Current(ctx, "USA", "paris-call")
		return err == nil
	})
	if cur.Stance != "declined" {
		t.Errorf("current USA paris-call = %+v", cur)
	}
	hist, err := d.Store.History(ctx, "USA", "paris-call")
	if err != nil || len(hist) != 1 || !strings.Contains(hist[0].Evidence, "not in a position to endorse") && !strings.Contains(hist[0].Evidence, "declined to endorse") {
		t.Errorf("history = %+v, %v", hist, err)
	}
	// The windows-1252 page arrives as correct UTF-8; the hostile title as text.
	waitFor(t, "articles stored", 20*time.Second, func() bool {
		_, err1 := d.Store.Article(ctx, events.Hash(base+"/articles/cp1252.html"))
		_, err2 := d.Store.Article(ctx, events.Hash(base+"/articles/script-title.html"))
		_, err3 := d.Store.Article(ctx, events.Hash(base+"/articles/missing.html"))
		return err1 == nil && err2 == nil && err3 == nil
	})
	a, _ := d.Store.Article(ctx, events.Hash(base+"/articles/cp1252.html"))
	if !strings.Contains(a.Text, "“The convention gives our prosecutors") || !strings.Contains(a.Text, "BRASÍLIA") {
		t.Errorf("windows-1252 page text not decoded: %q", a.Text)
	}
	a, _ = d.Store.Article(ctx, events.Hash(base+"/articles/script-title.html"))
	if strings.Contains(a.Title, "<script") || !strings.Contains(a.Title, "Japan joins the Pall Mall Process") {
		t.Errorf("hostile title stored as %q", a.Title)
	}
	a, _ = d.Store.Article(ctx, events.Hash(base+"/articles/missing.html"))
	if a.Source != store.SourceFeed || a.FetchError == "" || !strings.Contains(a.Text, "Kenya signed the Christchurch Call") {
		t.Errorf("fallback article = source %q error %q text %q", a.Source, a.FetchError, a.Text)
	}
	if _, err := d.Store.Current(ctx, "BRA", "budapest-convention"); err != nil {
		t.Errorf("BRA budapest-convention not recorded from the windows-1252 page: %v", err)
	}

	// The digest of the day lists the change with its evidence.
	day := time.Now().UTC().Format("2006-01-02")
	from, to, err := digest.Day(day, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := d.Store.Changes(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	contradictions, err := d.Store.Contradictions(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	dg := digest.Build(day, time.UTC, changes, contradictions, nil, time.Now())
	var md bytes.Buffer
	if err := digest.Write(&md, dg, "md"); err != nil {
		t.Fatal(err)
	}
	// The evidence is the stored observation's: the State Department's words
	// or the sentence reporting the refusal.
	if !strings.Contains(md.String(), "USA") || !strings.Contains(md.String(), "declined") ||
		!(strings.Contains(md.String(), "not in a position to endorse") || strings.Contains(md.String(), "declined to endorse the Paris Call")) {
		t.Errorf("digest lacks the USA change and its evidence:\n%s", md.String())
	}

	// Conditional GET: the next poll gets a 304, fetches no article and
	// publishes nothing.
	waitFor(t, "sink idle", 10*time.Second, func() bool {
		ok, err := sink.CaughtUp(ctx, d.JS)
		return err == nil && ok
	})
	stream, err := d.JS.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := stream.Info(ctx)
	articlesBefore := site.articleGets.Load()
	pr, err := d.PollFeed(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.NotModified || site.notModified.Load() != 1 {
		t.Errorf("second poll: %+v, 304s served %d; want a 304", pr, site.notModified.Load())
	}
	after, _ := stream.Info(ctx)
	if site.articleGets.Load() != articlesBefore {
		t.Errorf("articles fetched after a 304: %d", site.articleGets.Load()-articlesBefore)
	}
	if after.State.Msgs != before.State.Msgs {
		t.Errorf("messages published after a 304: %d", after.State.Msgs-before.State.Msgs)
	}

	stop()
	if err := <-runDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}
}

// TestRerunPublishesNoDuplicates processes the same items twice, as a
// restarted daemon with a lost store would, and finds no duplicate events.
func TestRerunPublishesNoDuplicates(t *testing.T) {
	site := newFixtureSite(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.HTTP.AllowPrivateAddresses = true // the fixture site is on 127.0.0.1
	cfg.HTTP.HostDelay = -1
	ctx := context.Background()
	d, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	res, err := d.Poller.Poll(ctx, site.srv.URL+"/feeds/good.xml", "", "")
	if err != nil {
		t.Fatal(err)
	}
	count := func() uint64 {
		st, err := d.JS.Stream(ctx, bus.StreamName)
		if err != nil {
			t.Fatal(err)
		}
		info, err := st.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return info.State.Msgs
	}
	for _, it := range res.Feed.Items {
		if _, err := d.Processor.Process(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	first := count()
	if first == 0 {
		t.Fatal("nothing published")
	}
	for _, it := range res.Feed.Items {
		if _, err := d.Processor.Process(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != first {
		t.Errorf("re-run published %d more messages", n-first)
	}
	t.Logf("published once: %d messages", first)
}
