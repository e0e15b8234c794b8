package article

import (
	"bytes"
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minHydratedString is the length, in bytes, from which a string literal
// in a script is looked at as a possible article body.
const minHydratedString = 300

// hydratedText returns the paragraphs of the longest article body that the
// scripts under root carry as an HTML string: pages rendered in the
// browser ship the article in the data they hydrate from
// ({"contentHtml":"\u003cp\u003e…"}), and leave the served markup empty.
// It returns nil if no script holds one.
func hydratedText(root *html.Node) []string {
	var best []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Script {
				if t := strings.ToLower(attr(c, "type")); t == "" || strings.Contains(t, "javascript") || t == "application/json" {
					if c.FirstChild != nil {
						if paras := scriptBody(c.FirstChild.Data, 2); textLen(paras) > textLen(best) {
							best = paras
						}
					}
				}
				continue
			}
			walk(c)
		}
	}
	walk(root)
	return best
}

// scriptBody returns the paragraphs of the longest string literal in src
// that holds paragraph markup, looking depth levels of escaping deep.
func scriptBody(src string, depth int) []string {
	var best []string
	for i := 0; i < len(src); i++ {
		if src[i] != '"' {
			continue
		}
		end := stringEnd(src, i+1)
		if end < 0 {
			break
		}
		lit := src[i : end+1]
		i = end
		if len(lit) < minHydratedString || !hasEscapedParagraph(lit) {
			continue
		}
		var s string
		if err := json.Unmarshal([]byte(lit), &s); err != nil {
			continue
		}
		var paras []string
		if strings.Contains(s, `\"`) || strings.Contains(s, `"\u003c`) {
			if depth > 1 {
				paras = scriptBody(s, depth-1) // JSON inside a string
			}
		} else if strings.Contains(s, "<p") {
			paras = articleFragment(s)
		}
		if textLen(paras) > textLen(best) {
			best = paras
		}
	}
	return best
}

// stringEnd returns the index of the quote that closes the string literal
// starting at i, or -1.
func stringEnd(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		case '\n':
			return -1 // not a string literal after all
		}
	}
	return -1
}

// hasEscapedParagraph reports whether a string literal holds a <p> tag,
// escaped or not.
func hasEscapedParagraph(lit string) bool {
	return strings.Contains(lit, `\u003cp`) || strings.Contains(lit, `\u003Cp`) || strings.Contains(lit, "<p>") || strings.Contains(lit, "<p ")
}

// articleFragment returns the paragraphs of an HTML fragment, captions and
// other page furniture left out.
func articleFragment(fragment string) []string {
	doc, err := html.Parse(bytes.NewReader([]byte(fragment)))
	if err != nil {
		return nil
	}
	prune(doc, true)
	return appendParagraphs(nil, doc)
}
