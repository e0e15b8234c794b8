package article

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// linkedData holds the article fields found in a page's JSON-LD blocks.
type linkedData struct {
	Headline  string
	Authors   []string
	Published string
	Body      string
	Publisher string
	Lang      string
	Sections  []string // articleSection
}

// articleTypes are the schema.org types, besides every type whose name ends
// in "Article", that describe an article.
var articleTypes = map[string]bool{
	"BlogPosting":            true,
	"LiveBlogPosting":        true,
	"SocialMediaPosting":     true,
	"DiscussionForumPosting": true,
	"Report":                 true,
	"Review":                 true,
}

// pageTypes describe a web page; they are used when no article object
// exists, since some publishers annotate the page rather than the article.
var pageTypes = map[string]bool{
	"WebPage":  true,
	"ItemPage": true,
}

// parseLinkedData reads every <script type="application/ld+json"> in doc and
// returns the fields of the best article object. Blocks that are not valid
// JSON, even after repairing raw control characters in strings, are ignored.
func parseLinkedData(doc *goquery.Document) linkedData {
	var objs []map[string]any
	doc.Find("script[type]").Each(func(_ int, s *goquery.Selection) {
		if typ, _ := s.Attr("type"); !strings.Contains(strings.ToLower(typ), "ld+json") {
			return
		}
		raw := strings.TrimSpace(s.Text())
		raw = strings.TrimPrefix(raw, "<!--")
		raw = strings.TrimSuffix(raw, "-->")
		raw = strings.TrimPrefix(strings.TrimSpace(raw), "//<![CDATA[")
		raw = strings.TrimSuffix(strings.TrimSpace(raw), "//]]>")
		raw = strings.TrimSuffix(strings.TrimSpace(raw), ";")
		v, ok := decodeJSON(raw)
		if !ok {
			return
		}
		collectObjects(v, &objs, 0)
	})
	if len(objs) == 0 {
		return linkedData{}
	}
	byID := make(map[string]map[string]any)
	for _, o := range objs {
		if id, ok := o["@id"].(string); ok && len(o) > 1 {
			if _, dup := byID[id]; !dup {
				byID[id] = o
			}
		}
	}
	art := pickArticle(objs)
	if art == nil {
		return linkedData{Publisher: orgName(objs)}
	}
	ld := linkedData{
		Headline:  plainText(firstString(art["headline"], art["name"], art["alternativeHeadline"])),
		Published: firstString(art["datePublished"], art["dateCreated"], art["uploadDate"], art["dateModified"]),
		Body:      firstString(art["articleBody"], art["text"]),
		Lang:      firstString(art["inLanguage"]),
	}
	for _, sec := range flatten(art["articleSection"]) {
		if s, ok := sec.(string); ok {
			ld.Sections = append(ld.Sections, plainText(s))
		}
	}
	for _, a := range flattenDeep(art["author"], 0) {
		ld.Authors = append(ld.Authors, entityName(a, byID))
	}
	if len(ld.Authors) == 0 {
		for _, a := range flattenDeep(art["creator"], 0) {
			ld.Authors = append(ld.Authors, entityName(a, byID))
		}
	}
	for _, p := range flatten(art["publisher"]) {
		if name := entityName(p, byID); name != "" {
			ld.Publisher = name
			break
		}
	}
	if ld.Publisher == "" {
		ld.Publisher = orgName(objs)
	}
	return ld
}

// decodeJSON parses a JSON-LD block. Blocks that are not valid JSON are
// repaired when the damage is common: raw control characters inside
// strings, and junk after a complete value (a stray brace, a comment, a
// second object without an enclosing array), which is ignored.
func decodeJSON(raw string) (any, bool) {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err == nil {
		return v, true
	}
	fixed := escapeControlChars(raw)
	if err := json.Unmarshal(fixed, &v); err == nil {
		return v, true
	}
	if err := json.NewDecoder(bytes.NewReader(fixed)).Decode(&v); err == nil {
		return v, true
	}
	return nil, false
}

// collectObjects appends every JSON object in v to objs, descending into
// arrays, @graph lists and the values of object properties (mainEntity,
// hasPart, ...) up to a small depth.
func collectObjects(v any, objs *[]map[string]any, depth int) {
	if depth > 6 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			collectObjects(e, objs, depth+1)
		}
	case map[string]any:
		*objs = append(*objs, v)
		for k, e := range v {
			switch k {
			case "@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement", "item", "about", "subjectOf":
				collectObjects(e, objs, depth+1)
			}
		}
	}
}

// pickArticle returns the object most likely to describe the page's
// article: an article-typed object with the most fields of interest, else a
// web page object carrying a headline or date.
func pickArticle(objs []map[string]any) map[string]any {
	var best map[string]any
	bestScore := 0
	for _, o := range objs {
		score := 0
		switch {
		case hasType(o, isArticleType):
			score = 10
		case hasType(o, func(t string) bool { return pageTypes[t] }):
			score = 1
		default:
			continue
		}
		for _, k := range []string{"headline", "datePublished", "author", "articleBody"} {
			if o[k] != nil {
				score += 2
			}
		}
		if score > bestScore {
			best, bestScore = o, score
		}
	}
	if bestScore <= 1 {
		return nil
	}
	return best
}

// isArticleType reports whether the schema.org type t denotes an article.
func isArticleType(t string) bool {
	return strings.HasSuffix(t, "Article") || articleTypes[t]
}

// hasType reports whether one of o's @type values satisfies match. Types may
// be given as "NewsArticle", "schema:NewsArticle" or a full schema.org URL.
func hasType(o map[string]any, match func(string) bool) bool {
	for _, t := range flatten(o["@type"]) {
		s, ok := t.(string)
		if !ok {
			continue
		}
		if i := strings.LastIndexAny(s, "/:#"); i >= 0 {
			s = s[i+1:]
		}
		if match(s) {
			return true
		}
	}
	return false
}

// orgName returns the name of the first organisation or web site described
// in objs.
func orgName(objs []map[string]any) string {
	for _, o := range objs {
		if hasType(o, func(t string) bool { return t == "NewsMediaOrganization" || t == "Organization" }) {
			if s := firstString(o["name"]); s != "" {
				return plainText(s)
			}
		}
	}
	return ""
}

// entityName returns the name of a person or organisation given as a plain
// string, an object with a name, or an {"@id": ...} reference into byID.
func entityName(v any, byID map[string]map[string]any) string {
	switch v := v.(type) {
	case string:
		return plainText(v)
	case map[string]any:
		if s := firstString(v["name"]); s != "" {
			return plainText(s)
		}
		if given, family := firstString(v["givenName"]), firstString(v["familyName"]); given != "" || family != "" {
			return collapseSpace(given + " " + family)
		}
		if id, ok := v["@id"].(string); ok {
			if ref, ok := byID[id]; ok && len(ref) > 0 {
				if s := firstString(ref["name"]); s != "" {
					return plainText(s)
				}
			}
		}
	}
	return ""
}

// flatten returns v as a list: arrays as they are, nil as nothing, anything
// else as a single element.
func flatten(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// flattenDeep is flatten for lists that nest lists, as some author lists
// do: [person, [organisation]].
func flattenDeep(v any, depth int) []any {
	list, ok := v.([]any)
	if !ok || depth > 3 {
		return flatten(v)
	}
	var out []any
	for _, e := range list {
		out = append(out, flattenDeep(e, depth+1)...)
	}
	return out
}

// firstString returns the first non-empty string among vs; arrays yield
// their first string element and objects their "@value" or "name".
func firstString(vs ...any) string {
	for _, v := range vs {
		switch v := v.(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case []any:
			if s := firstString(v...); s != "" {
				return s
			}
		case map[string]any:
			if s := firstString(v["@value"], v["name"]); s != "" {
				return s
			}
		}
	}
	return ""
}

// escapeControlChars escapes raw control characters that appear inside JSON
// strings, which many sites emit in articleBody and which encoding/json
// rightly rejects.
func escapeControlChars(s string) []byte {
	out := make([]byte, 0, len(s)+64)
	inString, escaped := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString && c < 0x20:
			switch c {
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, ' ')
			}
			continue
		}
		out = append(out, c)
	}
	return out
}
