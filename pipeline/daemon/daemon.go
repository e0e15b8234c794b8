// Package daemon wires accordwatch's stages into the running service: it
// opens the store, starts or connects to NATS, polls every feed on its
// schedule, processes new items and runs the sink. Each stage lives in its
// own package; this one only connects them.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/feeds"
	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"github.com/accordwatch/accordwatch/pipeline/process"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// ShutdownGrace is how long in-flight items may take to finish after a stop
// is requested; work not finished by then is left for the next run.
const ShutdownGrace = 30 * time.Second

// Daemon is a running accordwatch instance.
type Daemon struct {
	Config config.Config
	Log    *slog.Logger
	Stats  *stats.Counters
	Store  store.Store
	NC     *nats.Conn
	JS     jetstream.JetStream
	// Server is the embedded NATS server, or nil with an external one.
	Server    *server.Server
	Publisher *bus.Publisher
	Poller    *feeds.Poller
	Processor *process.Processor

	sem chan struct{}
}

// Open prepares a daemon from cfg: store, NATS, stream, catalog and model.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *Daemon, err error) {
	if log == nil {
		log = slog.Default()
	}
	d := &Daemon{Config: cfg, Log: log, Stats: &stats.Counters{}}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	cat, err := catalog.Default()
	if err != nil {
		return nil, fmt.Errorf("daemon: loading catalogs: %w", err)
	}
	d.Store, err = sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return nil, fmt.Errorf("daemon: opening store: %w", err)
	}
	url := cfg.NATS.URL
	if url == "" {
		d.Server, err = bus.StartEmbedded(bus.EmbeddedOptions{
			Listen:   cfg.NATS.Listen,
			StoreDir: filepath.Join(cfg.DataDir, "nats"),
		})
		if err != nil {
			return nil, fmt.Errorf("daemon: %w", err)
		}
		url = d.Server.ClientURL()
		log.Info("embedded NATS server started", "url", url)
	}
	if d.NC, err = bus.Connect(url, "accordwatch"); err != nil {
		return nil, fmt.Errorf("daemon: %w", err)
	}
	if d.JS, err = jetstream.New(d.NC); err != nil {
		return nil, fmt.Errorf("daemon: JetStream: %w", err)
	}
	if _, err = bus.EnsureStream(ctx, d.JS); err != nil {
		return nil, fmt.Errorf("daemon: %w", err)
	}
	d.Publisher = bus.NewPublisher(d.JS)
	client := fetch.New(fetch.Config{
		UserAgent:      cfg.HTTP.UserAgent,
		Timeout:        cfg.HTTP.Timeout.D(),
		ConnectTimeout: cfg.HTTP.ConnectTimeout.D(),
		MaxBodyBytes:   cfg.HTTP.MaxBodyBytes,
	})
	d.Poller = &feeds.Poller{Client: client}
	d.Processor = &process.Processor{
		Client:    client,
		Analyzer:  analysis.New(cat),
		Publisher: d.Publisher,
		Log:       log,
		Stats:     d.Stats,
	}
	d.sem = make(chan struct{}, max(1, cfg.Workers))
	return d, nil
}

// URL returns the NATS URL the daemon uses.
func (d *Daemon) URL() string { return d.NC.ConnectedUrl() }

// Close releases the store, the NATS connection and the embedded server.
func (d *Daemon) Close() error {
	var errs []error
	if d.NC != nil {
		if err := d.NC.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
			errs = append(errs, err)
		}
		d.NC.Close()
	}
	if d.Server != nil {
		d.Server.Shutdown()
		d.Server.WaitForShutdown()
	}
	if d.Store != nil {
		if err := d.Store.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run polls every configured feed on its schedule and runs the sink until
// ctx is done. Then it stops polling, lets in-flight items finish (within
// ShutdownGrace) and returns.
func (d *Daemon) Run(ctx context.Context) error {
	cons, err := sink.Consumer(ctx, d.JS)
	if err != nil {
		return err
	}
	sk := &sink.Sink{Store: d.Store, Publisher: d.Publisher, Log: d.Log, Stats: d.Stats}
	// Work continues for ShutdownGrace after ctx ends.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	var wg sync.WaitGroup
	sinkCtx, stopSink := context.WithCancel(context.WithoutCancel(ctx))
	sinkDone := make(chan error, 1)
	go func() { sinkDone <- sk.Run(sinkCtx, cons) }()

	for _, f := range d.Config.Feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.schedule(ctx, work, f)
		}()
	}
	d.Log.Info("accordwatch running", "feeds", len(d.Config.Feeds), "nats", d.URL())
	<-ctx.Done()
	d.Log.Info("stopping: no new polls; finishing in-flight items")
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(ShutdownGrace):
		d.Log.Warn("in-flight items did not finish in time; they will be processed on the next run")
		cancelWork()
		<-done
	}
	// Give the sink a moment to store what was just published.
	time.Sleep(200 * time.Millisecond)
	stopSink()
	return <-sinkDone
}

// schedule polls f now and then every interval (with a little jitter) until
// ctx is done; work is the context of the items being processed.
func (d *Daemon) schedule(ctx, work context.Context, f config.Feed) {
	interval := d.Config.Interval(f)
	for {
		if _, err := d.PollFeed(ctx, work, f.URL); err != nil && ctx.Err() == nil {
			d.Log.Warn("poll failed", "feed", f.URL, "err", err)
		}
		jitter := time.Duration(rand.Int64N(int64(interval/10) + 1))
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval + jitter):
		}
	}
}

// PollResult says what one poll did.
type PollResult struct {
	NotModified bool
	Items       int // items in the feed
	New         int // items processed
	Failed      int // items that failed and will be retried
}

// PollFeed polls one feed and processes its new items. The feed's
// validators (ETag, Last-Modified) are saved only when every new item was
// processed, so that a failed item is seen again at the next poll.
func (d *Daemon) PollFeed(ctx, work context.Context, feedURL string) (PollResult, error) {
	var pr PollResult
	st, err := d.Store.FeedState(ctx, feedURL)
	if err != nil {
		return pr, fmt.Errorf("feed %s: reading state: %w", feedURL, err)
	}
	st.URL = feedURL
	st.LastPolled = time.Now().UTC()
	d.Stats.Inc("feeds_polled")
	res, err := d.Poller.Poll(ctx, feedURL, st.ETag, st.LastModified)
	if err != nil {
		var fe *fetch.Error
		if errors.As(err, &fe) {
			d.Stats.Inc("feed_errors_" + string(fe.Kind))
		} else {
			d.Stats.Inc("feed_errors_parse")
		}
		d.Log.Warn("feed failed", "feed", feedURL, "err", err)
		st.LastError = err.Error()
		st.Failures++
		if perr := d.Store.PutFeedState(context.WithoutCancel(ctx), st); perr != nil {
			d.Log.Error("saving feed state", "feed", feedURL, "err", perr)
		}
		return pr, err
	}
	if res.NotModified {
		d.Stats.Inc("feeds_not_modified")
		pr.NotModified = true
		st.LastSuccess, st.LastError, st.Failures = st.LastPolled, "", 0
		return pr, d.Store.PutFeedState(ctx, st)
	}
	pr.Items = len(res.Feed.Items)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, it := range res.Feed.Items {
		key := it.Key()
		if key == "" {
			d.Stats.Inc("items_without_key")
			continue
		}
		seen, err := d.Store.Seen(ctx, key)
		if err != nil {
			return pr, fmt.Errorf("feed %s: %w", feedURL, err)
		}
		if seen {
			continue
		}
		select {
		case d.sem <- struct{}{}:
		case <-ctx.Done():
			mu.Lock()
			pr.Failed++
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-d.sem }()
			err := d.processItem(work, it)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				pr.Failed++
				return
			}
			pr.New++
		}()
	}
	wg.Wait()
	st.LastSuccess, st.LastError, st.Failures = st.LastPolled, "", 0
	if pr.Failed == 0 {
		st.ETag, st.LastModified = res.ETag, res.LastModified
	}
	if err := d.Store.PutFeedState(context.WithoutCancel(ctx), st); err != nil {
		return pr, fmt.Errorf("feed %s: saving state: %w", feedURL, err)
	}
	return pr, nil
}

func (d *Daemon) processItem(ctx context.Context, it feeds.Item) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic processing %s: %v", it.Link, r)
			d.Log.Error("item processing panicked", "feed", it.FeedURL, "url", it.Link, "panic", r)
			d.Stats.Inc("item_panics")
		}
	}()
	if _, err := d.Processor.Process(ctx, it); err != nil {
		d.Stats.Inc("item_errors")
		d.Log.Error("item failed; it will be retried", "feed", it.FeedURL, "url", it.Link, "err", err)
		return err
	}
	d.Stats.Inc("items_processed")
	if err := d.Store.MarkSeen(ctx, it.FeedURL, it.Key()); err != nil {
		return fmt.Errorf("marking %s seen: %w", it.Key(), err)
	}
	return nil
}
