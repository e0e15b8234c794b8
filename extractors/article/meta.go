package article

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// metaTags maps lower-cased meta names (the property, name, itemprop or
// http-equiv attribute) to their content values in document order.
type metaTags map[string][]string

// readMetaTags collects the <meta> tags of doc.
func readMetaTags(doc *goquery.Document) metaTags {
	tags := make(metaTags)
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			content, ok = s.Attr("value")
		}
		content = strings.TrimSpace(content)
		if !ok || content == "" {
			return
		}
		for _, attr := range []string{"property", "name", "itemprop", "http-equiv"} {
			if key, ok := s.Attr(attr); ok {
				for _, k := range strings.Fields(strings.ToLower(key)) {
					tags[k] = append(tags[k], content)
				}
			}
		}
	})
	return tags
}

// first returns the first value of the first key that has one.
func (m metaTags) first(keys ...string) string {
	for _, k := range keys {
		if vs := m[k]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// Meta keys, in order of preference, for each field.
var (
	titleKeys = []string{"og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "dcterms.title", "title"}
	siteKeys  = []string{"og:site_name", "application-name", "al:android:app_name", "al:ios:app_name"}
	dateKeys  = []string{
		"article:published_time", "og:article:published_time", "og:published_time", "article:published",
		"published_time", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.issued",
		"dcterms.date", "dcterms.created", "datepublished", "date", "pubdate", "publishdate", "publish-date",
		"publish_date", "publication_date", "pub_date", "article.published", "article_date_original",
		"cxenseparse:recs:publishtime", "citation_publication_date", "release_date",
	}
	authorKeys = []string{
		"author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
		"byl", "cxenseparse:author", "citation_author", "article:author_name",
	}
)

// extractTitle returns the article headline, preferring publisher
// annotations over visible headings and the document title.
func extractTitle(doc *goquery.Document, meta metaTags, ld linkedData, site, host string) string {
	h1 := plainText(doc.Find("h1").First().Text())
	candidates := []string{
		ld.Headline,
		meta.first("og:title"),
		meta.first(titleKeys[1:]...),
		doc.Find(`[itemprop="headline"]`).First().Text(),
		h1,
		doc.Find("title").First().Text(),
	}
	for _, c := range candidates {
		t := stripSiteName(plainText(c), site, host)
		if t == "" {
			continue
		}
		// "Headline | Section | Site": the visible heading shows where the
		// headline ends.
		if h1 != "" && len(h1) < len(t) && strings.HasPrefix(t, h1) && startsWithSeparator(t[len(h1):]) {
			return h1
		}
		return t
	}
	return ""
}

// startsWithSeparator reports whether s begins, after spaces, with a
// character that separates a headline from a site or section name.
func startsWithSeparator(s string) bool {
	s = strings.TrimLeft(s, " \u00a0")
	for _, sep := range []string{"|", "-", "–", "—", ":", "：", "·", "*", "｜", "»", "/"} {
		if strings.HasPrefix(s, sep) {
			return true
		}
	}
	return false
}

// titleSeparators split a document title into headline and site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " // ", ": ", " * ", "：", "｜", "ㅣ"}

// stripSiteName removes a leading or trailing "Site | " or " | Site"
// segment from title when the segment names the site.
func stripSiteName(title, site, host string) string {
	for {
		stripped := stripSiteSegment(title, site, host)
		if stripped == title {
			return title
		}
		title = stripped
	}
}

// stripSiteSegment removes one site name segment from title.
func stripSiteSegment(title, site, host string) string {
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 {
			if sameSite(title[i+len(sep):], site, host) {
				return strings.TrimSpace(title[:i])
			}
		}
		if i := strings.Index(title, sep); i > 0 {
			if sameSite(title[:i], site, host) {
				return strings.TrimSpace(title[i+len(sep):])
			}
		}
	}
	return title
}

// sameSite reports whether s names the site, comparing letters and digits
// only, so that "The Guardian" matches "the guardian" and "theguardian.com".
func sameSite(s, site, host string) bool {
	k := alnumKey(s)
	if k == "" {
		return false
	}
	if k == alnumKey(site) {
		return true
	}
	if host == "" {
		return false
	}
	h := alnumKey(host)
	core := host
	if i := strings.Index(core, "."); i > 0 {
		core = core[:i]
	}
	return k == h || k == alnumKey(core)
}

// alnumKey lower-cases s and drops everything but letters and digits.
func alnumKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// extractSiteName returns the outlet's name.
func extractSiteName(meta metaTags, ld linkedData, host string) string {
	if s := plainText(meta.first("og:site_name")); s != "" {
		return s
	}
	if ld.Publisher != "" {
		return ld.Publisher
	}
	if s := plainText(meta.first(siteKeys[1:]...)); s != "" {
		return s
	}
	return host
}

// urlDateRe finds a /yyyy/mm/dd/ or /yyyy-mm-dd date in a URL path.
var urlDateRe = regexp.MustCompile(`/((?:19|20)\d{2})[/-](\d{2})[/-](\d{2})(?:[/-]|$)`)

// extractPublished returns the publication time from, in order, JSON-LD,
// meta tags, microdata, <time> elements and the page URL.
func extractPublished(doc *goquery.Document, meta metaTags, ld linkedData, u *url.URL) time.Time {
	if t := parseDate(ld.Published); !t.IsZero() {
		return t
	}
	for _, k := range dateKeys {
		for _, v := range meta[k] {
			if t := parseDate(v); !t.IsZero() {
				return t
			}
		}
	}
	if page := meta.first("parsely-page"); page != "" {
		var p struct {
			PubDate string `json:"pub_date"`
		}
		if json.Unmarshal([]byte(page), &p) == nil {
			if t := parseDate(p.PubDate); !t.IsZero() {
				return t
			}
		}
	}
	var found time.Time
	doc.Find(`[itemprop="datePublished"], time[pubdate], time[datetime]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, attr := range []string{"content", "datetime"} {
			if v, ok := s.Attr(attr); ok {
				if found = parseDate(v); !found.IsZero() {
					return false
				}
			}
		}
		found = parseDate(s.Text())
		return found.IsZero()
	})
	if !found.IsZero() {
		return found
	}
	if u != nil {
		if m := urlDateRe.FindStringSubmatch(u.Path); m != nil {
			return parseDate(m[1] + "-" + m[2] + "-" + m[3])
		}
	}
	return time.Time{}
}

// bylineSelector matches visible elements that usually hold the author
// names.
const bylineSelector = `[itemprop="author"], [rel="author"], .byline, .author, .authors, .author-name, [class*="byline"], [class*="author-name"], [class*="AuthorName"]`

// extractAuthors returns the names of the article's authors from the first
// source that has any: JSON-LD, meta tags, then visible bylines. A source
// naming only the outlet itself is passed over if a later one names people.
func extractAuthors(doc *goquery.Document, meta metaTags, ld linkedData, site, host string) []string {
	sources := [][]string{ld.Authors}
	for _, k := range authorKeys {
		sources = append(sources, meta[k])
	}
	sources = append(sources, bylines(doc))
	var outlet []string
	for _, src := range sources {
		names := cleanAuthors(src)
		if len(names) == 0 {
			continue
		}
		if !onlyOutlet(names, site, host) {
			return names
		}
		if outlet == nil {
			outlet = names
		}
	}
	return outlet
}

// onlyOutlet reports whether names consists of the site's own name.
func onlyOutlet(names []string, site, host string) bool {
	for _, n := range names {
		if !sameSite(n, site, host) {
			return false
		}
	}
	return true
}

// bylines returns the raw text of the page's visible byline elements.
func bylines(doc *goquery.Document) []string {
	var raw []string
	doc.Find(bylineSelector).Each(func(_ int, s *goquery.Selection) {
		if s.ParentsFiltered(bylineSelector).Length() > 0 {
			return // nested in a byline already collected
		}
		if v, ok := s.Attr("content"); ok {
			raw = append(raw, v)
			return
		}
		if name := s.Find(`[itemprop="name"]`); name.Length() > 0 {
			name.Each(func(_ int, n *goquery.Selection) {
				if v, ok := n.Attr("content"); ok {
					raw = append(raw, v)
				} else {
					raw = append(raw, n.Text())
				}
			})
			return
		}
		if t := collapseSpace(s.Text()); runeLen(t) <= 120 {
			raw = append(raw, t)
		}
	})
	return raw
}

var (
	// bylinePrefixRe matches the word introducing a byline in several
	// languages ("By", "Von", "Par", "Por", "Written by", "Author:").
	bylinePrefixRe = regexp.MustCompile(`(?i)^(?:(?:written|posted|reported|text|words|story)\s+by|by|von|par|por|door|av|af|przez|di|autor(?:in)?|author|text|texto|redacción)\s*[:\-]?\s+`)
	// authorSplitRe splits a list of names.
	// authorSuffixRe matches initials in parentheses and job titles that
	// follow a name: "Elena Oberholzer (obe)", "신현주 기자".
	authorSuffixRe = regexp.MustCompile(`\s*(?:\([^)]*\)|기자|記者)$`)
	authorSplitRe  = regexp.MustCompile(`\s*(?:[,;|/·•]|\s&\s|\s(?:and|und|et|y|e|og|och|en|i|und)\s)\s*`)
)

// cleanAuthors turns raw author values into a deduplicated list of names:
// "By Jane Doe and John Roe" becomes ["Jane Doe", "John Roe"]. URLs, e-mail
// addresses, social media handles and values with digits are dropped.
func cleanAuthors(raw []string) []string {
	var names []string
	seen := make(map[string]bool)
	for _, r := range raw {
		r = plainText(r)
		if r == "" || looksLikeURL(r) {
			continue
		}
		r = bylinePrefixRe.ReplaceAllString(r, "")
		for _, name := range authorSplitRe.Split(r, -1) {
			name = authorSuffixRe.ReplaceAllString(bylinePrefixRe.ReplaceAllString(name, ""), "")
			name = strings.Trim(name, " .:-–—")
			if !plausibleName(name) {
				continue
			}
			if k := strings.ToLower(name); !seen[k] {
				seen[k] = true
				names = append(names, name)
			}
		}
	}
	return names
}

// plausibleName reports whether s could be a person's or agency's name.
func plausibleName(s string) bool {
	if s == "" || runeLen(s) > 60 || len(strings.Fields(s)) > 6 {
		return false
	}
	if strings.ContainsAny(s, "@<>{}=") || looksLikeURL(s) {
		return false
	}
	letters := false
	for _, r := range s {
		if unicode.IsDigit(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters = true
		}
	}
	return letters
}

// looksLikeURL reports whether s is a link rather than a name.
func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.") || strings.HasPrefix(s, "/")
}

// extractLang returns the page's declared language.
func extractLang(doc *goquery.Document, meta metaTags, ld linkedData) string {
	lang, _ := doc.Find("html").First().Attr("lang")
	for _, c := range []string{lang, meta.first("content-language", "language", "dc.language"), meta.first("og:locale"), ld.Lang} {
		if c = strings.TrimSpace(c); c != "" {
			return strings.ReplaceAll(c, "_", "-")
		}
	}
	return ""
}
