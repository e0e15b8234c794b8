// Package stance decides, clause by clause, which actor takes which stance
// toward which tracked accord in a text, with the evidence for it.
//
// It works on plain data: the text, its sentences, the actor and accord
// mentions found by the caller, and the quotes with their speakers. It knows
// nothing of feeds, NATS or storage.
package stance

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/extractors/segment"
)

// Mention is a mention of an actor or an accord in the text.
type Mention struct {
	Start, End int
	// Actor is the actor id the mention stands for ("" for accord mentions).
	Actor string
	// Accord is the accord id of an accord mention; "" with Ref true for a
	// generic reference ("the treaty") to the article's main accord.
	Accord string
	// Ref marks a short reference ("the Call") rather than a full name.
	Ref bool
	// Lookalike marks a name that looks like an accord but is not one
	// (the Paris Agreement, the Budapest Memorandum).
	Lookalike bool
	// Person marks a person standing for Actor.
	Person bool
}

// Quote is a direct quotation with the actor its speaker speaks for.
type Quote struct {
	Start, End int
	Speaker    string
	Actor      string
}

// Input is everything Detect needs about one text.
type Input struct {
	Text      string
	Sentences []segment.Sentence
	Mentions  []Mention
	Quotes    []Quote
	// MainAccord is the accord the article is mainly about ("" if none);
	// references such as "the pact" point to it.
	MainAccord string
	// Published is the article's date (zero if unknown); it dates year
	// references ("in 2019") as past.
	Published time.Time
}

// Stance is one actor's stance toward one accord, with its evidence.
type Stance struct {
	Actor, Accord, Stance string
	Historical            bool
	Evidence              string
	Start, End            int
	Speaker               string
	Rule                  string
	Confidence            float64
	// headline marks evidence from the first paragraph (the headline).
	headline bool
	past     bool
	order    int
}

// candidate ranks: the later in an accord's life, the higher.
var rank = map[string]int{
	Supports: 1, Undecided: 2, Declined: 3, Opposes: 4, Signed: 5, Ratified: 6, Withdrew: 7,
}

// Detect returns the stances stated in the input: at most one current stance
// per actor and accord, plus historical ones that a newer stance in the same
// text supersedes.
func Detect(in Input) []Stance {
	mentions := append([]Mention(nil), in.Mentions...)
	sort.Slice(mentions, func(i, j int) bool { return mentions[i].Start < mentions[j].Start })
	var cands []Stance
	var lastSubjects []string
	for si, s := range in.Sentences {
		found, subjects := detectSentence(in, mentions, s, lastSubjects)
		for i := range found {
			found[i].order = si*100 + i
		}
		cands = append(cands, found...)
		if len(subjects) > 0 {
			lastSubjects = subjects
		} else if acts := actorsIn(mentions, s.Start, s.End); len(acts) > 0 {
			lastSubjects = acts[:1]
		}
	}
	return resolve(cands)
}

func actorsIn(ms []Mention, start, end int) []string {
	var out []string
	for _, m := range ms {
		if m.Start >= start && m.End <= end && m.Actor != "" {
			out = append(out, m.Actor)
		}
	}
	return out
}

type match struct {
	start, end int
	t          *trigger
}

// findTriggers returns the non-overlapping trigger matches of sentence text,
// earlier lexicon entries winning.
func findTriggers(text string) []match {
	var out []match
	taken := func(a, b int) bool {
		for _, m := range out {
			if a < m.end && b > m.start {
				return true
			}
		}
		return false
	}
	for i := range triggers {
		t := &triggers[i]
		for _, loc := range t.re.FindAllStringIndex(text, -1) {
			if !taken(loc[0], loc[1]) {
				out = append(out, match{loc[0], loc[1], t})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

var (
	joinedWithRe     = re(`^\s*(?:with|forces|hands|talks|efforts|calls|the\s+(?:chorus|call\s+for|list|ranks|group))\b`)
	joinedInRe       = re(`\bjoin(?:ed|s|ing)?\s+$`)
	inGerundRe       = re(`\s+in\s+$`)
	passiveByRe      = re(`^\s*(?:\w+\s+){0,3}?by\s+`)
	signatoriesRe    = re(`\bsignatories\s+(?:include|included|including|are|were|such\s+as|like)\b|\bsigned\s+by\b|\bendorsed\s+by\b|\bbacked\s+by\b`)
	genericSubjectRe = re(`\b(?:states|countries|governments|nations|companies|firms|members|member\s+states|signatories|parties)\b[^.:;]{0,60}$`)
	locativeRe       = regexp.MustCompile(`\b(?:in|at|from|near|outside|inside|across|via|to|for)\s+(?:the\s+)?(?:\p{Lu}[\p{L}’'.-]*,?\s+){0,3}$`)
	willWouldRe      = re(`\b(?:would|will)\s+(?:\S+\s+){0,1}$`)
	inGerundAfterRe  = re(`^[^.;]{0,120}?\bin\s+(?:sign|endors|back|reject|oppos|ratif|support)\w*`)
	joinedGapRe      = re(`^\s*join(?:ed|s)?\s*$`)
	passiveRe        = re(`\b(?:was|were|been|is|are|be|being)\s+(?:\w+\s+)?$`)
	questionEndRe    = regexp.MustCompile(`\?["”’]?$`)
	yearRe           = regexp.MustCompile(`\b(19|20)\d\d\b`)
	rightGlueRe      = re(`^\s*,?\s*(?:along\s+with|alongside|together\s+with|as\s+did|as\s+have|as\s+has|joined\s+by|with)\s+`)
	subjectStopRe    = re(`[.!?]\s|\bsaid\b|\btold\b|\bsays\b`)
	announcedThatRe  = re(`\b(?:announced|confirmed|declared|decided|said|says|agreed)\b`)
)

// detectSentence finds the stance candidates of one sentence. It returns
// them and the subjects it used, which later pronouns may refer to.
func detectSentence(in Input, ms []Mention, s segment.Sentence, lastSubjects []string) ([]Stance, []string) {
	text := in.Text[s.Start:s.End]
	if questionEndRe.MatchString(text) {
		return nil, nil
	}
	var out []Stance
	var used []string
	trigs := findTriggers(text)
	for _, tm := range trigs {
		t := tm.t
		ts, te := s.Start+tm.start, s.Start+tm.end
		before := in.Text[s.Start:ts]
		after := in.Text[te:s.End]
		stance := t.stance
		rule := t.rule
		conf := t.confidence

		if t.rule == "joined" {
			if joinedWithRe.MatchString(after) {
				continue
			}
			// "joined China and Brazil in signing": the gerund decides.
			if hasGerundAfter(after) {
				continue
			}
		}
		if !t.explicit {
			if negationRe.MatchString(before) {
				if !t.joining {
					continue // "did not reject", "did not withdraw": no stance
				}
				stance, rule, conf = Declined, "not-"+t.rule, 0.7
			}
		}
		if hedgeRe.MatchString(before) && stance != Declined && stance != Undecided && stance != Opposes {
			// "may sign", "is expected to join": no stance, unless a
			// decision is reported ("announced that X would join").
			if !(willWouldRe.MatchString(before) && announcedThatRe.MatchString(before)) {
				continue
			}
		}
		if !t.explicit && uncertainRe.MatchString(before) {
			continue
		}
		if stance == Withdrew && denialRe.MatchString(before) {
			continue
		}

		accord, accordOK, lookalike := pickAccord(in, ms, s, tm, ts, te)
		if lookalike || !accordOK {
			continue
		}

		inQuote := quoteAt(in.Quotes, ts)
		subjects := subjectsFor(in, ms, s, ts, te, before, inQuote, lastSubjects)
		if len(subjects) == 0 {
			continue
		}
		ev, evs, eve := text, s.Start, s.End
		speaker := ""
		if inQuote != nil {
			ev, evs, eve = in.Text[inQuote.Start:inQuote.End], inQuote.Start, inQuote.End
			speaker = inQuote.Speaker
		}
		past := pastRe.MatchString(text) || olderYear(text, in.Published)
		for _, a := range subjects {
			out = append(out, Stance{
				Actor: a, Accord: accord, Stance: stance,
				Evidence: ev, Start: evs, End: eve, Speaker: speaker,
				Rule: rule, Confidence: conf, headline: s.Paragraph == 0, past: past,
			})
		}
		used = subjects
	}
	return out, used
}

func hasGerundAfter(after string) bool {
	return inGerundAfterRe.MatchString(after)
}

func olderYear(text string, published time.Time) bool {
	if published.IsZero() {
		return false
	}
	for _, y := range yearRe.FindAllString(text, -1) {
		if n, err := strconv.Atoi(y); err == nil && n < published.Year() {
			return true
		}
	}
	return false
}

func quoteAt(qs []Quote, pos int) *Quote {
	for i := range qs {
		if pos >= qs[i].Start && pos < qs[i].End {
			return &qs[i]
		}
	}
	return nil
}

// pickAccord finds the accord a trigger is about: the accord named after it
// in the clause, else before it in the sentence, else a reference to the
// article's main accord. ok is false when nothing fits; lookalike is true
// when the object is a look-alike name.
func pickAccord(in Input, ms []Mention, s segment.Sentence, tm match, ts, te int) (accord string, ok, lookalike bool) {
	// object to the right, up to the next trigger-free clause end.
	for _, m := range ms {
		if m.Start < te || m.End > s.End || (m.Accord == "" && !m.Ref && !m.Lookalike) {
			continue
		}
		if m.Actor != "" {
			continue
		}
		gap := in.Text[te:m.Start]
		if strings.ContainsAny(gap, ";") || len(gap) > 160 {
			break
		}
		if m.Lookalike {
			return "", false, true
		}
		if m.Accord != "" {
			return m.Accord, true, false
		}
		if in.MainAccord != "" {
			return in.MainAccord, true, false
		}
		break
	}
	after := in.Text[te:s.End]
	if in.MainAccord != "" && objectRefRe.MatchString(after) {
		return in.MainAccord, true, false
	}
	// named before the trigger in the same sentence ("the Paris Call, which
	// Russia rejected", "The Call was signed by").
	var best *Mention
	for i := range ms {
		m := &ms[i]
		if m.Start < s.Start || m.End > ts || m.Actor != "" {
			continue
		}
		if m.Accord != "" || m.Lookalike || m.Ref {
			best = m
		}
	}
	if best != nil {
		if best.Lookalike {
			return "", false, true
		}
		if best.Accord != "" {
			return best.Accord, true, false
		}
		if in.MainAccord != "" {
			return in.MainAccord, true, false
		}
	}
	if tm.t.needsObject || in.MainAccord == "" {
		return "", false, false
	}
	if bareObjectRe.MatchString(after) {
		return in.MainAccord, true, false
	}
	return "", false, false
}

// subjectsFor returns the actors who take the stance of the trigger at
// [ts, te): the list of actors just before it in its clause, actors of a
// passive "by" phrase after it, a pronoun's antecedent, or the speaker of
// the quote it stands in.
func subjectsFor(in Input, ms []Mention, s segment.Sentence, ts, te int, before string, q *Quote, last []string) []string {
	// passive: "was signed by A, B and C"; "signatories include A and B".
	after := in.Text[te:s.End]
	// In a passive clause the subject on the left is the accord, never the
	// actor: only the "by" list counts.
	if loc := passiveByRe.FindStringIndex(after); loc != nil && passiveRe.MatchString(before) {
		return listAfter(in, ms, te+loc[1], s.End)
	}
	if signatoriesRe.MatchString(in.Text[ts:minInt(te+12, s.End)]) {
		return listAfter(in, ms, te, s.End)
	}
	// "the fifteen states that have ratified the Convention: Benin, Ghana…"
	if genericSubjectRe.MatchString(before) {
		if i := strings.IndexByte(after, ':'); i >= 0 {
			if acts := listAfter(in, ms, te+i+1, s.End); len(acts) > 0 {
				return acts
			}
		}
	}
	// the clause before the trigger.
	clauseStart := s.Start
	if locs := boundaryRe.FindAllStringIndex(before, -1); len(locs) > 0 {
		clauseStart = s.Start + locs[len(locs)-1][1]
	}
	if q != nil && q.Start > clauseStart {
		clauseStart = q.Start
	}
	var group []Mention
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.End > ts || m.Start < clauseStart || m.Actor == "" {
			continue
		}
		if len(group) == 0 {
			// a place in a prepositional phrase is not the subject:
			// "deposited in Strasbourg, France, the instrument".
			if locativeRe.MatchString(in.Text[clauseStart:m.Start]) {
				continue
			}
			gap := in.Text[m.End:ts]
			if len(strings.Fields(gap)) > 9 || subjectStopRe.MatchString(gap) {
				break
			}
			group = append(group, m)
			continue
		}
		prev := group[len(group)-1]
		gap := in.Text[m.End:prev.Start]
		if glueRe.MatchString(gap) || (joinedInRe.MatchString(gap) && inGerundRe.MatchString(in.Text[group[0].End:ts])) {
			group = append(group, m)
			continue
		}
		// "the UK and the EU joined China, Russia and Brazil in signing"
		if joinedGapRe.MatchString(gap) {
			group = append(group, m)
			continue
		}
		break
	}
	var acts []string
	seen := map[string]bool{}
	add := func(a string) {
		if a != "" && !seen[a] {
			seen[a] = true
			acts = append(acts, a)
		}
	}
	for i := len(group) - 1; i >= 0; i-- {
		add(group[i].Actor)
	}
	if len(acts) > 0 {
		// "along with the European Commission" after the verb phrase.
		for _, m := range ms {
			if m.Start < te || m.End > s.End || m.Actor == "" {
				continue
			}
			gapStart := te
			if loc := rightGlueRe.FindStringIndex(in.Text[gapStart:m.Start]); loc != nil {
				if strings.Count(in.Text[te:m.Start], ",") <= 2 {
					for _, a := range listAfter(in, ms, m.Start, s.End) {
						add(a)
					}
				}
			}
		}
		return acts
	}
	clause := in.Text[clauseStart:ts]
	if q != nil && firstPersonRe.MatchString(clause) && q.Actor != "" {
		return []string{q.Actor}
	}
	if pronounRe.MatchString(clause) && len(last) > 0 {
		return last
	}
	// elided subject after "but": the sentence's subject.
	if clauseStart > s.Start {
		for _, m := range ms {
			if m.Start >= s.Start && m.End <= clauseStart && m.Actor != "" {
				if !strings.ContainsAny(in.Text[s.Start:m.Start], ",") || m.Start-s.Start < 40 {
					return []string{m.Actor}
				}
				break
			}
		}
	}
	return nil
}

// listAfter returns the actors of the list starting at pos.
func listAfter(in Input, ms []Mention, pos, end int) []string {
	var acts []string
	last := pos
	for _, m := range ms {
		if m.Start < pos || m.End > end || m.Actor == "" {
			continue
		}
		if !glueRe.MatchString(in.Text[last:m.Start]) {
			break
		}
		acts = append(acts, m.Actor)
		last = m.End
	}
	return acts
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// resolve keeps one current stance per actor and accord and marks as
// historical the superseded ones whose polarity differs.
func resolve(cands []Stance) []Stance {
	type key struct{ actor, accord string }
	groups := map[key][]Stance{}
	var order []key
	for _, c := range cands {
		k := key{c.Actor, c.Accord}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []Stance
	for _, k := range order {
		g := groups[k]
		// Body evidence outranks the headline; statements not marked as past
		// outrank past ones; then the later stage of an accord's life.
		best := -1
		for i, c := range g {
			if best < 0 || better(c, g[best]) {
				best = i
			}
		}
		cur := g[best]
		out = append(out, cur)
		seenHist := map[string]bool{}
		for i, c := range g {
			if i == best || c.Stance == cur.Stance || seenHist[c.Stance] {
				continue
			}
			if Polarity(c.Stance) == Polarity(cur.Stance) || c.Stance == Supports || c.Stance == Undecided {
				continue
			}
			if c.headline && !c.past {
				continue
			}
			seenHist[c.Stance] = true
			c.Historical = true
			out = append(out, c)
		}
	}
	return out
}

func better(a, b Stance) bool {
	if a.past != b.past {
		return !a.past
	}
	if a.headline != b.headline {
		return !a.headline
	}
	if rank[a.Stance] != rank[b.Stance] {
		return rank[a.Stance] > rank[b.Stance]
	}
	return a.Confidence > b.Confidence
}
