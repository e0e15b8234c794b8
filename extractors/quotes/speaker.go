package quotes

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// speakerKind tells what a resolved speaker is.
type speakerKind int

const (
	kindNone speakerKind = iota
	kindPerson
	kindOrg
	kindDesc
	kindPronoun
)

// speaker is a resolved speaker.
type speaker struct {
	name   string // fullest name or description, "" if unknown
	role   string
	phrase string // the phrase as written
	kind   speakerKind
	// members lists the speakers of a coordinated subject ("Human Rights
	// Watch, Access Now and other groups"); nil for one speaker.
	members []string
}

// phraseCut ends a speaker phrase at a relative clause, a participle or an
// adverbial ("said Harris, who …", "said one visitor, fanning herself").
var phraseCut = regexp.MustCompile(`\s+(who|whom|whose|which|that|as|after|before|when|while|during|speaking|adding|according|told|in an?|on|at|in|from|with|without|under|to|involved|briefing|familiar|close|following|standing|sitting|calling|urging|using|noting|referring)\b|\s*[—–(]| - `)

// resolvePhrase turns an attribution phrase into a speaker. pos is the
// phrase's offset, used to find earlier mentions.
func (a *article) resolvePhrase(phrase string, pos int) speaker {
	p := strings.TrimSpace(phrase)
	p = strings.TrimRight(p, " .,;:!?")
	sp := speaker{phrase: p}
	if p == "" {
		return sp
	}
	segs := splitTop(p)
	head, role := segs[0], ""
	if len(segs) > 1 {
		role = segs[1]
	}
	head = stripFillers(head)
	if f := strings.Fields(head); len(f) > 1 && relativeWords[strings.ToLower(f[0])] {
		head = strings.TrimSpace(head[len(f[0]):]) // "in which he said"
	}
	if f := strings.Fields(head); len(f) > 0 {
		// "we’ve noted", "she’d said": a pronoun with a contraction.
		for _, suf := range []string{"’ve", "'ve", "’d", "'d", "’ll", "'ll"} {
			if w := strings.TrimSuffix(f[0], suf); w != f[0] && pronounRe.MatchString(w) {
				f[0] = w
				head = strings.Join(f, " ")
			}
		}
	}
	if f := strings.Fields(head); len(f) > 1 && pronounRe.MatchString(f[0]) && !isCap(f[1]) {
		head = f[0] // "He then referred to …"
	}
	if strings.EqualFold(head, "we") || head == "I" {
		return sp // the writer, not a quoted speaker
	}
	if pronounRe.MatchString(head) {
		sp.kind = kindPronoun
		return sp
	}
	// "The Deputy Secretary General of the Council of Europe, Björn Berge":
	// the name is the second segment.
	if role != "" && startsDefinite(head) && a.isPersonalPhrase(role) {
		head, role = role, head
	}
	if isDescription(head) {
		return a.resolveDescription(head, role, pos, sp)
	}
	// A proper name: drop a trailing "of Virginia" and any title; keep "of"
	// inside a title ("Secretary of State Mike Pompeo").
	if i := strings.Index(head, " of "); i > 0 {
		if _, name := stripTitle(words(head[:i], 0)); len(name) > 0 {
			head = head[:i]
		}
	}
	if loc := phraseCut.FindStringIndex(head); loc != nil && loc[0] > 0 {
		head = head[:loc[0]]
	}
	head = strings.TrimPrefix(strings.TrimPrefix(head, "the "), "The ")
	ws := words(head, 0)
	for len(ws) > 0 && leadFillers[strings.ToLower(ws[0].s)] {
		ws = ws[1:]
	}
	if len(ws) == 0 || possessiveDets[strings.ToLower(ws[0].s)] {
		return sp // "His repeated claims …": a noun phrase, not a speaker
	}
	title, name := stripTitle(ws)
	if len(name) == 0 {
		name, title = ws, nil
	}
	n := capSeq{ws: name}.text()
	if len(title) > 0 {
		sp.role = head[title[0].start:title[len(title)-1].end]
	}
	if role != "" {
		if sp.role != "" {
			sp.role += ", " + role
		} else {
			sp.role = role
		}
	}
	if pn, ok := a.fullestPerson(n, pos); ok {
		sp.name, sp.kind = pn.full, kindPerson
		if sp.role == "" {
			sp.role = pn.role
		}
		return sp
	}
	// prose's PERSON label (a hint only, and costly, so asked last) rescues
	// names the lexical test rejects.
	personal := len(name) >= 2 && (looksPersonal(name) || !hasOrgWord(name) && a.hints().person[n])
	if personal && len(title) > 0 {
		sp.name, sp.kind = n, kindPerson
		return sp
	}
	// An organisation, or a name without a fuller form.
	if personal {
		sp.name, sp.kind = n, kindPerson
		return sp
	}
	sp.name, sp.kind = a.fullestOrg(capSeq{ws: ws}.text()), kindOrg
	return sp
}

// relativeWords open a relative clause whose subject follows ("in which
// he said").
var relativeWords = setOf("which", "who", "whom", "where", "whereby")

// possessiveDets open a noun phrase that cannot be a named speaker.
var possessiveDets = setOf("his", "her", "their", "its", "our", "my", "your")

// splitTop splits a phrase at commas.
func splitTop(p string) []string {
	var out []string
	for _, s := range strings.Split(p, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = []string{p}
	}
	return out
}

func stripFillers(s string) string {
	for {
		f := strings.Fields(s)
		if len(f) < 2 || !leadFillers[strings.ToLower(f[0])] {
			return s
		}
		s = strings.TrimSpace(s[len(f[0]):])
	}
}

func startsDefinite(s string) bool {
	return strings.HasPrefix(s, "the ") || strings.HasPrefix(s, "The ")
}

// isPersonalPhrase reports whether s is a capitalised personal name.
func (a *article) isPersonalPhrase(s string) bool {
	ws := words(s, 0)
	_, name := stripTitle(ws)
	return len(name) >= 2 && len(name) == len(ws)-countTitle(ws) && looksPersonal(name)
}

func countTitle(ws []word) int {
	t, _ := stripTitle(ws)
	return len(t)
}

// isDescription reports whether a phrase is a common-noun description
// ("a fraud investigator at …", "South Africa's delegate", "the
// Commissioner") rather than a proper name.
func isDescription(head string) bool {
	f := strings.Fields(head)
	if len(f) == 0 {
		return false
	}
	art := strings.ToLower(f[0])
	if art == "a" || art == "an" || art == "one" || art == "another" {
		return true
	}
	if art == "the" && len(f) > 1 && humanNouns[strings.ToLower(f[1])] {
		return true // "the Commissioner", "the President of the Republic"
	}
	if loc := phraseCut.FindStringIndex(head); loc != nil && loc[0] > 0 {
		f = strings.Fields(head[:loc[0]])
	}
	if i := indexOf(f, "of", "for"); i > 0 {
		f = f[:i]
	}
	last := strings.Trim(f[len(f)-1], ".,")
	return !isCap(last) && (humanNouns[strings.ToLower(last)] || orgNouns[strings.ToLower(last)] || len(f) > 1)
}

func indexOf(f []string, ws ...string) int {
	for i, w := range f {
		for _, x := range ws {
			if w == x {
				return i
			}
		}
	}
	return -1
}

// descParts normalises a description: article dropped, cut after the head
// noun and any "of/for" complement ("a delegate of the Federal Police who
// asked …" → "delegate of the Federal Police"). It also reports whether the
// description was definite, and bare ("the official", "the accord's
// representative": nothing but possessives before the head), and its head
// noun.
func descParts(d string) (desc, head string, definite, bare bool) {
	f := strings.Fields(d)
	if len(f) == 0 {
		return "", "", false, false
	}
	switch strings.ToLower(f[0]) {
	case "a", "an", "one", "another":
		f = f[1:]
	case "the":
		definite = true
		f = f[1:]
	}
	if len(f) == 0 {
		return "", "", definite, false
	}
	s := strings.Join(f, " ")
	if loc := phraseCut.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = s[:loc[0]]
	}
	f = strings.Fields(strings.TrimRight(s, ".,;: "))
	if len(f) == 0 {
		return "", "", definite, false
	}
	// The noun phrase runs to "of"/"for"; its last word is the head.
	hi := len(f) - 1
	if i := indexOf(f, "of", "for"); i > 0 {
		hi = i - 1
	}
	head = strings.ToLower(strings.Trim(f[hi], ".,"))
	bare = true
	for _, w := range f[:hi] {
		if !strings.HasSuffix(w, "'s") && !strings.HasSuffix(w, "’s") {
			bare = false
		}
	}
	end := hi + 1
	if end < len(f) {
		// The complement: "the"/"a" and a capitalised run, or one word.
		end++
		if end < len(f) && (strings.EqualFold(f[end], "the") || f[end] == "a") {
			end++
		}
		if end < len(f) && isCap(f[end]) {
			for end < len(f) && (isCap(f[end]) || ((f[end] == "of" || f[end] == "and" || f[end] == "for" || particles[f[end]]) && end+1 < len(f) && isCap(f[end+1]))) {
				end++
			}
		} else if end < len(f) {
			end++
		}
	}
	desc = strings.TrimRight(strings.Join(f[:end], " "), ".,;:")
	return desc, head, definite, bare
}

// resolveDescription handles an unnamed speaker.
func (a *article) resolveDescription(headPhrase, role string, pos int, sp speaker) speaker {
	if i := strings.Index(headPhrase, " by "); i > 0 {
		// "a blog post by Amit Yoran", "a statement by the ministry".
		if r := a.resolvePhrase(headPhrase[i+4:], pos); r.name != "" && r.kind != kindPronoun {
			r.phrase = sp.phrase
			return r
		}
	}
	desc, head, definite, bare := descParts(headPhrase)
	sp.kind = kindDesc
	if desc == "" {
		return sp
	}
	if f := strings.Fields(headPhrase); possessiveDets[strings.ToLower(f[0])] && !isSpeakerNoun(head) {
		return speaker{phrase: sp.phrase} // "His repeated claims …"
	}
	if docNouns[head] {
		// "a statement from the ministry", "the note": whoever issued it.
		if i := strings.Index(headPhrase, " from "); i > 0 {
			if r := a.resolvePhrase(headPhrase[i+6:], pos); r.name != "" && r.kind != kindPronoun && r.kind != kindDesc {
				r.phrase = sp.phrase
				return r
			}
		}
		if r, ok := a.resolveDocument(head, pos); ok {
			r.phrase = sp.phrase
			return r
		}
	}
	if definite && isPluralSpeakerNoun(head) && countedBare(headPhrase, head) {
		// "the groups", "the two ministries": the coordinated subject.
		if r, ok := a.resolvePluralDefinite(head, pos); ok {
			r.phrase = sp.phrase
			return r
		}
	}
	if definite && bare && (humanNouns[head] || orgNouns[head]) {
		if r, ok := a.resolveDefinite(head, pos); ok {
			r.phrase = sp.phrase
			return r
		}
	}
	if !humanNouns[head] && !orgNouns[head] {
		// "a blog post by Amit Yoran": a personal name inside wins.
		for _, pn := range a.personsIn(headPhrase) {
			if full, ok := a.fullestPerson(pn, pos); ok {
				return speaker{name: full.full, role: full.role, phrase: sp.phrase, kind: kindPerson}
			}
		}
	}
	desc = a.expandComplement(desc, pos)
	if !definite && isGenericOfficial(desc) {
		if org, _ := a.previousOrgSubject(pos); org != "" {
			desc = org + " " + desc
		}
	}
	sp.name, sp.role = desc, role
	return sp
}

// countedBare reports whether only an article, possessives and numbers
// precede head in phrase ("the groups", "the two ministries").
func countedBare(phrase, head string) bool {
	f := strings.Fields(strings.ToLower(phrase))
	for _, w := range f {
		w = strings.Trim(w, ".,")
		switch {
		case w == head:
			return true
		case w == "the" || w == "both" || w == "two" || w == "three" || w == "four" || w == "several":
		case strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s"):
		default:
			return false
		}
	}
	return false
}

// isGenericOfficial reports whether a description is a bare spokesperson or
// official, which news prose ties to the organisation just mentioned.
func isGenericOfficial(desc string) bool {
	switch strings.ToLower(desc) {
	case "spokesperson", "spokesman", "spokeswoman", "official", "representative", "source":
		return true
	}
	return false
}

// personsIn lists capitalised personal names inside s.
func (a *article) personsIn(s string) []string {
	var out []string
	for _, c := range capSeqs(s, words(s, 0), nil) {
		_, name := stripTitle(c.ws)
		if len(name) >= 1 {
			out = append(out, capSeq{ws: name}.text())
		}
	}
	return out
}

// expandComplement replaces a short reference in an "of/for" complement by
// the fullest name in the article: "spokesperson for Ardern" →
// "spokesperson for Jacinda Ardern", "representative of the accord" →
// "representative of the Cybersecurity Tech Accord".
func (a *article) expandComplement(desc string, pos int) string {
	f := strings.Fields(desc)
	i := indexOf(f, "of", "for")
	if i < 0 || i+1 >= len(f) {
		return desc
	}
	comp := f[i+1:]
	pre := strings.Join(f[:i+1], " ")
	if strings.ToLower(comp[0]) == "the" && len(comp) == 2 && !isCap(comp[1]) {
		if org := a.orgWithNoun(comp[1], pos); org != "" {
			return pre + " the " + org
		}
		return desc
	}
	if isCap(comp[0]) {
		name := strings.Join(comp, " ")
		if pn, ok := a.fullestPerson(name, pos); ok {
			return pre + " " + pn.full
		}
		if strings.ToLower(comp[0]) != "the" {
			return pre + " " + a.fullestOrg(name)
		}
	}
	return desc
}

// knownAsRe matches a name given to a description right after it ("… known
// as DarkSide").
var knownAsRe = regexp.MustCompile(`^,?\s+(?:(?:also\s+)?known\s+as|called|named|dubbed|calling\s+itself)\s+((?:the\s+)?\p{Lu}[\p{L}\p{N}'’.&-]*(?:\s+(?:of\s+|for\s+|de\s+)?\p{Lu}[\p{L}\p{N}'’.&-]*)*)`)

var wordRe = func(w string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(w) + `\b`)
}

// resolveDefinite resolves "the <head>" to the entity it refers back to:
// the nearest earlier mention of the head noun that is an indefinite
// description ("A Justice Department official"), a named person with that
// role ("Secretary-General António Guterres"), or an organisation with that
// noun in its name or appositive.
func (a *article) resolveDefinite(head string, pos int) (speaker, bool) {
	re := wordRe(head)
	locs := re.FindAllStringIndex(a.text[:pos], -1)
	found, foundPos := speaker{}, -1
	for k := len(locs) - 1; k >= 0; k-- {
		l := locs[k]
		if a.isQuoted(l[0]) {
			continue
		}
		if sp, ok := a.referentAt(l[0], l[1], head); ok {
			found, foundPos = sp, l[0]
			break
		}
	}
	if orgNouns[head] && !humanNouns[head] {
		// An organisation that was the subject of a recent sentence beats
		// an older mention of the noun.
		if org, p := a.previousOrgSubject(pos); org != "" && p > foundPos {
			return speaker{name: org, kind: kindOrg}, true
		}
		if foundPos < 0 {
			if org := a.orgWithNoun(head, pos); org != "" {
				return speaker{name: org, kind: kindOrg}, true
			}
		}
	}
	// An organisation last mentioned more than two paragraphs back, or not
	// at all, yields to one named in the rest of the paragraph or the next
	// one ("The administration said … ¶ The Biden administration has …").
	if orgNouns[head] && !humanNouns[head] && (foundPos < 0 || a.paraOf(pos)-a.paraOf(a.lastMention(found.name, pos, foundPos)) > 2) {
		if sp, ok := a.nextNamedReferent(head, pos); ok {
			return sp, true
		}
	}
	return found, foundPos >= 0
}

// lastMention returns the offset of the last unquoted mention of name
// before pos, or def if there is none after def.
func (a *article) lastMention(name string, pos, def int) int {
	if name == "" {
		return def
	}
	last := def
	for _, l := range wordRe(name).FindAllStringIndex(a.text[:pos], -1) {
		if l[0] > last && !a.isQuoted(l[0]) {
			last = l[0]
		}
	}
	return last
}

// nextNamedReferent looks for a mention of head after pos, up to the end of
// the next paragraph, that names its referent with a capitalised word
// ("the Biden administration").
func (a *article) nextNamedReferent(head string, pos int) (speaker, bool) {
	pi := a.paraOf(pos)
	if pi < 0 {
		return speaker{}, false
	}
	end := a.paras[pi].end
	if pi+1 < len(a.paras) {
		end = a.paras[pi+1].end
	}
	for _, l := range wordRe(head).FindAllStringIndex(a.text[pos:end], -1) {
		s, e := pos+l[0], pos+l[1]
		if a.isQuoted(s) {
			continue
		}
		if sp, ok := a.referentAt(s, e, head); ok && sp.name != strings.ToLower(sp.name) {
			return sp, true
		}
	}
	return speaker{}, false
}

// referentAt tries to resolve one earlier mention of a head noun at
// text[s:e].
func (a *article) referentAt(s, e int, head string) (speaker, bool) {
	pi := a.paraOf(s)
	if pi < 0 {
		return speaker{}, false
	}
	p := a.paras[pi]
	// The head inside a capitalised organisation name ("Electronic Frontier
	// Foundation").
	if isCap(a.text[s:e]) && orgNouns[head] {
		for _, c := range a.index.orgs {
			if c.start() <= s && e <= c.end() && len(c.ws) > 1 {
				ws := c.ws
				for len(ws) > 0 && (strings.EqualFold(ws[0].s, "the") || leadFillers[strings.ToLower(ws[0].s)]) {
					ws = ws[1:]
				}
				return speaker{name: capSeq{ws: ws}.text(), kind: kindOrg}, true
			}
		}
	}
	// A description that names its referent: "a criminal group known as
	// DarkSide", "a start-up called Kestrel".
	if m := knownAsRe.FindStringSubmatchIndex(a.text[e:p.end]); m != nil {
		n := a.text[e+m[2] : e+m[3]]
		if pn, ok := a.fullestPerson(n, s); ok {
			return speaker{name: pn.full, role: pn.role, kind: kindPerson}, true
		}
		return speaker{name: a.fullestOrg(strings.TrimPrefix(n, "the ")), kind: kindOrg}, true
	}
	// A person named right after the title, in the same clause
	// ("Secretary-General António Guterres", "the Minister …, Clara Chappaz").
	limit := e + 120
	if limit > p.end {
		limit = p.end
	}
	for _, pn := range a.index.persons {
		if pn.start >= e && pn.start < limit && !strings.ContainsAny(a.text[e:pn.start], ";:") &&
			len(sentenceEnds(a.text[e:pn.start])) == 0 &&
			strings.Count(a.text[e:pn.start], ",") <= 1 && !speechRe.MatchString(a.text[e:pn.start]) {
			full, _ := a.fullestPerson(pn.full, pn.start)
			return speaker{name: full.full, role: a.text[s:e], kind: kindPerson}, true
		}
	}
	// Find the noun phrase around the mention.
	npStart := s
	sent := a.text[p.start:s]
	if ends := sentenceEnds(sent); len(ends) > 0 {
		sent = sent[ends[len(ends)-1]:]
	}
	for _, sep := range []string{",", ";", "—"} {
		if i := strings.LastIndex(sent, sep); i >= 0 {
			sent = sent[i+len(sep):]
		}
	}
	f := strings.Fields(sent)
	art := -1
	for i := len(f) - 1; i >= 0 && i >= len(f)-6; i-- {
		lw := strings.ToLower(f[i])
		if lw == "a" || lw == "an" || lw == "the" {
			art = i
			break
		}
	}
	if art < 0 {
		return speaker{}, false
	}
	npStart = s - len(strings.Join(f[art:], " ")) - 1
	artWord := strings.ToLower(f[art])
	// An appositive after a name: "The Electronic Frontier Foundation, a
	// San Francisco digital rights group".
	before := strings.TrimRight(a.text[p.start:npStart], " ")
	if artWord != "the" && strings.HasSuffix(before, ",") && strings.TrimSpace(strings.Join(f[:art], " ")) == "" &&
		endsWithName(strings.TrimSuffix(before, ",")) {
		if n := lastCapRun(strings.TrimSuffix(before, ",")); n != "" {
			if pn, ok := a.fullestPerson(n, s); ok {
				return speaker{name: pn.full, role: pn.role, kind: kindPerson}, true
			}
			n = strings.TrimPrefix(n, "The ")
			return speaker{name: a.fullestOrg(n), kind: kindOrg}, true
		}
	}
	if artWord == "the" && art == len(f)-1 {
		return speaker{}, false // another bare definite mention
	}
	rest := a.text[npStart:e]
	if tail := a.text[e:p.end]; strings.HasPrefix(tail, " of ") || strings.HasPrefix(tail, " for ") {
		if i := strings.IndexAny(tail, ",;."); i >= 0 {
			tail = tail[:i]
		}
		rest += tail
	}
	desc, _, _, _ := descParts(strings.TrimSpace(rest))
	if desc == "" {
		return speaker{}, false
	}
	return speaker{name: a.expandComplement(desc, s), kind: kindDesc}, true
}

// commonNounAtStart reports whether a capitalised word opening a sentence
// is a plural common noun ("Analysts", "Exporters") rather than a name: it
// looks plural and never appears capitalised inside a sentence.
func (a *article) commonNounAtStart(w string) bool {
	lw := strings.ToLower(w)
	if !strings.HasSuffix(lw, "s") || strings.HasSuffix(lw, "ss") || isAllCaps(w) {
		return false
	}
	return !a.usage().capMid[w]
}

// wordUse records how an article writes its words.
type wordUse struct {
	lower  map[string]bool // written in lower case
	capMid map[string]bool // capitalised inside a sentence
}

// usage returns how the article writes its words, computed on first use.
func (a *article) usage() *wordUse {
	if a.use != nil {
		return a.use
	}
	u := &wordUse{lower: map[string]bool{}, capMid: map[string]bool{}}
	for _, w := range words(a.text, 0) {
		switch {
		case w.s == strings.ToLower(w.s):
			u.lower[w.s] = true
		case isCap(w.s):
			before := strings.TrimRight(a.text[:w.start], " ")
			if before == "" {
				continue
			}
			if r, _ := utf8.DecodeLastRuneInString(before); !strings.ContainsRune(".!?\n\"“”—–-:", r) {
				u.capMid[w.s] = true
			}
		}
	}
	a.use = u
	return u
}

// stanceVerbs may follow an organisation subject in the sentence before an
// unattributed reference to it ("ACT welcomed the end of …").
var stanceVerbRe = regexp.MustCompile(`(?i)\b(welcomed|criticised|criticized|rejected|condemned|praised|backed|opposed|announced|confirmed|denied|responded)\b`)

var (
	// datelineRe matches a dateline opening a story ("WASHINGTON, May 10 — ").
	datelineRe = regexp.MustCompile(`^[\p{Lu}][\p{Lu}\p{L} .,/'’-]{0,60}?\d{0,4}[^—–\n]{0,20}?\s+[—–-]\s+`)
	// clauseBreakRe ends the first clause of a sentence.
	clauseBreakRe = regexp.MustCompile(`, and |, but |; | but | while | whereas `)
)

// previousOrgSubject returns the organisation that is the subject of the
// nearest earlier sentence (within two paragraphs) starting with a
// capitalised non-person name and containing a speech or stance verb ("The
// State Department told VICE News …" → "State Department"), and its offset.
func (a *article) previousOrgSubject(pos int) (string, int) {
	pi := a.paraOf(pos)
	for k := pi; k >= 0 && k >= pi-2; k-- {
		p := a.paras[k]
		end := p.end
		if k == pi {
			end = pos
		}
		seg := a.unquoted(p.start, end)
		starts := []int{0}
		starts = append(starts, sentenceEnds(seg)...)
		for j := len(starts) - 1; j >= 0; j-- {
			stEnd := len(seg)
			if j+1 < len(starts) {
				stEnd = starts[j+1]
			}
			raw := seg[starts[j]:stEnd]
			st := strings.TrimLeft(raw, " ")
			if m := datelineRe.FindStringIndex(st); m != nil {
				st = st[m[1]:]
			}
			base := p.start + starts[j] + len(raw) - len(st)
			ws := words(st, 0)
			seqs := capSeqs(st, ws, setOf("of", "for"))
			if len(seqs) == 0 || seqs[0].start() > 4 {
				continue
			}
			c := seqs[0]
			cw := c.ws
			for len(cw) > 0 && (leadFillers[strings.ToLower(cw[0].s)] || cw[0].s == "The") {
				cw = cw[1:]
			}
			if len(cw) == 0 || cw[len(cw)-1].possessive {
				continue // "France's foreign minister …": not the organisation
			}
			if _, name := stripTitle(cw); len(name) >= 2 && looksPersonal(name) {
				return "", -1
			}
			if len(cw) == 1 && a.index.surnames[cw[0].s] != nil {
				return "", -1
			}
			if len(cw) == 1 && c.start() == 0 && a.commonNounAtStart(cw[0].s) {
				continue // "Exporters complained …", "Analysts warned …"
			}
			after := st[c.end():]
			if m := clauseBreakRe.FindStringIndex(after); m != nil {
				after = after[:m[0]]
			}
			if !speechRe.MatchString(after) && !stanceVerbRe.MatchString(after) {
				continue
			}
			return a.fullestOrg(capSeq{ws: cw}.text()), base + cw[0].start
		}
	}
	return "", -1
}
