package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/prosemodel"
)

// word is one token of raw text with its byte offsets.
type word struct {
	s          string
	start, end int
	possessive bool // the word carried a trailing 's or ’s (removed from s)
}

// words splits s (starting at byte offset base in the article) into words:
// runs of letters and digits with internal . ' ’ - kept ("U.S.",
// "Abou-Zeid", "O'Brien"). A trailing possessive 's is stripped and flagged.
func words(s string, base int) []word {
	var out []word
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
				j += n2
				continue
			}
			if r2 == '.' || r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '‑' {
				if j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if unicode.IsLetter(r3) || unicode.IsDigit(r3) {
						j += n2
						continue
					}
				}
				if r2 == '.' && isInitialism(s[i:j]) {
					j += n2 // "U.S." keeps its final stop
				} else if r2 == '.' && isMiddleInitial(s, i, j) {
					j += n2 // "Sonya A. Zoghlin" keeps the initial's stop
				}
			}
			break
		}
		w := word{s: s[i:j], start: base + i, end: base + j}
		for _, suf := range []string{"'s", "’s"} {
			if strings.HasSuffix(w.s, suf) && len(w.s) > len(suf) {
				w.s = w.s[:len(w.s)-len(suf)]
				w.possessive = true
			}
		}
		out = append(out, w)
		i = j
	}
	return out
}

// isMiddleInitial reports whether s[i:j] is a single capital letter followed
// by a stop, a space and a capitalised word, preceded by a capitalised word:
// an initial inside a personal name.
func isMiddleInitial(s string, i, j int) bool {
	r, n := utf8.DecodeRuneInString(s[i:j])
	if n != j-i || !unicode.IsUpper(r) || j+2 >= len(s) || s[j+1] != ' ' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[j+2:])
	prev := strings.TrimRight(s[:i], " ")
	if len(prev) == len(s[:i]) || prev == "" {
		return false
	}
	k := strings.LastIndexAny(prev, " \n\t")
	return unicode.IsUpper(next) && isCap(prev[k+1:])
}

// isInitialism reports whether s looks like "U.S" or "H.E" (single letters
// separated by stops).
func isInitialism(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) != 1 {
			return false
		}
	}
	return true
}

func isCap(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isAllCaps(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n >= 2
}

// capSeq is a run of capitalised words (with name particles inside).
type capSeq struct {
	ws []word
}

func (c capSeq) start() int { return c.ws[0].start }
func (c capSeq) end() int   { return c.ws[len(c.ws)-1].end }
func (c capSeq) text() string {
	parts := make([]string, len(c.ws))
	for i, w := range c.ws {
		parts[i] = w.s
	}
	return strings.Join(parts, " ")
}

// capSeqs finds runs of capitalised words in s. Words must be separated by a
// single space; lower-case particles ("von der") may join two capitalised
// words, and so may the connectors given (e.g. "of" for organisation names).
func capSeqs(text string, ws []word, connectors map[string]bool) []capSeq {
	var out []capSeq
	var cur []word
	flush := func() {
		for len(cur) > 0 && !isCap(cur[len(cur)-1].s) {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			out = append(out, capSeq{ws: cur})
		}
		cur = nil
	}
	for i, w := range ws {
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			gap := text[prev.end:w.start]
			if gap != " " || prev.possessive {
				flush()
			}
		}
		switch {
		case isCap(w.s):
			cur = append(cur, w)
		case len(cur) > 0 && (particles[w.s] || connectors[w.s]) && i+1 < len(ws) &&
			(isCap(ws[i+1].s) || particles[ws[i+1].s] && i+2 < len(ws) && isCap(ws[i+2].s)):
			cur = append(cur, w)
		default:
			flush()
		}
	}
	flush()
	return out
}

// entityHints holds prose's named-entity labels as hints.
type entityHints struct {
	person, other map[string]bool
}

// hints returns the article's entity hints, running prose on first use
// only: most articles never need them.
func (a *article) hints() *entityHints {
	if a.ents == nil && a.hinter != nil {
		person, other := a.hinter.EntityHints()
		a.ents = &entityHints{person: person, other: other}
	}
	if a.ents == nil {
		a.ents = newEntityHints(a.text)
	}
	return a.ents
}

func newEntityHints(text string) (h *entityHints) {
	h = &entityHints{person: map[string]bool{}, other: map[string]bool{}}
	// prose v2.0.0's tokenizer cuts a word at an offset found in its
	// lower-cased copy, and panics when lower-casing changes the word's
	// length before 's, 'll, 're, 'm or n't: invalid UTF-8, "Ⱥ", "Ⱦ"
	// (found by FuzzExtract). The hints are optional: go without them.
	defer func() {
		if recover() != nil {
			h = &entityHints{person: map[string]bool{}, other: map[string]bool{}}
		}
	}()
	doc, err := prosemodel.Document(text, true)
	if err != nil {
		return h
	}
	for _, e := range doc.Entities() {
		if e.Label == "PERSON" {
			h.person[e.Text] = true
		} else {
			h.other[e.Text] = true
		}
	}
	return h
}

// personName is a personal name found in the article outside quotes.
type personName struct {
	full       string // title stripped ("Emmanuel Macron")
	role       string // title prefix ("French President"), may be ""
	toks       []string
	start, end int // offsets of the name itself (without title)
}

// nameIndex lists the personal names and organisation names in an article.
type nameIndex struct {
	persons []personName
	orgs    []capSeq
	// surnames maps a last name to the fullest names ending with it.
	surnames map[string][]int
}

func buildNameIndex(a *article) *nameIndex {
	idx := &nameIndex{surnames: map[string][]int{}}
	for _, p := range a.paras {
		seg := a.unquoted(p.start, p.end)
		ws := words(seg, p.start)
		for _, c := range capSeqs(a.text, ws, nil) {
			if pn, ok := a.personFromSeq(c); ok {
				idx.persons = append(idx.persons, pn)
			}
		}
		for _, c := range capSeqs(a.text, ws, setOf("of", "for", "on")) {
			for len(c.ws) > 1 && (c.ws[0].s == "The" || leadFillers[strings.ToLower(c.ws[0].s)]) {
				c.ws = c.ws[1:]
			}
			idx.orgs = append(idx.orgs, c)
		}
	}
	for i, pn := range idx.persons {
		last := pn.toks[len(pn.toks)-1]
		idx.surnames[last] = append(idx.surnames[last], i)
	}
	return idx
}

// stripTitle splits a capitalised sequence into its title prefix and the
// personal name after it: the name is the longest run of trailing words that
// are not title words.
func stripTitle(ws []word) (title, name []word) {
	k := len(ws)
	for k > 0 {
		w := ws[k-1]
		lw := strings.ToLower(w.s)
		initial := len(w.s) == 2 && w.s[1] == '.' && isCap(w.s) && k > 1 && k < len(ws)
		if titleWords[lw] || orgWords[lw] || w.possessive || strings.Contains(w.s, ".") && !initial ||
			(!isCap(w.s) && !particles[lw]) {
			break
		}
		k--
	}
	// Leading particles belong to the title side only if nothing follows.
	for k < len(ws) && particles[strings.ToLower(ws[k].s)] && !isCap(ws[k].s) {
		k++
	}
	return ws[:k], ws[k:]
}

// personFromSeq decides whether a capitalised sequence names a person.
func (a *article) personFromSeq(c capSeq) (personName, bool) {
	ws := c.ws
	for len(ws) > 0 && (leadFillers[strings.ToLower(ws[0].s)] || functionWords[strings.ToLower(ws[0].s)]) {
		ws = ws[1:]
	}
	if len(ws) >= 2 && a.sentenceInitial(ws[0].start) && a.commonWordAtStart(ws[0].s) {
		ws = ws[1:] // "Hosting Cook", "Singer-guitarists Tom Johnston"
	}
	if len(ws) > 2 && a.complementOfTitle(ws[0].start) && !titleWords[strings.ToLower(ws[0].s)] {
		ws = ws[1:] // "envoy to Ukraine Kurt Volker"
	}
	if len(ws) == 0 || ws[0].s == "The" {
		return personName{}, false
	}
	title, name := stripTitle(ws)
	full := capSeq{ws: name}.text()
	if len(name) < 2 || !looksPersonal(name) {
		return personName{}, false
	}
	pn := personName{full: full, start: name[0].start, end: name[len(name)-1].end}
	for _, w := range name {
		pn.toks = append(pn.toks, w.s)
	}
	// A generational suffix is not the surname ("Robert F. Kennedy Jr.").
	if n := len(pn.toks); n > 2 && nameSuffixes[strings.ToLower(strings.TrimSuffix(pn.toks[n-1], "."))] {
		pn.toks = pn.toks[:n-1]
	}
	if len(title) > 0 {
		pn.role = a.text[title[0].start:title[len(title)-1].end]
	}
	return pn, true
}

// functionWords are capitalised at a sentence start but never open a name.
var functionWords = setOf("to", "for", "with", "from", "by", "of", "if", "after", "before",
	"since", "until", "unlike", "like", "without", "under", "over", "against", "despite",
	"although", "though", "because", "unless", "whether", "where", "why", "how", "what", "which",
	"who", "dear", "thanks", "via", "per", "about", "among", "between", "during", "into")

// sentenceInitial reports whether byte i opens a sentence: it follows a
// paragraph start or a sentence end.
func (a *article) sentenceInitial(i int) bool {
	before := strings.TrimRight(a.text[:i], " \t\"“‘'(")
	if before == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(".!?\n:", r)
}

// commonWordAtStart reports whether a capitalised sentence-initial word is
// a common word rather than part of a name: a participle ("Hosting"), a
// compound with a lower-case part ("Singer-guitarists"), or a word the
// article also writes in lower case.
func (a *article) commonWordAtStart(w string) bool {
	lw := strings.ToLower(w)
	if len(lw) > 5 && strings.HasSuffix(lw, "ing") {
		return true
	}
	if i := strings.IndexAny(w, "-‑"); i > 0 {
		_, n := utf8.DecodeRuneInString(w[i:])
		if r, _ := utf8.DecodeRuneInString(w[i+n:]); unicode.IsLower(r) {
			return true
		}
	}
	return a.usage().lower[lw]
}

// complementOfTitle reports whether the capitalised run starting at byte i
// follows a title or human noun and a preposition ("envoy to Ukraine Kurt
// Volker", "ambassador to France …"), so that its first word is the
// title's complement.
func (a *article) complementOfTitle(i int) bool {
	f := strings.Fields(a.text[max(0, i-40):i])
	if len(f) < 2 {
		return false
	}
	prep := f[len(f)-1]
	if prep != "to" && prep != "of" && prep != "for" && prep != "at" && prep != "in" {
		return false
	}
	t := strings.ToLower(strings.Trim(f[len(f)-2], ",.;"))
	return titleWords[t] || humanNouns[t]
}

// looksPersonal applies lexical tests: no organisation or place words, no
// acronyms, at most four words, a capitalised last word.
func looksPersonal(name []word) bool {
	if len(name) > 5 {
		return false
	}
	if placeWords[strings.ToLower(name[0].s)] {
		return false
	}
	for i, w := range name {
		lw := strings.ToLower(w.s)
		if orgWords[lw] || isAllCaps(w.s) || strings.ContainsAny(w.s, "0123456789") {
			return false
		}
		if i < len(name)-1 && w.possessive {
			return false
		}
	}
	return isCap(name[len(name)-1].s)
}

// hasOrgWord reports whether any word marks an organisation or thing.
func hasOrgWord(ws []word) bool {
	for _, w := range ws {
		if orgWords[strings.ToLower(w.s)] {
			return true
		}
	}
	return false
}

// fullestPerson returns the fullest personal name in the article ending with
// the words of name, preferring the nearest mention before pos. ok is false
// if name does not end any known personal name.
func (a *article) fullestPerson(name string, pos int) (personName, bool) {
	toks := strings.Fields(name)
	if len(toks) == 0 {
		return personName{}, false
	}
	last := toks[len(toks)-1]
	best := -1
	for _, i := range a.index.surnames[last] {
		pn := a.index.persons[i]
		if len(pn.toks) < len(toks) || !equalFold(pn.toks[len(pn.toks)-len(toks):], toks) &&
			!(len(toks) == 2 && strings.EqualFold(pn.toks[0], toks[0])) {
			// Neither a tail of the name nor its first and last names
			// ("Owen Dempsey" for "Owen John Dempsey").
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := a.index.persons[best]
		switch {
		case len(pn.toks) > len(b.toks):
			best = i
		case len(pn.toks) == len(b.toks) && initials(pn.toks) != initials(b.toks):
			// "John Milo Ford" is fuller than "John M. Ford".
			if initials(pn.toks) < initials(b.toks) {
				best = i
			}
		case len(pn.toks) == len(b.toks):
			// Prefer the nearest mention before pos, then the first after.
			if pn.start < pos && (b.start > pos || pn.start > b.start) {
				best = i
			}
		}
	}
	if best < 0 {
		return personName{}, false
	}
	return a.index.persons[best], true
}

// nameSuffixes follow a surname without being one.
var nameSuffixes = setOf("jr", "sr", "ii", "iii", "iv")

// initials counts the abbreviated words of a name ("M.").
func initials(toks []string) int {
	n := 0
	for _, t := range toks {
		if strings.HasSuffix(t, ".") {
			n++
		}
	}
	return n
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// fullestOrg returns the fullest organisation name in the article containing
// the words of name as a contiguous run, or name itself. Extensions by a
// nationality or initialism ("U.S. State Department") are not taken.
func (a *article) fullestOrg(name string) string {
	toks := strings.Fields(name)
	if len(toks) == 0 {
		return name
	}
	best := name
	bestN := len(toks)
	for _, c := range a.index.orgs {
		ct := make([]string, len(c.ws))
		for i, w := range c.ws {
			ct[i] = w.s
		}
		if len(ct) <= bestN {
			continue
		}
		for k := 0; k+len(toks) <= len(ct); k++ {
			if !equalFold(ct[k:k+len(toks)], toks) {
				continue
			}
			ext := append(append([]string{}, ct[:k]...), ct[k+len(toks):]...)
			okExt := true
			for _, e := range ext {
				le := strings.ToLower(e)
				if strings.Contains(e, ".") || placeWords[le] || isAllCaps(e) || leadFillers[le] || le == "the" {
					okExt = false
				}
			}
			if okExt && len(ext) <= 2 && !(k > 0 && ct[k-1] == "of") {
				best, bestN = strings.Join(ct, " "), len(ct)
			}
			break
		}
	}
	return best
}

// orgWithNoun returns the fullest organisation name whose words include noun
// capitalised ("foundation" → "Apache Software Foundation"), searching the
// nearest mention before pos first. It returns "" if there is none.
func (a *article) orgWithNoun(noun string, pos int) string {
	best := ""
	bestPos := -1
	for _, c := range a.index.orgs {
		if len(c.ws) < 2 {
			continue
		}
		has := false
		for _, w := range c.ws {
			if strings.EqualFold(w.s, noun) {
				has = true
			}
		}
		if !has {
			continue
		}
		ws := c.ws
		for len(ws) > 0 && (leadFillers[strings.ToLower(ws[0].s)] || strings.EqualFold(ws[0].s, "the")) {
			ws = ws[1:]
		}
		t := capSeq{ws: ws}.text()
		p := c.start()
		switch {
		case best == "":
			best, bestPos = t, p
		case len(t) > len(best) && strings.Contains(t, best):
			best, bestPos = t, p
		case p < pos && (bestPos > pos || p > bestPos) && !strings.Contains(best, t):
			best, bestPos = t, p
		}
	}
	return best
}
