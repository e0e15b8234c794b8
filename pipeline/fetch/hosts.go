package fetch

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Bounds on what a server may impose through Crawl-delay and Retry-After, so
// that a hostile or mistaken value cannot stall a host for ever.
const (
	maxCrawlDelay = 30 * time.Second
	maxBackoff    = 24 * time.Hour
)

// hostPruneMin is the number of tracked hosts above which idle ones are
// forgotten.
const hostPruneMin = 256

// hosts paces requests per host name: at most limit at once, starts at
// least delay apart (or the host's robots.txt Crawl-delay, if longer), and
// none before a Retry-After the host has sent.
type hosts struct {
	limit   int
	delay   time.Duration // 0: no delay
	maxWait time.Duration // negative: never wait out a Retry-After

	mu      sync.Mutex
	m       map[string]*hostState
	pruneAt int
}

// hostState is the pacing state of one host; its fields other than sem are
// guarded by hosts.mu.
type hostState struct {
	sem        chan struct{} // one token per request in flight
	users      int           // goroutines holding or waiting for a token
	next       time.Time     // earliest start of the next request
	notBefore  time.Time     // from the host's last Retry-After
	crawlDelay time.Duration // from the host's robots.txt
}

func newHosts(limit int, delay, maxWait time.Duration) *hosts {
	return &hosts{limit: limit, delay: max(delay, 0), maxWait: maxWait, m: map[string]*hostState{}, pruneAt: hostPruneMin}
}

// get returns host's state, counting the caller as a user; the caller must
// call put when done with it.
func (h *hosts) get(host string) *hostState {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.m[host]
	if st == nil {
		if len(h.m) >= h.pruneAt {
			h.prune(time.Now())
		}
		st = &hostState{sem: make(chan struct{}, h.limit)}
		h.m[host] = st
	}
	st.users++
	return st
}

func (h *hosts) put(st *hostState) {
	h.mu.Lock()
	st.users--
	h.mu.Unlock()
}

// prune forgets hosts that nobody uses and whose pacing has run out. It is
// called with h.mu held.
func (h *hosts) prune(now time.Time) {
	for k, st := range h.m {
		if st.users == 0 && !st.next.After(now) && !st.notBefore.After(now) {
			delete(h.m, k)
		}
	}
	h.pruneAt = max(hostPruneMin, 2*len(h.m))
}

// acquire waits until a request to host may start: a concurrency token is
// free, the minimum delay since the previous start has passed, and so has
// any Retry-After the host sent. It returns a function that releases the
// token, to be called when the response has been read. Waiting ends with
// ctx; a Retry-After that cannot be waited out (longer than maxWait, or
// past ctx's deadline) fails at once with an *Error of KindBackoff.
//
// crawlDelay, unless negative, is the Crawl-delay of the host's robots.txt
// (0 for none); it is remembered for later requests, which pass -1.
func (h *hosts) acquire(ctx context.Context, rawURL, host string, crawlDelay time.Duration) (release func(), err error) {
	st := h.get(host)
	if crawlDelay >= 0 {
		h.mu.Lock()
		st.crawlDelay = min(crawlDelay, maxCrawlDelay)
		h.mu.Unlock()
	}
	if err := h.checkBackoff(ctx, rawURL, host, st); err != nil {
		h.put(st)
		return nil, err
	}
	select {
	case st.sem <- struct{}{}:
	case <-ctx.Done():
		h.put(st)
		return nil, ctx.Err()
	}
	release = sync.OnceFunc(func() {
		<-st.sem
		h.put(st)
	})
	for {
		if err := h.checkBackoff(ctx, rawURL, host, st); err != nil {
			release()
			return nil, err
		}
		h.mu.Lock()
		now := time.Now()
		start := now
		if st.next.After(start) {
			start = st.next
		}
		if st.notBefore.After(start) {
			start = st.notBefore
		}
		if !start.After(now) {
			// Reserve this start; the others waiting for a token of
			// this host see the new st.next.
			st.next = now.Add(max(h.delay, st.crawlDelay))
			h.mu.Unlock()
			return release, nil
		}
		h.mu.Unlock()
		t := time.NewTimer(start.Sub(now))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			release()
			return nil, ctx.Err()
		}
	}
}

// checkBackoff returns a KindBackoff error if host asked not to be requested
// for longer than the client is willing, or ctx allowed, to wait.
func (h *hosts) checkBackoff(ctx context.Context, rawURL, host string, st *hostState) error {
	h.mu.Lock()
	notBefore := st.notBefore
	h.mu.Unlock()
	wait := time.Until(notBefore)
	if wait <= 0 {
		return nil
	}
	deadline, ok := ctx.Deadline()
	if wait <= h.maxWait && (!ok || !deadline.Before(notBefore)) {
		return nil
	}
	return &Error{
		URL:        rawURL,
		Kind:       KindBackoff,
		RetryAfter: wait,
		Err:        fmt.Errorf("host %s asked not to be requested before %s", host, notBefore.UTC().Format(time.RFC3339)),
	}
}

// backoff records that host asked, with a 429 or 503 and Retry-After, not to
// be requested for d.
func (h *hosts) backoff(host string, d time.Duration) {
	if d <= 0 {
		return
	}
	st := h.get(host)
	defer h.put(st)
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := time.Now().Add(min(d, maxBackoff)); t.After(st.notBefore) {
		st.notBefore = t
	}
}
