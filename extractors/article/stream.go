package article

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// placeStreamedSegments moves the content of a page rendered with React's
// streaming server rendering (Next.js and others) to where it belongs.
// Such a page sends each part that was ready late as a hidden
// <div hidden id="S:x"> at the end of the body, and a script then swaps it
// for the placeholder <template id="B:x"> left in the layout. Without the
// script the article would look hidden and out of place.
func placeStreamedSegments(root *html.Node) {
	var segments []*html.Node
	placeholders := make(map[string]*html.Node)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			id := attr(c, "id")
			switch {
			case c.DataAtom == atom.Div && strings.HasPrefix(id, "S:") && hasAttr(c, "hidden"):
				segments = append(segments, c)
			case c.DataAtom == atom.Template && strings.HasPrefix(id, "B:"):
				placeholders[id[2:]] = c
			}
			walk(c)
		}
	}
	walk(root)
	for _, seg := range segments {
		removeAttr(seg, "hidden")
		ph := placeholders[attr(seg, "id")[2:]]
		if ph == nil || ph.Parent == nil {
			continue // left where it is, but visible
		}
		seg.Parent.RemoveChild(seg)
		ph.Parent.InsertBefore(seg, ph)
		ph.Parent.RemoveChild(ph)
	}
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// removeAttr removes the attribute key from n.
func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}
