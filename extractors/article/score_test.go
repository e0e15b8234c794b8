package article_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// sharedDir returns ../shared/extraction/<name> relative to the module root,
// skipping the test when the shared data is not available.
func sharedDir(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found above the test directory")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "extraction", name)
	if _, err := os.Stat(data); err != nil {
		tb.Skipf("shared extraction data %s not available: %v", data, err)
	}
	return data
}

// readGzip returns the decompressed content of a .gz file.
func readGzip(tb testing.TB, path string) []byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("gunzip %s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return b
}

// scrapinghubPage is one page of the scrapinghub benchmark.
type scrapinghubPage struct {
	ID   string
	URL  string
	Body string // expected article text
	HTML []byte
}

// loadScrapinghub reads all pages of the scrapinghub benchmark, sorted by id.
func loadScrapinghub(tb testing.TB) []scrapinghubPage {
	tb.Helper()
	dir := sharedDir(tb, "scrapinghub")
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		tb.Fatalf("read ground truth: %v", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		tb.Fatalf("parse ground truth: %v", err)
	}
	var pages []scrapinghubPage
	for id, t := range truth {
		pages = append(pages, scrapinghubPage{
			ID:   id,
			URL:  t.URL,
			Body: t.ArticleBody,
			HTML: readGzip(tb, filepath.Join(dir, "html", id+".html.gz")),
		})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages
}

// wordRe is Python's Unicode `\w+`.
var wordRe = regexp.MustCompile(`[\p{L}\p{N}\p{Mn}\p{Mc}_]+`)

// shingles returns the multiset of 4-token shingles of text, as the
// scrapinghub benchmark computes them: a text with fewer than four tokens
// yields one shorter shingle.
func shingles(text string) map[string]int {
	tokens := wordRe.FindAllString(text, -1)
	out := make(map[string]int)
	n := max(1, len(tokens)-4+1)
	for i := 0; i < n; i++ {
		end := min(i+4, len(tokens))
		if i >= end {
			break
		}
		out[strings.Join(tokens[i:end], "\x00")]++
	}
	return out
}

// shingleMatch returns true positives, false positives and false negatives
// between the shingle multisets of want and got.
func shingleMatch(want, got string) (tp, fp, fn int) {
	w, g := shingles(want), shingles(got)
	for s, gc := range g {
		wc := w[s]
		tp += min(gc, wc)
		fp += max(0, gc-wc)
	}
	for s, wc := range w {
		fn += max(0, wc-g[s])
	}
	return tp, fp, fn
}

// pagePR is the per-page precision and recall of the benchmark metric.
func pagePR(want, got string) (p, r float64) {
	tp, fp, fn := shingleMatch(want, got)
	if tp+fp == 0 && tp+fn == 0 {
		return 1, 1
	}
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	return p, r
}

func TestShingleMetric(t *testing.T) {
	cases := []struct {
		want, got string
		p, r      float64
	}{
		{"a b c d e", "a b c d e", 1, 1},
		{"a b c d e", "a b c d", 1, 0.5},       // got: 1 shingle, want: 2
		{"a b c d", "a b c d x y z w", 0.2, 1}, // 1 of 5 predicted shingles
		{"Hello, world", "hello world", 0, 0},  // case-sensitive
		{"un été à Paris là", "un été à Paris là", 1, 1},
		{"a b c d", "", 0, 0},
	}
	for _, c := range cases {
		p, r := pagePR(c.want, c.got)
		if p != c.p || r != c.r {
			t.Errorf("pagePR(%q, %q) = %.2f, %.2f; want %.2f, %.2f", c.want, c.got, p, r, c.p, c.r)
		}
	}
}

// minScrapinghubF1 is a floor just below the F1 measured on the 181
// scrapinghub pages (0.9597: P 0.9541, R 0.9654).
const minScrapinghubF1 = 0.955

func TestScrapinghubF1(t *testing.T) {
	pages := loadScrapinghub(t)
	var sumP, sumR float64
	type result struct {
		id   string
		p, r float64
	}
	var results []result
	for _, pg := range pages {
		a, err := article.Extract(pg.HTML, "text/html; charset=utf-8", pg.URL)
		got := ""
		if err == nil {
			got = a.Text
		}
		p, r := pagePR(pg.Body, got)
		sumP += p
		sumR += r
		results = append(results, result{pg.ID, p, r})
	}
	n := float64(len(pages))
	precision, recall := sumP/n, sumR/n
	f1 := 2 * precision * recall / (precision + recall)
	t.Logf("scrapinghub: %d pages, precision %.4f, recall %.4f, F1 %.4f", len(pages), precision, recall, f1)
	if testing.Verbose() {
		sort.Slice(results, func(i, j int) bool {
			return results[i].p+results[i].r < results[j].p+results[j].r
		})
		for _, r := range results[:min(15, len(results))] {
			t.Logf("worst: %s P=%.2f R=%.2f", r.id, r.p, r.r)
		}
	}
	if f1 < minScrapinghubF1 {
		t.Errorf("F1 %.4f below floor %.4f", f1, minScrapinghubF1)
	}
}

// fundusEntry is one line of fundus-publishers/index.json.
type fundusEntry struct {
	HTML         string `json:"html"`
	ExpectedJSON string `json:"expected_json"`
	Version      string `json:"version"`
	URL          string `json:"url"`
}

// fundusExpected holds the expected metadata of one fundus page.
type fundusExpected struct {
	Title          string   `json:"title"`
	Authors        []string `json:"authors"`
	PublishingDate string   `json:"publishing_date"`
}

// Floors just below the rates measured on the 258 fundus pages: titles
// 217/258 = 0.841, dates 251/258 = 0.973, authors 282/318 = 0.887.
const (
	minFundusTitle   = 0.83
	minFundusDate    = 0.96
	minFundusAuthors = 0.87
)

func TestFundusMetadata(t *testing.T) {
	dir := sharedDir(t, "fundus-publishers")
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatalf("read index: %v", err)
	}
	var index []fundusEntry
	if err := json.Unmarshal(raw, &index); err != nil {
		t.Fatalf("parse index: %v", err)
	}
	var (
		titleOK, titleN      int
		dateOK, dateN        int
		authorsHit, authorsN int
	)
	for _, e := range index {
		raw, err := os.ReadFile(filepath.Join(dir, e.ExpectedJSON))
		if err != nil {
			t.Fatalf("read %s: %v", e.ExpectedJSON, err)
		}
		var versions map[string]fundusExpected
		if err := json.Unmarshal(raw, &versions); err != nil {
			t.Fatalf("parse %s: %v", e.ExpectedJSON, err)
		}
		want, ok := versions[e.Version]
		if !ok {
			t.Fatalf("%s has no version %s", e.ExpectedJSON, e.Version)
		}
		a, err := article.Extract(readGzip(t, filepath.Join(dir, e.HTML)), "", e.URL)
		if err != nil {
			a = &article.Article{}
		}
		if want.Title != "" {
			titleN++
			if normTitle(a.Title) == normTitle(want.Title) {
				titleOK++
			} else if testing.Verbose() {
				t.Logf("title %s: got %q want %q", e.HTML, a.Title, want.Title)
			}
		}
		if want.PublishingDate != "" {
			dateN++
			if sameDay(a.Published, want.PublishingDate) {
				dateOK++
			} else if testing.Verbose() {
				t.Logf("date %s: got %v want %q", e.HTML, a.Published, want.PublishingDate)
			}
		}
		got := make(map[string]bool)
		for _, name := range a.Authors {
			got[strings.ToLower(name)] = true
		}
		for _, name := range want.Authors {
			authorsN++
			if got[strings.ToLower(strings.TrimSpace(name))] {
				authorsHit++
			} else if testing.Verbose() {
				t.Logf("author %s: missing %q in %q", e.HTML, name, a.Authors)
			}
		}
	}
	titleRate := float64(titleOK) / float64(titleN)
	dateRate := float64(dateOK) / float64(dateN)
	authorsRecall := float64(authorsHit) / float64(authorsN)
	t.Logf("fundus: title exact %d/%d = %.3f, date to the day %d/%d = %.3f, authors recall %d/%d = %.3f",
		titleOK, titleN, titleRate, dateOK, dateN, dateRate, authorsHit, authorsN, authorsRecall)
	if titleRate < minFundusTitle {
		t.Errorf("title exact-match rate %.3f below floor %.3f", titleRate, minFundusTitle)
	}
	if dateRate < minFundusDate {
		t.Errorf("date rate %.3f below floor %.3f", dateRate, minFundusDate)
	}
	if authorsRecall < minFundusAuthors {
		t.Errorf("authors recall %.3f below floor %.3f", authorsRecall, minFundusAuthors)
	}
}

// normTitle collapses white space, which the fundus titles keep verbatim
// from the page (some end in a space or a zero-width space).
func normTitle(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u200b", "")), " ")
}

// sameDay reports whether got falls on the calendar day of want, a fundus
// timestamp such as "2024-05-03 15:47:42.389000+00:00", in want's offset.
func sameDay(got time.Time, want string) bool {
	if got.IsZero() {
		return false
	}
	if w, err := time.Parse("2006-01-02 15:04:05Z07:00", want); err == nil {
		return got.In(w.Location()).Format(time.DateOnly) == w.Format(time.DateOnly)
	}
	if len(want) >= 10 {
		return got.Format(time.DateOnly) == want[:10]
	}
	return false
}

func BenchmarkExtract(b *testing.B) {
	pages := loadScrapinghub(b)
	var total int64
	for _, p := range pages {
		total += int64(len(p.HTML))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := article.Extract(p.HTML, "text/html; charset=utf-8", p.URL); err != nil {
				b.Fatalf("extract %s: %v", p.ID, err)
			}
		}
	}
}
