package feeds

import (
	"bytes"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

// parseTimeout bounds how long Parse may take on one document, in the fuzz
// target and in the feedparser suite. Any suite file parses in well under a
// millisecond; the margin is for loaded machines and the race detector.
const parseTimeout = 10 * time.Second

// parseOutcome is the result of one call of Parse.
type parseOutcome struct {
	feed *Feed
	err  error
}

// parseBounded runs Parse in a goroutine and reports ok=false if it has not
// returned within parseTimeout. Nothing is recovered: a panic escaping Parse
// crashes the test binary and so fails the test.
func parseBounded(feedURL string, body []byte) (out parseOutcome, ok bool) {
	done := make(chan parseOutcome, 1)
	go func() {
		f, err := Parse(feedURL, body)
		done <- parseOutcome{f, err}
	}()
	timer := time.NewTimer(parseTimeout)
	defer timer.Stop()
	select {
	case out := <-done:
		return out, true
	case <-timer.C:
		return parseOutcome{}, false
	}
}

// checkParse reports, as errors on t, every way in which the result of
// Parse(feedURL, body) breaks Parse's contract.
func checkParse(t testing.TB, feedURL string, body []byte, feed *Feed, err error) {
	t.Helper()
	switch {
	case err != nil:
		if feed != nil {
			t.Errorf("Parse returned a feed along with error %v", err)
		}
		checkParseError(t, feedURL, body, err)
	case feed == nil:
		t.Errorf("Parse returned neither a feed nor an error")
	default:
		checkFeed(t, feedURL, feed)
	}
}

// checkParseError checks that err names the feed and the problem, and that
// it is not a recovered panic: Parse turns those into errors to protect the
// daemon, but each one is a bug in the parser or in convert.
func checkParseError(t testing.TB, feedURL string, body []byte, err error) {
	t.Helper()
	msg := err.Error()
	prefix := "parse feed " + feedURL + ": "
	reason, ok := strings.CutPrefix(msg, prefix)
	if !ok {
		t.Errorf("error %q does not start with %q", msg, prefix)
	}
	if strings.TrimSpace(reason) == "" {
		t.Errorf("error %q does not say what is wrong", msg)
	}
	if errors.Is(err, errParserPanic) {
		t.Errorf("Parse recovered a panic: %v", err)
	}
	if empty, isEmpty := len(bytes.TrimSpace(body)) == 0, errors.Is(err, ErrEmpty); empty != isEmpty {
		t.Errorf("body is blank: %v, but error %q wraps ErrEmpty: %v", empty, msg, isEmpty)
	}
}

// checkFeed checks the properties that Feed and Item document.
func checkFeed(t testing.TB, feedURL string, f *Feed) {
	t.Helper()
	if f.URL != feedURL {
		t.Errorf("feed URL = %q, want %q", f.URL, feedURL)
	}
	checkPlain(t, "feed title", f.Title)
	base, err := url.Parse(feedURL)
	absBase := err == nil && base.IsAbs()
	for i, it := range f.Items {
		if it.FeedURL != f.URL || it.FeedTitle != f.Title {
			t.Errorf("item %d: FeedURL, FeedTitle = %q, %q; want the feed's %q, %q", i, it.FeedURL, it.FeedTitle, f.URL, f.Title)
		}
		checkPlain(t, "item title", it.Title)
		for _, field := range []struct{ name, v string }{{"GUID", it.GUID}, {"Link", it.Link}} {
			if field.v != strings.TrimSpace(field.v) || !utf8.ValidString(field.v) {
				t.Errorf("item %d: %s %q is not trimmed, valid UTF-8", i, field.name, field.v)
			}
		}
		if it.Link != "" && absBase {
			// A link that parses as a URL has been resolved against the feed.
			if u, err := url.Parse(it.Link); err == nil && !u.IsAbs() {
				t.Errorf("item %d: Link %q is relative to the absolute feed URL %q", i, it.Link, feedURL)
			}
		}
		if want := it.GUID; want == "" && it.Key() != it.Link || want != "" && it.Key() != want {
			t.Errorf("item %d: Key() = %q with GUID %q and Link %q", i, it.Key(), it.GUID, it.Link)
		}
		if !utf8.ValidString(it.Summary) || !utf8.ValidString(it.Content) {
			t.Errorf("item %d: Summary %q or Content %q is not valid UTF-8", i, it.Summary, it.Content)
		}
		seen := make(map[string]bool)
		for _, a := range it.Authors {
			if a == "" || a != strings.TrimSpace(a) || !utf8.ValidString(a) || seen[a] {
				t.Errorf("item %d: author %q in %q is empty, untrimmed, invalid UTF-8 or repeated", i, a, it.Authors)
			}
			seen[a] = true
		}
		if !it.Published.IsZero() && it.Published.Location() != time.UTC {
			t.Errorf("item %d: Published %v is not in UTC", i, it.Published)
		}
	}
}

// checkPlain checks that s is what PlainText returns: valid UTF-8 with runs
// of white space collapsed to one space and none at either end.
func checkPlain(t testing.TB, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) || s != strings.Join(strings.Fields(s), " ") {
		t.Errorf("%s %q is not collapsed plain text in valid UTF-8", what, s)
	}
}

// fuzzSeeds are small documents at the edges of what feeds look like.
var fuzzSeeds = []string{
	"",
	" \n\t",
	"<rss/>",
	"{}",
	"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item>" +
		"<guid> urn:x:1 </guid><link> /rel/a b </link><title>A &amp; B</title></item></channel></rss>",
	// Only a GUID, which is a URL: it becomes the link.
	"<rss version='2.0'><channel><item><guid>https://example.com/g</guid></item></channel></rss>",
	// HTML and scripts in titles; an undefined entity; CDATA.
	"<rss version='2.0'><channel><title><![CDATA[<script>x()</script>Hi]]></title><item>" +
		"<title>&lt;b&gt;bold&lt;/b&gt; &nbsp; &#x201C;q&#x201D;</title>" +
		"<description><![CDATA[<p>kept</p>]]></description></item></channel></rss>",
	"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://other.example/'>" +
		"<title type='html'>&lt;i&gt;Atom&lt;/i&gt;</title><entry><id>tag:x,2024:1</id>" +
		"<link rel='alternate' href='../up'/><author><name> </name><email> a@b.c </email></author>" +
		"<author><name>A</name></author><author><name>A</name></author>" +
		"<published>2024-02-30T25:61:00+14:00</published><updated>2024-03-01T00:00:00-12:00</updated></entry></feed>",
	"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>" +
		"<channel><title>R</title></channel><item rdf:about='http://example.com/r'><title>r</title></item></rdf:RDF>",
	`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"rel","title":"<b>x</b>",` +
		`"authors":[{"name":""},{"name":"N"},{"url":"https://a"}],"date_published":"2024-13-45T00:00:00Z"},{}]}`,
	`{"version":"https://jsonfeed.org/version/1","items":[null,1,"x",[]],"author":null}`,
	`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":" 2 ","url":" https://x.example/%zz ",` +
		`"date_published":"2024-05-01T10:00:00+02:00","authors":[{"name":" <i>N</i> "},{"name":"N"}]}]}`,
	// Declared UTF-8 but not; declared windows-1252 with its curly quotes.
	"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>\xff\xfe bad</title></channel></rss>",
	"<?xml version='1.0' encoding='windows-1252'?><rss version='2.0'><channel><title>\x93q\x94</title></channel></rss>",
	"<?xml version='1.0' encoding='bogus-8'?><rss version='2.0'><channel/></rss>",
	"\xef\xbb\xbf<rss version='2.0'><channel><item><title>BOM</title></item></channel></rss>",
	"<rss version='2.0'><channel><item><title>" + strings.Repeat("<div>", 200) + "deep</title></item></channel></rss>",
	"<rss version='2.0'><channel><item><pubDate>Tue, 31 Feb 2024 99:99:99 +9999</pubDate></item></channel></rss>",
	"<rss version='2.0'><channel><item><title>unclosed",
	"<!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]><rss><channel><title>&b;</title></channel></rss>",
}

// FuzzParse checks that Parse returns within parseTimeout, without
// panicking (recovered panics count), either a feed or a clear error, and
// that a parsed feed keeps the promises of Feed and Item: plain-text titles,
// trimmed GUIDs and links, absolute links, UTC dates, valid UTF-8.
//
// The seed corpus is fuzzSeeds, testdata/ and, if present, a sample of the
// feedparser suite. Run beyond it with
//
//	go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=60s ./pipeline/feeds/
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// UTF-16 without a byte order mark, detected from the layout of '<'.
	if b, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(fuzzSeeds[4])); err == nil {
		f.Add(b)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, b := range feedparserSample(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		out, ok := parseBounded(testFeedURL, body)
		if !ok {
			t.Fatalf("Parse did not return within %v on %d bytes", parseTimeout, len(body))
		}
		checkParse(t, testFeedURL, body, out.feed, out.err)
	})
}

// feedparserSample returns about thirty files of the feedparser suite, from
// all its directories, and every file whose name says it once crashed a
// parser; nothing if the suite is absent.
func feedparserSample(tb testing.TB) [][]byte {
	root, err := findFeedparserDir()
	if err != nil {
		tb.Logf("no feedparser seeds: %v", err)
		return nil
	}
	var paths []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	stride := max(len(paths)/30, 1)
	for i, path := range paths {
		if i%stride != 0 && !strings.Contains(filepath.Base(path), "crash") {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
