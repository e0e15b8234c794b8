package quotes

import (
	"strings"
	"unicode"
)

// cand is a quotation being assembled: one or more spans (a split quote or a
// multi-paragraph quote) and its attribution.
type cand struct {
	parts    []span
	speaker  speaker
	evidence string
	attrPos  int
	attr     attribution
	post     bool // attributed by a clause right after the quote
	naming   bool // a title or term ("titled “…”")
	drop     bool
}

func (c *cand) text(text string) string {
	var parts []string
	for _, p := range c.parts {
		parts = append(parts, strings.TrimRight(strings.TrimSpace(text[p.tStart:p.tEnd]), ","))
	}
	t := strings.Join(parts, " ")
	return strings.TrimRight(t, ",")
}

func (c *cand) attributed() bool { return c.speaker.name != "" || c.attr.ok() }

// candidates finds, attributes, merges and filters the quotations.
func (a *article) candidates() []*cand {
	cands := a.chainSpans()
	for _, c := range cands {
		a.attribute(c)
	}
	cands = a.mergeSplit(cands)
	a.resolveAll(cands)
	a.dropRepeatsAndScare(cands)
	return cands
}

// chainSpans groups spans into quotations: a span left open at the end of a
// paragraph continues into the next paragraph's opening span.
func (a *article) chainSpans() []*cand {
	var out []*cand
	for i := 0; i < len(a.spans); i++ {
		c := &cand{parts: []span{a.spans[i]}}
		for a.spans[i].continuesAfter && i+1 < len(a.spans) &&
			a.spans[i+1].open == a.paras[a.spans[i+1].para].start {
			i++
			c.parts = append(c.parts, a.spans[i])
		}
		out = append(out, c)
	}
	return out
}

// leadOf returns the text between the previous quotation in the paragraph
// (or the paragraph start) and the opening mark of s, with its offset.
func (a *article) leadOf(s span) (string, int) {
	start := a.paras[s.para].start
	for _, o := range a.spans {
		if o.para == s.para && o.close >= 0 && o.close < s.open && o.close+o.closeLen > start {
			start = o.close + o.closeLen
		}
	}
	return a.text[start:s.open], start
}

// tailOf returns the text after the closing mark of s up to the next
// quotation in the paragraph (or the paragraph end), with its offset.
func (a *article) tailOf(s span) (string, int) {
	if s.close < 0 {
		return "", s.tEnd
	}
	start := s.close + s.closeLen
	end := a.paras[s.para].end
	for _, o := range a.spans {
		if o.para == s.para && o.open >= start && o.open < end {
			end = o.open
		}
	}
	return a.text[start:end], start
}

// attribute finds the attribution phrase of one quotation.
func (a *article) attribute(c *cand) {
	first, last := c.parts[0], c.parts[len(c.parts)-1]
	inner := strings.TrimSpace(a.text[last.tStart:last.tEnd])
	tail, tailOff := a.tailOf(last)
	lead, leadOff := a.leadOf(first)
	sent, off := leadSentence(lead)
	if namingRe.MatchString(strings.TrimRight(sent, " ,")) {
		c.naming = true
		return
	}
	if endsForAttribution(inner) || strings.HasPrefix(strings.TrimLeft(tail, " "), ",") {
		if at := postAttribution(tail, tailOff); at.ok() {
			c.attr, c.post = at, true
			return
		}
	}
	at, naming := preAttribution(sent, leadOff+off)
	if naming {
		c.naming = true
		return
	}
	if at.ok() {
		c.attr = at
		return
	}
	// The quotation opens a sentence: the sentence before it in the same
	// paragraph may introduce it ("Hypponen pointed out that …. “…”").
	if strings.TrimSpace(sent) == "" && off > 0 {
		prev := a.unquoted(leadOff, leadOff+off)
		ps, poff := lastSentence(prev)
		if ph, pos, verb := subjectOfFirstVerb(ps, leadOff+poff); ph != "" {
			c.attr = attribution{phrase: ph, pos: pos, verb: verb, evidence: "pre-sentence"}
			return
		}
		// The sentence before is about a person ("He learned that …
		// “…”"): the quotation is theirs.
		if ph, pos := a.personSubject(ps, leadOff+poff); ph != "" {
			c.attr = attribution{phrase: ph, pos: pos, evidence: "pre-sentence"}
			return
		}
	}
	// A paragraph that is only the quotation, after a paragraph ending
	// with a colon ("Harris said:").
	if strings.TrimSpace(lead) == "" && first.para > 0 {
		pp := a.paras[first.para-1]
		prev := strings.TrimRight(a.text[pp.start:pp.end], " ")
		if strings.HasSuffix(prev, ":") && !a.isQuoted(pp.end-1) {
			ps, poff := lastSentence(prev)
			if at, _ := preAttribution(ps, pp.start+poff); at.ok() {
				c.attr = at
			}
		}
	}
}

// personSubject returns the subject of sentence s (at offset base) when it
// is a personal pronoun or the name of a person in the article.
func (a *article) personSubject(s string, base int) (string, int) {
	t := strings.TrimLeft(s, " ")
	off := base + len(s) - len(t)
	f := strings.Fields(t)
	if len(f) < 2 {
		return "", 0
	}
	if lf := strings.ToLower(f[0]); lf == "he" || lf == "she" {
		return f[0], off
	}
	if n := leadingCapRun(t); n != "" {
		if _, ok := a.fullestPerson(n, off); ok && len(f) > len(strings.Fields(n)) && !isCap(f[len(strings.Fields(n))]) {
			return n, off
		}
	}
	return "", 0
}

// endsForAttribution reports whether quoted words end the way a quotation
// followed by its attribution does ('…,"', '…?"', '…!"', '…—"').
func endsForAttribution(inner string) bool {
	// A nested quotation closing with the outer one: '…attention,’ ”'.
	inner = strings.TrimRight(inner, " ’'")
	if inner == "" {
		return false
	}
	r := []rune(inner)
	switch r[len(r)-1] {
	case ',', '?', '!', '—', '–', '…', '-':
		return true
	}
	return false
}

// mergeSplit joins a quotation without its own attribution to the attributed
// quotation before it in the same paragraph ('"X," she said, "Y."' and
// '"X," she said. "Y."').
func (a *article) mergeSplit(cands []*cand) []*cand {
	var out []*cand
	for _, c := range cands {
		if len(out) > 0 {
			prev := out[len(out)-1]
			pl := prev.parts[len(prev.parts)-1]
			cf := c.parts[0]
			// An attribution between the parts is the earlier part's own
			// clause ('"X," she said, "Y."') unless it names someone else
			// ('"X," said A, but B disagreed: "Y."').
			between := c.attr.pos >= pl.close && c.attr.pos < cf.open
			ownAttr := c.attr.ok() && (!between || prev.post && c.attr.pos > prev.attr.pos &&
				(clauseBreakRe.MatchString(a.text[prev.attr.pos:c.attr.pos]) ||
					len(sentenceEnds(a.text[prev.attr.pos:c.attr.pos])) > 0))
			if pl.para == cf.para && pl.close >= 0 && prev.attr.ok() && !c.naming &&
				(!ownAttr || (len(c.parts) > 1 && !c.post)) || pl.para == cf.para && pl.close >= 0 && prev.attr.ok() && len(c.parts) > 1 && c.post && !c.naming {
				between := a.text[pl.close+pl.closeLen : cf.open]
				sent, _ := leadSentence(between)
				bt := strings.TrimSpace(between)
				// At most the attribution's own sentence lies between the
				// parts; a narrative sentence ends the quotation.
				short := len(sentenceEnds(strings.TrimSpace(between))) <= 1
				if short && strings.TrimSpace(sent) == "" || (prev.post && (strings.HasSuffix(bt, ",") || strings.HasSuffix(bt, ":"))) {
					prev.parts = append(prev.parts, c.parts...)
					continue
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// mention is a reference to a possible speaker at a position in the text.
type mention struct {
	pos int
	sp  speaker
}

// resolveAll resolves attribution phrases in text order so that pronouns
// can refer to earlier speakers.
func (a *article) resolveAll(cands []*cand) {
	ments := a.staticMentions()
	var prevSpeaker *cand
	// A document already resolved as a speaker ("the statement read") is
	// the same document when it speaks again nearby ("the statement
	// continued").
	type docSpeaker struct {
		sp   speaker
		para int
	}
	docs := map[string]docSpeaker{}
	for _, c := range cands {
		if c.attr.ok() {
			sp := a.resolvePhrase(c.attr.phrase, c.attr.pos)
			_, head, definite, _ := descParts(c.attr.phrase)
			if docNouns[head] && definite {
				pi := a.paraOf(c.attr.pos)
				if d, ok := docs[head]; ok && pi-d.para <= 2 {
					sp = d.sp
				} else if sp.name != "" && sp.kind != kindDesc {
					docs[head] = docSpeaker{sp, pi}
				}
			}
			c.evidence = c.attr.evidence
			if sp.kind == kindPronoun {
				sp = a.resolvePronoun(sp, c.parts[0].open, ments, prevSpeaker)
				c.evidence = "pronoun"
			}
			c.speaker = sp
			if sp.name != "" {
				ments = append(ments, mention{pos: c.attr.pos, sp: sp})
				prevSpeaker = c
			}
		}
	}
}

// staticMentions lists personal names and indefinite human descriptions
// that are sentence subjects, in text order.
func (a *article) staticMentions() []mention {
	var ms []mention
	for _, pn := range a.index.persons {
		full, _ := a.fullestPerson(pn.full, pn.start)
		ms = append(ms, mention{pos: pn.start, sp: speaker{name: full.full, role: full.role, kind: kindPerson}})
	}
	// Surnames used alone.
	for _, p := range a.paras {
		seg := a.unquoted(p.start, p.end)
		for _, w := range words(seg, p.start) {
			if idx, ok := a.index.surnames[w.s]; ok && isCap(w.s) {
				pn := a.index.persons[idx[0]]
				if w.start >= pn.start && w.end <= pn.end {
					continue
				}
				full, _ := a.fullestPerson(w.s, w.start)
				ms = append(ms, mention{pos: w.start, sp: speaker{name: full.full, role: full.role, kind: kindPerson}})
			}
		}
		// Indefinite descriptions opening a sentence or a clause.
		starts := []int{0}
		starts = append(starts, sentenceEnds(seg)...)
		for _, st := range starts {
			rest := strings.TrimLeft(seg[st:], " ")
			f := strings.Fields(rest)
			if len(f) < 2 {
				continue
			}
			lf := strings.ToLower(f[0])
			if lf != "a" && lf != "an" {
				continue
			}
			cut := rest
			if i := strings.IndexAny(cut, ",;"); i >= 0 {
				cut = cut[:i]
			}
			desc, head, _, _ := descParts(cut)
			if humanNouns[head] && desc != "" {
				off := p.start + st + (len(seg[st:]) - len(rest))
				ms = append(ms, mention{pos: off, sp: speaker{name: a.expandComplement(desc, off), kind: kindDesc}})
			}
		}
	}
	return ms
}

// resolvePronoun resolves "he"/"she" to the subject of the nearest earlier
// sentence that mentions a person, and "it"/"they"/"we" to the previous
// speaker.
func (a *article) resolvePronoun(sp speaker, quoteStart int, ments []mention, prev *cand) speaker {
	p := strings.ToLower(sp.phrase)
	if p != "he" && p != "she" {
		if prev != nil {
			r := prev.speaker
			r.phrase = sp.phrase
			return r
		}
		return sp
	}
	bestPos := -1
	for _, m := range ments {
		if m.pos < quoteStart && m.pos > bestPos && m.sp.kind != kindOrg {
			bestPos = m.pos
		}
	}
	if bestPos < 0 {
		return sp
	}
	// Within the sentence of the nearest mention, prefer its first
	// (subject) mention.
	sStart := a.sentenceStart(bestPos)
	best := mention{pos: -1}
	for _, m := range ments {
		if m.pos >= sStart && m.pos <= bestPos && m.sp.kind != kindOrg && (best.pos < 0 || m.pos < best.pos) {
			best = m
		}
	}
	r := best.sp
	r.phrase = sp.phrase
	return r
}

// sentenceStart returns the offset of the start of the sentence containing
// pos.
func (a *article) sentenceStart(pos int) int {
	pi := a.paraOf(pos)
	if pi < 0 {
		return pos
	}
	p := a.paras[pi]
	st := p.start
	for _, e := range sentenceEnds(a.unquoted(p.start, pos)) {
		if p.start+e <= pos {
			st = p.start + e
		}
	}
	return st
}

// dropRepeatsAndScare removes pull-quotes that repeat a body quotation,
// scare quotes, titles and terms, and attributes standalone continuation
// paragraphs.
func (a *article) dropRepeatsAndScare(cands []*cand) {
	norm := make([]string, len(cands))
	for i, c := range cands {
		norm[i] = normalize(c.text(a.text))
	}
	for i, c := range cands {
		t := c.text(a.text)
		n := wordCount(t)
		if c.naming {
			c.drop = true
			continue
		}
		if !c.attr.ok() || c.speaker.name == "" {
			// A repeat of another quotation (pull-quote) counts once.
			for j, o := range cands {
				if j != i && !o.drop && len(norm[i]) > 0 && strings.Contains(norm[j], norm[i]) &&
					(o.attr.ok() || len(norm[j]) > len(norm[i])) {
					c.drop = true
					break
				}
			}
			if c.drop {
				continue
			}
		}
		if n <= 3 && !(c.post || c.attr.evidence == "pre-colon") {
			c.drop = true
			continue
		}
		if !c.attr.ok() && a.isHeading(c) {
			c.drop = true
			continue
		}
		if isTitleCased(t) && !c.post {
			c.drop = true
			continue
		}
		if c.attr.ok() && n <= 3 && c.attr.evidence == "pre-said" {
			c.drop = true
			continue
		}
		if !c.attr.ok() && a.standalone(c) {
			if prev := a.previousParaQuote(cands, i); prev != nil && prev.speaker.name != "" {
				c.speaker = prev.speaker
				c.evidence = "para-continue"
			}
		}
	}
}

// isHeading reports whether a quotation is a heading or a caption: a short
// paragraph of its own, in marks, without a sentence-final stop.
func (a *article) isHeading(c *cand) bool {
	if len(c.parts) != 1 || !a.standalone(c) {
		return false
	}
	inner := strings.TrimSpace(a.text[c.parts[0].tStart:c.parts[0].tEnd])
	tail, _ := a.tailOf(c.parts[0])
	if wordCount(inner) > 12 || strings.ContainsAny(tail, ".!?…") {
		return false
	}
	r := []rune(inner)
	return len(r) > 0 && !strings.ContainsRune(".!?…,;:—–-", r[len(r)-1])
}

// standalone reports whether a quotation fills its whole paragraph.
func (a *article) standalone(c *cand) bool {
	first, last := c.parts[0], c.parts[len(c.parts)-1]
	lead, _ := a.leadOf(first)
	tail, _ := a.tailOf(last)
	return strings.TrimSpace(lead) == "" && strings.Trim(tail, " .,") == ""
}

// previousParaQuote returns the last kept quotation of the paragraph right
// before cands[i]'s paragraph, or nil.
func (a *article) previousParaQuote(cands []*cand, i int) *cand {
	pi := cands[i].parts[0].para
	for j := i - 1; j >= 0; j-- {
		o := cands[j]
		lp := o.parts[len(o.parts)-1].para
		if lp < pi-1 {
			return nil
		}
		if lp == pi-1 && !o.drop {
			return o
		}
	}
	return nil
}

// normalize folds case, typographic marks and whitespace for comparison.
func normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch r {
		case '’', '‘', '\'':
			r = '\''
		case '“', '”':
			r = '"'
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.IsPunct(r) && r != '\'' {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
