package digest

import (
	"cmp"
	"slices"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// Feed statuses.
const (
	FeedHealthy   = "healthy"    // the last poll succeeded
	FeedFailing   = "failing"    // the last poll failed
	FeedNotPolled = "not_polled" // configured, not polled yet
)

// FeedHealth is the state of the feeds when a digest was built. The store
// keeps only the latest poll of each feed, so the digest of a past day
// reports the feeds as they were when it was built, not on that day.
type FeedHealth struct {
	Healthy   int `json:"healthy"`
	Failing   int `json:"failing"`
	NotPolled int `json:"not_polled"`
	// Feeds are every feed: failing ones first, then those not polled
	// yet, then the healthy ones, each group by name then URL.
	Feeds []FeedStatus `json:"feeds"`
}

// FeedStatus is the state of one feed. Times are in the digest's zone.
type FeedStatus struct {
	URL    string `json:"url"`
	Name   string `json:"name"` // "" if the feed has no configured name
	Status string `json:"status"`
	// Failures is the number of consecutive failed polls, LastError the
	// error of the last failed one.
	Failures    int        `json:"failures"`
	LastError   string     `json:"last_error"`
	LastPolled  *time.Time `json:"last_polled"`
	LastSuccess *time.Time `json:"last_success"`
}

// FailingFeeds returns the failing feeds of h.
func (h FeedHealth) FailingFeeds() []FeedStatus {
	var out []FeedStatus
	for _, f := range h.Feeds {
		if f.Status == FeedFailing {
			out = append(out, f)
		}
	}
	return out
}

// newFeedHealth sums up states. If feeds is empty it covers every state;
// otherwise feeds, a feed without a state being not polled yet, and the
// other feeds polled since since (feeds added at run time rather than
// configured), leaving out those that have not been polled since then
// (feeds no longer configured).
func newFeedHealth(states []store.FeedState, feeds []string, since time.Time, loc *time.Location, names func(kind, id string) string) FeedHealth {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	urls := slices.Clone(feeds)
	for _, s := range states {
		if len(feeds) == 0 || !s.LastPolled.Before(since) {
			urls = append(urls, s.URL)
		}
	}
	h := FeedHealth{Feeds: make([]FeedStatus, 0, len(urls))}
	seen := make(map[string]bool, len(urls))
	for _, u := range urls {
		if seen[u] {
			continue
		}
		seen[u] = true
		s := byURL[u]
		f := FeedStatus{URL: u, Failures: s.Failures, LastError: s.LastError,
			LastPolled: timePtr(s.LastPolled, loc), LastSuccess: timePtr(s.LastSuccess, loc)}
		if names != nil {
			f.Name = names(KindFeed, u)
		}
		switch {
		case s.Failures > 0:
			f.Status = FeedFailing
			h.Failing++
		case s.LastPolled.IsZero() && s.LastSuccess.IsZero():
			f.Status = FeedNotPolled
			h.NotPolled++
		default:
			f.Status = FeedHealthy
			h.Healthy++
		}
		h.Feeds = append(h.Feeds, f)
	}
	rank := map[string]int{FeedFailing: 0, FeedNotPolled: 1, FeedHealthy: 2}
	slices.SortFunc(h.Feeds, func(a, b FeedStatus) int {
		return cmp.Or(cmp.Compare(rank[a.Status], rank[b.Status]), cmp.Compare(a.Name, b.Name), cmp.Compare(a.URL, b.URL))
	})
	return h
}

// timePtr returns t in loc, or nil for the zero time.
func timePtr(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	return &t
}
