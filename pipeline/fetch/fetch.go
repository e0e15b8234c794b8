// Package fetch is accordwatch's HTTP client for feeds and articles.
//
// It performs conditional GET requests (ETag / Last-Modified), negotiates and
// decodes gzip itself so that the size cap applies to the decompressed body,
// bounds every network step (dial, TLS handshake, response headers, whole
// request) with a timeout, and reports failures as *Error values whose Kind
// can be inspected with errors.As.
//
// It is also polite and careful on the open web:
//
//   - Requests to one host are limited in number (Config.HostConcurrency)
//     and spaced out (Config.HostDelay, raised by a robots.txt
//     Crawl-delay); a request waits for its turn, as long as its context
//     allows.
//   - A host that answers 429 or 503 with Retry-After is not requested again
//     before then: later requests wait if the delay is short
//     (Config.MaxRetryWait) and fail at once with KindBackoff otherwise.
//   - Requests marked Request.CheckRobots (article pages, not the feeds a
//     user subscribed to) honour the site's robots.txt, cached per origin;
//     a disallowed URL is a KindRobots error.
//   - Connections to loopback, private, link-local, multicast and other
//     non-public addresses are refused (KindForbiddenAddress) unless
//     Config.AllowPrivateAddresses is set. The check is made on the address
//     actually dialed, after name resolution, so that a name resolving to a
//     private address and a redirect to one are caught as well.
package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by New to zero-valued Config fields.
const (
	DefaultUserAgent             = "accordwatch/0.1 (+https://github.com/accordwatch/accordwatch)"
	DefaultConnectTimeout        = 10 * time.Second
	DefaultResponseHeaderTimeout = 20 * time.Second
	DefaultTimeout               = 30 * time.Second
	DefaultMaxBodyBytes          = 10 << 20 // 10 MiB
	DefaultMaxRedirects          = 5
	DefaultHostConcurrency       = 2
	DefaultHostDelay             = time.Second
	DefaultMaxRetryWait          = 10 * time.Second
)

// Config configures a Client. The zero value is usable: every zero field is
// replaced by its default.
type Config struct {
	// UserAgent is sent with every request. Default DefaultUserAgent.
	UserAgent string
	// ConnectTimeout bounds the TCP dial (including name resolution) and,
	// separately, the TLS handshake. Default DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for the response headers once
	// the request is sent. Default DefaultResponseHeaderTimeout.
	ResponseHeaderTimeout time.Duration
	// Timeout bounds the whole request, including redirects and reading
	// the body, but not the wait for the host's turn (see HostDelay).
	// Default DefaultTimeout.
	Timeout time.Duration
	// MaxBodyBytes caps the body size after decompression. A larger body is
	// an error of KindTooLarge. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxRedirects is the number of redirects followed before giving up.
	// Default DefaultMaxRedirects; a negative value disables redirects, so
	// that any redirect response becomes a KindStatus error.
	MaxRedirects int

	// HostConcurrency is the number of requests that may be in flight to
	// one host (name) at once. Default DefaultHostConcurrency. A request
	// holds its place until its body is read, redirect hops included.
	HostConcurrency int
	// HostDelay is the minimum time between the starts of two requests to
	// the same host. A longer Crawl-delay in the host's robots.txt (up to
	// 30s) replaces it once the robots.txt has been read. Default
	// DefaultHostDelay; a negative value means no delay.
	HostDelay time.Duration
	// MaxRetryWait is the longest a request waits for a host that sent a
	// 429 or 503 with Retry-After; if the host asked for longer, the
	// request fails at once with KindBackoff. Default DefaultMaxRetryWait;
	// a negative value never waits.
	MaxRetryWait time.Duration

	// IgnoreRobots turns off robots.txt checks, even for requests with
	// Request.CheckRobots set.
	IgnoreRobots bool
	// RobotsAgent is the product token matched against robots.txt
	// User-agent lines. Default DefaultRobotsAgent.
	RobotsAgent string
	// RobotsTTL is how long a fetched robots.txt is used before it is
	// fetched again. Default DefaultRobotsTTL.
	RobotsTTL time.Duration

	// AllowPrivateAddresses allows connections to loopback, private (RFC
	// 1918, fc00::/7), link-local, multicast, unspecified and other
	// non-public addresses, which are refused by default. With a proxy
	// from the environment the check applies to the proxy's address: the
	// proxy resolves the destination and must do its own filtering.
	AllowPrivateAddresses bool
	// AllowedNetworks are exempted from the address check, for a known
	// internal server or proxy.
	AllowedNetworks []netip.Prefix
}

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.ResponseHeaderTimeout <= 0 {
		c.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = DefaultMaxRedirects
	} else if c.MaxRedirects < 0 {
		c.MaxRedirects = 0
	}
	if c.HostConcurrency <= 0 {
		c.HostConcurrency = DefaultHostConcurrency
	}
	if c.HostDelay == 0 {
		c.HostDelay = DefaultHostDelay
	} else if c.HostDelay < 0 {
		c.HostDelay = 0
	}
	if c.MaxRetryWait == 0 {
		c.MaxRetryWait = DefaultMaxRetryWait
	}
	if c.RobotsAgent == "" {
		c.RobotsAgent = DefaultRobotsAgent
	}
	if c.RobotsTTL <= 0 {
		c.RobotsTTL = DefaultRobotsTTL
	}
	return c
}

// Client fetches resources over HTTP(S). It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	hosts  *hosts
	robots robotsCache
}

// New returns a Client configured by cfg, with defaults for zero fields.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	policy := addressPolicy{allowPrivate: cfg.AllowPrivateAddresses, allowed: cfg.AllowedNetworks}
	dialer := &net.Dialer{
		Timeout:   cfg.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   policy.control,
	}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.ResponseHeaderTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Compression is negotiated and decoded by Get so that the size
		// cap applies to the decompressed body.
		DisableCompression: true,
	}
	c := &Client{
		cfg:    cfg,
		hosts:  newHosts(cfg.HostConcurrency, cfg.HostDelay, cfg.MaxRetryWait),
		robots: robotsCache{m: map[string]*robotsEntry{}, pruneAt: robotsPruneMin},
	}
	c.http = &http.Client{
		Transport:     transport,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// ErrTooManyRedirects is wrapped by the *Error returned when a request is
// redirected more than Config.MaxRedirects times.
var ErrTooManyRedirects = errors.New("too many redirects")

// errBadScheme marks a redirect to a URL that is not http or https.
var errBadScheme = errors.New("unsupported URL scheme")

// checkRedirect vets a redirect target: its scheme, the number of hops and,
// for requests that honour robots.txt, the target's robots.txt.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkURL(req.URL); err != nil {
		return err
	}
	if len(via) > c.cfg.MaxRedirects {
		return ErrTooManyRedirects
	}
	if robotsChecked(req.Context()) {
		if _, err := c.checkRobots(req.Context(), req.URL, false); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w %q", errBadScheme, u.Scheme)
	}
	if u.Host == "" {
		return errors.New("missing host")
	}
	return nil
}

// Request describes a GET request.
type Request struct {
	// URL is the absolute http or https URL to fetch.
	URL string
	// ETag, if set, is sent as If-None-Match.
	ETag string
	// LastModified, if set, is sent as If-Modified-Since.
	LastModified string
	// Accept, if set, is sent as the Accept header.
	Accept string
	// CheckRobots makes Get honour the robots.txt of the URL's site, and of
	// any redirect target's, unless Config.IgnoreRobots is set. Set it for
	// pages found by crawling (articles), not for feeds the user asked for.
	CheckRobots bool
}

// Response is a successful (2xx or 304) response with its body read in full.
type Response struct {
	// URL is the final URL after redirects.
	URL string
	// StatusCode is the HTTP status code.
	StatusCode int
	// NotModified reports a 304 response; Body is then empty.
	NotModified bool
	// ETag and LastModified are the validators to send with the next
	// request. On a 304 that omits them they are copied from the Request.
	ETag, LastModified string
	// ContentType is the Content-Type header as sent by the server.
	ContentType string
	// Body is the decompressed body, at most Config.MaxBodyBytes long.
	Body []byte
}

// Get fetches r.URL. A 2xx or 304 response is returned as a *Response; any
// other outcome is an *Error.
//
// Get first waits for the host's turn (see Config.HostConcurrency and
// Config.HostDelay) for as long as ctx allows; Config.Timeout then bounds
// the request itself. With r.CheckRobots it first consults the site's
// robots.txt, fetching it if it is not cached.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, &Error{URL: r.URL, Kind: KindInvalid, Err: err}
	}
	if err := checkURL(u); err != nil {
		return nil, &Error{URL: r.URL, Kind: KindInvalid, Err: err}
	}

	robots := r.CheckRobots && !c.cfg.IgnoreRobots
	crawlDelay := time.Duration(-1) // unknown: leave the host's as it is
	if robots {
		if crawlDelay, err = c.checkRobots(ctx, u, true); err != nil {
			return nil, c.classify(ctx, r.URL, err)
		}
	}
	release, err := c.hosts.acquire(ctx, r.URL, strings.ToLower(u.Hostname()), crawlDelay)
	if err != nil {
		return nil, c.classify(ctx, r.URL, err)
	}
	defer release()
	return c.do(withRobots(ctx, robots), u, r, c.cfg.MaxBodyBytes, false)
}

// do sends the request for u and reads the response, whose body may be at
// most limit bytes long once decoded: a longer one is an error, or with
// truncate is cut to limit. A 429 or 503 with Retry-After holds back later
// requests to the host that sent it.
func (c *Client) do(ctx context.Context, u *url.URL, r Request, limit int64, truncate bool) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{URL: r.URL, Kind: KindInvalid, Err: err}
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip")
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil && errors.Is(err, ErrTooManyRedirects) {
			// The client returns the last redirect response, body closed.
			return nil, &Error{URL: r.URL, Kind: KindStatus, Status: resp.StatusCode, Err: ErrTooManyRedirects}
		}
		return nil, c.classify(ctx, r.URL, err)
	}
	defer resp.Body.Close()

	res := &Response{
		URL:          resp.Request.URL.String(),
		StatusCode:   resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
	}

	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		if res.ETag == "" {
			res.ETag = r.ETag
		}
		if res.LastModified == "" {
			res.LastModified = r.LastModified
		}
		return res, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			c.hosts.backoff(strings.ToLower(resp.Request.URL.Hostname()), retryAfter)
		}
		return nil, &Error{
			URL:        r.URL,
			Kind:       KindStatus,
			Status:     resp.StatusCode,
			RetryAfter: retryAfter,
		}
	}

	body, err := readBody(resp, limit, truncate)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			fe.URL = r.URL
			return nil, fe
		}
		return nil, c.classify(ctx, r.URL, fmt.Errorf("read body: %w", err))
	}
	res.Body = body
	return res, nil
}

// readBody reads and, if needed, decompresses resp.Body, refusing more than
// limit bytes of decoded content, or with truncate ignoring the rest.
func readBody(resp *http.Response, limit int64, truncate bool) ([]byte, error) {
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		if resp.ContentLength > limit && !truncate {
			return nil, tooLarge(limit)
		}
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		if truncate {
			return body[:limit], nil
		}
		return nil, tooLarge(limit)
	}
	return body, nil
}

func tooLarge(limit int64) *Error {
	return &Error{Kind: KindTooLarge, Err: fmt.Errorf("body exceeds %d bytes", limit)}
}

// classify turns an error met while fetching rawURL into an *Error. ctx is
// the request's context, including the client's own timeout if it was
// applied.
func (c *Client) classify(ctx context.Context, rawURL string, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		// Already classified, by the host pacing or while fetching
		// robots.txt (then naming the robots.txt URL).
		if fe == err && fe.URL == rawURL {
			return fe
		}
		return &Error{URL: rawURL, Kind: fe.Kind, RetryAfter: fe.RetryAfter, Err: err}
	}
	var ue *url.Error
	switch {
	case errors.Is(err, ErrRobotsDisallowed):
		return &Error{URL: rawURL, Kind: KindRobots, Err: err}
	case errors.Is(err, ErrForbiddenAddress):
		return &Error{URL: rawURL, Kind: KindForbiddenAddress, Err: err}
	case errors.As(err, &ue) && errors.Is(ue.Err, errBadScheme):
		return &Error{URL: rawURL, Kind: KindInvalid, Err: err}
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout()) {
		return &Error{URL: rawURL, Kind: KindTimeout, Err: err}
	}
	return &Error{URL: rawURL, Kind: KindNetwork, Err: err}
}

// maxRetryAfterSecs keeps a hostile Retry-After from overflowing a Duration.
const maxRetryAfterSecs = int64(math.MaxInt64 / time.Second)

// parseRetryAfter interprets a Retry-After header, either delay-seconds or an
// HTTP-date, relative to now. It returns 0 if the header is absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		if secs > maxRetryAfterSecs {
			secs = maxRetryAfterSecs
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
