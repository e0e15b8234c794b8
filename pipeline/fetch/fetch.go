// Package fetch is accordwatch's HTTP client for feeds and articles.
//
// It performs conditional GET requests (ETag / Last-Modified), negotiates and
// decodes gzip itself so that the size cap applies to the decompressed body,
// bounds every request with connect and overall timeouts, and reports failures
// as *Error values whose Kind can be inspected with errors.As.
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
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by New to zero-valued Config fields.
const (
	DefaultUserAgent      = "accordwatch/0.1 (+https://github.com/accordwatch/accordwatch)"
	DefaultConnectTimeout = 10 * time.Second
	DefaultTimeout        = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20 // 10 MiB
	DefaultMaxRedirects   = 5
)

// Config configures a Client. The zero value is usable: every zero field is
// replaced by its default.
type Config struct {
	// UserAgent is sent with every request. Default DefaultUserAgent.
	UserAgent string
	// ConnectTimeout bounds the TCP dial and the TLS handshake.
	// Default DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// Timeout bounds the whole request, including reading the body.
	// Default DefaultTimeout.
	Timeout time.Duration
	// MaxBodyBytes caps the body size after decompression. A larger body is
	// an error of KindTooLarge. Default DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxRedirects is the number of redirects followed before giving up.
	// Default DefaultMaxRedirects; a negative value disables redirects, so
	// that any redirect response becomes a KindStatus error.
	MaxRedirects int
}

func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
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
	return c
}

// Client fetches resources over HTTP(S). It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a Client configured by cfg, with defaults for zero fields.
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Compression is negotiated and decoded by Get so that the size
		// cap applies to the decompressed body.
		DisableCompression: true,
	}
	c := &Client{cfg: cfg}
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

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if err := checkURL(req.URL); err != nil {
		return err
	}
	if len(via) > c.cfg.MaxRedirects {
		return ErrTooManyRedirects
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
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, &Error{URL: r.URL, Kind: KindInvalid, Err: err}
	}
	if err := checkURL(u); err != nil {
		return nil, &Error{URL: r.URL, Kind: KindInvalid, Err: err}
	}

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
		return nil, &Error{
			URL:        r.URL,
			Kind:       KindStatus,
			Status:     resp.StatusCode,
			RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}

	body, err := c.readBody(resp)
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
// MaxBodyBytes of decoded content.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	limit := c.cfg.MaxBodyBytes
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		if resp.ContentLength > limit {
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
		return nil, tooLarge(limit)
	}
	return body, nil
}

func tooLarge(limit int64) *Error {
	return &Error{Kind: KindTooLarge, Err: fmt.Errorf("body exceeds %d bytes", limit)}
}

// classify turns a transport error into an *Error. ctx is the request's
// context, including the client's own timeout.
func (c *Client) classify(ctx context.Context, rawURL string, err error) *Error {
	var ue *url.Error
	if errors.As(err, &ue) && errors.Is(ue.Err, errBadScheme) {
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
