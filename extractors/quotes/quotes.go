// Package quotes finds direct quotations in news text and attributes each
// one to its speaker.
//
// Quotations are located on the raw text (straight " and typographic “ ”
// marks), so offsets are exact byte offsets into the input. Attribution is
// rule based: an attribution clause after the quote ("…," Harris said), an
// introducing clause before it (Harris said: "…"), the sentence before the
// quote in the same paragraph, pronouns and definite descriptions ("the
// official said") resolved against earlier mentions in the article.
package quotes

import (
	"sort"
	"strings"
)

// Resolver maps a speaker phrase with its role or description (for example
// "Microsoft President Brad Smith" or "a State Department spokesperson") to
// the id of the actor the speaker speaks for, or "" if that is unclear.
type Resolver interface {
	SpeakerActor(phrase string) string
}

// Quote is one direct quotation and its attribution.
type Quote struct {
	// Text is the quoted words without the marks. For a quote split around
	// its attribution, or continued across paragraphs, the parts are joined
	// with a single space.
	Text string
	// Start and End are byte offsets in the input: Start is the first byte
	// of the first part's words (inside the marks), End is the end of the
	// last part's words.
	Start, End int
	// Speaker is the speaker's fullest name in the article, the unnamed
	// speaker's description without its article ("State Department
	// spokesperson"), or an organisation's name. It is "" when no
	// attribution was found.
	Speaker string
	// SpeakerRole is the role or description given with the name, if any
	// ("French President", "an expert in 21st century warfare").
	SpeakerRole string
	// Actor is the Resolver's answer for the speaker; it may be "".
	Actor string
	// Evidence names the rule that produced the attribution, for example
	// "post-said", "pre-colon", "pronoun", "para-continue", "told" or
	// "according-to".
	Evidence string
}

// Extract returns the direct quotations in text in the order they appear.
// r may be nil, in which case Actor is left empty.
func Extract(text string, r Resolver) []Quote {
	a := newArticle(text)
	cands := a.candidates()
	var out []Quote
	for _, c := range cands {
		if c.drop {
			continue
		}
		q := Quote{
			Text:        c.text(text),
			Start:       c.parts[0].tStart,
			End:         c.parts[len(c.parts)-1].tEnd,
			Speaker:     c.speaker.name,
			SpeakerRole: c.speaker.role,
			Evidence:    c.evidence,
		}
		if r != nil && q.Speaker != "" {
			q.Actor = resolveActor(r, c.speaker)
		}
		out = append(out, q)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// resolveActor asks r about the fullest description of the speaker first and
// falls back to shorter forms.
func resolveActor(r Resolver, s speaker) string {
	var tries []string
	if s.role != "" {
		tries = append(tries, strings.TrimSpace(s.role+" "+s.name), s.name+", "+s.role)
	}
	tries = append(tries, s.name, s.phrase)
	for _, t := range tries {
		if t == "" {
			continue
		}
		if id := r.SpeakerActor(t); id != "" {
			return id
		}
	}
	return ""
}
