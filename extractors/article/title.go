package article

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// kicker marks the parts of a displayed headline that are not the
	// headline itself: the kicker (overline, topline, German Dachzeile or
	// Spitzmarke) above it, and labels such as "Live" or "Opinion".
	kicker = words{"kicker", "overline", "topline", "top-line", "dachzeile", "spitzmarke", "roofline", "eyebrow",
		"supertitle", "super-title", "pretitle", "pre-title", "rubric", "label"}
	// srOnly marks text meant for screen readers only.
	srOnly = words{"visually-hidden", "visuallyhidden", "sr-only", "screen-reader", "screenreader", "offscreen"}
	// crumb marks breadcrumb trails, which often end in a copy of the
	// page's search-engine title inside an <h1>.
	crumb = words{"crumb"}
	// headlineClass marks elements styled as a headline.
	headlineClass = words{"headline", "article-title", "article__title", "article_title", "articletitle",
		"entry-title", "entry__title", "post-title", "post__title", "posttitle", "story-title", "story__title",
		"page-title", "page__title"}
)

// maxHeadlines bounds the number of displayed headlines looked at.
const maxHeadlines = 40

// extractTitle returns the article headline.
//
// Publishers state the headline in several places that often disagree: the
// JSON-LD headline and the <title> are frequently a search-engine variant,
// og:title a social variant, and the first <h1> can be a breadcrumb or
// navigation copy of either. JSON-LD and OpenGraph agreeing win, and so
// does the plainer of the two when they differ only in punctuation;
// otherwise the headline shown above the article does: the first
// structured value (JSON-LD, OpenGraph, Twitter, microdata) that a
// displayed headline confirms; failing that, the structured values, the
// first <h1> and the <title> in that order. A site name is cut from either
// end of the structured values, and after it a trailing section name.
func extractTitle(doc *goquery.Document, meta metaTags, ld linkedData, site, host string) string {
	var sections []string
	clean := func(s string) string {
		s = plainText(s)
		if t := stripSiteName(s, site, host); t != s {
			// "Headline - Section | Site": once the site is gone, so
			// may the section be.
			if sections == nil {
				sections = sectionNames(meta, ld)
			}
			return stripSection(t, sections)
		}
		return s
	}
	h1 := plainText(doc.Find("h1").First().Text())
	structured := []string{
		clean(ld.Headline),
		clean(meta.first("og:title")),
		clean(meta.first(titleKeys[1:]...)),
		clean(doc.Find(`[itemprop="headline"]`).First().Text()),
	}
	if structured[0] != "" && structured[0] == structured[1] {
		// JSON-LD and OpenGraph agreeing outweigh a display of another
		// variant.
		return structured[0]
	}
	if t := plainerVariant(structured[0], structured[1]); t != "" {
		return t
	}
	if t := confirmedTitle(structured, displayedHeadlines(doc)); t != "" {
		return t
	}
	for _, c := range append(structured, clean(h1), clean(doc.Find("title").First().Text())) {
		if c == "" {
			continue
		}
		// "Headline | Section | Site": the visible heading shows where the
		// headline ends.
		if h1 != "" && len(h1) < len(c) && strings.HasPrefix(c, h1) && startsWithSeparator(c[len(h1):]) {
			return h1
		}
		return c
	}
	return ""
}

// minKickedHeadline is the length, in letters and digits, from which a
// structured headline is taken as confirmed by a displayed headline that
// merely ends with it.
const minKickedHeadline = 20

// confirmedTitle returns the first of the structured headlines that the
// page displays, or "" if it displays none. The display matches if it has
// the same text; failing that, the same letters and digits (kickers are
// often set apart by style rather than by a colon, and quotation marks
// differ); failing that, if it is a kicker followed by the headline.
func confirmedTitle(structured, shown []string) string {
	norm := make(map[string]bool, len(shown))
	keys := make([]string, len(shown))
	for i, h := range shown {
		norm[h] = true
		keys[i] = letterKey(h)
	}
	for _, c := range structured {
		if c != "" && norm[collapseSpace(c)] {
			return c
		}
	}
	for _, c := range structured {
		if k := letterKey(c); k != "" && slices.Contains(keys, k) {
			return c
		}
	}
	for _, c := range structured {
		k := letterKey(c)
		if utf8.RuneCountInString(k) < minKickedHeadline {
			continue
		}
		for _, h := range keys {
			if len(h) > len(k) && strings.HasSuffix(h, k) {
				return c
			}
		}
	}
	return ""
}

// plainerVariant returns whichever of a and b is shorter if the two have
// the same words and differ only in punctuation (quotation marks added
// around a quote, a dash for a colon), and "" otherwise.
func plainerVariant(a, b string) string {
	if a == "" || b == "" || a == b || !slices.Equal(titleWords(a), titleWords(b)) {
		return ""
	}
	switch la, lb := runeLen(a), runeLen(b); {
	case la < lb:
		return a
	case lb < la:
		return b
	}
	return ""
}

// titleWords returns the words of s, runs of letters and digits.
func titleWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// letterKey returns the letters and digits of s, case kept.
func letterKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// displayedHeadlines returns the text of the headings and headline-styled
// elements of the page body, kickers left out, in document order. Those in
// navigation, breadcrumbs or hidden elements are skipped.
func displayedHeadlines(doc *goquery.Document) []string {
	body := doc.Find("body").First()
	if body.Length() == 0 {
		return nil
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && len(out) < maxHeadlines; c = c.NextSibling {
			if c.Type != html.ElementNode || invisible[c.DataAtom] || c.DataAtom == atom.Nav || isHidden(c) {
				continue
			}
			class := attr(c, "class")
			if crumb.in(class) || crumb.in(attr(c, "id")) {
				continue
			}
			if c.DataAtom == atom.H1 || c.DataAtom == atom.H2 || attr(c, "itemprop") == "headline" || headlineClass.in(class) {
				if t := headlineText(c); t != "" {
					out = append(out, t)
				}
			}
			walk(c)
		}
	}
	walk(body.Get(0))
	return out
}

// isHidden reports whether n is hidden from readers by its attributes.
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			if hiddenStyleRe.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

// headlineText returns the collapsed visible text of a headline element
// without its kicker and hidden parts.
func headlineText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if class := attr(c, "class"); invisible[c.DataAtom] || isHidden(c) || kicker.in(class) || srOnly.in(class) {
					continue
				}
				if blockTags[c.DataAtom] {
					b.WriteByte(' ')
				}
				walk(c)
			}
		}
	}
	walk(n)
	return collapseSpace(b.String())
}

// sectionNames returns the names of the site sections the page declares
// it belongs to, from meta tags such as article:section and from the
// JSON-LD articleSection.
func sectionNames(meta metaTags, ld linkedData) []string {
	var keys []string
	for k := range meta {
		if strings.Contains(k, "section") || strings.Contains(k, "categor") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := []string{}
	for _, k := range keys {
		for _, v := range meta[k] {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
	}
	return append(out, ld.Sections...)
}

// sectionSeparators set a section name apart from the headline before it.
var sectionSeparators = append(slices.Clone(titleSeparators), "-")

// stripSection removes a trailing segment of title that names one of the
// page's sections: "Headline - Politics", "Headline-Politics". What is left
// must still have several words.
func stripSection(title string, sections []string) string {
	for _, sec := range sections {
		key := alnumKey(sec)
		if key == "" {
			continue
		}
		for _, sep := range sectionSeparators {
			i := strings.LastIndex(title, sep)
			if i <= 0 || alnumKey(title[i+len(sep):]) != key {
				continue
			}
			if rest := strings.TrimSpace(title[:i]); strings.Contains(rest, " ") {
				return rest
			}
		}
	}
	return title
}
