// Package extracteval scores article extraction on the real-world pages in
// ../shared/extraction: the main text on the scrapinghub
// article-extraction-benchmark with the benchmark's own shingle metric, and
// the metadata (title, publication date, authors) on the Fundus publisher
// test pages. The accordwatch extract-eval command, the floors in
// extractors/article's tests and the peer comparison all use it, so that
// every figure is computed the same way.
package extracteval

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// Set names.
const (
	Scrapinghub = "scrapinghub"
	Fundus      = "fundus"
)

// DefaultDir is the location of the shared extraction data relative to the
// repository root.
var DefaultDir = filepath.Join("..", "shared", "extraction")

// FindDir returns the shared extraction directory for a process running
// anywhere inside the repository: ../shared/extraction beside the
// directory that holds the outermost go.mod above the working directory.
func FindDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	found := ""
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if d := filepath.Join(dir, DefaultDir); isDir(d) {
				found = d
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	if found == "" {
		return "", errors.New("extracteval: ../shared/extraction not found beside the repository")
	}
	return found, nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// TextPage is one page of the scrapinghub benchmark.
type TextPage struct {
	ID   string
	URL  string
	Want string // the expected article body
	HTML []byte
}

// LoadScrapinghub reads the pages of the scrapinghub benchmark under dir
// (the shared extraction directory), sorted by id.
func LoadScrapinghub(dir string) ([]TextPage, error) {
	dir = filepath.Join(dir, "scrapinghub")
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("extracteval: %w", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("extracteval: parse ground truth: %w", err)
	}
	pages := make([]TextPage, 0, len(truth))
	for id, t := range truth {
		page, err := readGzip(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		pages = append(pages, TextPage{ID: id, URL: t.URL, Want: t.ArticleBody, HTML: page})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	return pages, nil
}

// MetaPage is one Fundus publisher test page with its expected metadata.
type MetaPage struct {
	Path    string // the page's path under fundus-publishers, e.g. "de/BR_2024_04_22.html.gz"
	URL     string
	HTML    []byte
	Title   string
	Authors []string
	Date    string // e.g. "2024-05-03 15:47:42.389000+00:00"; empty if none
	// Body is the expected main text: the summary, then each section's
	// headline and paragraphs, one per line pair; empty if none.
	Body string
}

// fundusBody is the article body of a Fundus expected file.
type fundusBody struct {
	Summary  []string `json:"summary"`
	Sections []struct {
		Headline   []string `json:"headline"`
		Paragraphs []string `json:"paragraphs"`
	} `json:"sections"`
}

// text returns the body's paragraphs in reading order, one per line pair.
func (b *fundusBody) text() string {
	if b == nil {
		return ""
	}
	parts := append([]string(nil), b.Summary...)
	for _, s := range b.Sections {
		parts = append(parts, s.Headline...)
		parts = append(parts, s.Paragraphs...)
	}
	return strings.Join(parts, "\n\n")
}

// FundusText returns the Fundus pages that have an expected body as main
// text pages, identified by their path, for scoring with ScoreText.
func FundusText(pages []MetaPage) []TextPage {
	out := make([]TextPage, 0, len(pages))
	for _, p := range pages {
		if p.Body != "" {
			out = append(out, TextPage{ID: p.Path, URL: p.URL, Want: p.Body, HTML: p.HTML})
		}
	}
	return out
}

// LoadFundus reads the Fundus publisher pages under dir (the shared
// extraction directory) in the order of their index.
func LoadFundus(dir string) ([]MetaPage, error) {
	dir = filepath.Join(dir, "fundus-publishers")
	raw, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, fmt.Errorf("extracteval: %w", err)
	}
	var index []struct {
		HTML         string `json:"html"`
		ExpectedJSON string `json:"expected_json"`
		Version      string `json:"version"`
		URL          string `json:"url"`
	}
	if err := json.Unmarshal(raw, &index); err != nil {
		return nil, fmt.Errorf("extracteval: parse fundus index: %w", err)
	}
	type expected struct {
		Title          string      `json:"title"`
		Authors        []string    `json:"authors"`
		PublishingDate string      `json:"publishing_date"`
		Body           *fundusBody `json:"body"`
	}
	files := make(map[string]map[string]expected)
	pages := make([]MetaPage, 0, len(index))
	for _, e := range index {
		versions, ok := files[e.ExpectedJSON]
		if !ok {
			raw, err := os.ReadFile(filepath.Join(dir, e.ExpectedJSON))
			if err != nil {
				return nil, fmt.Errorf("extracteval: %w", err)
			}
			if err := json.Unmarshal(raw, &versions); err != nil {
				return nil, fmt.Errorf("extracteval: parse %s: %w", e.ExpectedJSON, err)
			}
			files[e.ExpectedJSON] = versions
		}
		want, ok := versions[e.Version]
		if !ok {
			return nil, fmt.Errorf("extracteval: %s has no version %s", e.ExpectedJSON, e.Version)
		}
		page, err := readGzip(filepath.Join(dir, e.HTML))
		if err != nil {
			return nil, err
		}
		pages = append(pages, MetaPage{
			Path: e.HTML, URL: e.URL, HTML: page,
			Title: want.Title, Authors: want.Authors, Date: want.PublishingDate,
			Body: want.Body.text(),
		})
	}
	return pages, nil
}

// readGzip returns the decompressed content of a .gz file.
func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("extracteval: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("extracteval: gunzip %s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("extracteval: read %s: %w", path, err)
	}
	return b, nil
}

// TextExtractor returns the main text of an HTML page. An error counts as
// an empty text.
type TextExtractor func(page []byte, pageURL string) (string, error)

// ArticleText is the TextExtractor of accordwatch's own extractor. The
// benchmark's pages are UTF-8.
func ArticleText(page []byte, pageURL string) (string, error) {
	a, err := article.Extract(page, "text/html; charset=utf-8", pageURL)
	if err != nil {
		return "", err
	}
	return a.Text, nil
}

// ArticleTextSniffed is ArticleText for pages served without a
// Content-Type header, such as the Fundus pages: the charset is found in
// the page.
func ArticleTextSniffed(page []byte, pageURL string) (string, error) {
	a, err := article.Extract(page, "", pageURL)
	if err != nil {
		return "", err
	}
	return a.Text, nil
}

// TextResult is the score of one page.
type TextResult struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Counts    Counts  `json:"-"`
	Err       string  `json:"error,omitempty"`
}

// TextReport is the score of an extractor on a set of pages.
type TextReport struct {
	Set       string       `json:"set"` // Scrapinghub or Fundus
	Pages     int          `json:"pages"`
	Precision float64      `json:"precision"`
	Recall    float64      `json:"recall"`
	F1        float64      `json:"f1"`
	Results   []TextResult `json:"results"`
}

// ScoreText extracts the text of every page of a set and scores it
// against the expected body with the scrapinghub benchmark's metric.
func ScoreText(set string, pages []TextPage, extract TextExtractor) TextReport {
	rep := TextReport{Set: set, Pages: len(pages), Results: make([]TextResult, 0, len(pages))}
	counts := make([]Counts, 0, len(pages))
	for _, p := range pages {
		got, err := extract(p.HTML, p.URL)
		r := TextResult{ID: p.ID, URL: p.URL}
		if err != nil {
			got, r.Err = "", err.Error()
		}
		r.Counts = Match(p.Want, got)
		r.Precision, r.Recall = r.Counts.Precision(), r.Counts.Recall()
		counts = append(counts, r.Counts)
		rep.Results = append(rep.Results, r)
	}
	rep.Precision, rep.Recall, rep.F1 = Summarize(counts)
	return rep
}

// Worst returns up to n results with the lowest sum of precision and
// recall, worst first.
func (r TextReport) Worst(n int) []TextResult {
	out := append([]TextResult(nil), r.Results...)
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Precision+out[i].Recall < out[j].Precision+out[j].Recall
	})
	return out[:min(n, len(out))]
}

// Metadata is what the metadata score looks at.
type Metadata struct {
	Title     string
	Authors   []string
	Published time.Time
}

// MetaExtractor returns the metadata of an HTML page. An error counts as
// empty metadata.
type MetaExtractor func(page []byte, pageURL string) (Metadata, error)

// ArticleMetadata is the MetaExtractor of accordwatch's own extractor. The
// Fundus pages come without an HTTP header, so the charset is found as for
// a page served without one.
func ArticleMetadata(page []byte, pageURL string) (Metadata, error) {
	a, err := article.Extract(page, "", pageURL)
	if err != nil {
		return Metadata{}, err
	}
	return Metadata{Title: a.Title, Authors: a.Authors, Published: a.Published}, nil
}

// MetaResult is the outcome on one page; fields with no expected value
// are left empty and count as right.
type MetaResult struct {
	Path           string   `json:"path"`
	TitleOK        bool     `json:"title_ok"`
	DateOK         bool     `json:"date_ok"`
	AuthorsFound   int      `json:"authors_found"`
	AuthorsWanted  int      `json:"authors_wanted"`
	GotTitle       string   `json:"got_title,omitempty"`
	WantTitle      string   `json:"want_title,omitempty"`
	GotDate        string   `json:"got_date,omitempty"`
	WantDate       string   `json:"want_date,omitempty"`
	GotAuthors     []string `json:"got_authors,omitempty"`
	MissingAuthors []string `json:"missing_authors,omitempty"`
	Err            string   `json:"error,omitempty"`
}

// Misses returns the number of fields (title, date, each missing author)
// wrong on the page.
func (r MetaResult) Misses() int {
	n := r.AuthorsWanted - r.AuthorsFound
	if !r.TitleOK {
		n++
	}
	if !r.DateOK {
		n++
	}
	return n
}

// MetaReport is the metadata score of an extractor on a set of pages.
type MetaReport struct {
	Pages         int          `json:"pages"`
	TitleOK       int          `json:"title_ok"`
	TitleN        int          `json:"title_n"`
	Title         float64      `json:"title"`
	DateOK        int          `json:"date_ok"`
	DateN         int          `json:"date_n"`
	Date          float64      `json:"date"`
	AuthorsFound  int          `json:"authors_found"`
	AuthorsN      int          `json:"authors_n"`
	AuthorsRecall float64      `json:"authors_recall"`
	Results       []MetaResult `json:"results"`
}

// ScoreMetadata extracts the metadata of every page and compares it with
// the expected values: the title must be exactly right (white space
// aside), the date right to the day in the expected value's time zone, and
// each expected author must be among the names found (ignoring case).
func ScoreMetadata(pages []MetaPage, extract MetaExtractor) MetaReport {
	rep := MetaReport{Pages: len(pages), Results: make([]MetaResult, 0, len(pages))}
	for _, p := range pages {
		got, err := extract(p.HTML, p.URL)
		r := MetaResult{Path: p.Path, TitleOK: true, DateOK: true}
		if err != nil {
			got, r.Err = Metadata{}, err.Error()
		}
		if p.Title != "" {
			rep.TitleN++
			if NormTitle(got.Title) == NormTitle(p.Title) {
				rep.TitleOK++
			} else {
				r.TitleOK, r.GotTitle, r.WantTitle = false, got.Title, p.Title
			}
		}
		if p.Date != "" {
			rep.DateN++
			if SameDay(got.Published, p.Date) {
				rep.DateOK++
			} else {
				r.DateOK, r.WantDate = false, p.Date
				if !got.Published.IsZero() {
					r.GotDate = got.Published.Format(time.RFC3339)
				}
			}
		}
		names := make(map[string]bool, len(got.Authors))
		for _, name := range got.Authors {
			names[strings.ToLower(name)] = true
		}
		for _, name := range p.Authors {
			r.AuthorsWanted++
			if names[strings.ToLower(strings.TrimSpace(name))] {
				r.AuthorsFound++
			} else {
				r.MissingAuthors = append(r.MissingAuthors, name)
			}
		}
		if len(r.MissingAuthors) > 0 {
			r.GotAuthors = got.Authors
		}
		rep.AuthorsN += r.AuthorsWanted
		rep.AuthorsFound += r.AuthorsFound
		rep.Results = append(rep.Results, r)
	}
	rep.Title = ratio(rep.TitleOK, rep.TitleN)
	rep.Date = ratio(rep.DateOK, rep.DateN)
	rep.AuthorsRecall = ratio(rep.AuthorsFound, rep.AuthorsN)
	return rep
}

// Worst returns up to n pages with at least one wrong field, those with
// the most wrong fields first.
func (r MetaReport) Worst(n int) []MetaResult {
	var out []MetaResult
	for _, res := range r.Results {
		if res.Misses() > 0 {
			out = append(out, res)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Misses() > out[j].Misses() })
	return out[:min(n, len(out))]
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// NormTitle collapses white space and drops zero-width spaces, which the
// expected titles keep verbatim from the page (some end in a space or a
// zero-width space).
func NormTitle(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u200b", "")), " ")
}

// SameDay reports whether got falls on the calendar day of want, a Fundus
// timestamp such as "2024-05-03 15:47:42.389000+00:00", in want's time
// zone; a timestamp without zone is compared with got's own date.
func SameDay(got time.Time, want string) bool {
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
