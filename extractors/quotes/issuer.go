package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// docNouns name documents and messages. A document given as the speaker
// ("the statement said", "the note says") stands for whoever issued it.
var docNouns = setOf("statement", "statements", "note", "notes", "letter", "letters", "post",
	"posts", "message", "messages", "release", "communique", "communiqué", "memo",
	"memorandum", "email", "e-mail", "filing", "announcement", "advisory", "blog", "tweet",
	"readout")

// introWords open an introductory phrase that ends at the first comma ("In a
// joint note, the ministries …", "After the vote, Harris …").
var introWords = setOf("in", "on", "at", "after", "before", "during", "through", "via", "with",
	"without", "under", "following", "from", "by", "for", "since", "amid", "despite",
	"as", "when", "while", "speaking", "writing", "responding", "asked", "meanwhile",
	"separately", "however", "earlier", "later", "still", "instead", "yesterday", "today",
	"overnight", "last", "this", "according")

// quantifiers may open the last conjunct of a list of speakers ("dozens of
// other organisations"); they are dropped from the speaker's name.
var quantifiers = setOf("dozens", "scores", "hundreds", "thousands", "several", "many", "some",
	"numerous", "various", "a", "number", "dozen", "of", "more", "than", "about", "over",
	"nearly", "almost", "around", "two", "three", "four", "five", "six", "seven", "eight",
	"nine", "ten", "twenty", "other", "others")

// singular returns the singular of a plural English noun, or "" if s does not
// look plural.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ss"):
		return ""
	case strings.HasSuffix(s, "s") && len(s) > 3:
		return s[:len(s)-1]
	}
	return ""
}

// isSpeakerNoun reports whether a lower-case noun, singular or plural,
// heads a description of a person or an organisation.
func isSpeakerNoun(n string) bool {
	if humanNouns[n] || orgNouns[n] {
		return true
	}
	s := singular(n)
	return s != "" && (humanNouns[s] || orgNouns[s] || s == "organisation" || s == "organization")
}

// isPluralSpeakerNoun reports whether n is a plural noun heading a
// description of several people or organisations ("the groups", "the two
// ministries").
func isPluralSpeakerNoun(n string) bool {
	s := singular(n)
	return s != "" && (isSpeakerNoun(s) || s == "country" || s == "state")
}

// conjunct is one member of a coordinated subject, as written.
type conjunct struct {
	s          string // the words, without a leading article
	start, end int    // offsets in the article
	proper     bool   // a capitalised name
}

// subjectNP is the subject noun phrase of a clause: one noun phrase or a
// coordination of several ("Human Rights Watch, the Open Rights Group and
// other groups").
type subjectNP struct {
	phrase     string // as written
	start, end int
	parts      []conjunct
}

// tok is one token of a clause: a word or a comma.
type tok struct {
	s          string
	start, end int // offsets in the article
	comma      bool
}

// clauseToks tokenises s (at article offset base) into words and commas.
// Words keep their possessive ending; other punctuation ends the clause.
func clauseToks(s string, base int) []tok {
	var out []tok
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ' ' || r == '\t':
			i += n
		case r == ',':
			out = append(out, tok{s: ",", start: base + i, end: base + i + 1, comma: true})
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&':
			j := i
			for j < len(s) {
				c, cn := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(c) || unicode.IsDigit(c) || c == '\'' || c == '’' || c == '-' || c == '.' || c == '&' {
					j += cn
					continue
				}
				break
			}
			w := strings.TrimRight(s[i:j], ".")
			if isInitialism(strings.TrimRight(s[i:j], ".")) || abbreviations[strings.ToLower(w)] {
				w = s[i:j]
			}
			out = append(out, tok{s: w, start: base + i, end: base + i + len(w)})
			i = j
		default:
			return out
		}
	}
	return out
}

// clauseSubject returns the subject noun phrase of the sentence text[lo:hi]
// (quotations blanked): the noun phrase opening its main clause, after any
// introductory phrase set off by a comma.
func (a *article) clauseSubject(lo, hi int) (subjectNP, bool) {
	seg := a.unquoted(lo, hi)
	trim := strings.TrimLeft(seg, " ")
	base := lo + len(seg) - len(trim)
	if m := datelineRe.FindStringIndex(trim); m != nil {
		base += m[1]
		trim = trim[m[1]:]
	}
	ts := clauseToks(trim, base)
	if len(ts) == 0 {
		return subjectNP{}, false
	}
	i := 0
	// An introductory phrase ("In a joint note,", "Speaking on Monday,").
	if introWords[strings.ToLower(ts[0].s)] {
		k := 0
		for k < len(ts) && !ts[k].comma && k < 25 {
			k++
		}
		if k >= len(ts) || !ts[k].comma {
			return subjectNP{}, false
		}
		i = k + 1
	}
	for i < len(ts) && leadFillers[strings.ToLower(ts[i].s)] && i+1 < len(ts) {
		i++
		if ts[i].comma {
			i++
		}
	}
	var np subjectNP
	for i < len(ts) {
		c, next, ok := parseConjunct(ts, i, len(np.parts) > 0)
		if !ok {
			break
		}
		np.parts = append(np.parts, c)
		i = next
		// Continue only over ", " or " and " followed by another conjunct.
		if i < len(ts) && ts[i].comma {
			if i+1 < len(ts) && strings.EqualFold(ts[i+1].s, "and") {
				i += 2
				continue
			}
			if _, _, ok := parseConjunct(ts, i+1, true); ok && (c.proper && startsProper(ts, i+1)) {
				i++
				continue
			}
			break
		}
		if i < len(ts) && strings.EqualFold(ts[i].s, "and") && len(np.parts) > 0 {
			if _, _, ok := parseConjunct(ts, i+1, true); ok {
				i++
				continue
			}
		}
		break
	}
	if len(np.parts) == 0 {
		return subjectNP{}, false
	}
	np.start = np.parts[0].start
	np.end = np.parts[len(np.parts)-1].end
	np.phrase = a.text[np.start:np.end]
	if len(np.parts) > 1 {
		// Every member of a list must be a name, except a last "other …".
		for k, c := range np.parts {
			if !c.proper && (k < len(np.parts)-1 || !strings.HasPrefix(c.s, "other")) {
				return subjectNP{}, false
			}
		}
	}
	return np, true
}

// startsProper reports whether a conjunct starting at ts[i] is a
// capitalised name.
func startsProper(ts []tok, i int) bool {
	if i < len(ts) && strings.EqualFold(ts[i].s, "the") {
		i++
	}
	return i < len(ts) && isCap(ts[i].s)
}

// parseConjunct parses one noun phrase at ts[i]: an optional article and a
// capitalised name (with "of", "for", "and" inside: "Ministry of Justice and
// Public Security"), a possessive name and its description ("Russia's
// foreign ministry"), a definite description ("the group"), or, as a later
// member of a list, a quantified "other …" ("dozens of other groups"). The
// conjunct's start includes the article; its words do not.
func parseConjunct(ts []tok, i int, later bool) (conjunct, int, bool) {
	if i >= len(ts) || ts[i].comma {
		return conjunct{}, i, false
	}
	phraseStart := ts[i].start
	art := ""
	if lw := strings.ToLower(ts[i].s); lw == "the" || lw == "its" || lw == "their" {
		art = lw
		i++
	}
	if i >= len(ts) || ts[i].comma {
		return conjunct{}, i, false
	}
	if isCap(ts[i].s) {
		if art == "its" || art == "their" || pronounRe.MatchString(ts[i].s) || subjectStarters[strings.ToLower(ts[i].s)] {
			return conjunct{}, i, false
		}
		st := i
		head := ts[i].s
		hasOf := false
		j := i
		for j < len(ts) && !ts[j].comma {
			w := ts[j].s
			lw := strings.ToLower(w)
			if isCap(w) {
				j++
				if ts[j-1].possessive() {
					c, next, ok := possessiveDesc(ts, st, j)
					c.start = phraseStart
					return c, next, ok
				}
				continue
			}
			if (lw == "of" || lw == "for" || lw == "on" || particles[lw] || lw == "&") && j+1 < len(ts) &&
				(isCap(ts[j+1].s) || strings.EqualFold(ts[j+1].s, "the") && j+2 < len(ts) && isCap(ts[j+2].s)) {
				if lw == "of" || lw == "for" || lw == "on" {
					hasOf = true
				}
				j++
				if strings.EqualFold(ts[j].s, "the") {
					j++
				}
				continue
			}
			if lw == "and" && hasOf && j+1 < len(ts) && isCap(ts[j+1].s) && !strings.EqualFold(ts[j+1].s, head) {
				j++
				continue
			}
			break
		}
		return conjunct{s: joinToks(ts[st:j]), start: phraseStart, end: ts[j-1].end, proper: true}, j, true
	}
	if later {
		// "dozens of other groups": quantifiers dropped, "other" kept.
		k := i
		for k < len(ts) && !ts[k].comma && quantifiers[strings.ToLower(ts[k].s)] && !strings.EqualFold(ts[k].s, "other") {
			k++
		}
		for j := k; j < len(ts) && j < k+4 && !ts[j].comma && !isCap(ts[j].s); j++ {
			if isSpeakerNoun(strings.ToLower(ts[j].s)) {
				return conjunct{s: joinToks(ts[k : j+1]), start: phraseStart, end: ts[j].end}, j + 1, true
			}
		}
		return conjunct{}, i, false
	}
	if art == "" {
		return conjunct{}, i, false
	}
	// A definite description: up to three lower-case words ending with a
	// speaker noun ("the group", "the two ministries").
	for j := i; j < len(ts) && j < i+3 && !ts[j].comma && !isCap(ts[j].s); j++ {
		lw := strings.ToLower(ts[j].s)
		if isSpeakerNoun(lw) && (j+1 >= len(ts) || !isSpeakerNoun(strings.ToLower(ts[j+1].s))) {
			return conjunct{s: joinToks(ts[i : j+1]), start: phraseStart, end: ts[j].end}, j + 1, true
		}
	}
	return conjunct{}, i, false
}

// possessiveDesc parses "Russia's foreign ministry": a possessive name at
// ts[st:j] and up to three lower-case words ending with a speaker noun.
func possessiveDesc(ts []tok, st, j int) (conjunct, int, bool) {
	for k := j; k < len(ts) && k < j+3 && !ts[k].comma && !isCap(ts[k].s); k++ {
		if isSpeakerNoun(strings.ToLower(ts[k].s)) {
			return conjunct{s: joinToks(ts[st : k+1]), start: ts[st].start, end: ts[k].end}, k + 1, true
		}
	}
	return conjunct{}, st, false
}

func (t tok) possessive() bool {
	return strings.HasSuffix(t.s, "'s") || strings.HasSuffix(t.s, "’s")
}

func joinToks(ts []tok) string {
	f := make([]string, len(ts))
	for i, t := range ts {
		f[i] = t.s
	}
	return strings.Join(f, " ")
}

// listSpeaker names a coordinated subject as one speaker: its members
// without articles or quantifiers, persons by their fullest names
// ("Human Rights Watch, Electronic Frontier Foundation and other groups").
func (a *article) listSpeaker(np subjectNP) speaker {
	names := make([]string, len(np.parts))
	persons := 0
	for i, c := range np.parts {
		names[i] = c.s
		if c.proper {
			if pn, ok := a.fullestPerson(c.s, c.start); ok {
				names[i] = pn.full
				persons++
			}
		}
	}
	s := names[0]
	if len(names) > 1 {
		s = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	kind := kindOrg
	if persons == len(names) {
		kind = kindPerson
	}
	return speaker{name: s, kind: kind, members: names}
}

// sentenceSpans returns the sentences of paragraph pi as article offsets.
func (a *article) sentenceSpans(pi int) [][2]int {
	p := a.paras[pi]
	seg := a.unquoted(p.start, p.end)
	starts := append([]int{0}, sentenceEnds(seg)...)
	var out [][2]int
	for k, st := range starts {
		end := len(seg)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		if st < end {
			out = append(out, [2]int{p.start + st, p.start + end})
		}
	}
	return out
}

// subjectSpeaker resolves the subject of the sentence text[lo:hi] to a
// speaker: a list for a coordinated subject, else the resolved phrase.
func (a *article) subjectSpeaker(lo, hi int) (speaker, bool) {
	np, ok := a.clauseSubject(lo, hi)
	if !ok {
		return speaker{}, false
	}
	if len(np.parts) > 1 {
		return a.listSpeaker(np), true
	}
	c := np.parts[0]
	if !c.proper {
		// "the group": resolve the description against earlier mentions.
		_, head, _, _ := descParts("the " + c.s)
		if r, ok := a.resolveDefinite(head, np.start); ok && r.name != "" {
			return r, true
		}
		return speaker{}, false
	}
	sp := a.resolvePhrase(np.phrase, np.start)
	if sp.name == "" || sp.kind == kindPronoun {
		return speaker{}, false
	}
	return sp, true
}

// resolveDocument resolves a document given as the speaker ("the
// statement", "a note") to whoever issued it: the issuer named with a
// document mentioned earlier in the paragraph, or with an earlier mention
// of the same document noun within two paragraphs, or else the subject of
// the sentence before the quotation.
func (a *article) resolveDocument(head string, pos int) (speaker, bool) {
	pi := a.paraOf(pos)
	if pi < 0 {
		return speaker{}, false
	}
	for k := pi; k >= 0 && k >= pi-2; k-- {
		sents := a.sentenceSpans(k)
		for j := len(sents) - 1; j >= 0; j-- {
			s := sents[j]
			if s[0] >= pos {
				continue
			}
			hi := s[1]
			if hi > pos {
				hi = pos
			}
			for _, w := range words(a.unquoted(s[0], hi), s[0]) {
				lw := strings.ToLower(w.s)
				if !docNouns[lw] || k != pi && lw != head && singular(lw) != head && lw != singular(head) {
					continue
				}
				if sp, ok := a.issuerOf(w, s[0], s[1]); ok {
					return sp, true
				}
			}
		}
	}
	// No document mentioned: the subject of the sentence before the quote.
	sents := a.sentenceSpans(pi)
	for j := len(sents) - 1; j >= 0; j-- {
		if sents[j][1] <= pos && strings.TrimSpace(a.unquoted(sents[j][0], sents[j][1])) != "" {
			if sp, ok := a.subjectSpeaker(sents[j][0], sents[j][1]); ok {
				return sp, true
			}
			break
		}
	}
	return speaker{}, false
}

// issuerOf finds who issued the document mentioned by w in the sentence
// text[lo:hi]: "a statement by/from X", "X's statement", "X issued a
// statement", "In a note, X said …".
func (a *article) issuerOf(w word, lo, hi int) (speaker, bool) {
	after := a.unquoted(w.end, hi)
	for _, prep := range []string{" by ", " from ", " issued by ", " released by ", " signed by ", " published by "} {
		if strings.HasPrefix(after, prep) {
			rest := after[len(prep):]
			if i := strings.IndexAny(rest, ",;.("); i >= 0 {
				rest = rest[:i]
			}
			if loc := phraseCut.FindStringIndex(rest); loc != nil && loc[0] > 0 {
				rest = rest[:loc[0]]
			}
			if strings.TrimSpace(rest) != "" {
				sp := a.resolvePhrase(rest, w.end+len(prep))
				if sp.name != "" && sp.kind != kindPronoun && sp.kind != kindDesc {
					return sp, true
				}
			}
		}
	}
	// A possessive name before the document ("the ministry's statement").
	before := a.text[lo:w.start]
	bw := words(before, lo)
	if n := len(bw); n > 0 && bw[n-1].possessive && isCap(bw[n-1].s) {
		k := n - 1
		for k > 0 && isCap(bw[k-1].s) && !bw[k-1].possessive && a.text[bw[k-1].end:bw[k].start] == " " {
			k--
		}
		sp := a.resolvePhrase(capSeq{ws: bw[k:n]}.text(), bw[k].start)
		if sp.name != "" && sp.kind != kindPronoun {
			return sp, true
		}
	}
	return a.subjectSpeaker(lo, hi)
}

// resolvePluralDefinite resolves a plural definite description ("the
// groups", "the two ministries") to the nearest earlier coordinated subject
// within two paragraphs; a description of people ("the two leaders") only
// to a list of persons.
func (a *article) resolvePluralDefinite(head string, pos int) (speaker, bool) {
	human := humanNouns[singular(head)] && !orgNouns[singular(head)]
	pi := a.paraOf(pos)
	for k := pi; k >= 0 && k >= pi-2; k-- {
		sents := a.sentenceSpans(k)
		for j := len(sents) - 1; j >= 0; j-- {
			s := sents[j]
			if s[0] >= pos {
				continue
			}
			np, ok := a.clauseSubject(s[0], s[1])
			if ok && len(np.parts) > 1 && np.start < pos {
				sp := a.listSpeaker(np)
				if human && sp.kind != kindPerson {
					return speaker{}, false
				}
				return sp, true
			}
		}
	}
	return speaker{}, false
}
