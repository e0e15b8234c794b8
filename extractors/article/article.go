// Package article extracts the main text and the metadata (title, authors,
// publication date, outlet, language) of a news article from the HTML of
// its page.
//
// Metadata is read from JSON-LD first, then OpenGraph and other meta tags,
// microdata, <time> elements and finally the document title. The text comes
// from the JSON-LD articleBody when that is substantial, and otherwise from
// the page content with a readability-style scoring of containers after
// navigation, comments, share buttons and similar chrome are removed.
package article

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Article is the extracted content of a news page.
type Article struct {
	// URL is the page's URL as given to Extract.
	URL string
	// Title is the headline as plain text.
	Title string
	// Authors holds the authors' names, deduplicated, in byline order.
	Authors []string
	// Published is the publication time, or the zero time if unknown.
	Published time.Time
	// SiteName is the outlet's name; if the page does not state it, the
	// host of URL without "www.".
	SiteName string
	// Lang is the declared language of the page, such as "en" or "de-AT".
	Lang string
	// Text is the main text: paragraphs, headings, quotations and list
	// items, each its own paragraph, separated by a blank line.
	Text string
}

// ErrNoContent is returned by Extract for a page that has neither a title
// nor any text.
var ErrNoContent = errors.New("article: no content found")

// minLinkedDataBody is the length from which a JSON-LD articleBody is
// trusted as the article's text.
const minLinkedDataBody = 200

// minDOMText is the text length below which extraction is retried without
// removing containers by class name.
const minDOMText = 500

// Extract reads an HTML page and returns its article. contentType is the
// value of the HTTP Content-Type header and may be empty; pageURL is the
// page's URL and may be empty. Extract converts the page to UTF-8 first,
// using the charset from the header, a byte order mark or a <meta> tag.
func Extract(body []byte, contentType, pageURL string) (*Article, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrNoContent
	}
	text, err := toUTF8(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("extract %q: %w", pageURL, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("extract %q: parse html: %w", pageURL, err)
	}
	placeStreamedSegments(doc.Get(0))
	var u *url.URL
	host := ""
	if pageURL != "" {
		if parsed, err := url.Parse(pageURL); err == nil {
			u = parsed
			host = strings.TrimPrefix(strings.ToLower(parsed.Hostname()), "www.")
		}
	}

	meta := readMetaTags(doc)
	ld := parseLinkedData(doc)
	a := &Article{URL: pageURL}
	a.SiteName = extractSiteName(meta, ld, host)
	a.Title = extractTitle(doc, meta, ld, a.SiteName, host)
	a.Authors = extractAuthors(doc, meta, ld, a.SiteName, host)
	a.Published = extractPublished(doc, meta, ld, u)
	a.Lang = extractLang(doc, meta, ld)

	paras := domText(doc, text, a.Title)
	if usableBody(ld.Body, paras) {
		paras = splitBody(ld.Body)
	}
	a.Text = strings.Join(filterParagraphs(paras, a.Title), "\n\n")

	if a.Title == "" && a.Text == "" {
		return nil, ErrNoContent
	}
	return a, nil
}

// usableBody reports whether a JSON-LD articleBody should be preferred to
// the text extracted from the page: it must be substantial, not a teaser
// cut off with an ellipsis, and not much shorter than the page's text.
func usableBody(body string, dom []string) bool {
	n := runeLen(body)
	if n < minLinkedDataBody {
		return false
	}
	trimmed := strings.TrimSpace(body)
	if strings.HasSuffix(trimmed, "…") || strings.HasSuffix(trimmed, "...") || strings.HasSuffix(trimmed, "[…]") {
		return false
	}
	return float64(n) >= 0.6*float64(textLen(dom))
}

// domText extracts the main text from the parsed page, retrying on a fresh
// parse of page without class-based pruning if that finds too little.
func domText(doc *goquery.Document, page []byte, title string) []string {
	root := doc.Find("body").First()
	if root.Length() == 0 {
		return nil
	}
	paras := extractText(root.Get(0), true, title)
	if textLen(paras) >= minDOMText {
		return paras
	}
	fresh, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return paras
	}
	placeStreamedSegments(fresh)
	// Pages rendered in the browser carry the article in their scripts.
	hydrated := hydratedText(fresh)
	body := goquery.NewDocumentFromNode(fresh).Find("body").First()
	if body.Length() > 0 {
		// The retry keeps bylines and other small blocks the strict
		// pass rightly drops, so it must find much more text to be
		// preferred.
		if retry := extractText(body.Get(0), false, title); textLen(retry) > 2*textLen(paras) {
			paras = retry
		}
	}
	if textLen(paras) < minDOMText && textLen(hydrated) > 2*textLen(paras) {
		return hydrated
	}
	return paras
}

// textLen returns the total length, in runes, of paras.
func textLen(paras []string) int {
	n := 0
	for _, p := range paras {
		n += runeLen(p)
	}
	return n
}

// gluedParagraphRe finds a sentence end directly followed by the capital
// letter that starts the next paragraph.
var gluedParagraphRe = regexp.MustCompile(`([\p{Ll}\d%)][.!?]["”’»]?)(\p{Lu}\p{Ll})`)

// doubleEscapedRe finds a character reference whose ampersand was escaped
// once more.
var doubleEscapedRe = regexp.MustCompile(`&amp;(?:[a-zA-Z]{2,8}|#[0-9]{2,6}|#[xX][0-9a-fA-F]{2,6});`)

// splitBody splits a JSON-LD articleBody into paragraphs. Bodies that carry
// HTML markup are converted to text first.
func splitBody(body string) []string {
	if doubleEscapedRe.MatchString(body) {
		// Character references escaped twice: "&amp;ccedil;".
		body = html.UnescapeString(body)
	}
	if strings.Contains(body, "&lt;") {
		// Markup escaped once more than it should be.
		if u := html.UnescapeString(body); hasMarkup(u) {
			body = u
		}
	}
	if hasMarkup(body) {
		// Paragraphs may be separated by blank lines rather than by
		// tags.
		body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n", "\n<br>\n")
		nodes, err := html.Parse(strings.NewReader(body))
		if err == nil {
			return appendParagraphs(nil, nodes)
		}
	}
	if !strings.Contains(body, "\n") {
		// Bodies made by stripping the <p> tags glue the paragraphs
		// together: "...79 moons.The find ...".
		body = gluedParagraphRe.ReplaceAllString(body, "$1\n$2")
	}
	var paras []string
	for _, line := range strings.Split(body, "\n") {
		if line = plainText(line); line != "" {
			paras = append(paras, line)
		}
	}
	return paras
}

// hasMarkup reports whether s contains HTML tags.
func hasMarkup(s string) bool {
	return strings.Contains(s, "</") || strings.Contains(s, "<br") || strings.Contains(s, "<p>")
}

// boilerplateLines are whole paragraphs that are never article text.
var boilerplateLines = map[string]bool{
	"advertisement": true, "advertisment": true, "anzeige": true, "werbung": true, "publicité": true,
	"publicidad": true, "pubblicità": true, "sponsored": true, "story continues below advertisement": true,
	"continue reading below": true, "article continues below": true, "scroll to continue with content": true,
	"read more": true, "share": true, "share this article": true, "comments": true,
	"advert": true, "publicidade": true, "reklame": true, "reklama": true, "annonse": true, "annons": true,
	"tags": true, "ad": true,
}

// noScriptRe matches the notices shown in place of a video, a slideshow or
// an embed when scripts do not run.
var noScriptRe = regexp.MustCompile(`(?i)(?:enable|requires|turn on|activate)\b.{0,40}\bjavascript|javascript\b.{0,40}\b(?:enabled|required|disabled)`)

// filterParagraphs drops paragraphs that repeat the title and known
// boilerplate lines.
func filterParagraphs(paras []string, title string) []string {
	out := paras[:0]
	for i, p := range paras {
		lower := strings.ToLower(p)
		if boilerplateLines[strings.TrimRight(lower, " .:")] {
			continue
		}
		if len(p) < 200 && noScriptRe.MatchString(p) {
			continue
		}
		if i < 3 && title != "" && strings.EqualFold(p, title) {
			continue
		}
		out = append(out, p)
	}
	return out
}
