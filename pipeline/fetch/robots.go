package fetch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// Defaults for robots.txt handling.
const (
	// DefaultRobotsAgent is the product token matched against the
	// User-agent lines of robots.txt files.
	DefaultRobotsAgent = "accordwatch"
	// DefaultRobotsTTL is how long a fetched robots.txt is used before it
	// is fetched again.
	DefaultRobotsTTL = 24 * time.Hour
)

const (
	// robotsRetryTTL is how long an unreachable robots.txt (5xx, 429,
	// network error) stands for "disallow all" before it is fetched again.
	robotsRetryTTL = 10 * time.Minute
	// robotsMaxBytes is how much of a robots.txt is parsed; RFC 9309
	// section 2.5 asks for at least 500 KiB and allows ignoring the rest.
	robotsMaxBytes = 512 << 10
	// robotsPruneMin is the number of cached robots.txt files above which
	// expired ones are dropped.
	robotsPruneMin = 256
)

// Fixed rule sets, as the robotstxt package builds them for a missing
// (4xx) and an unreachable (5xx) robots.txt.
var (
	robotsAllowAll, _    = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	robotsDisallowAll, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
)

// robotsError is the cause of a KindRobots error.
type robotsError struct {
	robotsURL, path, agent string
}

func (e *robotsError) Error() string {
	return fmt.Sprintf("%s disallows %s for user-agent %q", e.robotsURL, e.path, e.agent)
}

func (e *robotsError) Unwrap() error { return ErrRobotsDisallowed }

// robotsCache holds the parsed robots.txt of each origin.
type robotsCache struct {
	mu      sync.Mutex
	m       map[string]*robotsEntry
	pruneAt int
}

// robotsEntry is one origin's robots.txt; while it is being fetched, loading
// is open and the other fields are not yet set.
type robotsEntry struct {
	loading chan struct{}
	data    *robotstxt.RobotsData
	expires time.Time
}

// robotsKey marks a request context whose redirects must be checked
// against robots.txt too.
type robotsKey struct{}

func withRobots(ctx context.Context, check bool) context.Context {
	return context.WithValue(ctx, robotsKey{}, check)
}

func robotsChecked(ctx context.Context) bool {
	check, _ := ctx.Value(robotsKey{}).(bool)
	return check
}

// origin returns the scheme, host and port of u, the scope of a robots.txt
// (RFC 9309 section 2.3), with default ports omitted.
func origin(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (scheme == "http" && strings.HasSuffix(host, ":80")) || (scheme == "https" && strings.HasSuffix(host, ":443")) {
		host = host[:strings.LastIndexByte(host, ':')]
	}
	return scheme + "://" + host
}

// checkRobots returns nil if the robots.txt of u's origin allows u for the
// client's agent, an error wrapping a *robotsError if it does not, or the
// error that prevented the check (an *Error, or ctx's error). It also
// returns the Crawl-delay the robots.txt sets for the agent.
//
// gated requests for robots.txt wait for their turn with the host like any
// other request. Redirect targets are checked ungated, from within a
// request that already holds its own host's token, so that two requests
// redirected to each other's hosts cannot wait on each other.
func (c *Client) checkRobots(ctx context.Context, u *url.URL, gated bool) (crawlDelay time.Duration, err error) {
	key := origin(u)
	data, err := c.robotsFor(ctx, key, gated)
	if err != nil {
		return 0, err
	}
	agent := c.cfg.RobotsAgent
	crawlDelay = data.FindGroup(agent).CrawlDelay
	path := u.RequestURI()
	if !data.TestAgent(path, agent) {
		return crawlDelay, &robotsError{robotsURL: key + "/robots.txt", path: path, agent: agent}
	}
	return crawlDelay, nil
}

// robotsFor returns the robots.txt rules of origin key, from the cache or
// fetched once for all concurrent callers.
func (c *Client) robotsFor(ctx context.Context, key string, gated bool) (*robotstxt.RobotsData, error) {
	rc := &c.robots
	for {
		rc.mu.Lock()
		e := rc.m[key]
		if e != nil && e.loading != nil {
			loading := e.loading
			rc.mu.Unlock()
			select {
			case <-loading:
				continue // loaded, or failed: look again
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		now := time.Now()
		if e != nil && now.Before(e.expires) {
			rc.mu.Unlock()
			return e.data, nil
		}
		if e == nil && len(rc.m) >= rc.pruneAt {
			rc.prune(now)
		}
		load := &robotsEntry{loading: make(chan struct{})}
		rc.m[key] = load
		rc.mu.Unlock()

		var stale *robotstxt.RobotsData
		if e != nil {
			stale = e.data
		}
		data, ttl, err := c.fetchRobots(ctx, key, stale, gated)

		rc.mu.Lock()
		if err != nil {
			// Nothing learned about the site: put back what was there.
			if e != nil {
				rc.m[key] = e
			} else {
				delete(rc.m, key)
			}
		} else {
			load.data, load.expires = data, time.Now().Add(ttl)
		}
		close(load.loading)
		load.loading = nil
		rc.mu.Unlock()
		return data, err
	}
}

// prune drops expired entries. It is called with rc.mu held.
func (rc *robotsCache) prune(now time.Time) {
	for k, e := range rc.m {
		if e.loading == nil && !now.Before(e.expires) {
			delete(rc.m, k)
		}
	}
	rc.pruneAt = max(robotsPruneMin, 2*len(rc.m))
}

// fetchRobots fetches and parses the robots.txt of origin key and says how
// long the result may be cached. Following RFC 9309 section 2.3.1:
//
//   - 2xx: the file's rules (at most robotsMaxBytes of it).
//   - 4xx other than 429, or too many redirects: no robots.txt, allow all.
//   - 5xx, 429 or a network error or timeout: unreachable, disallow all
//     for robotsRetryTTL, or keep using stale (an expired copy) if there
//     is one.
//
// A refused address, a host backoff or the caller's context ending is
// returned as an error and not cached: it says nothing about the site's
// rules, and the page request itself would fail the same way.
func (c *Client) fetchRobots(ctx context.Context, key string, stale *robotstxt.RobotsData, gated bool) (*robotstxt.RobotsData, time.Duration, error) {
	rawURL := key + "/robots.txt"
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, 0, &Error{URL: rawURL, Kind: KindInvalid, Err: err}
	}
	ctx = withRobots(ctx, false)
	if gated {
		release, err := c.hosts.acquire(ctx, rawURL, u.Hostname(), -1)
		if err != nil {
			return nil, 0, c.classify(ctx, rawURL, err)
		}
		defer release()
	}
	resp, err := c.do(ctx, u, Request{URL: rawURL, Accept: "text/plain"}, robotsMaxBytes, true)
	retryTTL := min(robotsRetryTTL, c.cfg.RobotsTTL)
	unreachable := func() (*robotstxt.RobotsData, time.Duration, error) {
		if stale != nil {
			return stale, retryTTL, nil
		}
		return robotsDisallowAll, retryTTL, nil
	}
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			return unreachable()
		}
		switch {
		case fe.Kind == KindForbiddenAddress || fe.Kind == KindBackoff || ctx.Err() != nil:
			return nil, 0, err
		case fe.Kind == KindStatus && fe.Status >= 300 && fe.Status < 400:
			return robotsAllowAll, c.cfg.RobotsTTL, nil
		case fe.Kind == KindStatus && fe.Status >= 400 && fe.Status < 500 && fe.Status != http.StatusTooManyRequests:
			return robotsAllowAll, c.cfg.RobotsTTL, nil
		}
		return unreachable()
	}
	if resp.NotModified {
		// Never asked for, so never expected: as if there were none.
		return robotsAllowAll, c.cfg.RobotsTTL, nil
	}
	data, ok := parseRobots(resp.Body)
	if !ok {
		return unreachable()
	}
	return data, c.cfg.RobotsTTL, nil
}

// parseRobots parses a robots.txt body. The robotstxt package rejects a
// whole file for one bad line; RFC 9309 asks crawlers to use what they can,
// so a file it rejects is parsed again without the lines it objects to (rules
// before any User-agent line, unparsable Crawl-delay values). ok is false if
// even that fails.
func parseRobots(body []byte) (data *robotstxt.RobotsData, ok bool) {
	if data, err := robotstxt.FromBytes(body); err == nil {
		return data, true
	}
	if data, err := robotstxt.FromBytes(sanitizeRobots(body)); err == nil {
		return data, true
	}
	return nil, false
}

// sanitizeRobots drops the lines of a robots.txt that make the robotstxt
// package reject the whole file.
func sanitizeRobots(body []byte) []byte {
	var out bytes.Buffer
	sawAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), len(body)+1)
	for sc.Scan() {
		line := sc.Text()
		content, _, _ := strings.Cut(line, "#")
		field, value, found := strings.Cut(content, ":")
		field = strings.ToLower(strings.TrimSpace(field))
		value = strings.TrimSpace(value)
		if found {
			switch field {
			case "user-agent", "useragent":
				sawAgent = true
			case "allow", "disallow":
				if !sawAgent {
					continue
				}
			case "crawl-delay", "crawldelay":
				f, err := strconv.ParseFloat(value, 64)
				if !sawAgent || err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
					continue
				}
			}
		}
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}
