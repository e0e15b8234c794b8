package feeds

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
)

const testFeedURL = "https://news.example.org/feed.xml"

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, name string) *Feed {
	t.Helper()
	f, err := Parse(testFeedURL, readTestdata(t, name))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

func TestParseRSS(t *testing.T) {
	f := mustParse(t, "rss2.xml")
	if f.URL != testFeedURL || f.Title != "Cyber Diplomacy Weekly" {
		t.Errorf("feed URL, Title = %q, %q", f.URL, f.Title)
	}
	if len(f.Items) != 2 {
		t.Fatalf("got %d items, want 2", len(f.Items))
	}
	it := f.Items[0]
	want := Item{
		FeedURL:   testFeedURL,
		FeedTitle: "Cyber Diplomacy Weekly",
		GUID:      "urn:example:4711",
		Link:      "https://news.example.org/2024/estonia-finland",
		Title:     "Estonia & Finland back the UN cyber norms",
		Summary:   "Both governments <b>endorsed</b> the report.",
		Content:   "<p>Both governments <b>endorsed</b> the report.</p>",
		Authors:   []string{"Kadri Tamm"},
		Published: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC),
	}
	assertItem(t, it, want)
	if it.Key() != "urn:example:4711" {
		t.Errorf("Key() = %q, want the GUID", it.Key())
	}
	// A relative link is resolved against the feed URL.
	if got := f.Items[1].Link; got != "https://news.example.org/2024/relative" {
		t.Errorf("relative link = %q", got)
	}
	if !f.Items[1].Published.IsZero() {
		t.Errorf("Published = %v for an item without dates, want zero", f.Items[1].Published)
	}
}

func assertItem(t *testing.T, got, want Item) {
	t.Helper()
	if !got.Published.Equal(want.Published) {
		t.Errorf("Published = %v, want %v", got.Published, want.Published)
	}
	got.Published, want.Published = time.Time{}, time.Time{}
	if !slices.Equal(got.Authors, want.Authors) {
		t.Errorf("Authors = %q, want %q", got.Authors, want.Authors)
	}
	got.Authors, want.Authors = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("item =\n%#v\nwant\n%#v", got, want)
	}
}

func TestParseAtom(t *testing.T) {
	f := mustParse(t, "atom.xml")
	if f.Title != "Ministry Press Releases" {
		t.Errorf("Title = %q", f.Title)
	}
	if len(f.Items) != 2 {
		t.Fatalf("got %d items, want 2", len(f.Items))
	}
	assertItem(t, f.Items[0], Item{
		FeedURL:   testFeedURL,
		FeedTitle: "Ministry Press Releases",
		GUID:      "tag:gov.example.net,2024:press/17",
		Link:      "https://gov.example.net/press/paris-call",
		Title:     "Joint statement on the Paris Call",
		Summary:   "A short summary.",
		Content:   "<p>The full text.</p>",
		Authors:   []string{"Press Office", "Jane Doe"},
		Published: time.Date(2024, 3, 30, 6, 15, 0, 0, time.UTC), // published wins over updated
	})
	// Without a published date, the updated date is used.
	if got, want := f.Items[1].Published, time.Date(2024, 4, 2, 10, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Published from updated = %v, want %v", got, want)
	}
}

func TestParseJSONFeed(t *testing.T) {
	f := mustParse(t, "feed.json")
	if f.Title != "Accord Tracker" || len(f.Items) != 1 {
		t.Fatalf("feed = %q with %d items", f.Title, len(f.Items))
	}
	assertItem(t, f.Items[0], Item{
		FeedURL:   testFeedURL,
		FeedTitle: "Accord Tracker",
		GUID:      "2024-05-01-budapest",
		Link:      "https://tracker.example.com/2024/05/01/budapest",
		Title:     "Budapest Convention: two new ratifications",
		Summary:   "Two states ratified.",
		Content:   "<p>Two states <i>ratified</i>.</p>",
		Authors:   []string{"Tracker Desk"},
		Published: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
	})
}

func TestParseKeyFallsBackToLink(t *testing.T) {
	f := mustParse(t, "rss_noguid.xml")
	var keys []string
	for _, it := range f.Items {
		keys = append(keys, it.Key())
	}
	want := []string{"https://blog.example.com/first", "https://blog.example.com/second"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
}

func TestItemKey(t *testing.T) {
	for _, tc := range []struct {
		item Item
		want string
	}{
		{Item{GUID: "g", Link: "https://l"}, "g"},
		{Item{GUID: " g ", Link: "https://l"}, "g"},
		{Item{GUID: "  ", Link: " https://l "}, "https://l"},
		{Item{}, ""},
	} {
		if got := tc.item.Key(); got != tc.want {
			t.Errorf("%+v.Key() = %q, want %q", tc.item, got, tc.want)
		}
	}
}

func TestParseLegacyEncodings(t *testing.T) {
	for _, tc := range []struct {
		file, feedTitle, itemTitle string
	}{
		{"rss_windows1252.xml", "Café diplomatique", "“Norms” cost €5 – naïve?"},
		{"rss_iso88591.xml", "Délégation française", "Schöne Grüße ½"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := readTestdata(t, tc.file)
			if utf8.Valid(body) {
				t.Fatalf("fixture %s is valid UTF-8; it must be in a legacy encoding", tc.file)
			}
			f := mustParse(t, tc.file)
			if f.Title != tc.feedTitle {
				t.Errorf("feed title = %q, want %q", f.Title, tc.feedTitle)
			}
			if len(f.Items) != 1 || f.Items[0].Title != tc.itemTitle {
				t.Fatalf("items = %+v, want one titled %q", f.Items, tc.itemTitle)
			}
		})
	}
}

func TestParseUTF16(t *testing.T) {
	utf8Body := readTestdata(t, "rss2.xml")
	// Declare the encoding that the bytes will actually have.
	decl := strings.Replace(string(utf8Body), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	for _, tc := range []struct {
		name  string
		order unicode.Endianness
		bom   unicode.BOMPolicy
	}{
		{"LE with BOM", unicode.LittleEndian, unicode.UseBOM},
		{"BE with BOM", unicode.BigEndian, unicode.UseBOM},
		{"BE without BOM", unicode.BigEndian, unicode.IgnoreBOM},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := unicode.UTF16(tc.order, tc.bom).NewEncoder().Bytes([]byte(decl))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(testFeedURL, body)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != "Cyber Diplomacy Weekly" || len(f.Items) != 2 ||
				f.Items[0].Title != "Estonia & Finland back the UN cyber norms" {
				t.Errorf("UTF-16 feed parsed as %q with items %+v", f.Title, f.Items)
			}
		})
	}
}

func TestParseHostileTitle(t *testing.T) {
	f := mustParse(t, "rss_script_title.xml")
	if f.Title != "Hostile feed" {
		t.Errorf("feed title = %q, want %q", f.Title, "Hostile feed")
	}
	var titles []string
	for _, it := range f.Items {
		titles = append(titles, it.Title)
	}
	if want := []string{"Hello", "Hello world"}; !slices.Equal(titles, want) {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	// Summary and content are passed through untouched, for later stages.
	if got := f.Items[1].Summary; got != "<script>alert(2)</script><p>kept as given</p>" {
		t.Errorf("Summary = %q", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"malformed XML", readTestdata(t, "malformed.xml")},
		{"empty", nil},
		{"whitespace", []byte(" \n\t ")},
		{"HTML page", []byte("<!DOCTYPE html><html><body>not a feed</body></html>")},
		{"truncated JSON feed", readTestdata(t, "feed.json")[:120]},
		{"binary", []byte{0x00, 0xff, 0x13, 0x37, 0x00}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(testFeedURL, tc.body)
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error", f)
			}
			if f != nil {
				t.Errorf("Parse returned a feed along with error %v", err)
			}
			if !strings.Contains(err.Error(), testFeedURL) {
				t.Errorf("error %q does not name the feed URL", err)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  plain   text\n\there ", "plain text here"},
		{"<script>alert(1)</script>Hello", "Hello"},
		{"<SCRIPT type='x'>alert(1)</SCRIPT>Hello", "Hello"},
		{"Hi <script>never closed", "Hi"},
		{"a<style>p{}</style>b", "ab"},
		{"<b>bold</b> &amp; <i>italic</i>", "bold & italic"},
		{"AT&T &lt;3 &#8220;quotes&#8221; &nbsp;x", "AT&T <3 “quotes” x"},
		{"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"line<br>break<p>para</p>end", "line break para end"},
		{"<!-- comment -->visible", "visible"},
		{"<img src=x onerror=alert(1)>", ""},
	} {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
