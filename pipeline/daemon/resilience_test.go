package daemon

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/store"
)

// freePort returns a loopback address with a free port.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// quickConfig is a daemon configuration for the resilience tests: the
// site's feed polled every second, short job timings.
func quickConfig(t *testing.T, natsURL, feedURL string) config.Config {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.NATS.URL = natsURL
	cfg.PollInterval = config.Duration(time.Second)
	cfg.Schedule.MinInterval = config.Duration(time.Second)
	cfg.Schedule.MaxInterval = config.Duration(time.Second)
	cfg.HTTP.AllowPrivateAddresses = true
	cfg.HTTP.HostDelay = -1
	cfg.HTTP.HostConcurrency = 8
	cfg.Jobs.AckWait = config.Duration(2 * time.Second)
	cfg.Jobs.BackOff = []config.Duration{config.Duration(300 * time.Millisecond)}
	cfg.Jobs.MaxAttempts = 1000 // outages must not exhaust the attempts
	cfg.Feeds = []config.Feed{{URL: feedURL}}
	return cfg
}

// TestNATSRestart restarts the NATS server under a running daemon: it
// reconnects, and the items of the feed, including those that appear while
// the server is down, all arrive in the stream and the store.
func TestNATSRestart(t *testing.T) {
	site := newStorySite(t, 4, nil)
	addr := freePort(t)
	storeDir := t.TempDir()
	start := func() *server.Server {
		srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: addr, StoreDir: storeDir})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := start()
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	cfg := quickConfig(t, "nats://"+addr, site.srv.URL+"/feed.xml")
	logs := &syncBuffer{}
	d, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("daemon logs:\n%s", logs)
		}
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	waitFor(t, "the first 4 articles", 30*time.Second, func() bool { return d.Stats.Get("items_processed") >= 4 })

	srv.Shutdown()
	srv.WaitForShutdown()
	site.mu.Lock()
	site.n = 8 // four more stories while NATS is down
	site.mu.Unlock()
	time.Sleep(2 * time.Second)
	srv = start()

	waitFor(t, "all 8 articles after the restart", 60*time.Second, func() bool { return d.Stats.Get("items_processed") >= 8 })
	waitFor(t, "8 articles stored", 30*time.Second, func() bool {
		n := 0
		for _, m := range eventsOf(t, d.JS, events.KindArticle) {
			var a struct{ ID string }
			if jsonUnmarshal(m.Data, &a) == nil {
				if _, err := d.Store.Article(context.Background(), a.ID); err == nil {
					n++
				}
			}
		}
		return n == 8
	})
	if got := len(eventsOf(t, d.JS, events.KindArticle)); got != 8 {
		t.Errorf("%d article events, want 8", got)
	}
	stop()
	<-done
}

// flakyStore is a real store that fails its writes while down is set, as
// a database being restarted would.
type flakyStore struct {
	store.Store
	down   atomic.Bool
	failed atomic.Int64
}

var errStoreDown = errors.New("store unavailable (test)")

func (s *flakyStore) PutArticle(ctx context.Context, a store.Article) error {
	if s.down.Load() {
		s.failed.Add(1)
		return errStoreDown
	}
	return s.Store.PutArticle(ctx, a)
}

func (s *flakyStore) RecordObservation(ctx context.Context, o store.Observation) (store.Outcome, error) {
	if s.down.Load() {
		s.failed.Add(1)
		return store.Outcome{}, errStoreDown
	}
	return s.Store.RecordObservation(ctx, o)
}

func (s *flakyStore) Seen(ctx context.Context, key string) (bool, error) {
	if s.down.Load() {
		s.failed.Add(1)
		return false, errStoreDown
	}
	return s.Store.Seen(ctx, key)
}

// TestStoreOutage makes the store fail for a while: the work waits, nothing
// is acknowledged before it is stored, and everything is stored once the
// store is back.
func TestStoreOutage(t *testing.T) {
	site := newStorySite(t, 6, nil)
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	cfg := quickConfig(t, srv.ClientURL(), site.srv.URL+"/feed.xml")
	cfg.Store.DSN = filepath.Join(t.TempDir(), "s.db")
	d, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	flaky := &flakyStore{Store: d.Store}
	flaky.down.Store(true)
	d.Store = flaky
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); d.Run(ctx) }()

	waitFor(t, "writes to fail", 20*time.Second, func() bool { return flaky.failed.Load() >= 5 })
	time.Sleep(time.Second)
	if n := d.Stats.Get("stored_articles"); n != 0 {
		t.Errorf("%d articles counted as stored while the store was down", n)
	}
	flaky.down.Store(false)
	waitFor(t, "all 6 articles stored after the outage", 60*time.Second, func() bool {
		n := 0
		for _, m := range eventsOf(t, d.JS, events.KindArticle) {
			var a struct{ ID string }
			if jsonUnmarshal(m.Data, &a) == nil {
				if _, err := flaky.Store.Article(context.Background(), a.ID); err == nil {
					n++
				}
			}
		}
		return n == 6
	})
	changes, err := flaky.Store.Changes(context.Background(), time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 6 {
		t.Errorf("%d changes after the outage, want 6 (one per country)", len(changes))
	}
	stop()
	wg.Wait()
}

// TestMetricsEndpoint scrapes a running daemon's /metrics, /healthz and
// /readyz.
func TestMetricsEndpoint(t *testing.T) {
	site := newStorySite(t, 3, nil)
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	cfg := quickConfig(t, srv.ClientURL(), site.srv.URL+"/feed.xml")
	cfg.Metrics.Addr = "127.0.0.1:0"
	d, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { stop(); <-done }()
	waitFor(t, "3 articles", 30*time.Second, func() bool { return d.Stats.Get("items_processed") >= 3 })
	base := "http://" + d.MetricsServer.Addr().String()
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	waitFor(t, "metrics to show the articles", 10*time.Second, func() bool {
		_, body := get("/metrics")
		return strings.Contains(body, `accordwatch_articles_total{source="page"} 3`)
	})
	_, body := get("/metrics")
	for _, want := range []string{
		"accordwatch_feeds_polled_total ", `accordwatch_stances_total{stance="signed"} 3`,
		`accordwatch_stage_duration_seconds_count{stage="analyze"} 3`, `accordwatch_consumer_pending{consumer="item-workers"} 0`,
		"accordwatch_feeds_failing 0", "go_goroutines ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != http.StatusOK || !strings.Contains(body, "ok nats") || !strings.Contains(body, "ok store") {
		t.Errorf("/readyz = %d %q", code, body)
	}
}
