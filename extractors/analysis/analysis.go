// Package analysis runs accordwatch's NLP on one article: named entities
// mapped to catalog actors, direct quotations with their speakers, and each
// actor's stance toward the tracked accords, with evidence.
//
// It combines the catalog matcher, the shared prose model (whose labels are
// hints only), the quote extractor and the stance rules. It knows nothing of
// feeds, NATS or storage.
package analysis

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/quotes"
	"github.com/accordwatch/accordwatch/extractors/segment"
	"github.com/accordwatch/accordwatch/extractors/stance"
)

// Document is the input of an analysis.
type Document struct {
	// Text is the article: headline, blank line, body. Offsets in the
	// result refer to it.
	Text string
	// Title is the headline; if empty, the first line of Text.
	Title string
	// Published is the article's publication time (zero if unknown).
	Published time.Time
	// Screen makes Analyze stop early, after the cheap catalog pass, for a
	// text that names no tracked accord (see Related): no quotes, persons
	// or stances are looked for. The daemon screens; analyze and eval do
	// not.
	Screen bool
}

// Entity is a named entity, mapped to an actor where it stands for one.
type Entity struct {
	Text  string `json:"text"`
	Type  string `json:"type"` // state, igo, company, ngo, person, accord
	Actor string `json:"actor,omitempty"`
	Role  string `json:"role,omitempty"`
	Count int    `json:"count"`
}

// Quote is a direct quotation. Start and End are character (Unicode code
// point) offsets of the quoted words in Document.Text.
type Quote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Actor   string `json:"actor,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Rule    string `json:"rule,omitempty"`
}

// Stance is an actor's stance toward an accord. EvidenceStart and
// EvidenceEnd are character offsets of the evidence in Document.Text.
type Stance struct {
	Actor         string  `json:"actor"`
	Accord        string  `json:"accord"`
	Stance        string  `json:"stance"`
	Historical    bool    `json:"historical"`
	Evidence      string  `json:"evidence"`
	EvidenceStart int     `json:"evidence_start"`
	EvidenceEnd   int     `json:"evidence_end"`
	Speaker       string  `json:"speaker,omitempty"`
	Rule          string  `json:"rule"`
	Confidence    float64 `json:"confidence"`
}

// Result is the outcome of analysing one document.
type Result struct {
	// Related is false for a text that names no tracked accord.
	Related   bool     `json:"related"`
	Title     string   `json:"title"`
	Published string   `json:"published,omitempty"` // YYYY-MM-DD
	Accords   []string `json:"accords,omitempty"`   // accords mentioned, main first
	Entities  []Entity `json:"entities"`
	Quotes    []Quote  `json:"quotes"`
	Stances   []Stance `json:"stances"`
}

// Analyzer analyses documents against a catalog. It is safe for concurrent use.
type Analyzer struct {
	cat *catalog.Catalog

	infoOnce sync.Once
	info     map[string]stance.AccordInfo
}

// New returns an Analyzer using cat.
func New(cat *catalog.Catalog) *Analyzer { return &Analyzer{cat: cat} }

// Analyze runs the NLP on doc.
func (a *Analyzer) Analyze(ctx context.Context, doc Document) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	text := strings.ToValidUTF8(doc.Text, "\uFFFD")
	title := doc.Title
	if title == "" {
		if i := strings.IndexByte(strings.TrimLeft(text, " \t\r\n"), '\n'); i >= 0 {
			title = strings.TrimSpace(strings.TrimLeft(text, " \t\r\n")[:i])
		} else {
			title = strings.TrimSpace(text)
		}
	}
	res := &Result{Title: title, Entities: []Entity{}, Quotes: []Quote{}, Stances: []Stance{}}
	if !doc.Published.IsZero() {
		res.Published = doc.Published.Format("2006-01-02")
	}

	matches := a.cat.Find(text)
	res.Related = related(text, matches)
	if doc.Screen && !res.Related {
		res.Entities = entities(text, matches, nil, a.cat)
		return res, nil
	}
	sents := segment.Sentences(text)
	hints := newProseHints(text, sents, matches)
	persons := findPersons(text, sents, matches, a.cat, hints.persons())

	qs := quotes.Extract(text, speakerResolver{a: a, persons: persons, hints: hints})
	// Persons named as speakers with an actor stand for it in later mentions.
	for _, q := range qs {
		if q.Actor != "" && personLikeRe.MatchString(q.Speaker) {
			persons.learn(q.Speaker, q.Actor, "")
		}
	}
	pmentions := persons.mentions(text, matches)

	main, accords := mainAccord(text, title, matches)
	res.Accords = accords

	orgs := findOrgs(text, matches, pmentions)
	pmentions = withoutOrgs(pmentions, orgs)
	inOrg := func(m catalog.Match) bool {
		for _, o := range orgs {
			if m.Start < o.end && m.End > o.start {
				return true
			}
		}
		return false
	}
	var ms []stance.Mention
	for _, o := range orgs {
		ms = append(ms, stance.Mention{Start: o.start, End: o.end, Actor: o.id})
	}
	for _, m := range matches {
		switch m.Target {
		case catalog.TargetActor:
			if inOrg(m) {
				continue // "British" in "British Telecom Group"
			}
			ms = append(ms, stance.Mention{Start: m.Start, End: m.End, Actor: m.ID})
		case catalog.TargetAccord:
			dual := ""
			if m.Kind != catalog.MatchRef {
				dual = a.dualActor(m.ID)
			}
			ms = append(ms, stance.Mention{Start: m.Start, End: m.End, Accord: m.ID, Ref: m.Kind == catalog.MatchRef, Dual: dual != ""})
			if dual != "" {
				ms = append(ms, stance.Mention{Start: m.Start, End: m.End, Actor: dual})
			}
		case catalog.TargetLookalike:
			ms = append(ms, stance.Mention{Start: m.Start, End: m.End, Lookalike: true})
		}
	}
	for _, p := range pmentions {
		if p.actor != "" {
			ms = append(ms, stance.Mention{Start: p.start, End: p.end, Actor: p.actor, Person: true})
		}
	}
	var sq []stance.Quote
	for _, q := range qs {
		sq = append(sq, stance.Quote{Start: q.Start, End: q.End, Speaker: q.Speaker, Actor: q.Actor})
	}
	found := stance.Detect(stance.Input{
		Text: text, Sentences: sents, Mentions: ms, Quotes: sq,
		MainAccord: main, Published: doc.Published, Accords: a.accordInfo(),
	})

	off := newOffsets(text)
	for _, q := range qs {
		res.Quotes = append(res.Quotes, Quote{
			Text: q.Text, Speaker: q.Speaker, Actor: q.Actor,
			Start: off.chars(q.Start), End: off.chars(q.End), Rule: q.Evidence,
		})
	}
	for _, s := range found {
		res.Stances = append(res.Stances, Stance{
			Actor: s.Actor, Accord: s.Accord, Stance: s.Stance, Historical: s.Historical,
			Evidence: s.Evidence, EvidenceStart: off.chars(s.Start), EvidenceEnd: off.chars(s.End),
			Speaker: s.Speaker, Rule: s.Rule, Confidence: s.Confidence,
		})
	}
	res.Entities = entities(text, matches, pmentions, a.cat)
	seenOrg := map[string]int{}
	for _, o := range orgs {
		if i, ok := seenOrg[o.id]; ok {
			res.Entities[i].Count++
			continue
		}
		seenOrg[o.id] = len(res.Entities)
		res.Entities = append(res.Entities, Entity{Text: o.name, Type: "organisation", Actor: o.id, Count: 1})
	}
	return res, nil
}

// related reports whether a text is about a tracked accord: it names one
// (an alias, not a look-alike), or refers to an accord-like instrument
// ("the treaty", "the Call") in a text about cyberspace.
func related(text string, ms []catalog.Match) bool {
	ref := false
	for _, m := range ms {
		if m.Target != catalog.TargetAccord {
			continue
		}
		if m.Kind != catalog.MatchRef {
			return true
		}
		ref = true
	}
	return ref && cyberRe.MatchString(text)
}

// cyberRe matches the vocabulary of texts about cyberspace.
var cyberRe = regexp.MustCompile(`(?i)\b(?:cyber\w*|internet|online|hack\w*|spyware|ransomware|digital|data\s+protection|information\s+security)\b`)

// personLikeRe matches a speaker that is one person's name (two to four
// capitalised words), not a list or a description.
var personLikeRe = regexp.MustCompile(`^\p{Lu}[\p{L}’'.-]+(?:\s+\p{Lu}[\p{L}’'.-]+){1,3}$`)

// mainAccord returns the accord the text is mainly about and all accords
// named, main first. Names in the headline count three times.
func mainAccord(text, title string, ms []catalog.Match) (string, []string) {
	count := map[string]int{}
	first := map[string]int{}
	titleEnd := len(title)
	if i := strings.Index(text, title); i >= 0 {
		titleEnd = i + len(title)
	}
	for _, m := range ms {
		if m.Target != catalog.TargetAccord || m.ID == "" || m.Kind == catalog.MatchRef {
			continue
		}
		w := 1
		if m.End <= titleEnd {
			w = 3
		}
		if _, ok := first[m.ID]; !ok {
			first[m.ID] = m.Start
		}
		count[m.ID] += w
	}
	var ids []string
	for id := range count {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if count[ids[i]] != count[ids[j]] {
			return count[ids[i]] > count[ids[j]]
		}
		return first[ids[i]] < first[ids[j]]
	})
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], ids
}

// offsets converts byte offsets of a text into character offsets.
type offsets struct{ text string }

func newOffsets(text string) offsets { return offsets{text} }

func (o offsets) chars(b int) int {
	if b > len(o.text) {
		b = len(o.text)
	}
	if b < 0 {
		return 0
	}
	return utf8.RuneCountInString(o.text[:b])
}

// speakerResolver maps a speaker phrase to the actor it speaks for.
type speakerResolver struct {
	a       *Analyzer
	persons *personIndex
	hints   *proseHints
}

// EntityHints implements quotes.EntityHinter: the quote extractor shares
// the article's one prose pass.
func (r speakerResolver) EntityHints() (person, other map[string]bool) {
	return r.hints.EntityHints()
}

// SpeakerActor implements quotes.Resolver.
func (r speakerResolver) SpeakerActor(phrase string) string {
	return r.a.actorOfPhrase(phrase, r.persons)
}

// actorOfPhrase returns the actor a speaker phrase ("Microsoft President Brad
// Smith", "a State Department spokesperson") speaks for, or "".
func (a *Analyzer) actorOfPhrase(phrase string, persons *personIndex) string {
	if formerRe.MatchString(phrase) {
		return ""
	}
	for _, m := range a.cat.Find(phrase) {
		if m.Target == catalog.TargetActor {
			return m.ID
		}
		// "a spokesperson for the Cybersecurity Tech Accord": the
		// coalition that bears the accord's name.
		if m.Target == catalog.TargetAccord && m.Kind != catalog.MatchRef {
			if dual := a.dualActor(m.ID); dual != "" {
				return dual
			}
		}
	}
	if persons != nil {
		if act := persons.actorOf(phrase); act != "" {
			return act
		}
	}
	return ""
}

// accordInfo describes the catalog's accords for the stance rules.
func (a *Analyzer) accordInfo() map[string]stance.AccordInfo {
	a.infoOnce.Do(func() {
		a.info = map[string]stance.AccordInfo{}
		for _, ac := range a.cat.Accords {
			a.info[ac.ID] = stance.AccordInfo{
				Treaty: ac.Kind == catalog.KindTreaty, Names: append([]string{ac.Name}, ac.Aliases...),
				Custodian: ac.Custodian, Unsigned: ac.Unsigned, Self: a.selfActor(ac),
			}
		}
	})
	return a.info
}

// withoutOrgs drops the person mentions that are organisations' names.
func withoutOrgs(ps []personMention, orgs []orgMention) []personMention {
	out := ps[:0:0]
	for _, p := range ps {
		keep := true
		for _, o := range orgs {
			if p.start < o.end && p.end > o.start {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

// selfActor returns the actor that bears one of the accord's names (the
// coalition behind the Cybersecurity Tech Accord), or "".
func (a *Analyzer) selfActor(ac catalog.Accord) string {
	names := map[string]bool{strings.ToLower(ac.Name): true}
	for _, n := range ac.Aliases {
		names[strings.ToLower(n)] = true
	}
	for _, act := range a.cat.Actors {
		for _, n := range act.Names {
			if names[strings.ToLower(n)] {
				return act.ID
			}
		}
	}
	return ""
}

// dualActor returns the actor named like accord id, or "".
func (a *Analyzer) dualActor(id string) string {
	return a.accordInfo()[id].Self
}
