package feeds

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// PlainText reduces an HTML fragment to plain text: tags are removed, the
// contents of script, style and similar non-text elements are dropped,
// entities are unescaped, runs of whitespace collapse to one space and
// invalid UTF-8 becomes U+FFFD.
func PlainText(s string) string {
	// Invalid bytes would survive the tokenizer (and a feed in a broken
	// encoding has them): replace them first.
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsAny(s, "<&") {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // depth inside elements whose text is not content
	for {
		switch z.Next() {
		case html.ErrorToken:
			// io.EOF, or a tokenizer error: either way, what was read so far.
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case dropContent(a):
				skip++
			case breaksText(a):
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case dropContent(a):
				if skip > 0 {
					skip--
				}
			case breaksText(a):
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if breaksText(atom.Lookup(name)) {
				b.WriteByte(' ')
			}
		}
	}
}

// dropContent reports elements whose content is never visible text.
func dropContent(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Noembed, atom.Noframes, atom.Iframe:
		return true
	}
	return false
}

// breaksText reports elements that separate words when rendered.
func breaksText(a atom.Atom) bool {
	switch a {
	case atom.Br, atom.P, atom.Div, atom.Li, atom.Tr, atom.Td, atom.Th,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr, atom.Blockquote:
		return true
	}
	return false
}
