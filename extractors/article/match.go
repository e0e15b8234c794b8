package article

import "strings"

// words matches strings that contain one of its lower-case words, ignoring
// case. It does the work of a regular expression made of literal
// alternatives ("(?i)a|b|c") at a fraction of the cost, which matters on
// class names, tested for every element of every page.
type words []string

// in reports whether s contains one of the words, ignoring case.
func (w words) in(s string) bool {
	if s == "" {
		return false
	}
	s = strings.ToLower(s)
	for _, word := range w {
		if strings.Contains(s, word) {
			return true
		}
	}
	return false
}

// hasToken reports whether the space-separated list s (a class or id
// attribute) has a token that, split at "-" and "_", has a part equal to
// one of parts, ignoring case: hasToken("top-ads x", "ad", "ads") is true.
func hasToken(s string, parts ...string) bool {
	for _, tok := range strings.Fields(s) {
		for _, p := range strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '_' }) {
			for _, want := range parts {
				if strings.EqualFold(p, want) {
					return true
				}
			}
		}
	}
	return false
}
