package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/daemon"
	"github.com/accordwatch/accordwatch/pipeline/demo"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/sink"
)

// cmdDemo serves the built-in demo site on a loopback port, runs the daemon
// against it with an embedded NATS server and a temporary SQLite file,
// prints every event as it is published, reveals a second day of news, and
// prints the digest.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo")
	keep := fs.Bool("keep", false, "keep the temporary data directory")
	verbose := fs.Bool("v", false, "show the daemon's logs")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 55*time.Second)
	defer cancel()

	dir, err := os.MkdirTemp("", "accordwatch-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	now := time.Now()
	site := demo.NewServer(now.AddDate(0, 0, -2), now.AddDate(0, 0, -1))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()

	cfg := config.Default()
	cfg.DataDir = dir
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.PollInterval = config.Duration(2 * time.Second)
	// The demo site is served on loopback, by this process.
	cfg.HTTP.AllowPrivateAddresses = true
	cfg.HTTP.HostDelay = -1
	for _, u := range site.FeedURLs(base) {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: u})
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	d, err := daemon.Open(ctx, cfg, newLogger(stderr, level))
	if err != nil {
		return err
	}
	defer d.Close()

	fmt.Fprintf(stdout, "accordwatch demo\n  feeds served at %s\n  NATS (embedded) at %s — try: nats sub 'accordwatch.>' --server %s\n  data in %s\n\n",
		base, d.URL(), d.URL(), dir)
	var mu sync.Mutex
	sub, err := d.NC.Subscribe(events.Prefix+".>", func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		printEvent(stdout, m.Subject, m.Data)
	})
	if err != nil {
		return fmt.Errorf("demo: subscribing: %w", err)
	}
	defer sub.Unsubscribe()

	runCtx, stopRun := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(runCtx) }()

	say := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, format, a...)
	}
	say("── day 1: %s ─────────────────────────────\n", now.AddDate(0, 0, -2).Format("Mon 2 Jan"))
	if err := waitIdle(ctx, d, 1); err != nil {
		stopRun()
		return err
	}
	site.Advance()
	say("\n── day 2: %s ─────────────────────────────\n", now.AddDate(0, 0, -1).Format("Mon 2 Jan"))
	if err := waitIdle(ctx, d, 2); err != nil {
		stopRun()
		return err
	}
	stopRun()
	if err := <-runDone; err != nil {
		return err
	}
	dg, err := buildDigest(context.WithoutCancel(ctx), d.Store, now.In(cfg.Location()).Format("2006-01-02"), cfg.Location())
	if err != nil {
		return err
	}
	say("\n── today's digest (accordwatch digest --date %s) ──\n\n", dg.Date)
	mu.Lock()
	defer mu.Unlock()
	return writeDigest(dg, "md", "", stdout)
}

// waitIdle waits until the feeds have been polled at least polls more times
// than the first poll round needed, every item is processed and the sink
// has stored every event.
func waitIdle(ctx context.Context, d *daemon.Daemon, round int) error {
	feeds := int64(len(d.Config.Feeds))
	start := d.Stats.Get("feeds_polled")
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("demo: timed out waiting for the pipeline: %w", ctx.Err())
		case <-time.After(300 * time.Millisecond):
		}
		// every feed polled at least once since we started waiting (round 1
		// counts the first poll).
		if round > 1 && d.Stats.Get("feeds_polled")-start < feeds {
			continue
		}
		if round == 1 && d.Stats.Get("feeds_polled") < feeds {
			continue
		}
		cons, err := d.JS.Consumer(ctx, "ACCORDWATCH", sink.ConsumerName)
		if err != nil {
			continue
		}
		info, err := cons.Info(ctx)
		if err != nil {
			continue
		}
		if info.NumPending == 0 && info.NumAckPending == 0 && d.Stats.Get("items_processed") > 0 {
			// let a publishing item finish.
			time.Sleep(500 * time.Millisecond)
			info, err = cons.Info(ctx)
			if err == nil && info.NumPending == 0 && info.NumAckPending == 0 {
				return nil
			}
		}
	}
}

// printEvent prints one event as a readable line.
func printEvent(w io.Writer, subject string, data []byte) {
	kind := strings.SplitN(subject, ".", 3)[1]
	switch kind {
	case events.KindArticle:
		var a events.Article
		if json.Unmarshal(data, &a) == nil {
			fmt.Fprintf(w, "article  %-22s %s (%d quotes, %d stances)\n", clip(a.Outlet, 22), clip(a.Title, 80), a.Quotes, a.Stances)
		}
	case events.KindQuote:
		var q events.Quote
		if json.Unmarshal(data, &q) == nil {
			fmt.Fprintf(w, "  quote  %s: “%s”\n", q.Speaker, clip(q.Text, 90))
		}
	case events.KindStance:
		var s events.Stance
		if json.Unmarshal(data, &s) == nil {
			hist := ""
			if s.Historical {
				hist = " (historical)"
			}
			fmt.Fprintf(w, "  stance %s → %s: %s%s\n", s.Actor, s.Accord, s.Stance, hist)
		}
	case events.KindChange:
		var c events.Change
		if json.Unmarshal(data, &c) == nil {
			prev := c.Previous
			if prev == "" {
				prev = "(none)"
			}
			sources := ""
			if c.Sources > 1 {
				sources = fmt.Sprintf(" (%d sources)", c.Sources)
			}
			fmt.Fprintf(w, "CHANGE   %s → %s: %s ⇒ %s   [%s]%s\n", c.Actor, c.Accord, prev, c.Stance, c.Outlet, sources)
		}
	case events.KindContradiction:
		var c events.Contradiction
		if json.Unmarshal(data, &c) == nil {
			fmt.Fprintf(w, "CONTRADICTION %s → %s: %s reported, %s kept until confirmed   [%s]\n", c.Actor, c.Accord, c.Stance, c.Current, c.Outlet)
		}
	default:
		fmt.Fprintf(w, "%s %s\n", subject, clip(string(data), 100))
	}
}
