package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// arrivals records when a test server received each request.
type arrivals struct {
	mu    sync.Mutex
	times []time.Time
}

func (a *arrivals) add() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.times = append(a.times, time.Now())
}

func (a *arrivals) sorted() []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	ts := slices.Clone(a.times)
	slices.SortFunc(ts, func(x, y time.Time) int { return x.Compare(y) })
	return ts
}

// getAll fetches url n times concurrently and fails the test on any error.
func getAll(t *testing.T, c *Client, url string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), Request{URL: fmt.Sprintf("%s/%d", url, i)}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestHostConcurrencyLimit(t *testing.T) {
	var inflight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}))
	defer srv.Close()

	c := testClient(t, Config{HostConcurrency: 2})
	getAll(t, c, srv.URL, 8)
	// Eight requests were issued at once: two, and never more, ran together.
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent requests to the host = %d, want 2", p)
	}
}

func TestHostDelay(t *testing.T) {
	const delay = 300 * time.Millisecond
	var seen arrivals
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.add() }))
	defer srv.Close()

	c := testClient(t, Config{HostConcurrency: 4, HostDelay: delay})
	getAll(t, c, srv.URL, 4)
	ts := seen.sorted()
	if len(ts) != 4 {
		t.Fatalf("server saw %d requests, want 4", len(ts))
	}
	// The client spaces the starts; allow for the requests' own transit.
	for i := 1; i < len(ts); i++ {
		if gap := ts[i].Sub(ts[i-1]); gap < delay-50*time.Millisecond {
			t.Errorf("gap between requests %d and %d = %v, want at least %v", i-1, i, gap, delay)
		}
	}
}

func TestHostWaitRespectsContext(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c := testClient(t, Config{HostConcurrency: 1})

	first := make(chan error, 1)
	go func() {
		_, err := c.Get(context.Background(), Request{URL: srv.URL + "/slow"})
		first <- err
	}()
	for hits.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	// The host's only slot is taken: the second request waits for it until
	// its context ends, and never reaches the server.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, Request{URL: srv.URL + "/queued"})
	wantKind(t, err, KindTimeout)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// The slot is free again.
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/after"}); err != nil {
		t.Fatal(err)
	}
}

func TestHostsArePacedSeparately(t *testing.T) {
	h := newHosts(1, time.Hour, DefaultMaxRetryWait)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rel, err := h.acquire(ctx, "http://a/", "a", -1)
	if err != nil {
		t.Fatal(err)
	}
	rel()
	// Host b is not held back by host a's delay.
	rel, err = h.acquire(ctx, "http://b/", "b", -1)
	if err != nil {
		t.Fatal(err)
	}
	rel()
	// Host a is, for an hour: the wait ends with the context.
	short, cancelShort := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancelShort()
	if _, err := h.acquire(short, "http://a/", "a", -1); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second request to a: err = %v, want context.DeadlineExceeded", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for host, st := range h.m {
		if st.users != 0 || len(st.sem) != 0 {
			t.Errorf("host %s: %d users, %d tokens held after release", host, st.users, len(st.sem))
		}
	}
}

// retryAfterServer answers its first request with status and Retry-After: 2
// and later ones with 200, recording when each arrived.
func retryAfterServer(t *testing.T, status int) (*httptest.Server, *arrivals) {
	t.Helper()
	seen := &arrivals{}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.add()
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			http.Error(w, "slow down", status)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

func TestRetryAfterHoldsBackHost(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			srv, seen := retryAfterServer(t, status)
			c := testClient(t, Config{}) // waits up to DefaultMaxRetryWait

			_, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"})
			fe := wantKind(t, err, KindStatus)
			if fe.Status != status || fe.RetryAfter != 2*time.Second {
				t.Fatalf("first response: status %d, RetryAfter %v; want %d, 2s", fe.Status, fe.RetryAfter, status)
			}
			// The next request, to another page of the same host, waits
			// out the two seconds rather than failing.
			if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/b"}); err != nil {
				t.Fatal(err)
			}
			ts := seen.sorted()
			if len(ts) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(ts))
			}
			if gap := ts[1].Sub(ts[0]); gap < 2*time.Second {
				t.Errorf("second request came %v after the %d, want at least 2s", gap, status)
			}
		})
	}
}

func TestRetryAfterFailsFast(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		deadline time.Duration // 0: none
	}{
		{"beyond MaxRetryWait", Config{MaxRetryWait: time.Second}, 0},
		{"never wait", Config{MaxRetryWait: -1}, 0},
		{"beyond the caller's deadline", Config{}, 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, seen := retryAfterServer(t, http.StatusTooManyRequests)
			c := testClient(t, tc.cfg)
			_, err := c.Get(context.Background(), Request{URL: srv.URL + "/a"})
			wantKind(t, err, KindStatus)

			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			_, err = c.Get(ctx, Request{URL: srv.URL + "/b"})
			fe := wantKind(t, err, KindBackoff)
			if fe.RetryAfter <= 0 || fe.RetryAfter > 2*time.Second {
				t.Errorf("RetryAfter = %v, want the time left of 2s", fe.RetryAfter)
			}
			if fe.URL != srv.URL+"/b" {
				t.Errorf("Error.URL = %q", fe.URL)
			}
			if tc.deadline > 0 && ctx.Err() != nil {
				t.Errorf("request waited until its deadline instead of failing at once")
			}
			if n := len(seen.sorted()); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
		})
	}
}

func TestResponseHeaderTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := testClient(t, Config{ResponseHeaderTimeout: 100 * time.Millisecond, Timeout: 10 * time.Second})
	_, err := c.Get(context.Background(), Request{URL: srv.URL})
	wantKind(t, err, KindTimeout)
	if !strings.Contains(err.Error(), "awaiting response headers") {
		t.Errorf("error %q is not the response header timeout", err)
	}
}
