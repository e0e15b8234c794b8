package article

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// collapseSpace replaces every run of white space (including non-breaking
// and zero-width spaces) with a single space and trims both ends.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isSpace reports whether r separates words visually.
func isSpace(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}

// plainText turns a string that may contain markup or character references
// into plain text: elements such as <script> are dropped with their
// content, other tags are stripped, entities decoded and whitespace
// collapsed.
func plainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = fragmentText(s)
	}
	return collapseSpace(s)
}

// fragmentText parses s as the body of an HTML document and returns its
// text, skipping non-content elements.
func fragmentText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return s
	}
	var b strings.Builder
	for _, n := range nodes {
		appendText(&b, n)
	}
	return b.String()
}

// appendText writes the text under n to b, skipping scripts, styles and
// other elements whose content is not displayed as text.
func appendText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if invisible[n.DataAtom] {
			return
		}
		if n.DataAtom == atom.Br {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		appendText(b, c)
	}
}

// nodeText returns the collapsed visible text under n.
func nodeText(n *html.Node) string {
	var b strings.Builder
	appendText(&b, n)
	return collapseSpace(b.String())
}

// invisible lists elements whose content never renders as article text.
var invisible = map[atom.Atom]bool{
	atom.Script:   true,
	atom.Style:    true,
	atom.Noscript: true,
	atom.Template: true,
	atom.Iframe:   true,
	atom.Svg:      true,
	atom.Math:     true,
	atom.Object:   true,
	atom.Embed:    true,
	atom.Canvas:   true,
	atom.Select:   true,
	atom.Textarea: true,
	atom.Button:   true,
	atom.Head:     true,
	atom.Title:    true,
}

// runeLen returns the number of runes in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
