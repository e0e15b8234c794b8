package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/store/sqlstore"
	"github.com/accordwatch/accordwatch/store/sqlstore/pgtest"
)

// childEnv makes the test binary run the command in it instead of the
// tests, so that a test can start (and kill) a real accordwatch process.
const childEnv = "ACCORDWATCH_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, "bad", childEnv, err)
			os.Exit(2)
		}
		os.Exit(run(a, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// syncBuf is an output buffer safe for concurrent writes.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startChild starts "accordwatch args..." as a child process.
func startChild(t *testing.T, args ...string) (*exec.Cmd, *syncBuf) {
	t.Helper()
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(a), "ACCORDWATCH_LOG_FORMAT=text")
	out := &syncBuf{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, out
}

var crashCountries = []string{"Kenya", "Chile", "Norway", "Japan", "Ghana", "Peru", "Spain", "Austria"}

// TestKilledDaemonLosesAndDoublesNothing kills a daemon with SIGKILL while
// it is in the middle of fetching articles, starts another, and checks that
// every article arrives once, every stance observation and change is stored
// once and no event is published twice.
func TestKilledDaemonLosesAndDoublesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	n := len(crashCountries)
	gate := make(chan struct{})
	var inFlight atomic.Int64
	var gateOnce sync.Once
	openGate := func() { gateOnce.Do(func() { close(gate) }) }
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>` + srv.URL + `</link>`)
		for i, c := range crashCountries {
			fmt.Fprintf(&b, `<item><title>%s signs the Paris Call</title><link>%s/story/%d</link><guid>story-%d</guid><description>%s signed the Paris Call.</description></item>`, c, srv.URL, i, i, c)
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		select { // held until the first daemon is dead
		case <-gate:
		case <-r.Context().Done():
			return
		}
		var i int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/story/"), "%d", &i)
		c := crashCountries[i]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>%[1]s signs the Paris Call</title></head><body><article><h1>%[1]s signs the Paris Call</h1>
<p>%[1]s signed the Paris Call for Trust and Security in Cyberspace on Monday, the foreign ministry said in a statement issued in the capital.</p>
<p>The declaration now counts more than eighty governments among its supporters, along with hundreds of companies.</p></article></body></html>`, c)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(func() { openGate(); srv.Close() })

	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	dir := t.TempDir()
	dsn := filepath.Join(dir, "accordwatch.db")
	if pgtest.Available() {
		dsn = pgtest.DSN(t)
	}
	cfgFile := filepath.Join(dir, "accordwatch.yaml")
	cfg := fmt.Sprintf(`data_dir: %q
nats: {url: %q}
store: {dsn: %q}
http: {allow_private_addresses: true, host_delay: -1s, host_concurrency: 8, timeout: 30s}
poll_interval: 1h
workers: 4
jobs: {ack_wait: 2s, backoff: [200ms]}
metrics: {addr: ""}
feeds:
  - url: %q
`, dir, ns.ClientURL(), dsn, srv.URL+"/feed.xml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	first, out1 := startChild(t, "run", "--config", cfgFile)
	deadline := time.Now().Add(30 * time.Second)
	for inFlight.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the first daemon never started fetching articles; its output:\n%s", out1)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	t.Logf("killed the first daemon with %d article fetches in flight", inFlight.Load())
	openGate()

	second, out2 := startChild(t, "run", "--config", cfgFile)
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	count := func(kind string) uint64 {
		st, err := js.Stream(ctx, bus.StreamName)
		if err != nil {
			return 0
		}
		info, err := st.Info(ctx, jetstream.WithSubjectFilter(events.Prefix+"."+kind+".>"))
		if err != nil {
			return 0
		}
		var c uint64
		for _, v := range info.State.Subjects {
			c += v
		}
		return c
	}
	idle := func() bool {
		ok, err := sink.CaughtUp(ctx, js)
		return err == nil && ok
	}
	deadline = time.Now().Add(60 * time.Second)
	for !(count(events.KindArticle) >= uint64(n) && count(events.KindChange) >= uint64(n) && idle()) {
		if time.Now().After(deadline) {
			t.Fatalf("articles %d, changes %d after the restart; second daemon's output:\n%s",
				count(events.KindArticle), count(events.KindChange), out2)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // longer than ack_wait: anything redelivered would show now
	second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Errorf("second daemon: %v\n%s", err, out2)
	}

	// Events: each article, stance and change once.
	for kind, want := range map[string]uint64{events.KindArticle: uint64(n), events.KindStance: uint64(n), events.KindChange: uint64(n)} {
		if got := count(kind); got != want {
			t.Errorf("%d %s events, want %d", got, kind, want)
		}
	}
	// Records: each country's signing observed once and changed once.
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	changes, err := st.Changes(ctx, time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != n {
		t.Errorf("%d changes stored, want %d", len(changes), n)
	}
	for _, c := range crashCountries {
		actor := map[string]string{"Kenya": "KEN", "Chile": "CHL", "Norway": "NOR", "Japan": "JPN",
			"Ghana": "GHA", "Peru": "PER", "Spain": "ESP", "Austria": "AUT"}[c]
		hist, err := st.History(ctx, actor, "paris-call")
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].Stance != "signed" {
			t.Errorf("%s: history %+v, want one signed observation", actor, hist)
		}
	}
}
