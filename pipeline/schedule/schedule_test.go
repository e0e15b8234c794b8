package schedule

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// fixed returns a Rand that always returns r; 0.5 means no jitter.
func fixed(r float64) func() float64 { return func() float64 { return r } }

// noJitter is a policy with the default bounds and no randomness.
var noJitter = Policy{MinInterval: 5 * time.Minute, MaxInterval: 6 * time.Hour, MaxBackoff: 6 * time.Hour, Rand: fixed(0.5)}

// every returns n publication times, the newest at newest, one every gap.
func every(n int, newest time.Time, gap time.Duration) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = newest.Add(-time.Duration(i) * gap)
	}
	return ts
}

var errFetch = errors.New("fetch https://example.org/feed: timeout")

func TestBackoffGrowthAndCap(t *testing.T) {
	p := Policy{MaxBackoff: 6 * time.Hour}
	for _, tc := range []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{15 * time.Minute, 0, 15 * time.Minute},
		{15 * time.Minute, 1, 15 * time.Minute},
		{15 * time.Minute, 2, 30 * time.Minute},
		{15 * time.Minute, 3, time.Hour},
		{15 * time.Minute, 4, 2 * time.Hour},
		{15 * time.Minute, 5, 4 * time.Hour},
		{15 * time.Minute, 6, 6 * time.Hour},
		{15 * time.Minute, 7, 6 * time.Hour},
		{15 * time.Minute, 1000, 6 * time.Hour},
		{15 * time.Minute, 1 << 40, 6 * time.Hour},
		// A feed polled less often than the cap is retried at its interval.
		{12 * time.Hour, 1, 12 * time.Hour},
		{12 * time.Hour, 9, 12 * time.Hour},
		{0, 3, 0},
	} {
		if got := p.Backoff(tc.interval, tc.failures); got != tc.want {
			t.Errorf("Backoff(%s, %d) = %s, want %s", tc.interval, tc.failures, got, tc.want)
		}
	}
	if got := (Policy{}).Backoff(time.Hour, 100); got != DefaultMaxBackoff {
		t.Errorf("zero Policy caps at %s, want %s", got, DefaultMaxBackoff)
	}
	if got := (Policy{MaxBackoff: 1<<63 - 1}).Backoff(time.Hour, 1000); got != 1<<63-1 {
		t.Errorf("huge cap: %s, want no overflow", got)
	}
}

func TestRecordBacksOffForEver(t *testing.T) {
	var h Health
	now := t0
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour}
	for i := range 200 {
		h.Record(noJitter, 15*time.Minute, now, Outcome{Err: errFetch})
		got := h.NextPoll.Sub(now)
		w := 6 * time.Hour
		if i < len(want) {
			w = want[i]
		}
		if got != w {
			t.Fatalf("failure %d: next poll in %s, want %s", i+1, got, w)
		}
		if h.ConsecutiveFailures != i+1 || h.LastError != errFetch.Error() || h.LastPolled != now || !h.LastSuccess.IsZero() {
			t.Fatalf("failure %d: health %+v", i+1, h)
		}
		if h.Due(now) || !h.Due(h.NextPoll) {
			t.Fatalf("failure %d: Due wrong around %s", i+1, h.NextPoll)
		}
		now = h.NextPoll
	}
}

func TestBackoffFromAdaptiveInterval(t *testing.T) {
	// A busy feed, polled every 10 minutes, backs off from 10 minutes.
	h := Health{Interval: 10 * time.Minute}
	h.Record(noJitter, time.Hour, t0, Outcome{Err: errFetch})
	h.Record(noJitter, time.Hour, t0, Outcome{Err: errFetch})
	if got := h.NextPoll.Sub(t0); got != 20*time.Minute {
		t.Errorf("second failure of a 10m feed: %s, want 20m", got)
	}
}

func TestJitterBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := Policy{MaxBackoff: 6 * time.Hour, Rand: rng.Float64}
	const interval = time.Hour
	seen := map[time.Duration]bool{}
	for range 2000 {
		var ok Health
		ok.Record(p, interval, t0, Outcome{})
		d := ok.NextPoll.Sub(t0)
		if d < 48*time.Minute || d > 72*time.Minute {
			t.Fatalf("success: next poll in %s, want within ±20%% of 1h", d)
		}
		seen[d] = true

		failing := Health{ConsecutiveFailures: 2}
		failing.Record(p, interval, t0, Outcome{Err: errFetch}) // 3rd failure: 4h
		if d := failing.NextPoll.Sub(t0); d < 192*time.Minute || d > 288*time.Minute {
			t.Fatalf("3rd failure: next poll in %s, want within ±20%% of 4h", d)
		}

		capped := Health{ConsecutiveFailures: 50}
		capped.Record(p, interval, t0, Outcome{Err: errFetch})
		if d := capped.NextPoll.Sub(t0); d < 288*time.Minute || d > 6*time.Hour {
			t.Fatalf("capped: next poll in %s, want in [4h48m, 6h]", d)
		}
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct delays in 2000 draws", len(seen))
	}

	// The extremes of Rand give the extremes of the range.
	for _, tc := range []struct {
		r    float64
		want time.Duration
	}{{0, 48 * time.Minute}, {0.5, time.Hour}, {1, 72 * time.Minute}, {-3, 48 * time.Minute}, {7, 72 * time.Minute}} {
		var h Health
		h.Record(Policy{Rand: fixed(tc.r)}, interval, t0, Outcome{})
		if got := h.NextPoll.Sub(t0); got != tc.want {
			t.Errorf("Rand %v: %s, want %s", tc.r, got, tc.want)
		}
	}
	// Other fractions, and none.
	for _, tc := range []struct {
		jitter float64
		want   time.Duration
	}{{0.5, 30 * time.Minute}, {-1, time.Hour}, {3, MinDelay}} {
		var h Health
		h.Record(Policy{Jitter: tc.jitter, Rand: fixed(0)}, interval, t0, Outcome{})
		if got := h.NextPoll.Sub(t0); got != tc.want {
			t.Errorf("Jitter %v at Rand 0: %s, want %s", tc.jitter, got, tc.want)
		}
	}
}

func TestRecoveryResetsFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Outcome
	}{
		{"success", Outcome{}},
		{"not modified", Outcome{NotModified: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Health
			now := t0
			for range 5 {
				h.Record(noJitter, 15*time.Minute, now, Outcome{Err: errFetch})
				now = h.NextPoll
			}
			if h.ConsecutiveFailures != 5 {
				t.Fatalf("failures = %d, want 5", h.ConsecutiveFailures)
			}
			h.Record(noJitter, 15*time.Minute, now, tc.o)
			if h.ConsecutiveFailures != 0 || h.LastError != "" || h.LastSuccess != now || h.LastPolled != now {
				t.Errorf("after recovery: %+v", h)
			}
			if got := h.NextPoll.Sub(now); got != 15*time.Minute {
				t.Errorf("after recovery: next poll in %s, want the configured 15m", got)
			}
			// A new failure starts the back-off again.
			h.Record(noJitter, 15*time.Minute, now, Outcome{Err: errFetch})
			if h.ConsecutiveFailures != 1 || h.NextPoll.Sub(now) != 15*time.Minute {
				t.Errorf("first failure after recovery: %d failures, next in %s", h.ConsecutiveFailures, h.NextPoll.Sub(now))
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failures   int // before this poll
		err        error
		retryAfter time.Duration
		want       time.Duration
	}{
		{"longer than back-off", 0, errFetch, 2 * time.Hour, 2 * time.Hour},
		{"shorter than back-off", 3, errFetch, time.Minute, 2 * time.Hour}, // 4th failure: 15m×2³
		{"longer than the cap", 40, errFetch, 10 * time.Hour, 10 * time.Hour},
		{"absurd", 0, errFetch, 30 * 24 * time.Hour, MaxRetryAfter},
		{"on success", 0, nil, 3 * time.Hour, 3 * time.Hour},
		{"shorter on success", 0, nil, time.Minute, 15 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Health{ConsecutiveFailures: tc.failures}
			h.Record(noJitter, 15*time.Minute, t0, Outcome{Err: tc.err, RetryAfter: tc.retryAfter})
			if got := h.NextPoll.Sub(t0); got != tc.want {
				t.Errorf("next poll in %s, want %s", got, tc.want)
			}
		})
	}
	// Retry-After is not shortened by jitter.
	var h Health
	h.Record(Policy{Rand: fixed(0)}, 15*time.Minute, t0, Outcome{Err: errFetch, RetryAfter: time.Hour})
	if got := h.NextPoll.Sub(t0); got != time.Hour {
		t.Errorf("jittered: next poll in %s, want the Retry-After of 1h", got)
	}
}

func TestAdaptive(t *testing.T) {
	const configured = 15 * time.Minute
	now := t0
	for _, tc := range []struct {
		name      string
		published []time.Time
		want      time.Duration
	}{
		{"busy: every 10 minutes", every(20, now.Add(-2*time.Minute), 10*time.Minute), 10 * time.Minute},
		{"very busy: every 2 minutes", every(30, now, 2*time.Minute), 5 * time.Minute},
		{"hourly", every(20, now.Add(-10*time.Minute), time.Hour), time.Hour},
		{"quiet: every 3 days", every(10, now.Add(-24*time.Hour), 72*time.Hour), 6 * time.Hour},
		{"three items are enough", every(3, now, 30*time.Minute), 30 * time.Minute},
		{"too little data: two items", every(2, now, time.Minute), configured},
		{"too little data: none", nil, configured},
		{"too little data: undated", make([]time.Time, 10), configured},
		{"too little data: one time for all", every(10, now.Add(-time.Hour), 0), configured},
		{"undated items are skipped", append(every(20, now, 20*time.Minute), time.Time{}, time.Time{}), 20 * time.Minute},
		{"old outliers are ignored", append(every(19, now, 10*time.Minute), now.AddDate(-7, 0, 0)), 10 * time.Minute},
		{"unsorted", []time.Time{now.Add(-40 * time.Minute), now, now.Add(-20 * time.Minute), now.Add(-60 * time.Minute), now.Add(-80 * time.Minute)}, 20 * time.Minute},
		// Items dated in the future count as published now.
		{"future dates", append(every(10, now.Add(-30*time.Minute), 30*time.Minute), now.Add(5*time.Hour)), 30 * time.Minute},
		// A feed that has been silent is polled at half its silence.
		{"silent for 2h", every(20, now.Add(-2*time.Hour), 10*time.Minute), time.Hour},
		{"silent for a month after a burst", every(20, now.AddDate(0, -1, 0), time.Minute), 6 * time.Hour},
		// Dates without a time of day give the daily rate, and the
		// newest day does not count as silence.
		{"dates only, 5 a day", dateOnly(now, 5, 4), 24 * time.Hour / 5},
		{"dates only, silent since yesterday", dateOnly(now.AddDate(0, 0, -1), 5, 4), 6 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := noJitter.Adaptive(configured, now, tc.published); got != tc.want {
				t.Errorf("Adaptive = %s, want %s", got, tc.want)
			}
		})
	}

	// The busy feed is polled near the minimum, faster than configured.
	busy := noJitter.Adaptive(configured, now, every(20, now.Add(-2*time.Minute), 10*time.Minute))
	if busy > 2*noJitter.MinInterval || busy >= configured {
		t.Errorf("busy feed: %s, want near the 5m minimum and below the configured %s", busy, configured)
	}
	// Bounds from the zero Policy.
	if got := (Policy{}).Adaptive(configured, now, every(30, now, time.Minute)); got != DefaultMinInterval {
		t.Errorf("zero Policy, busy: %s, want %s", got, DefaultMinInterval)
	}
	if got := (Policy{}).Adaptive(configured, now, every(10, now, 72*time.Hour)); got != DefaultMaxInterval {
		t.Errorf("zero Policy, quiet: %s, want %s", got, DefaultMaxInterval)
	}
	// A maximum below the minimum is raised to it.
	if got := (Policy{MinInterval: time.Hour, MaxInterval: time.Minute}).Adaptive(configured, now, every(10, now, 72*time.Hour)); got != time.Hour {
		t.Errorf("max < min: %s, want 1h", got)
	}
}

// dateOnly returns perDay items a day over days days before now, all at
// midnight, as feeds without a time of day give them.
func dateOnly(now time.Time, perDay, days int) []time.Time {
	day := now.Truncate(24 * time.Hour)
	var ts []time.Time
	for d := range days {
		for range perDay {
			ts = append(ts, day.AddDate(0, 0, -d))
		}
	}
	return ts
}

func TestRecordAdapts(t *testing.T) {
	const configured = 15 * time.Minute
	var h Health
	if !h.Due(t0) {
		t.Fatal("a feed never polled is not due")
	}
	// A busy feed: every 10 minutes.
	h.Record(noJitter, configured, t0, Outcome{Published: every(20, t0.Add(-2*time.Minute), 10*time.Minute)})
	if h.Interval != 10*time.Minute || h.PublishGap != 10*time.Minute || !h.LastPublished.Equal(t0.Add(-2*time.Minute)) {
		t.Fatalf("after a busy poll: %+v", h)
	}
	if got := h.NextPoll.Sub(t0); got != 10*time.Minute {
		t.Errorf("next poll in %s, want 10m", got)
	}

	// Then Not Modified for hours: the measured rate is kept, and the
	// interval grows with the silence.
	now := t0.Add(4 * time.Hour)
	h.Record(noJitter, configured, now, Outcome{NotModified: true})
	if h.PublishGap != 10*time.Minute {
		t.Errorf("Not Modified lost the measured gap: %+v", h)
	}
	if want := (4*time.Hour + 2*time.Minute) / 2; h.Interval != want {
		t.Errorf("after 4h of silence: interval %s, want %s", h.Interval, want)
	}
	// A failure backs off from the current interval.
	h.Record(noJitter, configured, now, Outcome{Err: errFetch})
	if got := h.NextPoll.Sub(now); got != h.Interval {
		t.Errorf("first failure: next in %s, want the interval %s", got, h.Interval)
	}
	if h.PublishGap != 10*time.Minute {
		t.Errorf("failure lost the measured gap: %+v", h)
	}

	// New content with too little data falls back to the configured
	// interval.
	h.Record(noJitter, configured, now, Outcome{Published: every(1, now, 0)})
	if h.Interval != configured || h.PublishGap != 0 || !h.LastPublished.IsZero() {
		t.Errorf("too little data: %+v, want the configured interval", h)
	}
	// A quiet feed goes to the maximum.
	h.Record(noJitter, configured, now, Outcome{Published: every(10, now.Add(-time.Hour), 72*time.Hour)})
	if h.Interval != 6*time.Hour {
		t.Errorf("quiet feed: interval %s, want 6h", h.Interval)
	}
}

func TestMinDelay(t *testing.T) {
	var h Health
	h.Record(noJitter, 0, t0, Outcome{})
	if got := h.NextPoll.Sub(t0); got != MinDelay {
		t.Errorf("zero interval: next poll in %s, want %s", got, MinDelay)
	}
	h.Record(noJitter, 0, t0, Outcome{Err: errFetch})
	if got := h.NextPoll.Sub(t0); got != MinDelay {
		t.Errorf("zero interval, failure: next poll in %s, want %s", got, MinDelay)
	}
}

func TestDeterministic(t *testing.T) {
	run := func() []time.Time {
		rng := rand.New(rand.NewPCG(7, 7))
		p := Policy{Rand: rng.Float64}
		var h Health
		var out []time.Time
		now := t0
		for i := range 20 {
			var o Outcome
			if i%3 == 0 {
				o.Err = errFetch
			}
			h.Record(p, 15*time.Minute, now, o)
			out = append(out, h.NextPoll)
			now = h.NextPoll
		}
		return out
	}
	a, b := run(), run()
	for i := range a {
		if !a[i].Equal(b[i]) {
			t.Fatalf("poll %d: %s vs %s with the same seed", i, a[i], b[i])
		}
	}
}
