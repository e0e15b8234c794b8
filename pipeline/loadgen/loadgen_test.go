package loadgen

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestItemsAppearOverTime checks the synthetic feeds: ten items at first,
// a 304 for an unchanged feed, a new item after one period, first-served
// times recorded, and article pages of both kinds.
func TestItemsAppearOverTime(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	s := New(3, time.Minute, 0.5)
	s.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	base, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	feed := s.FeedURLs(base)[1]
	get := func(etag string) (int, string, string) {
		req, _ := http.NewRequest("GET", feed, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("ETag"), string(b)
	}
	code, etag, body := get("")
	if code != 200 || strings.Count(body, "<item>") != ItemsPerFeed {
		t.Fatalf("first poll: %d with %d items", code, strings.Count(body, "<item>"))
	}
	if code, _, _ := get(etag); code != http.StatusNotModified {
		t.Errorf("unchanged feed: %d, want 304", code)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	code, etag2, body := get(etag)
	if code != 200 || etag2 == etag || !strings.Contains(body, "/a/1/10<") {
		t.Errorf("after a period: %d, etag %s → %s, new item listed: %v", code, etag, etag2, strings.Contains(body, "/a/1/10<"))
	}
	if ts, ok := s.FirstServed(base + "/a/1/10"); !ok || !ts.Equal(now) {
		t.Errorf("first served = %v, %v; want %v", ts, ok, now)
	}
	related, other := 0, 0
	for k := range 40 {
		resp, err := http.Get(base + "/a/1/" + strconv.Itoa(k))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "cyberspace") {
			related++
		} else {
			other++
		}
	}
	if related == 0 || other == 0 {
		t.Errorf("pages: %d related, %d other; want both kinds", related, other)
	}
	if fg, nm, pg := s.Counts(); fg != 3 || nm != 1 || pg != 40 {
		t.Errorf("counts = %d feed GETs, %d 304s, %d pages", fg, nm, pg)
	}
}
