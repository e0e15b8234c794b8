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
	"github.com/accordwatch/accordwatch/pipeline/metrics"
	"github.com/accordwatch/accordwatch/pipeline/process"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/pipeline/work"
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
	// Queue carries feed polls and items between the daemons sharing NATS.
	Queue *work.Queue
	// Metrics counts what the daemon does; MetricsServer serves it with
	// /healthz and /readyz (nil when disabled).
	Metrics       *metrics.Metrics
	MetricsServer *metrics.Server
}

// Open prepares a daemon from cfg: store, NATS, stream, catalog and model.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *Daemon, err error) {
	if log == nil {
		log = slog.Default()
	}
	d := &Daemon{Config: cfg, Log: log, Stats: &stats.Counters{}, Metrics: metrics.New("")}
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
	wopts := work.Options{AckWait: cfg.Jobs.AckWait.D(), MaxDeliver: cfg.Jobs.MaxAttempts}
	for _, b := range cfg.Jobs.BackOff {
		wopts.BackOff = append(wopts.BackOff, b.D())
	}
	if d.Queue, err = work.Open(ctx, d.JS, wopts, log); err != nil {
		return nil, fmt.Errorf("daemon: %w", err)
	}
	d.Queue.OnDead = func(stage string) {
		d.Stats.Inc("dead_letters_" + stage)
		d.Metrics.DeadLetter(metrics.Stage(stage))
	}
	client := fetch.New(fetch.Config{
		UserAgent:      cfg.HTTP.UserAgent,
		Timeout:        cfg.HTTP.Timeout.D(),
		ConnectTimeout: cfg.HTTP.ConnectTimeout.D(),
		MaxBodyBytes:   cfg.HTTP.MaxBodyBytes,

		HostConcurrency:       cfg.HTTP.HostConcurrency,
		HostDelay:             cfg.HTTP.HostDelay.D(),
		IgnoreRobots:          !cfg.HTTP.RobotsTxt,
		AllowPrivateAddresses: cfg.HTTP.AllowPrivateAddresses,
	})
	d.Poller = &feeds.Poller{Client: client}
	d.Processor = &process.Processor{
		Client:    client,
		Analyzer:  analysis.New(cat),
		Publisher: d.Publisher,
		Log:       log,
		Stats:     d.Stats,
		Metrics:   d.Metrics,
	}
	d.Metrics.SetConsumerStats(d.consumerStats)
	d.Metrics.SetFeedsFailing(d.feedsFailing)
	d.MetricsServer, err = metrics.Listen(cfg.Metrics.Addr, metrics.Handler(d.Metrics,
		metrics.Check{Name: "nats", Func: d.natsReady},
		metrics.Check{Name: "store", Func: d.storeReady},
	))
	if err != nil {
		return nil, fmt.Errorf("daemon: metrics endpoint: %w", err)
	}
	if d.MetricsServer != nil {
		log.Info("metrics endpoint listening", "addr", d.MetricsServer.Addr().String())
	}
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

// Run schedules every configured feed, works on the queued feed polls and
// items together with any other daemon on the same NATS, and runs the sink,
// until ctx is done. Then it stops taking work, lets the jobs in hand
// finish (within ShutdownGrace) and returns; unfinished jobs are
// redelivered later, to this daemon or another.
func (d *Daemon) Run(ctx context.Context) error {
	cons, err := sink.Consumer(ctx, d.JS)
	if err != nil {
		return err
	}
	sk := &sink.Sink{Store: d.Store, Publisher: d.Publisher, Log: d.Log, Stats: d.Stats, Metrics: d.Metrics}
	metricsDone := make(chan error, 1)
	go func() { metricsDone <- d.MetricsServer.Serve(ctx) }()
	// Jobs in hand continue for ShutdownGrace after ctx ends.
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	sinkCtx, stopSink := context.WithCancel(context.WithoutCancel(ctx))
	sinkDone := make(chan error, 1)
	go func() { sinkDone <- sk.Run(sinkCtx, cons) }()

	var wg sync.WaitGroup
	for _, f := range d.Config.Feeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.schedule(ctx, f)
		}()
	}
	wg.Go(func() { d.scheduleStoreFeeds(ctx) })
	wg.Go(func() { d.runDigests(ctx) })
	workersDone := make(chan struct{})
	go func() { d.runWorkers(ctx, workCtx); close(workersDone) }()
	d.Log.Info("accordwatch running", "feeds", len(d.Config.Feeds), "nats", d.URL())
	<-ctx.Done()
	d.Log.Info("stopping: no new jobs; finishing the jobs in hand")
	wg.Wait()
	select {
	case <-workersDone:
	case <-time.After(ShutdownGrace):
		d.Log.Warn("jobs in hand did not finish in time; they will be redelivered")
		cancelWork()
		<-workersDone
	}
	// Give the sink a moment to store what was just published.
	time.Sleep(200 * time.Millisecond)
	stopSink()
	err = <-sinkDone
	if merr := <-metricsDone; merr != nil {
		d.Log.Warn("metrics endpoint", "err", merr)
	}
	return err
}
