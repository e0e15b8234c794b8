// Package quotes finds direct quotations in news text and attributes each
// one to its speaker.
//
// Quotations are located on the raw text (straight " and typographic “ ”
// marks), so offsets are exact byte offsets into the input. Attribution is
// rule based: an attribution clause after the quote ("…," Harris said), an
// introducing clause before it (Harris said: "…"), the sentence before the
// quote in the same paragraph, pronouns and definite descriptions ("the
// official said") resolved against earlier mentions in the article.
// A document given as the speaker ("the statement said") stands for whoever
// issued it, and a plural description ("the groups wrote") for the
// coordinated subject it refers to ("Human Rights Watch, Access Now and
// other groups").
package quotes

import (
	"regexp"
	"sort"
	"strings"
)

// Resolver maps a speaker phrase with its role or description (for example
// "Microsoft President Brad Smith" or "a State Department spokesperson") to
// the id of the actor the speaker speaks for, or "" if that is unclear.
type Resolver interface {
	SpeakerActor(phrase string) string
}

// EntityHinter is an optional interface of a Resolver that already has
// prose's named-entity labels for the text: Extract then uses them instead
// of running prose itself. person and other map entity texts labelled
// PERSON and anything else.
type EntityHinter interface {
	EntityHints() (person, other map[string]bool)
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
	if h, ok := r.(EntityHinter); ok {
		a.hinter = h
	}
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

// LooksLikePersonName reports whether name, a run of capitalised words with
// any title removed, reads as a personal name: at least two words, none of
// them an organisation, document or common-noun word, and no place name
// ("Member States", "States Parties", "Data Security" and "New York" are
// not persons; "Kate York" is).
func LooksLikePersonName(name string) bool {
	ws := words(name, 0)
	if len(ws) < 2 || len(ws) != len(strings.Fields(name)) || len(ws) > 5 {
		return false
	}
	if f := strings.ToLower(ws[0].s); titleWords[f] || humanNouns[f] || placeWords[f] {
		return false // a title, common noun or place in front
	}
	for i, w := range ws {
		lw := strings.ToLower(w.s)
		if !isCap(w.s) && !particles[lw] || isAllCaps(w.s) || strings.ContainsAny(w.s, "0123456789") ||
			i < len(ws)-1 && w.possessive {
			return false
		}
		if orgWords[lw] && !(i == len(ws)-1 && placeParts[lw]) {
			return false
		}
		if s := singular(lw); s != "" && orgWords[s] {
			return false // "Parties"
		}
	}
	return true
}

// SplitTitle splits a capitalised name into the title words in front and
// the personal name ("Energy Secretary Rick Perry" → "Energy Secretary",
// "Rick Perry").
func SplitTitle(name string) (title, person string) {
	ws := words(name, 0)
	t, n := stripTitle(ws)
	if len(t) == 0 || len(n) == 0 {
		return "", name
	}
	for _, w := range t {
		if !titleWords[strings.ToLower(w.s)] {
			return "", name // "Amazon Echo Dot" has no title
		}
	}
	return name[t[0].start:t[len(t)-1].end], name[n[0].start:n[len(n)-1].end]
}

// basedRe matches a location modifier ("Nairobi-based", "London-headquartered").
var basedRe = regexp.MustCompile(`\S+[-‑](?:based|headquartered|born|raised)\b\s*`)

// chairedRe matches a relative clause saying the speaker chairs a meeting.
var chairedRe = regexp.MustCompile(`\bwho\s+(?:has\s+|had\s+)?(?:chairs|chaired|presides|presided|is\s+chairing|was\s+chairing)\b`)

// resolveActor asks r about the fullest description of the speaker first and
// falls back to shorter forms.
func resolveActor(r Resolver, s speaker) string {
	if len(s.members) > 1 {
		// Several speakers speak for one actor only if all of them do.
		id := ""
		for _, m := range s.members {
			a := resolveActor(r, speaker{name: m})
			if a == "" || id != "" && a != id {
				return ""
			}
			id = a
		}
		return id
	}
	// The chair of a meeting speaks for it, not for their state ("the
	// Swiss ambassador who chaired the group").
	if chairedRe.MatchString(s.role) || chairedRe.MatchString(s.phrase) {
		return ""
	}
	// A location is not an affiliation: "a Nairobi-based researcher".
	s.name = basedRe.ReplaceAllString(s.name, "")
	s.role = basedRe.ReplaceAllString(s.role, "")
	s.phrase = basedRe.ReplaceAllString(s.phrase, "")
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
