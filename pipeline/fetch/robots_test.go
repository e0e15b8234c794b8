package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsSite serves a robots.txt and pages, counting requests for each.
type robotsSite struct {
	srv *httptest.Server

	mu          sync.Mutex
	robots      string // served with status robotsCode
	robotsCode  int
	robotsDelay time.Duration
	robotsHits  int
	pageHits    map[string]int
	pageTimes   arrivals
}

func newRobotsSite(t *testing.T, status int, robots string) *robotsSite {
	t.Helper()
	s := &robotsSite{robots: robots, robotsCode: status, pageHits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if r.URL.Path == "/robots.txt" {
			s.robotsHits++
			body, code, delay := s.robots, s.robotsCode, s.robotsDelay
			s.mu.Unlock()
			time.Sleep(delay)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(code)
			fmt.Fprint(w, body)
			return
		}
		s.pageHits[r.URL.Path]++
		s.mu.Unlock()
		s.pageTimes.add()
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/private/target", http.StatusFound)
			return
		}
		fmt.Fprintf(w, "page %s", r.URL.Path)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *robotsSite) set(status int, robots string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robotsCode, s.robots = status, robots
}

func (s *robotsSite) counts(path string) (robots, page int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.robotsHits, s.pageHits[path]
}

// article fetches path from s as an article page, honouring robots.txt.
func (s *robotsSite) article(c *Client, path string) (*Response, error) {
	return c.Get(context.Background(), Request{URL: s.srv.URL + path, CheckRobots: true})
}

const robotsPrivate = `# test site
User-agent: *
Disallow: /private
Allow: /private/open
`

func TestRobotsDisallow(t *testing.T) {
	site := newRobotsSite(t, http.StatusOK, robotsPrivate)
	c := testClient(t, Config{})

	_, err := site.article(c, "/private/secret")
	fe := wantKind(t, err, KindRobots)
	if !errors.Is(err, ErrRobotsDisallowed) {
		t.Errorf("errors.Is(%v, ErrRobotsDisallowed) = false", err)
	}
	if fe.URL != site.srv.URL+"/private/secret" || !strings.Contains(err.Error(), "/robots.txt") {
		t.Errorf("error %q does not name the page and the robots.txt", err)
	}
	if _, n := site.counts("/private/secret"); n != 0 {
		t.Errorf("disallowed page requested %d times", n)
	}

	for _, path := range []string{"/news/1", "/private/open/2", "/news/3"} {
		resp, err := site.article(c, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if string(resp.Body) != "page "+path {
			t.Errorf("%s: body %q", path, resp.Body)
		}
	}
	if robots, _ := site.counts(""); robots != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", robots)
	}
}

func TestRobotsOnlyForCheckedRequests(t *testing.T) {
	site := newRobotsSite(t, http.StatusOK, "User-agent: *\nDisallow: /\n")

	// A feed the user subscribed to is fetched without looking at robots.txt.
	c := testClient(t, Config{})
	if _, err := c.Get(context.Background(), Request{URL: site.srv.URL + "/feed.xml"}); err != nil {
		t.Fatal(err)
	}
	if robots, _ := site.counts(""); robots != 0 {
		t.Errorf("robots.txt fetched %d times for a feed", robots)
	}
	// With robots.txt ignored, articles are fetched too.
	c = testClient(t, Config{IgnoreRobots: true})
	if _, err := site.article(c, "/article"); err != nil {
		t.Fatal(err)
	}
	if robots, _ := site.counts(""); robots != 0 {
		t.Errorf("robots.txt fetched %d times with IgnoreRobots", robots)
	}
}

func TestRobotsUserAgentGroups(t *testing.T) {
	for _, tc := range []struct {
		name, robots string
		allowed      bool
	}{
		{"our group wins over *", "User-agent: *\nAllow: /\n\nUser-agent: AccordWatch\nDisallow: /news\n", false},
		{"other agents' rules ignored", "User-agent: otherbot\nDisallow: /\n", true},
		{"empty file", "", true},
		{"allow all for us", "User-agent: *\nDisallow: /\n\nUser-agent: accordwatch\nDisallow:\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := newRobotsSite(t, http.StatusOK, tc.robots)
			_, err := site.article(testClient(t, Config{}), "/news/1")
			if tc.allowed && err != nil {
				t.Fatal(err)
			}
			if !tc.allowed {
				wantKind(t, err, KindRobots)
			}
		})
	}
}

func TestRobotsStatus(t *testing.T) {
	for _, tc := range []struct {
		status  int
		allowed bool
	}{
		{http.StatusNotFound, true},
		{http.StatusForbidden, true},
		{http.StatusGone, true},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			// The body would disallow everything: only the status counts.
			site := newRobotsSite(t, tc.status, "User-agent: *\nDisallow: /\n")
			c := testClient(t, Config{})
			for i := range 3 {
				_, err := site.article(c, fmt.Sprintf("/news/%d", i))
				if tc.allowed && err != nil {
					t.Fatal(err)
				}
				if !tc.allowed {
					wantKind(t, err, KindRobots)
				}
			}
			if robots, _ := site.counts(""); robots != 1 {
				t.Errorf("robots.txt fetched %d times, want 1 (cached)", robots)
			}
		})
	}
}

func TestRobotsTTLAndStaleCopy(t *testing.T) {
	site := newRobotsSite(t, http.StatusOK, robotsPrivate)
	c := testClient(t, Config{RobotsTTL: 100 * time.Millisecond})
	if _, err := site.article(c, "/news/1"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)

	// Expired: fetched again. The server now fails; the expired copy is
	// still the best knowledge of the site's rules.
	site.set(http.StatusInternalServerError, "")
	if _, err := site.article(c, "/news/2"); err != nil {
		t.Fatalf("with a stale copy allowing it: %v", err)
	}
	_, err := site.article(c, "/private/x")
	wantKind(t, err, KindRobots)
	if robots, _ := site.counts(""); robots != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", robots)
	}
}

func TestRobotsFetchedOnceConcurrently(t *testing.T) {
	site := newRobotsSite(t, http.StatusOK, robotsPrivate)
	site.robotsDelay = 100 * time.Millisecond
	c := testClient(t, Config{HostConcurrency: 8})
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := site.article(c, fmt.Sprintf("/news/%d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if robots, _ := site.counts(""); robots != 1 {
		t.Errorf("robots.txt fetched %d times by concurrent requests, want 1", robots)
	}
}

func TestRobotsRedirectTarget(t *testing.T) {
	site := newRobotsSite(t, http.StatusOK, robotsPrivate)
	c := testClient(t, Config{})
	_, err := site.article(c, "/moved")
	wantKind(t, err, KindRobots)
	if _, n := site.counts("/private/target"); n != 0 {
		t.Errorf("disallowed redirect target requested %d times", n)
	}
	// A feed redirected there is still fetched.
	if _, err := c.Get(context.Background(), Request{URL: site.srv.URL + "/moved"}); err != nil {
		t.Fatal(err)
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	const delay = 300 * time.Millisecond
	site := newRobotsSite(t, http.StatusOK, "User-agent: accordwatch\nCrawl-delay: 0.3\nDisallow: /private\n")
	c := testClient(t, Config{HostConcurrency: 4}) // no delay of its own
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			if _, err := site.article(c, fmt.Sprintf("/news/%d", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ts := site.pageTimes.sorted()
	if len(ts) != 3 {
		t.Fatalf("server saw %d page requests, want 3", len(ts))
	}
	for i := 1; i < len(ts); i++ {
		if gap := ts[i].Sub(ts[i-1]); gap < delay-50*time.Millisecond {
			t.Errorf("gap between pages %d and %d = %v, want the Crawl-delay %v", i-1, i, gap, delay)
		}
	}
}

func TestParseRobotsLenient(t *testing.T) {
	// Rules before any User-agent and a bad Crawl-delay make the robotstxt
	// package reject the whole file; the rest still counts.
	const body = "Disallow: /orphan\nUser-agent: *\nCrawl-delay: soon\nDisallow: /private # no\n"
	if _, err := robotstxt.FromString(body); err == nil {
		t.Fatal("robotstxt accepts the file; the test no longer exercises sanitizing")
	}
	data, ok := parseRobots([]byte(body))
	if !ok {
		t.Fatal("parseRobots rejected the file")
	}
	if data.TestAgent("/private/x", DefaultRobotsAgent) {
		t.Error("/private/x allowed")
	}
	if !data.TestAgent("/news", DefaultRobotsAgent) {
		t.Error("/news disallowed")
	}
}
