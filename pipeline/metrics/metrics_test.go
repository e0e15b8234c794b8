package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// serve runs h on a free local port until the test ends and returns its
// base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv, err := Listen("127.0.0.1:0", h)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + srv.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// scrape fetches base/metrics and parses the text exposition.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics: %d\n%s", code, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v\n%s", err, body)
	}
	return fams
}

// find returns the metric of family name whose labels include labels
// (given as name, value pairs), or nil.
func find(fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, lp := range m.GetLabel() {
				if lp.GetName() == labels[i] && lp.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		return m
	}
	return nil
}

// value returns the value of a counter or gauge, failing the test if the
// series is missing.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	m := find(fams, name, labels...)
	if m == nil {
		t.Fatalf("no series %s%v", name, labels)
	}
	switch fams[name].GetType() {
	case dto.MetricType_COUNTER:
		return m.GetCounter().GetValue()
	case dto.MetricType_GAUGE:
		return m.GetGauge().GetValue()
	case dto.MetricType_UNTYPED:
		return m.GetUntyped().GetValue()
	}
	t.Fatalf("%s is a %s", name, fams[name].GetType())
	return 0
}

func TestMetricsScrape(t *testing.T) {
	m := New("1.2.3")
	var pending atomic.Uint64
	pending.Store(7)
	m.SetConsumerStats(func(ctx context.Context) (map[string]ConsumerStats, error) {
		return map[string]ConsumerStats{
			"sink":    {Pending: pending.Load(), AckPending: 2},
			"digests": {},
		}, nil
	})
	var failing atomic.Int64
	failing.Store(4)
	m.SetFeedsFailing(func(ctx context.Context) (int, error) { return int(failing.Load()), nil })
	base := serve(t, Handler(m))

	fams := scrape(t, base)
	// Before any event, known label values are exported at zero.
	for _, tc := range []struct {
		name   string
		labels []string
	}{
		{"accordwatch_feeds_polled_total", nil},
		{"accordwatch_quotes_total", nil},
		{"accordwatch_articles_total", []string{"source", "page"}},
		{"accordwatch_articles_total", []string{"source", "feed"}},
	} {
		if got := value(t, fams, tc.name, tc.labels...); got != 0 {
			t.Errorf("%s%v = %v before any event, want 0", tc.name, tc.labels, got)
		}
	}
	if h := find(fams, "accordwatch_stage_duration_seconds", "stage", "fetch_feed"); h == nil || h.GetHistogram().GetSampleCount() != 0 {
		t.Errorf("stage_duration_seconds{stage=fetch_feed} before any event = %v, want an empty histogram", h)
	}

	for range 3 {
		m.FeedPolled()
	}
	m.FeedNotModified()
	m.FeedError("timeout")
	m.FeedError("timeout")
	m.FeedError("status")
	m.Article(SourcePage)
	m.Article(SourcePage)
	m.Article(SourceFeed)
	m.Quotes(3)
	m.Quotes(2)
	m.Quotes(0)
	m.Quotes(-4)
	m.Stance("signed")
	m.Stance("signed")
	m.Stance("opposes")
	m.Change()
	m.Contradiction()
	m.Contradiction()
	m.ItemError("analyze")
	m.DeadLetter(StagePublish)
	m.ObserveStage(StageAnalyze, 200*time.Millisecond)
	m.ObserveStage(StageAnalyze, 300*time.Millisecond)
	m.ObserveStage(StageAnalyze, 2*time.Second)
	stop := m.StartStage(StageStore)
	stop()

	fams = scrape(t, base)
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"accordwatch_feeds_polled_total", nil, 3},
		{"accordwatch_feed_not_modified_total", nil, 1},
		{"accordwatch_feed_errors_total", []string{"kind", "timeout"}, 2},
		{"accordwatch_feed_errors_total", []string{"kind", "status"}, 1},
		{"accordwatch_articles_total", []string{"source", "page"}, 2},
		{"accordwatch_articles_total", []string{"source", "feed"}, 1},
		{"accordwatch_quotes_total", nil, 5},
		{"accordwatch_stances_total", []string{"stance", "signed"}, 2},
		{"accordwatch_stances_total", []string{"stance", "opposes"}, 1},
		{"accordwatch_changes_total", nil, 1},
		{"accordwatch_contradictions_total", nil, 2},
		{"accordwatch_item_errors_total", []string{"kind", "analyze"}, 1},
		{"accordwatch_dead_letters_total", []string{"stage", "publish"}, 1},
		{"accordwatch_consumer_pending", []string{"consumer", "sink"}, 7},
		{"accordwatch_consumer_ack_pending", []string{"consumer", "sink"}, 2},
		{"accordwatch_consumer_pending", []string{"consumer", "digests"}, 0},
		{"accordwatch_consumer_ack_pending", []string{"consumer", "digests"}, 0},
		{"accordwatch_feeds_failing", nil, 4},
		{"accordwatch_build_info", []string{"version", "1.2.3"}, 1},
	} {
		if got := value(t, fams, tc.name, tc.labels...); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if fams["accordwatch_feeds_polled_total"].GetType() != dto.MetricType_COUNTER {
		t.Errorf("feeds_polled_total is a %s, want a counter", fams["accordwatch_feeds_polled_total"].GetType())
	}

	h := find(fams, "accordwatch_stage_duration_seconds", "stage", "analyze").GetHistogram()
	if h.GetSampleCount() != 3 {
		t.Errorf("analyze sample count = %d, want 3", h.GetSampleCount())
	}
	if s := h.GetSampleSum(); s < 2.499 || s > 2.501 {
		t.Errorf("analyze sample sum = %v, want 2.5", s)
	}
	cumulative := map[float64]uint64{}
	for _, b := range h.GetBucket() {
		cumulative[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	for le, want := range map[float64]uint64{0.1: 0, 0.25: 1, 0.5: 2, 1: 2, 2.5: 3, 60: 3} {
		if got, ok := cumulative[le]; !ok || got != want {
			t.Errorf("analyze bucket le=%v = %d (present %v), want %d", le, got, ok, want)
		}
	}
	if n := find(fams, "accordwatch_stage_duration_seconds", "stage", "store").GetHistogram().GetSampleCount(); n != 1 {
		t.Errorf("store sample count after StartStage = %d, want 1", n)
	}

	// The Go and process collectors are registered.
	for _, name := range []string{"go_goroutines", "go_info", "process_start_time_seconds"} {
		if fams[name] == nil {
			t.Errorf("%s missing", name)
		}
	}

	// Callback gauges are read at each scrape.
	pending.Store(11)
	failing.Store(0)
	fams = scrape(t, base)
	if got := value(t, fams, "accordwatch_consumer_pending", "consumer", "sink"); got != 11 {
		t.Errorf("consumer_pending{sink} after change = %v, want 11", got)
	}
	if got := value(t, fams, "accordwatch_feeds_failing"); got != 0 {
		t.Errorf("feeds_failing after change = %v, want 0", got)
	}

	// Unregistered callbacks report nothing.
	m.SetConsumerStats(nil)
	m.SetFeedsFailing(nil)
	fams = scrape(t, base)
	for _, name := range []string{"accordwatch_consumer_pending", "accordwatch_consumer_ack_pending", "accordwatch_feeds_failing"} {
		if fams[name] != nil {
			t.Errorf("%s present without a callback", name)
		}
	}
}

func TestCallbackFailures(t *testing.T) {
	defer func(d time.Duration) { collectTimeout = d }(collectTimeout)
	collectTimeout = 100 * time.Millisecond
	block := make(chan struct{})
	defer close(block)

	for _, tc := range []struct {
		name string
		f    func(ctx context.Context) (map[string]ConsumerStats, error)
	}{
		{"error", func(ctx context.Context) (map[string]ConsumerStats, error) {
			return map[string]ConsumerStats{"sink": {Pending: 1}}, errors.New("nats: connection closed")
		}},
		{"panic", func(ctx context.Context) (map[string]ConsumerStats, error) { panic("boom") }},
		{"timeout", func(ctx context.Context) (map[string]ConsumerStats, error) {
			<-block // ignores ctx
			return nil, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New("")
			m.FeedPolled()
			m.SetConsumerStats(tc.f)
			m.SetFeedsFailing(func(ctx context.Context) (int, error) { return 2, nil })
			base := serve(t, Handler(m))
			fams := scrape(t, base)
			if fams["accordwatch_consumer_pending"] != nil || fams["accordwatch_consumer_ack_pending"] != nil {
				t.Error("consumer gauges present although the callback failed")
			}
			// The rest of the scrape is still served.
			if got := value(t, fams, "accordwatch_feeds_polled_total"); got != 1 {
				t.Errorf("feeds_polled_total = %v, want 1", got)
			}
			if got := value(t, fams, "accordwatch_feeds_failing"); got != 2 {
				t.Errorf("feeds_failing = %v, want 2", got)
			}
			// The error is counted after the scrape that saw it.
			fams = scrape(t, base)
			if got := value(t, fams, "promhttp_metric_handler_errors_total", "cause", "gathering"); got != 1 {
				t.Errorf("promhttp_metric_handler_errors_total{cause=gathering} = %v, want 1", got)
			}
			if find(fams, "accordwatch_build_info") == nil {
				t.Error("build_info missing")
			}
		})
	}

	m := New("")
	m.SetFeedsFailing(func(ctx context.Context) (int, error) { return 0, errors.New("store down") })
	fams := scrape(t, serve(t, Handler(m)))
	if fams["accordwatch_feeds_failing"] != nil {
		t.Error("feeds_failing present although the callback failed")
	}
}

func TestNilMetrics(t *testing.T) {
	var m *Metrics
	m.FeedPolled()
	m.FeedNotModified()
	m.FeedError("timeout")
	m.Article(SourcePage)
	m.Quotes(3)
	m.Stance("signed")
	m.Change()
	m.Contradiction()
	m.ItemError("analyze")
	m.DeadLetter(StageStore)
	m.ObserveStage(StageFetchFeed, time.Second)
	m.StartStage(StageAnalyze)()
	m.SetConsumerStats(func(context.Context) (map[string]ConsumerStats, error) { return nil, nil })
	m.SetFeedsFailing(func(context.Context) (int, error) { return 0, nil })
	if m.Registry() != nil {
		t.Error("nil Metrics has a registry")
	}

	// Handler without metrics still serves the health endpoints.
	base := serve(t, Handler(nil))
	if code, _ := get(t, base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics without metrics: %d, want 404", code)
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz: %d, want 200", code)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := New("")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				m.FeedPolled()
				m.FeedError("network")
				m.ObserveStage(StagePublish, time.Millisecond)
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			if _, err := m.Registry().Gather(); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	if got := value(t, byName, "accordwatch_feeds_polled_total"); got != 8000 {
		t.Errorf("feeds_polled_total = %v, want 8000", got)
	}
	if got := value(t, byName, "accordwatch_feed_errors_total", "kind", "network"); got != 8000 {
		t.Errorf("feed_errors_total{network} = %v, want 8000", got)
	}
	if n := find(byName, "accordwatch_stage_duration_seconds", "stage", "publish").GetHistogram().GetSampleCount(); n != 8000 {
		t.Errorf("publish sample count = %d, want 8000", n)
	}
}

func TestBuildVersion(t *testing.T) {
	if got := buildVersion("v0.4.0"); got != "v0.4.0" {
		t.Errorf("buildVersion(v0.4.0) = %q", got)
	}
	if got := buildVersion(""); got == "" {
		t.Error("buildVersion(\"\") is empty")
	}
}
