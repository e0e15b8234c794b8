package feeds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"golang.org/x/text/encoding/charmap"
)

// feedServer serves one feed body with an ETag and Last-Modified, answering
// conditional requests with 304. The served version can be replaced.
type feedServer struct {
	mu           sync.Mutex
	body         []byte
	etag         string
	lastModified string
	contentType  string
	requests     []*http.Request
}

func (s *feedServer) set(body []byte, etag, lastModified string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.etag, s.lastModified = body, etag, lastModified
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Clone(context.Background()))
	if s.etag != "" {
		w.Header().Set("ETag", s.etag)
	}
	if s.lastModified != "" {
		w.Header().Set("Last-Modified", s.lastModified)
	}
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if (inm != "" && inm == s.etag) || (inm == "" && ims != "" && ims == s.lastModified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	ct := s.contentType
	if ct == "" {
		ct = "application/rss+xml"
	}
	w.Header().Set("Content-Type", ct)
	w.Write(s.body)
}

func (s *feedServer) lastRequest() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[len(s.requests)-1]
}

// testPoller returns a Poller whose client may reach the test servers on
// 127.0.0.1, without spacing out requests.
func testPoller() *Poller {
	return &Poller{Client: fetch.New(fetch.Config{Timeout: 5 * time.Second, AllowPrivateAddresses: true, HostDelay: -1})}
}

func TestPollConditional(t *testing.T) {
	const lm = "Tue, 05 Mar 2024 09:30:00 GMT"
	fs := &feedServer{}
	fs.set(readTestdata(t, "rss2.xml"), `"rev1"`, lm)
	srv := httptest.NewServer(fs)
	defer srv.Close()
	p := testPoller()
	ctx := context.Background()
	feedURL := srv.URL + "/feed.xml"

	res, err := p.Poll(ctx, feedURL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.NotModified || res.Feed == nil {
		t.Fatalf("first poll = %+v, want a feed", res)
	}
	if res.ETag != `"rev1"` || res.LastModified != lm {
		t.Errorf("validators = %q, %q", res.ETag, res.LastModified)
	}
	if res.Feed.URL != feedURL || len(res.Feed.Items) != 2 || res.Feed.Items[0].FeedURL != feedURL {
		t.Errorf("feed = %+v", res.Feed)
	}
	// The relative item link resolves against the feed's URL.
	if got := res.Feed.Items[1].Link; got != srv.URL+"/2024/relative" {
		t.Errorf("relative link = %q", got)
	}
	if a := fs.lastRequest().Header.Get("Accept"); !strings.Contains(a, "application/rss+xml") {
		t.Errorf("Accept = %q", a)
	}

	// Unchanged: 304.
	res, err = p.Poll(ctx, feedURL, res.ETag, res.LastModified)
	if err != nil {
		t.Fatal(err)
	}
	if !res.NotModified || res.Feed != nil {
		t.Fatalf("second poll = %+v, want NotModified and no feed", res)
	}
	if res.ETag != `"rev1"` || res.LastModified != lm {
		t.Errorf("validators after 304 = %q, %q", res.ETag, res.LastModified)
	}
	if h := fs.lastRequest().Header; h.Get("If-None-Match") != `"rev1"` || h.Get("If-Modified-Since") != lm {
		t.Errorf("conditional headers = %q, %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}

	// Last-Modified alone also yields a 304.
	res, err = p.Poll(ctx, feedURL, "", lm)
	if err != nil {
		t.Fatal(err)
	}
	if !res.NotModified {
		t.Errorf("poll with Last-Modified only = %+v, want NotModified", res)
	}

	// Changed: the new version is parsed and the new validator returned.
	fs.set(readTestdata(t, "atom.xml"), `"rev2"`, "")
	res, err = p.Poll(ctx, feedURL, `"rev1"`, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.NotModified || res.Feed == nil || res.Feed.Title != "Ministry Press Releases" || res.ETag != `"rev2"` {
		t.Fatalf("poll after change = %+v", res)
	}
}

func TestPollHTTPCharset(t *testing.T) {
	// No encoding in the prolog: only the HTTP header says ISO-8859-1.
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>Café</title>` +
		`<item><title>Grüße</title><guid>x</guid></item></channel></rss>`
	body, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	fs := &feedServer{contentType: "text/xml; charset=ISO-8859-1"}
	fs.set(body, "", "")
	srv := httptest.NewServer(fs)
	defer srv.Close()

	res, err := testPoller().Poll(context.Background(), srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Feed.Title != "Café" || len(res.Feed.Items) != 1 || res.Feed.Items[0].Title != "Grüße" {
		t.Errorf("feed = %q, items %+v", res.Feed.Title, res.Feed.Items)
	}
}

func TestPollHTTPCharsetDoesNotOverrideUTF8(t *testing.T) {
	// A wrong server default must not turn valid UTF-8 into mojibake.
	fs := &feedServer{contentType: "text/xml; charset=ISO-8859-1"}
	fs.set([]byte(`<rss version="2.0"><channel><title>Café</title></channel></rss>`), "", "")
	srv := httptest.NewServer(fs)
	defer srv.Close()

	res, err := testPoller().Poll(context.Background(), srv.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Feed.Title != "Café" {
		t.Errorf("title = %q, want %q", res.Feed.Title, "Café")
	}
}

func TestPollErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		w.Write(readTestdata(t, "malformed.xml"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	p := testPoller()

	_, err := p.Poll(context.Background(), srv.URL+"/gone", "", "")
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.KindStatus || fe.Status != http.StatusGone {
		t.Errorf("Poll(/gone) error = %v, want a fetch status error 410", err)
	}

	_, err = p.Poll(context.Background(), srv.URL+"/broken", "", "")
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/broken") {
		t.Errorf("Poll(/broken) error = %v, want a parse error naming the URL", err)
	}
	if errors.As(err, &fe) {
		t.Errorf("parse failure reported as fetch error %v", fe)
	}
}

// TestPollNilClient checks that a Poller without a Client uses fetch's
// defaults, which refuse to connect to a loopback address such as the test
// server's. (fetch's own tests check the default User-Agent.)
func TestPollNilClient(t *testing.T) {
	fs := &feedServer{}
	fs.set(readTestdata(t, "feed.json"), "", "")
	fs.contentType = "application/feed+json"
	srv := httptest.NewServer(fs)
	defer srv.Close()

	_, err := (&Poller{}).Poll(context.Background(), srv.URL, "", "")
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.KindForbiddenAddress {
		t.Fatalf("Poll of a loopback server with the default client: %v; want a %s error", err, fetch.KindForbiddenAddress)
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.requests) != 0 {
		t.Errorf("server saw %d requests, want none", len(fs.requests))
	}
}
