package article

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
	// The same keys spelled differently: "article:published:time",
	// "article_published_time".
	var variants []string
	for k := range meta {
		if dateKeySet[alnumKey(k)] {
			variants = append(variants, k)
		}
	}
	slices.Sort(variants)
	for _, k := range variants {
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

// dateKeySet holds the date keys reduced to their letters and digits.
var dateKeySet = func() map[string]bool {
	m := make(map[string]bool, len(dateKeys))
	for _, k := range dateKeys {
		m[alnumKey(k)] = true
	}
	return m
}()

var (
	// teaser matches the class of a teaser for another article.
	teaser = words{"teaser", "related", "recommend", "more-stories"}
	// authorLinkRe matches the path of a link to an author's page.
	authorLinkRe = regexp.MustCompile(`(?i)/(?:authors?|autor(?:en)?|journalists?)/[^/?#]`)
)

// bylineWords and bylineEnds recognise a class token of an element holding
// author names: "byline", "author", "article__author", "authorname",
// "author-name", "c-AuthorName__link".
var (
	bylineWords = words{"byline", "by-line", "authorname", "author-name", "author_name"}
	bylineEnds  = []string{"author", "authors", "autor", "autoren", "autorin"}
)

// isBylineClass reports whether the class token c marks a byline.
func isBylineClass(c string) bool {
	if bylineWords.in(c) {
		return true
	}
	c = strings.ToLower(c)
	for _, end := range bylineEnds {
		if rest, ok := strings.CutSuffix(c, end); ok && (rest == "" || strings.HasSuffix(rest, "-") || strings.HasSuffix(rest, "_")) {
			return true
		}
	}
	return false
}

// isByline reports whether element n holds author names.
func isByline(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "itemprop", "rel":
			if slices.Contains(strings.Fields(a.Val), "author") {
				return true
			}
		case "class":
			for _, c := range strings.Fields(a.Val) {
				if isBylineClass(c) {
					return true
				}
			}
		case "href":
			if n.DataAtom == atom.A && authorLinkRe.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

// extractAuthors returns the names of the article's authors from the first
// source that has any: JSON-LD, meta tags, then visible bylines. A source
// naming only the outlet itself is passed over if a later one names people.
func extractAuthors(doc *goquery.Document, meta metaTags, ld linkedData, site, host string) []string {
	sources := [][]string{ld.Authors}
	for _, k := range authorKeys {
		sources = append(sources, meta[k])
	}
	sources = append(sources, twitterLabelled(meta, "written by"), bylines(doc))
	var outlet []string
	for _, src := range sources {
		names := cleanAuthors(src)
		if len(names) == 0 {
			continue
		}
		if outlet == nil {
			if !onlyOutlet(names, site, host) {
				return names
			}
			outlet = names
			continue
		}
		// After a source naming only the outlet, only full personal
		// names are better: initials and agency names ("dpa", "APA")
		// are not.
		if !onlyOutlet(names, site, host) && slices.ContainsFunc(names, isFullName) {
			return names
		}
	}
	return outlet
}

// isFullName reports whether name has at least two words, as a person's
// full name does, or is written in a script without spaces between words.
func isFullName(name string) bool {
	if f := strings.Fields(name); len(f) >= 2 {
		// A surname is capitalised where the script has case; "Powered
		// by" is no name.
		last, _ := utf8.DecodeRuneInString(f[len(f)-1])
		return !unicode.IsLower(last)
	}
	for _, r := range name {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai) {
			return runeLen(name) >= 2
		}
	}
	return false
}

// twitterLabelled returns the values of the twitter:dataN meta tags whose
// twitter:labelN is label (compared ignoring case), as set by WordPress SEO
// plugins for "Written by".
func twitterLabelled(meta metaTags, label string) []string {
	var out []string
	for i := 1; i <= 4; i++ {
		n := strconv.Itoa(i)
		if strings.EqualFold(meta.first("twitter:label"+n), label) {
			out = append(out, meta["twitter:data"+n]...)
		}
	}
	// Keys are split at spaces: "twitter:misc:Written by" is filed
	// under "twitter:misc:written".
	return append(out, meta["twitter:misc:"+strings.Fields(label)[0]]...)
}

// onlyOutlet reports whether names consists of the site's own name, or
// of a name that starts with the site's ("n-tv NACHRICHTEN" on n-tv.de).
func onlyOutlet(names []string, site, host string) bool {
	core := host
	if i := strings.Index(core, "."); i > 0 {
		core = alnumKey(core[:i])
	}
	for _, n := range names {
		if sameSite(n, site, host) {
			continue
		}
		if f := strings.Fields(n); len(f) > 1 && len(core) >= 3 && alnumKey(f[0]) == core {
			continue
		}
		return false
	}
	return true
}

// bylines returns the raw text of the page's byline elements, outermost
// first.
func bylines(doc *goquery.Document) []string {
	var raw []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible[c.DataAtom] && c.DataAtom != atom.Head {
				continue
			}
			if c.DataAtom != atom.Body && c.DataAtom != atom.Main && teaser.in(attr(c, "class")) {
				continue // other articles' bylines
			}
			if isByline(c) {
				raw = appendByline(raw, c)
				continue
			}
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return raw
}

// appendByline appends the names held by byline element n to raw: its
// content attribute, the names of the people it marks up, or its text if
// short.
func appendByline(raw []string, n *html.Node) []string {
	if v, ok := attrOK(n, "content"); ok {
		return append(raw, v)
	}
	s := goquery.NewDocumentFromNode(n).Selection
	if name := s.Find(`[itemprop="name"]`); name.Length() > 0 {
		name.Each(func(_ int, n *goquery.Selection) {
			if v, ok := n.Attr("content"); ok {
				raw = append(raw, v)
			} else {
				raw = append(raw, n.Text())
			}
		})
		return raw
	}
	if t := headlineText(n); runeLen(t) <= 120 {
		raw = append(raw, t)
	}
	return raw
}

// attrOK returns the value of n's attribute key and whether n has it.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

var (
	// bylinePrefixRe matches the word introducing a byline in several
	// languages ("By", "Von", "Par", "Por", "Written by", "Author:").
	bylinePrefixRe = regexp.MustCompile(`(?i)^(?:(?:written|posted|reported|text|words|story)\s+by|by|von|par|por|door|av|af|przez|di|autor(?:in)?|author|text|texto|redacción|quelle|source|fuente)\s*[:\-]?\s+`)
	// authorSplitRe splits a list of names.
	// authorSuffixRe matches initials in parentheses and job titles that
	// follow a name: "Elena Oberholzer (obe)", "신현주 기자".
	authorSuffixRe = regexp.MustCompile(`\s*(?:\([^)]*\)|기자|記者)$`)
	authorSplitRe  = regexp.MustCompile(`\s*(?:[,;|/·•]|\s&\s|\s(?:and|und|et|y|e|og|och|en|i|und)\s)\s*`)
)

// cleanAuthors turns raw author values into a deduplicated list of names:
// "By Jane Doe and John Roe" becomes ["Jane Doe", "John Roe"]. URLs, e-mail
// addresses, social media handles and values with numbers are dropped.
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
			name = cutDateline(name)
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

// cutDateline returns the name before the date and time that bylines
// often run on with ("Jane Doe 05. November 2024 15:36 Uhr"), if what
// precedes the first digit looks like a full name: two or three words, each
// capitalised. Otherwise it returns name unchanged.
func cutDateline(name string) string {
	i := strings.IndexFunc(name, unicode.IsDigit)
	if i <= 0 {
		return name
	}
	cut := strings.Trim(name[:i], " .,:;|-–—")
	words := strings.Fields(cut)
	if len(words) < 2 || len(words) > 3 {
		// More words are a name run on into an affiliation and a label:
		// "Tom Davies Associated Press Published".
		return name
	}
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return name
		}
	}
	return cut
}

// plausibleName reports whether s could be a person's or agency's name.
func plausibleName(s string) bool {
	if s == "" || runeLen(s) > 60 || len(strings.Fields(s)) > 6 {
		return false
	}
	if strings.ContainsAny(s, "@<>{}=") || looksLikeURL(s) {
		return false
	}
	// Digits are allowed only inside a word that also has letters, as
	// in the name of a newsroom ("BR24"); dates, times and counts are
	// not names.
	letters := false
	for _, w := range strings.Fields(s) {
		wordLetters, digits := false, false
		for _, r := range w {
			switch {
			case unicode.IsDigit(r):
				digits = true
			case unicode.IsLetter(r):
				wordLetters = true
			}
		}
		if digits && !wordLetters {
			return false
		}
		letters = letters || wordLetters
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
