// Package schedule decides when a feed is polled next.
//
// After a successful poll the next one comes after an interval that adapts
// to how often the feed publishes, within the bounds of a Policy. After a
// failure it backs off exponentially, up to a cap at which the feed is
// retried for ever. A server's Retry-After is honoured when it asks for a
// longer wait. Every delay is jittered so that feeds spread out.
//
// The package does no I/O: the caller passes the current time and may pass
// the source of randomness, so that schedules are reproducible in tests.
package schedule

import (
	"math/rand/v2"
	"slices"
	"time"
)

// Defaults of a Policy's zero fields.
const (
	DefaultMinInterval = 5 * time.Minute
	DefaultMaxInterval = 6 * time.Hour
	DefaultMaxBackoff  = 6 * time.Hour
	DefaultJitter      = 0.2
)

// MaxRetryAfter caps the Retry-After honoured, so that a wrong header
// cannot stop a feed from being polled for days.
const MaxRetryAfter = 24 * time.Hour

// MinDelay is the shortest delay between two polls of a feed.
const MinDelay = time.Second

// Adaptive scheduling uses the publication times of the newest MaxItems
// items, and needs at least MinItems dated items.
const (
	MinItems = 3
	MaxItems = 20
)

// Policy is the scheduling policy of a daemon. Its zero value uses the
// defaults.
type Policy struct {
	// MinInterval and MaxInterval bound the adaptive interval: busy feeds
	// are polled at most every MinInterval, quiet ones at least every
	// MaxInterval. Zero means DefaultMinInterval and DefaultMaxInterval;
	// a MaxInterval below MinInterval is raised to it. The configured
	// interval of a feed is used as is while its publishing rate is
	// unknown.
	MinInterval time.Duration
	MaxInterval time.Duration
	// MaxBackoff caps the delay after failures (zero means
	// DefaultMaxBackoff). A feed whose interval is longer is retried at
	// its interval.
	MaxBackoff time.Duration
	// Jitter is the fraction by which delays vary at random, both ways:
	// 0.2 spreads an hour over 48m–72m. Zero means DefaultJitter; a
	// negative value disables jitter.
	Jitter float64
	// Rand returns a random number in [0, 1). Nil means
	// math/rand/v2.Float64.
	Rand func() float64
}

func (p Policy) withDefaults() Policy {
	if p.MinInterval <= 0 {
		p.MinInterval = DefaultMinInterval
	}
	if p.MaxInterval <= 0 {
		p.MaxInterval = DefaultMaxInterval
	}
	p.MaxInterval = max(p.MaxInterval, p.MinInterval)
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	switch {
	case p.Jitter == 0:
		p.Jitter = DefaultJitter
	case p.Jitter < 0:
		p.Jitter = 0
	case p.Jitter > 1:
		p.Jitter = 1
	}
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	return p
}

// jitter returns d varied by up to ±p.Jitter; p has its defaults.
func (p Policy) jitter(d time.Duration) time.Duration {
	r := min(max(p.Rand(), 0), 1)
	return time.Duration(float64(d) * (1 + p.Jitter*(2*r-1)))
}

// Backoff returns the delay, before jitter, after the given number of
// consecutive failures of a feed polled every interval: interval doubled
// for each failure after the first (interval, 2×, 4×, …), capped at
// MaxBackoff or at interval if that is longer. Zero failures give
// interval.
func (p Policy) Backoff(interval time.Duration, failures int) time.Duration {
	p = p.withDefaults()
	limit := max(p.MaxBackoff, interval)
	d := interval
	for i := 1; i < failures && d > 0 && d < limit; i++ {
		if d > limit/2 {
			return limit
		}
		d *= 2
	}
	return min(d, limit)
}

// Adaptive returns the interval, before jitter, at which to poll a feed
// whose items were published at the given times (in any order; zero times
// are ignored and future ones count as now). With fewer than MinItems
// dated items, or if they all bear the same time, it returns the
// configured interval.
//
// Otherwise the interval is the mean gap between the publications of the
// newest half of the newest MaxItems items (robust to a few very old
// items, and to items sharing a time), lengthened to half the time since
// the newest item if the feed has been silent for longer (so that a feed
// which stopped publishing is polled less and less often), and clamped to
// [MinInterval, MaxInterval]. If every time is a midnight, the feed is
// taken to give dates without a time of day, and its newest day is not
// counted as silence.
func (p Policy) Adaptive(interval time.Duration, now time.Time, published []time.Time) time.Duration {
	gap, newest, ok := publishGap(now, published)
	if !ok {
		return interval
	}
	return p.withDefaults().adapt(interval, now, gap, newest)
}

// adapt returns the interval for a feed publishing every gap, last at
// newest; a zero gap means the rate is unknown. p has its defaults.
func (p Policy) adapt(interval time.Duration, now time.Time, gap time.Duration, newest time.Time) time.Duration {
	if gap <= 0 {
		return interval
	}
	d := max(gap, now.Sub(newest)/2)
	return min(max(d, p.MinInterval), p.MaxInterval)
}

// publishGap returns the mean gap between the newest half of the items
// published at times and the newest time, or ok false if there is too
// little data.
func publishGap(now time.Time, times []time.Time) (gap time.Duration, newest time.Time, ok bool) {
	ts := make([]time.Time, 0, len(times))
	datesOnly := true
	for _, t := range times {
		if t.IsZero() {
			continue
		}
		if h, m, s := t.Clock(); h != 0 || m != 0 || s != 0 || t.Nanosecond() != 0 {
			datesOnly = false
		}
		if t.After(now) {
			t = now
		}
		ts = append(ts, t)
	}
	if len(ts) < MinItems {
		return 0, time.Time{}, false
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return b.Compare(a) })
	ts = ts[:min(len(ts), MaxItems)]
	k := len(ts) / 2
	span := ts[0].Sub(ts[k])
	if span <= 0 {
		return 0, time.Time{}, false
	}
	newest = ts[0]
	if datesOnly {
		// The newest item may have been published at any time of its
		// day: do not count that day as silence.
		newest = newest.AddDate(0, 0, 1)
		if newest.After(now) {
			newest = now
		}
	}
	return span / time.Duration(k), newest, true
}

// Health is the polling state of one feed. Its zero value is a feed never
// polled, due at once.
type Health struct {
	// LastPolled is when the feed was last polled, whatever the outcome.
	LastPolled time.Time
	// LastSuccess is when a poll last succeeded (including Not Modified).
	LastSuccess time.Time
	// LastError is the error of the last poll, empty if it succeeded.
	LastError string
	// ConsecutiveFailures counts the polls failed since the last success.
	ConsecutiveFailures int
	// NextPoll is when the feed is due.
	NextPoll time.Time
	// Interval is the polling interval, before back-off and jitter, set
	// at the last success; zero until then.
	Interval time.Duration
	// PublishGap is the feed's typical gap between two publications, as
	// last measured, or zero if unknown.
	PublishGap time.Duration
	// LastPublished is the publication time of the feed's newest item
	// when PublishGap was measured.
	LastPublished time.Time
}

// Outcome is the result of one poll.
type Outcome struct {
	// Err is why the poll failed; nil if it succeeded.
	Err error
	// NotModified reports a successful poll answered 304 Not Modified.
	NotModified bool
	// RetryAfter is the server's Retry-After (as with a 429 or 503), zero
	// if none. It is honoured, up to MaxRetryAfter, when longer than the
	// delay the policy would choose.
	RetryAfter time.Duration
	// Published holds the publication times of the feed's items, after a
	// successful poll. After a Not Modified answer it may be left empty:
	// the publishing rate last measured is kept.
	Published []time.Time
}

// Record updates h after a poll that ended at now with outcome o, and sets
// h.NextPoll. p is the daemon's policy and interval the feed's configured
// interval.
//
// A success resets the failures and sets h.Interval from the publication
// times (see Policy.Adaptive). A failure counts one more consecutive
// failure and backs off from h.Interval (or interval if unset) as
// Policy.Backoff says. Either way the delay is jittered, never exceeds the
// back-off cap after a failure, is lengthened to the Retry-After if
// longer, and is at least MinDelay.
func (h *Health) Record(p Policy, interval time.Duration, now time.Time, o Outcome) {
	p = p.withDefaults()
	h.LastPolled = now
	var delay time.Duration
	if o.Err != nil {
		h.ConsecutiveFailures++
		h.LastError = o.Err.Error()
		base := h.Interval
		if base <= 0 {
			base = interval
		}
		delay = min(p.jitter(p.Backoff(base, h.ConsecutiveFailures)), max(p.MaxBackoff, base))
	} else {
		h.LastSuccess = now
		h.LastError = ""
		h.ConsecutiveFailures = 0
		if gap, newest, ok := publishGap(now, o.Published); ok {
			h.PublishGap, h.LastPublished = gap, newest
		} else if !o.NotModified || len(o.Published) > 0 {
			// New content with too little data: the old rate is stale.
			h.PublishGap, h.LastPublished = 0, time.Time{}
		}
		h.Interval = p.adapt(interval, now, h.PublishGap, h.LastPublished)
		delay = p.jitter(h.Interval)
	}
	delay = max(delay, min(o.RetryAfter, MaxRetryAfter), MinDelay)
	h.NextPoll = now.Add(delay)
}

// Due reports whether the feed should be polled at now.
func (h Health) Due(now time.Time) bool { return !now.Before(h.NextPoll) }
