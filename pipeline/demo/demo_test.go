package demo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

var (
	stage1Articles = []string{
		"brazil-declines-pall-mall-process",
		"cri-statement-new-signatories",
		"hospital-ransomware-attack",
	}
	stage2Articles = []string{
		"brazil-joins-spyware-pact",
		"brazil-signs-pall-mall-process",
		"us-withdraws-future-of-internet-declaration",
	}
)

// newTestServer starts a demo server whose days are 2026-10-24 and
// 2026-10-25 in Europe/Paris (the latter 25 hours long), given as times
// other than midnight to check that only their dates count.
func newTestServer(t *testing.T) (*Server, *httptest.Server, time.Time, time.Time) {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	day1 := time.Date(2026, 10, 24, 0, 0, 0, 0, loc)
	day2 := time.Date(2026, 10, 25, 0, 0, 0, 0, loc)
	s := NewServer(day1.Add(15*time.Hour+7*time.Minute), day2.Add(23*time.Hour))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv, day1, day2
}

func get(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", url, err)
	}
	return resp, string(b)
}

// feedLinks fetches every feed, checks that it is well-formed XML that
// gofeed parses, and returns the item links and their feed items.
func feedLinks(t *testing.T, s *Server, base string) map[string]*gofeed.Item {
	t.Helper()
	links := make(map[string]*gofeed.Item)
	for _, u := range s.FeedURLs(base) {
		resp, body := get(t, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", u, resp.Status)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/rss+xml") && !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("%s: Content-Type %q", u, ct)
		}
		wellFormed(t, u, body)
		feed, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("parsing %s: %v", u, err)
		}
		if feed.Title == "" || len(feed.Items) == 0 {
			t.Errorf("%s: title %q, %d items", u, feed.Title, len(feed.Items))
		}
		for _, it := range feed.Items {
			if it.PublishedParsed == nil {
				t.Errorf("%s: item %q has no parseable date (%q)", u, it.Title, it.Published)
			}
			links[it.Link] = it
		}
	}
	return links
}

func wellFormed(t *testing.T, name, body string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
	}
}

func articleURLs(base string, slugs ...[]string) []string {
	var urls []string
	for _, list := range slugs {
		for _, slug := range list {
			urls = append(urls, base+"/articles/"+slug+".html")
		}
	}
	slices.Sort(urls)
	return urls
}

func TestFeedURLs(t *testing.T) {
	s := NewServer(time.Now(), time.Now())
	got := s.FeedURLs("http://127.0.0.1:8080/")
	want := []string{
		"http://127.0.0.1:8080/feeds/cyber-policy-wire.xml",
		"http://127.0.0.1:8080/feeds/harbour-ledger.xml",
		"http://127.0.0.1:8080/feeds/meridian-tribune.xml",
	}
	if !slices.Equal(got, want) {
		t.Errorf("FeedURLs = %v, want %v", got, want)
	}
}

func TestStages(t *testing.T) {
	s, srv, day1, day2 := newTestServer(t)

	links := feedLinks(t, s, srv.URL)
	got := slices.Sorted(func(yield func(string) bool) {
		for l := range links {
			if !yield(l) {
				return
			}
		}
	})
	if want := articleURLs(srv.URL, stage1Articles); !slices.Equal(got, want) {
		t.Errorf("stage 1 items = %v, want %v", got, want)
	}
	for _, u := range got {
		if p := links[u].PublishedParsed; p != nil && (p.Before(day1) || !p.Before(day2)) {
			t.Errorf("stage 1 item %s published %v, not on day 1", u, p)
		}
	}
	for _, u := range articleURLs(srv.URL, stage2Articles) {
		if resp, _ := get(t, u, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("stage 1: GET %s: %s, want 404", u, resp.Status)
		}
	}

	s.Advance()
	if s.Stage() != Stage2 {
		t.Fatalf("Stage() = %d after Advance", s.Stage())
	}
	links = feedLinks(t, s, srv.URL)
	got = got[:0]
	for l := range links {
		got = append(got, l)
	}
	slices.Sort(got)
	if want := articleURLs(srv.URL, stage1Articles, stage2Articles); !slices.Equal(got, want) {
		t.Errorf("stage 2 items = %v, want %v", got, want)
	}
	for _, u := range articleURLs(srv.URL, stage2Articles) {
		p := links[u].PublishedParsed
		if p == nil || p.Before(day2) || !p.Before(day2.AddDate(0, 0, 1)) {
			t.Errorf("stage 2 item %s published %v, not on day 2", u, p)
		}
	}
	want := time.Date(2026, 10, 25, 9, 0, 0, 0, day2.Location())
	if p := links[srv.URL+"/articles/brazil-signs-pall-mall-process.html"].PublishedParsed; p == nil || !p.Equal(want) {
		t.Errorf("Brazil signs published %v, want %v", p, want)
	}
}

func TestItemLinksResolve(t *testing.T) {
	s, srv, _, _ := newTestServer(t)
	for stage := Stage1; stage <= Stage2; stage++ {
		if stage == Stage2 {
			s.Advance()
		}
		for link, it := range feedLinks(t, s, srv.URL) {
			resp, body := get(t, link, nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("stage %d: GET %s (%q): %s", stage, link, it.Title, resp.Status)
				continue
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", link, ct)
			}
			checkArticle(t, link, body, it)
		}
	}
}

var (
	metaRe   = regexp.MustCompile(`<meta property="([a-z:_]+)" content="([^"]*)">`)
	jsonLDRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	paraRe   = regexp.MustCompile(`(?s)<article.*?</article>`)
	tagRe    = regexp.MustCompile(`<[^>]+>`)
)

// checkArticle checks that an article page has the metadata a news page
// has and that it agrees with its feed item.
func checkArticle(t *testing.T, link, body string, it *gofeed.Item) {
	t.Helper()
	meta := make(map[string]string)
	for _, m := range metaRe.FindAllStringSubmatch(body, -1) {
		meta[m[1]] = m[2]
	}
	for _, p := range []string{"og:title", "og:site_name", "og:url", "article:published_time"} {
		if meta[p] == "" {
			t.Errorf("%s: no %s", link, p)
		}
	}
	if meta["og:url"] != link {
		t.Errorf("%s: og:url %q", link, meta["og:url"])
	}
	if meta["og:title"] != it.Title {
		t.Errorf("%s: og:title %q, feed title %q", link, meta["og:title"], it.Title)
	}
	pub, err := time.Parse(time.RFC3339, meta["article:published_time"])
	if err != nil || it.PublishedParsed == nil || !pub.Equal(*it.PublishedParsed) {
		t.Errorf("%s: published %q (%v), feed says %v", link, meta["article:published_time"], err, it.PublishedParsed)
	}
	if m := jsonLDRe.FindStringSubmatch(body); m != nil {
		var ld struct {
			Type          string `json:"@type"`
			Headline      string `json:"headline"`
			DatePublished string `json:"datePublished"`
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Errorf("%s: JSON-LD: %v", link, err)
		} else if ld.Type != "NewsArticle" || ld.Headline != it.Title || ld.DatePublished != meta["article:published_time"] {
			t.Errorf("%s: JSON-LD %+v", link, ld)
		}
	}
	for _, part := range []string{"<nav", "<article", "<aside", "<footer"} {
		if !strings.Contains(body, part) {
			t.Errorf("%s: no %s", link, part)
		}
	}
	words := len(strings.Fields(tagRe.ReplaceAllString(paraRe.FindString(body), " ")))
	if words < 200 || words > 450 {
		t.Errorf("%s: article has %d words, want 200 to 400 or so", link, words)
	}
}

// TestStory checks the sentences the walkthrough's story rests on.
func TestStory(t *testing.T) {
	s, srv, _, _ := newTestServer(t)
	s.Advance()
	for slug, wants := range map[string][]string{
		"brazil-declines-pall-mall-process": {
			"Brazil declined to sign the Pall Mall Process code of practice on Saturday",
			"“We are not in a position to endorse the code at this time,” said Foreign Ministry spokesperson Ana Ribeiro.",
		},
		"cri-statement-new-signatories": {
			"Kenya, Chile, Indonesia and Morocco signed the Counter Ransomware Initiative statement",
		},
		"brazil-signs-pall-mall-process": {
			"Brazil signed the Pall Mall Process code of practice on Sunday, reversing the decision it announced on Saturday",
		},
		"brazil-joins-spyware-pact": {
			"Brazil joined the Pall Mall Process on Sunday",
		},
		"us-withdraws-future-of-internet-declaration": {
			"The United States withdrew from the Declaration for the Future of the Internet on Sunday",
			"India signed the Declaration for the Future of the Internet",
		},
	} {
		_, body := get(t, srv.URL+"/articles/"+slug+".html", nil)
		for _, want := range wants {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", slug, want)
			}
		}
	}
	_, body := get(t, srv.URL+"/articles/hospital-ransomware-attack.html", nil)
	for _, accord := range []string{"Pall Mall", "Counter Ransomware", "Convention", "Declaration", "Call", "signed", "declined"} {
		if strings.Contains(body, accord) {
			t.Errorf("the unrelated hospital article mentions %q", accord)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	s, srv, _, _ := newTestServer(t)
	feed := srv.URL + "/feeds/harbour-ledger.xml"
	article := srv.URL + "/articles/brazil-declines-pall-mall-process.html"

	resp, _ := get(t, feed, nil)
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lastMod == "" {
		t.Fatalf("ETag %q, Last-Modified %q", etag, lastMod)
	}
	if want := "Sat, 24 Oct 2026 10:00:00 GMT"; lastMod != want { // noon in Paris, CEST
		t.Errorf("Last-Modified = %q, want %q", lastMod, want)
	}
	resp, body := get(t, feed, http.Header{"If-None-Match": {etag}})
	if resp.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("repeated If-None-Match: %s with %d bytes, want 304", resp.Status, len(body))
	}
	resp, _ = get(t, feed, http.Header{"If-Modified-Since": {lastMod}})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("repeated If-Modified-Since: %s, want 304", resp.Status)
	}
	aresp, _ := get(t, article, nil)
	aetag := aresp.Header.Get("ETag")

	s.Advance()
	resp, _ = get(t, feed, http.Header{"If-None-Match": {etag}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match after Advance: %s, want 200", resp.Status)
	}
	if e := resp.Header.Get("ETag"); e == etag || e == "" {
		t.Errorf("ETag after Advance = %q, was %q", e, etag)
	}
	resp, _ = get(t, feed, http.Header{"If-Modified-Since": {lastMod}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("If-Modified-Since after Advance: %s, want 200", resp.Status)
	}
	// An article that did not change keeps its ETag.
	resp, _ = get(t, article, http.Header{"If-None-Match": {aetag}})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged article after Advance: %s, want 304", resp.Status)
	}
}

func TestAllSubstituted(t *testing.T) {
	s, srv, _, _ := newTestServer(t)
	check := func(u string) {
		resp, body := get(t, u, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", u, resp.Status)
			return
		}
		if i := strings.Index(body, "{{"); i >= 0 {
			t.Errorf("%s: unsubstituted placeholder near %q", u, body[i:min(len(body), i+40)])
		}
		if strings.Contains(body, "}}") || strings.Contains(body, "STAGE2") {
			t.Errorf("%s: leftover template syntax", u)
		}
	}
	for stage := Stage1; stage <= Stage2; stage++ {
		if stage == Stage2 {
			s.Advance()
		}
		check(srv.URL + "/")
		for _, u := range s.FeedURLs(srv.URL) {
			check(u)
		}
		slugs := [][]string{stage1Articles}
		if stage == Stage2 {
			slugs = append(slugs, stage2Articles)
		}
		for _, u := range articleURLs(srv.URL, slugs...) {
			check(u)
		}
	}
}

func TestNotFound(t *testing.T) {
	_, srv, _, _ := newTestServer(t)
	for _, p := range []string{"/feeds/nope.xml", "/articles/nope.html", "/site/feeds/harbour-ledger.xml", "/feeds/"} {
		if resp, _ := get(t, srv.URL+p, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s, want 404", p, resp.Status)
		}
	}
}

func TestRender(t *testing.T) {
	loc := time.FixedZone("UTC-3", -3*3600)
	s := NewServer(time.Date(2026, 11, 24, 18, 0, 0, 0, loc), time.Date(2026, 11, 26, 1, 0, 0, 0, loc))
	tmpl := []byte("{{BASE}} {{DAY1}} {{DAY1+9h_RFC3339}} {{DAY2+9h30m_RFC1123}} {{DAY1_LONG}} {{DAY2_WEEKDAY}} {{DAY1+8h_TIME}} {{UPDATED_RFC3339}}{{STAGE2}} two{{/STAGE2}}")
	for stage, want := range map[int]string{
		Stage1: "http://b 2026-11-24 2026-11-24T09:00:00-03:00 Thu, 26 Nov 2026 09:30:00 -0300 Tuesday 24 November 2026 Thursday 08:00 2026-11-24T12:00:00-03:00",
		Stage2: "http://b 2026-11-24 2026-11-24T09:00:00-03:00 Thu, 26 Nov 2026 09:30:00 -0300 Tuesday 24 November 2026 Thursday 08:00 2026-11-26T12:00:00-03:00 two",
	} {
		got, err := s.render(tmpl, "http://b", stage)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("stage %d:\n got %q\nwant %q", stage, got, want)
		}
	}
	for _, bad := range []string{"{{DAY3}}", "{{DAY1_ISO}}", "{{DAY1+x_DATE}}", "{{base}}"} {
		if _, err := s.render([]byte(bad), "http://b", Stage1); err == nil {
			t.Errorf("render(%s) succeeded, want an error", bad)
		}
	}
}

// TestEmbeddedTemplates checks every embedded file uses only known
// placeholders and balanced stage blocks.
func TestEmbeddedTemplates(t *testing.T) {
	s := NewServer(time.Now(), time.Now())
	if len(s.feeds) != 3 || len(s.articles) != 6 {
		t.Errorf("%d feeds and %d articles, want 3 and 6", len(s.feeds), len(s.articles))
	}
	for _, files := range []map[string][]byte{s.feeds, s.articles} {
		for name, tmpl := range files {
			if o, c := bytes.Count(tmpl, []byte("{{STAGE2}}")), bytes.Count(tmpl, []byte("{{/STAGE2}}")); o != c {
				t.Errorf("%s: %d {{STAGE2}} and %d {{/STAGE2}}", name, o, c)
			}
			for stage := Stage1; stage <= Stage2; stage++ {
				if _, err := s.render(tmpl, "http://b", stage); err != nil {
					t.Errorf("%s: %v", name, err)
				}
			}
		}
	}
}
