package daemon

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/store/sqlstore"
	"github.com/accordwatch/accordwatch/store/sqlstore/pgtest"
)

// countryNames are the actors of the generated articles.
var countryNames = []string{"Kenya", "Chile", "Norway", "Japan", "Ghana", "Peru", "Spain", "Austria",
	"Senegal", "Ireland", "Mexico", "Poland", "Finland", "Jordan", "Uruguay", "Portugal"}

// storySite serves one feed of n items and their article pages, counting
// the requests for each path.
type storySite struct {
	srv  *httptest.Server
	n    int
	mu   sync.Mutex
	hits map[string]int
	// gate, if not nil, holds article responses until it is closed.
	gate     chan struct{}
	inFlight atomic.Int64
}

func newStorySite(t *testing.T, n int, gate chan struct{}) *storySite {
	t.Helper()
	s := &storySite{n: n, hits: map[string]int{}, gate: gate}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		s.count(r.URL.Path)
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>` + s.srv.URL + `</link>`)
		for i := range s.n {
			fmt.Fprintf(&b, `<item><title>%s signs the Paris Call</title><link>%s/story/%d</link><guid>story-%d</guid><pubDate>Mon, 02 Jun 2025 10:%02d:00 GMT</pubDate><description>%s signed the Paris Call.</description></item>`,
				countryNames[i%len(countryNames)], s.srv.URL, i, i, i%60, countryNames[i%len(countryNames)])
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		s.count(r.URL.Path)
		s.inFlight.Add(1)
		defer s.inFlight.Add(-1)
		if s.gate != nil {
			select {
			case <-s.gate:
			case <-r.Context().Done():
				return
			}
		}
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/story/"), "%d", &i)
		name := countryNames[i%len(countryNames)]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%[1]s signs the Paris Call</title></head><body><article><h1>%[1]s signs the Paris Call</h1>
<p>%[1]s signed the Paris Call for Trust and Security in Cyberspace on Monday, story %[2]d of the day, the foreign ministry said in a statement.</p>
<p>“Cyberspace needs rules that everyone can trust,” the foreign minister of %[1]s said after the signing in Paris.</p>
<p>The declaration now counts more than eighty governments among its supporters, along with hundreds of companies and civil-society groups.</p>
</article></body></html>`, name, i)
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *storySite) count(path string) {
	s.mu.Lock()
	s.hits[path]++
	s.mu.Unlock()
}

func (s *storySite) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// sharedDSN returns the store the daemons of a test share: PostgreSQL when
// ACCORDWATCH_TEST_POSTGRES names a server (CI), else one SQLite file.
func sharedDSN(t *testing.T) string {
	t.Helper()
	if pgtest.Available() {
		return pgtest.DSN(t)
	}
	t.Log(pgtest.Env + " is not set: the daemons share one SQLite file " +
		"(set it, e.g. " + pgtest.Example + ", to use PostgreSQL as CI does)")
	return filepath.Join(t.TempDir(), "shared.db")
}

// eventsOf returns the events of kind stored in the stream, by subject.
func eventsOf(t *testing.T, js jetstream.JetStream, kind string) []*nats.Msg {
	t.Helper()
	ctx := context.Background()
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx, jetstream.WithSubjectFilter(events.Prefix+"."+kind+".>"))
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, c := range info.State.Subjects {
		n += c
	}
	if n == 0 {
		return nil
	}
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{events.Prefix + "." + kind + ".>"}})
	if err != nil {
		t.Fatal(err)
	}
	var out []*nats.Msg
	for uint64(len(out)) < n {
		m, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("reading %s events: %v", kind, err)
		}
		out = append(out, &nats.Msg{Subject: m.Subject(), Data: m.Data(), Header: m.Headers()})
	}
	return out
}

// TestThreeDaemonsShareTheWork runs three daemons against one NATS server
// and one store: the feed is polled once, every article page is fetched
// once, every article is published once and ends up in the store.
func TestThreeDaemonsShareTheWork(t *testing.T) {
	const n = 24
	site := newStorySite(t, n, nil)
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	dsn := sharedDSN(t)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var daemons []*Daemon
	for i := range 3 {
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		cfg.NATS.URL = srv.ClientURL()
		cfg.Store.DSN = dsn
		cfg.Workers = 3
		cfg.PollInterval = config.Duration(time.Hour)
		cfg.HTTP.AllowPrivateAddresses = true
		cfg.HTTP.HostDelay = -1
		cfg.HTTP.HostConcurrency = 8
		cfg.Feeds = []config.Feed{{URL: site.srv.URL + "/feed.xml"}}
		d, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)).With("daemon", i))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		daemons = append(daemons, d)
		wg.Add(1)
		go func() { defer wg.Done(); d.Run(ctx) }()
	}
	st, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	js := daemons[0].JS
	waitFor(t, "all articles processed", 60*time.Second, func() bool {
		var done int64
		for _, d := range daemons {
			done += d.Stats.Get("items_processed")
		}
		return done >= n
	})
	// every article is in the store.
	articles := eventsOf(t, js, events.KindArticle)
	waitFor(t, "all articles stored", 30*time.Second, func() bool {
		for _, m := range articles {
			var a events.Article
			json.Unmarshal(m.Data, &a)
			if _, err := st.Article(context.Background(), a.ID); err != nil {
				return false
			}
		}
		return true
	})
	stop()
	wg.Wait()

	if got := site.hitsOf("/feed.xml"); got != 1 {
		t.Errorf("feed fetched %d times by three daemons, want 1", got)
	}
	urls := map[string]int{}
	for _, m := range eventsOf(t, js, events.KindArticle) {
		var a events.Article
		if err := json.Unmarshal(m.Data, &a); err != nil {
			t.Fatal(err)
		}
		urls[a.URL]++
	}
	if len(urls) != n {
		t.Errorf("%d distinct articles published, want %d", len(urls), n)
	}
	for i := range n {
		path := fmt.Sprintf("/story/%d", i)
		if h := site.hitsOf(path); h != 1 {
			t.Errorf("%s fetched %d times, want 1", path, h)
		}
		if c := urls[site.srv.URL+path]; c != 1 {
			t.Errorf("%s published %d times, want 1", path, c)
		}
	}
	var per []int64
	for _, d := range daemons {
		per = append(per, d.Stats.Get("items_processed"))
	}
	t.Logf("items processed per daemon: %v", per)
	// every stance observation is stored once: one per country and story.
	stances := eventsOf(t, js, events.KindStance)
	ids := map[string]bool{}
	for _, m := range stances {
		var s events.Stance
		json.Unmarshal(m.Data, &s)
		if ids[s.ID] {
			t.Errorf("stance %s published twice", s.ID)
		}
		ids[s.ID] = true
	}
	if len(ids) < n {
		t.Errorf("%d stance observations for %d signing stories", len(ids), n)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
