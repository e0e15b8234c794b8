// Package metrics exposes accordwatch's Prometheus metrics and its health
// endpoints.
//
// A *Metrics holds every metric of the daemon in a private registry (with
// the Go and process collectors). Callers record events through typed
// methods, such as FeedPolled, FeedError or ObserveStage, and never build
// label values by hand. A nil *Metrics is valid: every method is then a
// no-op, so packages can take one optionally.
//
// Handler serves /metrics, /healthz and /readyz; Listen and Server.Serve
// run it on an address until a context ends.
package metrics

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

const namespace = "accordwatch"

// CollectTimeout bounds each callback registered with SetConsumerStats or
// SetFeedsFailing during a scrape.
const CollectTimeout = 5 * time.Second

// collectTimeout is CollectTimeout, shortened by tests.
var collectTimeout = CollectTimeout

// Source says where an article's text came from.
type Source string

// Sources of an article's text.
const (
	// SourcePage is text extracted from the article's web page.
	SourcePage Source = "page"
	// SourceFeed is text taken from the feed item, when the page could
	// not be used.
	SourceFeed Source = "feed"
)

// Stage names a step of the pipeline, for durations and dead letters.
type Stage string

// Stages of the pipeline.
const (
	StageFetchFeed Stage = "fetch_feed" // fetching and parsing a feed
	StageFetchPage Stage = "fetch_page" // fetching and extracting an article page
	StageAnalyze   Stage = "analyze"    // NLP on an article
	StagePublish   Stage = "publish"    // publishing events on NATS
	StageStore     Stage = "store"      // writing records to the store
)

var stages = []Stage{StageFetchFeed, StageFetchPage, StageAnalyze, StagePublish, StageStore}

// stageBuckets spans a fast store write (milliseconds) to a slow fetch (the
// default HTTP timeout is 30s).
var stageBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20, 30, 60}

// ConsumerStats is the backlog of one JetStream consumer.
type ConsumerStats struct {
	// Pending is the number of messages not yet delivered.
	Pending uint64
	// AckPending is the number of messages delivered but not yet
	// acknowledged.
	AckPending uint64
}

// Metrics holds accordwatch's metrics. Its methods are safe for concurrent
// use and do nothing on a nil *Metrics.
type Metrics struct {
	reg *prometheus.Registry

	feedsPolled     prometheus.Counter
	feedNotModified prometheus.Counter
	feedErrors      *prometheus.CounterVec
	articles        *prometheus.CounterVec
	quotes          prometheus.Counter
	stances         *prometheus.CounterVec
	changes         prometheus.Counter
	contradictions  prometheus.Counter
	itemErrors      *prometheus.CounterVec
	deadLetters     *prometheus.CounterVec
	stageDuration   *prometheus.HistogramVec

	callbacks *callbackCollector
}

// New returns a Metrics with every accordwatch metric registered in a new
// registry, together with the Go runtime and process collectors. version is
// reported by accordwatch_build_info; if empty, the main module's version
// from the build information is used.
func New(version string) *Metrics {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
	}
	counterVec := func(name, help, label string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, []string{label})
	}
	m := &Metrics{
		reg:             prometheus.NewRegistry(),
		feedsPolled:     counter("feeds_polled_total", "Feed polls attempted."),
		feedNotModified: counter("feed_not_modified_total", "Feed polls answered 304 Not Modified."),
		feedErrors:      counterVec("feed_errors_total", "Feed polls that failed, by kind of failure.", "kind"),
		articles:        counterVec("articles_total", "Articles analysed, by where their text came from (page or feed).", "source"),
		quotes:          counter("quotes_total", "Quotes extracted from articles."),
		stances:         counterVec("stances_total", "Stances extracted from articles, by stance.", "stance"),
		changes:         counter("changes_total", "Stance changes recorded."),
		contradictions:  counter("contradictions_total", "Contradictions between sources recorded."),
		itemErrors:      counterVec("item_errors_total", "Feed items that failed and will be retried, by kind of failure.", "kind"),
		deadLetters:     counterVec("dead_letters_total", "Messages given up on and set aside, by stage.", "stage"),
		stageDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace,
			Name:      "stage_duration_seconds",
			Help:      "Time spent in each pipeline stage.",
			Buckets:   stageBuckets,
		}, []string{"stage"}),
		callbacks: newCallbackCollector(),
	}
	// Known label values start at zero so that they are exported, and
	// rates are computed, before the first event.
	for _, s := range []Source{SourcePage, SourceFeed} {
		m.articles.WithLabelValues(string(s))
	}
	for _, s := range stages {
		m.stageDuration.WithLabelValues(string(s))
	}
	buildInfo := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace:   namespace,
		Name:        "build_info",
		Help:        "Always 1; the version label is accordwatch's version.",
		ConstLabels: prometheus.Labels{"version": buildVersion(version)},
	})
	buildInfo.Set(1)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.feedsPolled, m.feedNotModified, m.feedErrors, m.articles, m.quotes,
		m.stances, m.changes, m.contradictions, m.itemErrors, m.deadLetters,
		m.stageDuration, m.callbacks, buildInfo,
	)
	return m
}

func buildVersion(v string) string {
	if v != "" {
		return v
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "unknown"
}

// Registry returns the registry holding the metrics, to register more
// collectors or to gather without HTTP. It returns nil for a nil m.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// FeedPolled counts a feed poll attempt (accordwatch_feeds_polled_total).
func (m *Metrics) FeedPolled() {
	if m != nil {
		m.feedsPolled.Inc()
	}
}

// FeedNotModified counts a poll answered 304 Not Modified
// (accordwatch_feed_not_modified_total).
func (m *Metrics) FeedNotModified() {
	if m != nil {
		m.feedNotModified.Inc()
	}
}

// FeedError counts a failed poll (accordwatch_feed_errors_total). kind
// classifies the failure, such as a fetch.ErrorKind or "parse"; it must
// come from a small fixed set, since each value is a time series.
func (m *Metrics) FeedError(kind string) {
	if m != nil {
		m.feedErrors.WithLabelValues(kind).Inc()
	}
}

// Article counts an article analysed, whose text came from src
// (accordwatch_articles_total).
func (m *Metrics) Article(src Source) {
	if m != nil {
		m.articles.WithLabelValues(string(src)).Inc()
	}
}

// Quotes adds n quotes extracted (accordwatch_quotes_total). n <= 0 is
// ignored.
func (m *Metrics) Quotes(n int) {
	if m != nil && n > 0 {
		m.quotes.Add(float64(n))
	}
}

// Stance counts a stance extracted, such as "signed" or "opposes"
// (accordwatch_stances_total).
func (m *Metrics) Stance(stance string) {
	if m != nil {
		m.stances.WithLabelValues(stance).Inc()
	}
}

// Change counts a stance change recorded (accordwatch_changes_total).
func (m *Metrics) Change() {
	if m != nil {
		m.changes.Inc()
	}
}

// Contradiction counts a contradiction recorded
// (accordwatch_contradictions_total).
func (m *Metrics) Contradiction() {
	if m != nil {
		m.contradictions.Inc()
	}
}

// ItemError counts a feed item that failed (accordwatch_item_errors_total).
// kind classifies the failure, such as "fetch", "analyze" or "panic"; it
// must come from a small fixed set.
func (m *Metrics) ItemError(kind string) {
	if m != nil {
		m.itemErrors.WithLabelValues(kind).Inc()
	}
}

// DeadLetter counts a message given up on at stage
// (accordwatch_dead_letters_total).
func (m *Metrics) DeadLetter(stage Stage) {
	if m != nil {
		m.deadLetters.WithLabelValues(string(stage)).Inc()
	}
}

// ObserveStage records that stage took d
// (accordwatch_stage_duration_seconds).
func (m *Metrics) ObserveStage(stage Stage, d time.Duration) {
	if m != nil {
		m.stageDuration.WithLabelValues(string(stage)).Observe(d.Seconds())
	}
}

// StartStage starts timing stage and returns the function that records
// its duration, for use as
//
//	defer m.StartStage(metrics.StageAnalyze)()
func (m *Metrics) StartStage(stage Stage) (stop func()) {
	if m == nil {
		return func() {}
	}
	start := time.Now()
	return func() { m.ObserveStage(stage, time.Since(start)) }
}

// SetConsumerStats registers f, called at every scrape to report the
// backlog of each JetStream consumer by name, as
// accordwatch_consumer_pending and accordwatch_consumer_ack_pending. f gets
// a context that ends after CollectTimeout; if it returns an error the two
// gauges are left out of that scrape and the error is counted in
// promhttp_metric_handler_errors_total. A nil f unregisters the callback.
func (m *Metrics) SetConsumerStats(f func(ctx context.Context) (map[string]ConsumerStats, error)) {
	if m == nil {
		return
	}
	m.callbacks.mu.Lock()
	m.callbacks.consumers = f
	m.callbacks.mu.Unlock()
}

// SetFeedsFailing registers f, called at every scrape to report the number
// of feeds whose last poll failed, as accordwatch_feeds_failing. Errors are
// handled as for SetConsumerStats. A nil f unregisters the callback.
func (m *Metrics) SetFeedsFailing(f func(ctx context.Context) (int, error)) {
	if m == nil {
		return
	}
	m.callbacks.mu.Lock()
	m.callbacks.failing = f
	m.callbacks.mu.Unlock()
}

// callbackCollector reports the gauges computed at scrape time.
type callbackCollector struct {
	pendingDesc, ackPendingDesc, failingDesc *prometheus.Desc

	mu        sync.Mutex
	consumers func(context.Context) (map[string]ConsumerStats, error)
	failing   func(context.Context) (int, error)
}

func newCallbackCollector() *callbackCollector {
	return &callbackCollector{
		pendingDesc: prometheus.NewDesc(prometheus.BuildFQName(namespace, "", "consumer_pending"),
			"Messages not yet delivered to the JetStream consumer.", []string{"consumer"}, nil),
		ackPendingDesc: prometheus.NewDesc(prometheus.BuildFQName(namespace, "", "consumer_ack_pending"),
			"Messages delivered to the JetStream consumer and not yet acknowledged.", []string{"consumer"}, nil),
		failingDesc: prometheus.NewDesc(prometheus.BuildFQName(namespace, "", "feeds_failing"),
			"Feeds whose last poll failed.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *callbackCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pendingDesc
	ch <- c.ackPendingDesc
	ch <- c.failingDesc
}

// Collect implements prometheus.Collector.
func (c *callbackCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	consumers, failing := c.consumers, c.failing
	c.mu.Unlock()
	if consumers != nil {
		stats, err := call(consumers)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(c.pendingDesc, fmt.Errorf("consumer stats: %w", err))
		}
		for name, s := range stats {
			ch <- prometheus.MustNewConstMetric(c.pendingDesc, prometheus.GaugeValue, float64(s.Pending), name)
			ch <- prometheus.MustNewConstMetric(c.ackPendingDesc, prometheus.GaugeValue, float64(s.AckPending), name)
		}
	}
	if failing != nil {
		n, err := call(failing)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(c.failingDesc, fmt.Errorf("feeds failing: %w", err))
		} else {
			ch <- prometheus.MustNewConstMetric(c.failingDesc, prometheus.GaugeValue, float64(n))
		}
	}
}

// call runs f with a context that ends after CollectTimeout, and gives up
// waiting for it then even if f ignores the context. A panic in f becomes
// an error: collectors run on goroutines of their own, where a panic would
// end the process.
func call[T any](f func(context.Context) (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	timeout := collectTimeout
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("panic: %v", r)}
			}
		}()
		v, err := f(ctx)
		done <- result{v, err}
	}()
	var zero T
	select {
	case r := <-done:
		if r.err != nil {
			return zero, r.err
		}
		return r.v, nil
	case <-ctx.Done():
		return zero, fmt.Errorf("no answer within %s", timeout)
	}
}
