package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testClient returns a Client with small limits suited to tests. The test
// servers listen on 127.0.0.1, so private addresses are allowed; unless the
// test sets its own, requests to one host are not spaced out.
func testClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.HostDelay == 0 {
		cfg.HostDelay = -1
	}
	cfg.AllowPrivateAddresses = true
	return New(cfg)
}

// wantKind asserts that err is an *Error of the given kind and returns it.
func wantKind(t *testing.T, err error, kind ErrorKind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want kind %q", kind)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *fetch.Error", err, err)
	}
	if fe.Kind != kind {
		t.Fatalf("kind = %q, want %q (err: %v)", fe.Kind, kind, err)
	}
	return fe
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGetETagNotModified(t *testing.T) {
	const etag = `"v1"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	c := testClient(t, Config{})
	ctx := context.Background()

	first, err := c.Get(ctx, Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.StatusCode != 200 || string(first.Body) != "<rss/>" {
		t.Fatalf("first response = %+v", first)
	}
	if first.ETag != etag || first.ContentType != "application/rss+xml" {
		t.Fatalf("ETag = %q, ContentType = %q", first.ETag, first.ContentType)
	}

	second, err := c.Get(ctx, Request{URL: srv.URL, ETag: first.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.StatusCode != http.StatusNotModified || len(second.Body) != 0 {
		t.Fatalf("second response = %+v, want 304 NotModified", second)
	}
	// The server sent no ETag with the 304: the request's is carried over.
	if second.ETag != etag {
		t.Errorf("ETag on 304 = %q, want %q", second.ETag, etag)
	}
}

func TestGetLastModifiedNotModified(t *testing.T) {
	const lm = "Mon, 02 Jan 2006 15:04:05 GMT"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lm)
		if r.Header.Get("If-Modified-Since") == lm {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "body")
	}))
	defer srv.Close()
	c := testClient(t, Config{})

	first, err := c.Get(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.LastModified != lm {
		t.Fatalf("first response = %+v", first)
	}
	second, err := c.Get(context.Background(), Request{URL: srv.URL, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.LastModified != lm {
		t.Fatalf("second response = %+v, want NotModified with Last-Modified %q", second, lm)
	}
}

func TestGetSendsHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
	}))
	defer srv.Close()

	for _, tc := range []struct {
		name, ua, wantUA string
	}{
		{"default", "", DefaultUserAgent},
		{"custom", "test-agent/1", "test-agent/1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testClient(t, Config{UserAgent: tc.ua})
			if _, err := c.Get(context.Background(), Request{URL: srv.URL, Accept: "application/atom+xml"}); err != nil {
				t.Fatal(err)
			}
			h := <-got
			if ua := h.Get("User-Agent"); ua != tc.wantUA {
				t.Errorf("User-Agent = %q, want %q", ua, tc.wantUA)
			}
			if ae := h.Get("Accept-Encoding"); ae != "gzip" {
				t.Errorf("Accept-Encoding = %q, want gzip", ae)
			}
			if a := h.Get("Accept"); a != "application/atom+xml" {
				t.Errorf("Accept = %q", a)
			}
			if h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
				t.Errorf("conditional headers sent without validators: %v", h)
			}
		})
	}
}

func TestGetGzip(t *testing.T) {
	want := strings.Repeat("accord ", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gzipBytes(t, []byte(want)))
	}))
	defer srv.Close()

	resp, err := testClient(t, Config{}).Get(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != want {
		t.Fatalf("body = %d bytes %q..., want %d decompressed bytes", len(resp.Body), resp.Body[:min(len(resp.Body), 20)], len(want))
	}
}

func TestGetGzipBombRefused(t *testing.T) {
	const limit = 1 << 20
	// 64 MiB of zeros compresses to ~64 KiB: the compressed payload is well
	// under the cap, so only a cap on the decompressed size refuses it.
	bomb := gzipBytes(t, make([]byte, 64<<20))
	if len(bomb) >= limit {
		t.Fatalf("bomb is %d bytes compressed; test needs it under the %d-byte cap", len(bomb), limit)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}))
	defer srv.Close()

	_, err := testClient(t, Config{MaxBodyBytes: limit}).Get(context.Background(), Request{URL: srv.URL})
	fe := wantKind(t, err, KindTooLarge)
	if fe.URL != srv.URL {
		t.Errorf("Error.URL = %q, want %q", fe.URL, srv.URL)
	}
}

func TestGetBodyCap(t *testing.T) {
	const limit = 1000
	for _, tc := range []struct {
		name    string
		size    int
		chunked bool // no Content-Length: the cap must hold while streaming
		wantErr bool
	}{
		{"at limit", limit, false, false},
		{"over limit", limit + 1, false, true},
		{"over limit chunked", 10 * limit, true, true},
		{"at limit chunked", limit, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := bytes.Repeat([]byte("x"), tc.size)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.chunked {
					w.Write(body[:10])
					w.(http.Flusher).Flush()
					w.Write(body[10:])
					return
				}
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				w.Write(body)
			}))
			defer srv.Close()

			resp, err := testClient(t, Config{MaxBodyBytes: limit}).Get(context.Background(), Request{URL: srv.URL})
			if tc.wantErr {
				wantKind(t, err, KindTooLarge)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Body) != tc.size {
				t.Fatalf("body length = %d, want %d", len(resp.Body), tc.size)
			}
		})
	}
}

func TestGetStatusErrors(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"500", http.StatusInternalServerError, "", 0},
		{"404", http.StatusNotFound, "", 0},
		{"429 seconds", http.StatusTooManyRequests, "7", 7 * time.Second},
		{"503 http-date", http.StatusServiceUnavailable, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), time.Hour},
		{"429 garbage", http.StatusTooManyRequests, "soon", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				http.Error(w, "nope", tc.status)
			}))
			defer srv.Close()

			_, err := testClient(t, Config{}).Get(context.Background(), Request{URL: srv.URL})
			fe := wantKind(t, err, KindStatus)
			if fe.Status != tc.status {
				t.Errorf("Status = %d, want %d", fe.Status, tc.status)
			}
			// An HTTP-date is relative to now: allow for the clock moving.
			if d := fe.RetryAfter - tc.want; d > 0 || d < -5*time.Second {
				t.Errorf("RetryAfter = %v, want %v", fe.RetryAfter, tc.want)
			}
			if !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}
}

func TestGetTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := testClient(t, Config{Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := c.Get(context.Background(), Request{URL: srv.URL})
	wantKind(t, err, KindTimeout)
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("timed out after %v, want about 200ms", el)
	}
}

func TestGetTimeoutWhileReadingBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	_, err := testClient(t, Config{Timeout: 200 * time.Millisecond}).Get(context.Background(), Request{URL: srv.URL})
	wantKind(t, err, KindTimeout)
}

func TestGetCanceled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := testClient(t, Config{}).Get(ctx, Request{URL: srv.URL})
	wantKind(t, err, KindNetwork)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(%v, context.Canceled) = false", err)
	}
}

func TestGetNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	url := srv.URL
	srv.Close() // nothing listens any more
	_, err := testClient(t, Config{}).Get(context.Background(), Request{URL: url})
	wantKind(t, err, KindNetwork)
}

func TestGetRedirect(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/mid", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/mid", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/new", http.StatusFound)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != DefaultUserAgent {
			t.Errorf("User-Agent after redirect = %q", r.Header.Get("User-Agent"))
		}
		fmt.Fprint(w, "moved here")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	resp, err := testClient(t, Config{}).Get(context.Background(), Request{URL: srv.URL + "/old"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.URL != srv.URL+"/new" {
		t.Errorf("URL = %q, want %q", resp.URL, srv.URL+"/new")
	}
	if string(resp.Body) != "moved here" {
		t.Errorf("body = %q", resp.Body)
	}
}

func TestGetTooManyRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		http.Redirect(w, r, fmt.Sprintf("/r%d", n), http.StatusFound)
	}))
	defer srv.Close()

	_, err := testClient(t, Config{MaxRedirects: 3}).Get(context.Background(), Request{URL: srv.URL})
	fe := wantKind(t, err, KindStatus)
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("errors.Is(%v, ErrTooManyRedirects) = false", err)
	}
	if fe.Status != http.StatusFound {
		t.Errorf("Status = %d, want %d", fe.Status, http.StatusFound)
	}
	// The original request plus three followed redirects.
	if n := hits.Load(); n != 4 {
		t.Errorf("server saw %d requests, want 4", n)
	}
}

func TestGetRedirectToBadScheme(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	_, err := testClient(t, Config{}).Get(context.Background(), Request{URL: srv.URL})
	wantKind(t, err, KindInvalid)
}

func TestGetInvalidURL(t *testing.T) {
	c := testClient(t, Config{})
	for _, u := range []string{"", "ftp://example.com/feed", "file:///etc/passwd", "http://", "::not a url", "example.com/feed"} {
		_, err := c.Get(context.Background(), Request{URL: u})
		fe := wantKind(t, err, KindInvalid)
		if fe.URL != u {
			t.Errorf("Error.URL = %q, want %q", fe.URL, u)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{" 120 ", 2 * time.Minute},
		{"-5", 0},
		{"99999999999999999", time.Duration(maxRetryAfterSecs) * time.Second},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"tomorrow", 0},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
