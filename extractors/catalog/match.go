package catalog

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MatchKind says how a mention names its target.
type MatchKind string

// Match kinds.
const (
	MatchName      MatchKind = "name"
	MatchDemonym   MatchKind = "demonym"
	MatchMetonym   MatchKind = "metonym"
	MatchBody      MatchKind = "body"
	MatchRole      MatchKind = "role"
	MatchAlias     MatchKind = "alias"
	MatchRef       MatchKind = "ref"
	MatchLookalike MatchKind = "lookalike"
)

// Match targets.
const (
	TargetActor     = "actor"
	TargetAccord    = "accord"
	TargetLookalike = "lookalike"
)

// Match is one mention of a catalog entry in a text.
type Match struct {
	// Start and End are byte offsets in the text: text[Start:End] == Text.
	Start, End int
	// Text is the matched text as written.
	Text string
	// ID is the actor or accord id. For a lookalike it is the id of the actor or
	// accord that the mention resembles but does not denote. For a generic
	// reference shared by several accords ("the treaty") it is empty: the caller
	// resolves it to the article's main accord.
	ID string
	// Target is TargetActor, TargetAccord or TargetLookalike.
	Target string
	// Kind says how the mention names its target.
	Kind MatchKind
	// Alternatives lists other readings of the same span, best first, when the
	// same words name several entries: "Cybersecurity Tech Accord" is the accord
	// and also the actor speaking for its signatories. Usually nil.
	Alternatives []Match
}

// Priorities on ties (same span): lower wins.
var kindRank = map[MatchKind]int{
	MatchAlias:     0,
	MatchName:      1,
	MatchBody:      2,
	MatchMetonym:   3,
	MatchRole:      4,
	MatchDemonym:   5,
	MatchRef:       6,
	MatchLookalike: 7,
}

// entry is what a pattern denotes.
type entry struct {
	id     string
	target string
	kind   MatchKind
}

type node struct {
	children map[string]*node
	entries  []entry // best first; nil for inner nodes
}

// matcher is a trie over normalised tokens. Case rules are compiled into the
// trie: a pattern token written in lower case is inserted both as written and
// with its first letter capitalised; other tokens only as written.
type matcher struct {
	root *node
	pool sync.Pool // *scratch
}

type scratch struct {
	buf  []byte
	toks []token
}

// token is a word or punctuation mark: [start,end) in the original text and
// [ns,ne) in the normalised buffer.
type token struct {
	start, end int
	ns, ne     int
}

// maxLowerVariants bounds the lower-case words of one pattern that get a
// capitalised variant: a pattern has at most 1<<maxLowerVariants variants.
const maxLowerVariants = 6

func newMatcher(actors []Actor, accords []Accord) (*matcher, error) {
	m := &matcher{root: &node{}}
	m.pool.New = func() any { return &scratch{} }

	// owners maps a pattern key to the entry that first claimed it, per
	// conflict class, to report the same words used by two entries.
	type owner struct {
		file string
		id   string
	}
	actorOwners := map[string]owner{}
	aliasOwners := map[string]owner{} // accord aliases and lookalikes
	var errs []error

	claim := func(owners map[string]owner, key string, o owner, what, pattern string) {
		if prev, ok := owners[key]; ok && prev.id != o.id {
			errs = append(errs, fmt.Errorf("catalog: %s: id %q: %s %q is also used by %q", o.file, o.id, what, pattern, prev.id))
			return
		}
		owners[key] = o
	}

	add := func(file, id, target string, kind MatchKind, patterns []string, owners map[string]owner) {
		for _, p := range patterns {
			toks := patternTokens(p)
			if len(toks) == 0 {
				errs = append(errs, fmt.Errorf("catalog: %s: id %q: empty %s pattern %q", file, id, kind, p))
				continue
			}
			if kind != MatchRef && len(toks) > 1 && strings.EqualFold(toks[0], "the") {
				// A leading "the" is optional, and never part of the match.
				toks = toks[1:]
			}
			if owners != nil {
				claim(owners, strings.ToLower(strings.Join(toks, " ")), owner{file, id}, string(kind), p)
			}
			m.insert(toks, entry{id: id, target: target, kind: kind})
		}
	}

	for _, a := range actors {
		add(ActorsFile, a.ID, TargetActor, MatchName, a.Names, actorOwners)
		add(ActorsFile, a.ID, TargetActor, MatchBody, a.Bodies, actorOwners)
		add(ActorsFile, a.ID, TargetActor, MatchMetonym, a.Metonyms, actorOwners)
		add(ActorsFile, a.ID, TargetActor, MatchRole, a.Roles, actorOwners)
		add(ActorsFile, a.ID, TargetActor, MatchDemonym, a.Demonyms, actorOwners)
		add(ActorsFile, a.ID, TargetLookalike, MatchLookalike, a.Lookalikes, actorOwners)
	}
	for _, a := range accords {
		add(AccordsFile, a.ID, TargetAccord, MatchAlias, a.Aliases, aliasOwners)
		add(AccordsFile, a.ID, TargetAccord, MatchRef, a.Refs, nil)
		add(AccordsFile, a.ID, TargetLookalike, MatchLookalike, a.Lookalikes, aliasOwners)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m.root.finish()
	return m, nil
}

// insert adds the case variants of the token sequence toks for e.
func (m *matcher) insert(toks []string, e entry) {
	var lower []int
	for i, t := range toks {
		r, _ := utf8.DecodeRuneInString(t)
		if unicode.IsLower(r) {
			lower = append(lower, i)
		}
	}
	if len(lower) > maxLowerVariants {
		lower = lower[:1]
	}
	variant := make([]string, len(toks))
	for mask := 0; mask < 1<<len(lower); mask++ {
		copy(variant, toks)
		for b, i := range lower {
			if mask&(1<<b) != 0 {
				variant[i] = upperFirst(toks[i])
			}
		}
		n := m.root
		for _, t := range variant {
			if n.children == nil {
				n.children = map[string]*node{}
			}
			c := n.children[t]
			if c == nil {
				c = &node{}
				n.children[t] = c
			}
			n = c
		}
		n.addEntry(e)
	}
}

func (n *node) addEntry(e entry) {
	for i, old := range n.entries {
		if old.id == e.id && old.target == e.target {
			if kindRank[e.kind] < kindRank[old.kind] {
				n.entries[i].kind = e.kind
			}
			return
		}
	}
	n.entries = append(n.entries, e)
}

// finish orders entries best first and merges refs shared by several accords
// into one ref with an empty id.
func (n *node) finish() {
	if len(n.entries) > 0 {
		var refs, rest []entry
		for _, e := range n.entries {
			if e.kind == MatchRef {
				refs = append(refs, e)
			} else {
				rest = append(rest, e)
			}
		}
		if len(refs) > 1 {
			refs = []entry{{target: TargetAccord, kind: MatchRef}}
		}
		n.entries = append(rest, refs...)
		sort.SliceStable(n.entries, func(i, j int) bool {
			return kindRank[n.entries[i].kind] < kindRank[n.entries[j].kind]
		})
	}
	for _, c := range n.children {
		c.finish()
	}
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// Find returns the catalog mentions in text, left to right, without overlaps.
// At each position the longest pattern wins ("Paris Call" over "Paris",
// "Paris Agreement" as a lookalike over "Paris"). Patterns match on word
// boundaries, ignore differences of spacing, hyphenation, typographic
// apostrophes and Latin diacritics, and match a possessive "'s" by its stem.
// A pattern word written in lower case also matches with a capital first
// letter; other words, including all-caps abbreviations, match only as written.
func (c *Catalog) Find(text string) []Match {
	return c.m.find(text)
}

func (m *matcher) find(text string) []Match {
	if text == "" {
		return nil
	}
	s := m.pool.Get().(*scratch)
	defer m.pool.Put(s)
	s.buf, s.toks = tokenize(text, s.buf[:0], s.toks[:0])
	buf, toks := s.buf, s.toks

	var out []Match
	for i := 0; i < len(toks); {
		best, end := m.longest(buf, toks, i)
		if best == nil {
			i++
			continue
		}
		if best.entries[0].kind == MatchRef && i+1 < len(toks) {
			// A ref starts with a determiner ("the treaty"); a longer name
			// starting after it wins: "the Declaration for the Future of the
			// Internet" is the alias, not the ref "the Declaration".
			if next, nextEnd := m.longest(buf, toks, i+1); next != nil && nextEnd > end {
				i++
				continue
			}
		}
		start, stop := toks[i].start, toks[end].end
		e := best.entries[0]
		mt := Match{Start: start, End: stop, Text: text[start:stop], ID: e.id, Target: e.target, Kind: e.kind}
		for _, alt := range best.entries[1:] {
			mt.Alternatives = append(mt.Alternatives, Match{Start: start, End: stop, Text: mt.Text, ID: alt.id, Target: alt.target, Kind: alt.kind})
		}
		out = append(out, mt)
		i = end + 1
	}
	return out
}

// longest returns the deepest trie node with entries reached from token i, and
// the index of its last token; nil if no pattern starts at i.
func (m *matcher) longest(buf []byte, toks []token, i int) (best *node, end int) {
	n := m.root
	for j := i; j < len(toks); j++ {
		t := toks[j]
		n = n.children[string(buf[t.ns:t.ne])]
		if n == nil {
			break
		}
		if n.entries != nil {
			best, end = n, j
		}
	}
	return best, end
}

// patternTokens returns the normalised tokens of a catalog pattern.
func patternTokens(p string) []string {
	buf, toks := tokenize(p, nil, nil)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(buf[t.ns:t.ne])
	}
	return out
}

// tokenize splits s into word tokens (runs of letters, digits and marks) and
// single-rune punctuation tokens, appending their normalised forms to buf.
// Spaces and hyphens/dashes separate tokens and are dropped; typographic
// apostrophes become "'" and quotes '"'; Latin diacritics are folded.
func tokenize(s string, buf []byte, toks []token) ([]byte, []token) {
	inWord := false
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			if !inWord {
				toks = append(toks, token{start: i, ns: len(buf)})
				inWord = true
			}
			buf = append(buf, byte(r))
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)):
			if !inWord {
				toks = append(toks, token{start: i, ns: len(buf)})
				inWord = true
			}
			if f, ok := foldLatin[r]; ok {
				buf = append(buf, f...)
			} else if !unicode.Is(unicode.Mn, r) {
				buf = utf8.AppendRune(buf, r)
			}
		default:
			if inWord {
				toks[len(toks)-1].end, toks[len(toks)-1].ne = i, len(buf)
				inWord = false
			}
			if r == ' ' || unicode.IsSpace(r) || isDash(r) || unicode.Is(unicode.Cf, r) {
				continue
			}
			t := token{start: i, end: i + size, ns: len(buf)}
			switch r {
			case '\u2019', '\u2018', '\u02bc', '\u2032', '`', '\u00b4':
				buf = append(buf, '\'')
			case '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb', '\u2033':
				buf = append(buf, '"')
			default:
				buf = utf8.AppendRune(buf, r)
			}
			t.ne = len(buf)
			toks = append(toks, t)
		}
	}
	if inWord {
		toks[len(toks)-1].end, toks[len(toks)-1].ne = len(s), len(buf)
	}
	return buf, toks
}

func isDash(r rune) bool {
	switch r {
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\u00ad':
		return true
	}
	return false
}

// foldLatin maps Latin letters with diacritics to their base letters.
var foldLatin = func() map[rune]string {
	pairs := []string{
		"ÀÁÂÃÄÅĀĂĄ", "A", "àáâãäåāăą", "a",
		"ÇĆĈĊČ", "C", "çćĉċč", "c",
		"ĎĐ", "D", "ďđ", "d",
		"ÈÉÊËĒĔĖĘĚ", "E", "èéêëēĕėęě", "e",
		"ĜĞĠĢ", "G", "ĝğġģ", "g",
		"ĤĦ", "H", "ĥħ", "h",
		"ÌÍÎÏĨĪĬĮİ", "I", "ìíîïĩīĭįı", "i",
		"Ĵ", "J", "ĵ", "j",
		"Ķ", "K", "ķ", "k",
		"ĹĻĽĿŁ", "L", "ĺļľŀł", "l",
		"ÑŃŅŇ", "N", "ñńņň", "n",
		"ÒÓÔÕÖØŌŎŐ", "O", "òóôõöøōŏő", "o",
		"ŔŖŘ", "R", "ŕŗř", "r",
		"ŚŜŞŠȘ", "S", "śŝşšș", "s",
		"ŢŤŦȚ", "T", "ţťŧț", "t",
		"ÙÚÛÜŨŪŬŮŰŲ", "U", "ùúûüũūŭůűų", "u",
		"Ŵ", "W", "ŵ", "w",
		"ÝŶŸ", "Y", "ýÿŷ", "y",
		"ŹŻŽ", "Z", "źżž", "z",
		"Æ", "AE", "æ", "ae", "Œ", "OE", "œ", "oe", "ß", "ss",
	}
	m := map[rune]string{}
	for i := 0; i < len(pairs); i += 2 {
		for _, r := range pairs[i] {
			m[r] = pairs[i+1]
		}
	}
	return m
}()
