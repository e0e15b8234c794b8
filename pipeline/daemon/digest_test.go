package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// TestScheduledDigests runs two daemons sharing NATS and a store, with a
// digest due every second: each writes the digest of the previous day in
// every format to its own directory, and the digest is published once.
func TestScheduledDigests(t *testing.T) {
	const zone = "Europe/Brussels"
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	// Not across midnight: the test expects one digest date.
	now := time.Now().In(loc)
	if y, m, dd := now.Date(); time.Date(y, m, dd+1, 0, 0, 0, 0, loc).Sub(now) < 30*time.Second {
		time.Sleep(time.Date(y, m, dd+1, 0, 0, 1, 0, loc).Sub(now))
		now = time.Now().In(loc)
	}
	y, m, dd := now.Date()
	yesterday := time.Date(y, m, dd-1, 12, 0, 0, 0, loc)
	date := yesterday.Format("2006-01-02")

	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	dsn := sharedDSN(t)

	// Yesterday Brazil signed; today the United States declined, which is
	// not yesterday's news.
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, o := range []store.Observation{
		{ID: "obs-digest-bra", Actor: "BRA", Accord: "pall-mall-process", Stance: store.StanceSigned,
			Evidence: `Brazil signed <script>window.__pwned=1</script> the code.`, Speaker: `"><img src=x onerror=alert(1)>`,
			URL: "javascript:alert(1)", Outlet: "Wire & Co", Title: "Brazil <b>signs</b>",
			Published: yesterday, Observed: yesterday},
		{ID: "obs-digest-usa", Actor: "USA", Accord: "pall-mall-process", Stance: store.StanceDeclined,
			Evidence: "The United States declined.", URL: "https://wire.example/usa", Outlet: "Wire",
			Published: time.Now(), Observed: time.Now()},
	} {
		if _, err := st.RecordObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}

	// A plain subscriber sees each message the stream stores.
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msgs := make(chan *nats.Msg, 16)
	if _, err := nc.ChanSubscribe(events.Prefix+"."+events.KindDigest+".>", msgs); err != nil {
		t.Fatal(err)
	}
	nc.Flush()

	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var daemons []*Daemon
	var dirs []string
	for i := range 2 {
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		cfg.NATS.URL = srv.ClientURL()
		cfg.Store.DSN = dsn
		cfg.Digest.Schedule = "@every 1s"
		cfg.Digest.Timezone = zone
		if i == 1 {
			cfg.Digest.OutputDir = filepath.Join(t.TempDir(), "out")
			cfg.Digest.Formats = []string{"html", "json"}
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		d, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)).With("daemon", i))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		daemons = append(daemons, d)
		dirs = append(dirs, cfg.DigestDir())
		wg.Go(func() { d.Run(runCtx) })
	}
	if dirs[0] != filepath.Join(daemons[0].Config.DataDir, "digests") {
		t.Errorf("default digest dir = %s", dirs[0])
	}
	waitFor(t, "three digest runs per daemon", 30*time.Second, func() bool {
		for _, d := range daemons {
			if d.Stats.Get("digests_written") < 3 {
				return false
			}
		}
		return true
	})
	stop()
	wg.Wait()

	// Files: one per configured format, no temporary file left.
	for i, want := range [][]string{{"csv", "html", "json", "md"}, {"html", "json"}} {
		entries, err := os.ReadDir(dirs[i])
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		var wantNames []string
		for _, f := range want {
			wantNames = append(wantNames, "digest-"+date+"."+f)
		}
		if !slices.Equal(got, wantNames) {
			t.Errorf("daemon %d wrote %v, want %v", i, got, wantNames)
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dirs[0], name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	md := read("digest-" + date + ".md")
	if !strings.Contains(md, "# accordwatch digest — "+date+" ("+zone+")") || !strings.Contains(md, "1 stance change on 1 accord.") ||
		!strings.Contains(md, "**Brazil** (BRA)") || strings.Contains(md, "USA") {
		t.Errorf("markdown digest:\n%s", md)
	}
	page := read("digest-" + date + ".html")
	if strings.Contains(page, "<script") || strings.Contains(page, "<img") || !strings.Contains(page, `class="cell stance-signed changed"`) ||
		!strings.Contains(page, `<article class="card change" id="change-1" data-actor="BRA"`) {
		t.Errorf("HTML digest:\n%s", page)
	}
	if fi, err := os.Stat(filepath.Join(dirs[0], "digest-"+date+".csv")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("CSV file: %v, %v", fi, err)
	}

	// NATS: the digest is stored and delivered once, under its date.
	stored := eventsOf(t, daemons[0].JS, events.KindDigest)
	if len(stored) != 1 {
		t.Fatalf("%d digest messages in the stream, want 1", len(stored))
	}
	msg := stored[0]
	if msg.Subject != events.DigestSubject(date) || msg.Header.Get(nats.MsgIdHdr) != "digest:"+date {
		t.Errorf("digest message on %s with id %q", msg.Subject, msg.Header.Get(nats.MsgIdHdr))
	}
	var dg digest.Digest
	if err := json.Unmarshal(msg.Data, &dg); err != nil {
		t.Fatal(err)
	}
	if dg.Date != date || dg.Zone != zone || len(dg.Changes) != 1 || dg.Changes[0].Actor != "BRA" || dg.Changes[0].ActorName != "Brazil" ||
		len(dg.Board.Rows) != 1 || dg.FeedHealth == nil {
		t.Errorf("published digest = %+v", dg)
	}
	// A plain subscriber, bypassing JetStream's deduplication, may get a
	// copy from each daemon that ran at the same moment, not from later
	// runs.
	nc.Flush()
	time.Sleep(100 * time.Millisecond)
	if n := len(msgs); n < 1 || n > len(daemons) {
		t.Errorf("the subscriber got %d digest messages, want 1 to %d", n, len(daemons))
	}
	var published, dups int64
	for _, d := range daemons {
		published += d.Stats.Get("digests_published")
		dups += d.Stats.Get("digests_duplicate")
	}
	if published != 1 || dups < 5 {
		t.Errorf("%d digests published and %d duplicates, want 1 and at least 5", published, dups)
	}
}

func TestDigestDate(t *testing.T) {
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2026, 11, 26, 7, 0, 0, 0, brussels), brussels, "2026-11-25"},
		{time.Date(2026, 11, 26, 6, 30, 0, 0, time.UTC), brussels, "2026-11-25"},  // 07:30 in Brussels
		{time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC), brussels, "2026-11-25"}, // 00:30 on the 26th there
		{time.Date(2026, 3, 1, 7, 0, 0, 0, brussels), brussels, "2026-02-28"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC, "2025-12-31"},
	} {
		if got := digestDate(tc.at, tc.loc); got != tc.want {
			t.Errorf("digestDate(%v, %v) = %s, want %s", tc.at, tc.loc, got, tc.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "digest-2026-11-25.md")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A failed write leaves the old file and no temporary file.
	err := writeFileAtomic(path, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("disk full")
	})
	if err == nil {
		t.Fatal("the write's error was lost")
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("after a failed write the file holds %q", b)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("the file holds %q, want new", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want 1", len(entries))
	}
}
