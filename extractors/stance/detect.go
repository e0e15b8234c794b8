package stance

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/extractors/segment"
)

// Detect returns the stances stated in the input: at most one current stance
// per actor and accord, plus historical ones that a newer stance in the same
// text supersedes.
func Detect(in Input) []Stance {
	d := newDetector(in)
	var cands []Stance
	var lastSubjects []string
	for si, s := range in.Sentences {
		found, subjects := d.sentence(s, lastSubjects)
		for i := range found {
			found[i].order = si*100 + i
		}
		cands = append(cands, found...)
		if len(subjects) > 0 {
			lastSubjects = subjects
		} else if acts := d.subjectActors(s); len(acts) > 0 {
			lastSubjects = acts[:1]
		}
	}
	cands = append(cands, d.custodianStatements()...)
	return resolve(cands)
}

// custodianStatements returns the support that an accord's custodian (the
// UN for a UN convention) gives it through its officials' quoted
// statements: a quote by the custodian's speaker about the accord — named
// or referred to inside the quote, or the article's main accord. An
// adoption alone gives the custodian no stance; its officials' words do.
func (d *detector) custodianStatements() []Stance {
	var out []Stance
	for _, q := range d.in.Quotes {
		if q.Actor == "" {
			continue
		}
		accord := ""
		for _, m := range d.ms {
			if m.Start >= q.Start && m.End <= q.End && m.Actor == "" && !m.Lookalike && (m.Accord != "" || m.Ref) {
				if m.Accord != "" && (!m.Ref || d.named[m.Accord]) {
					accord = m.Accord
				} else {
					accord = d.salient(m.Start, refNoun(d.in.Text[m.Start:m.End]))
				}
				break
			}
		}
		if accord == "" {
			accord = d.in.MainAccord
		}
		if accord == "" || d.in.Accords[accord].Custodian != q.Actor {
			continue
		}
		s := Stance{
			Actor: q.Actor, Accord: accord, Stance: Supports,
			Evidence: d.in.Text[q.Start:q.End], Start: q.Start, End: q.End, Speaker: q.Speaker,
			Rule: "custodian-statement", Confidence: 0.55, order: 1 << 30,
		}
		if si := d.sentenceAt(q.Start); si >= 0 {
			s.headline = d.in.Sentences[si].Paragraph == 0
		}
		out = append(out, s)
	}
	// reported speech of a custodian's official about the accord.
	for _, sent := range d.in.Sentences {
		for _, m := range d.ms {
			if m.Actor == "" || m.Start < sent.Start || m.End > sent.End || quoteAt(d.in.Quotes, m.Start) != nil {
				continue
			}
			loc := custodianSpeechRe.FindStringIndex(d.in.Text[m.End:sent.End])
			if loc == nil {
				continue
			}
			rest := m.End + loc[1]
			for _, a := range d.ms {
				if a.Start < rest || a.End > sent.End || a.Actor != "" || a.Lookalike || (a.Accord == "" && !a.Ref) {
					continue
				}
				accord := a.Accord
				if accord == "" || (a.Ref && !d.named[accord]) {
					accord = d.salient(a.Start, refNoun(d.in.Text[a.Start:a.End]))
				}
				if accord != "" && d.in.Accords[accord].Custodian == m.Actor {
					out = append(out, Stance{
						Actor: m.Actor, Accord: accord, Stance: Supports,
						Evidence: d.in.Text[sent.Start:sent.End], Start: sent.Start, End: sent.End,
						Rule: "custodian-statement", Confidence: 0.5, order: 1 << 30, headline: sent.Paragraph == 0,
					})
				}
				break
			}
		}
	}
	return out
}

// detector holds one text's mentions for the sentence-level rules.
type detector struct {
	in      Input
	ms      []Mention       // by Start
	accords []Mention       // explicit accord mentions, by Start
	named   map[string]bool // accords named in full somewhere in the text
}

func newDetector(in Input) *detector {
	d := &detector{in: in, named: map[string]bool{}}
	d.ms = append([]Mention(nil), in.Mentions...)
	sort.SliceStable(d.ms, func(i, j int) bool { return d.ms[i].Start < d.ms[j].Start })
	for _, m := range d.ms {
		if m.Accord != "" && !m.Lookalike && !m.Ref {
			d.named[m.Accord] = true
		}
	}
	if in.MainAccord != "" {
		d.named[in.MainAccord] = true
	}
	for _, m := range d.ms {
		if m.Accord != "" && !m.Lookalike && (!m.Ref || d.named[m.Accord]) {
			if m.Dual && !objectPositionRe.MatchString(in.Text[max(0, m.Start-30):m.Start]) {
				continue // "The Cybersecurity Tech Accord, whose delegation …": the coalition
			}
			d.accords = append(d.accords, m)
		}
	}
	return d
}

// salienceWindow is how far back (in bytes) a named accord stays the
// referent of "the treaty" or "it" when the main accord does not fit.
const salienceWindow = 1500

// nearSentences is how many sentences back a named accord outranks the
// article's main accord as the referent of a generic reference.
const nearSentences = 3

// salient returns the accord a generic reference at pos points to: a
// compatible accord named in the last few sentences, else the article's
// main accord if compatible, else the last compatible accord named nearby,
// else the main accord. noun is the reference's head noun ("treaty",
// "call"; "" for a pronoun).
func (d *detector) salient(pos int, noun string) string {
	near := pos
	if si := d.sentenceAt(pos); si >= 0 {
		near = d.in.Sentences[max(0, si-nearSentences)].Start
	}
	var far string
	for i := len(d.accords) - 1; i >= 0; i-- {
		m := d.accords[i]
		if m.End > pos || !d.compatible(noun, m.Accord) {
			continue
		}
		if m.Start >= near {
			return m.Accord
		}
		if pos-m.End <= salienceWindow && far == "" {
			far = m.Accord
		}
		break
	}
	if main := d.in.MainAccord; main != "" && d.compatible(noun, main) {
		return main
	}
	if far != "" {
		return far
	}
	return d.in.MainAccord
}

func (d *detector) sentenceAt(pos int) int {
	ss := d.in.Sentences
	i := sort.Search(len(ss), func(i int) bool { return ss[i].End > pos })
	if i < len(ss) && ss[i].Start <= pos {
		return i
	}
	return -1
}

// compatible reports whether a reference with head noun can denote accord:
// "the treaty" a treaty, "the convention" or "the Call" an accord so named.
func (d *detector) compatible(noun, accord string) bool {
	info, ok := d.in.Accords[accord]
	if !ok || noun == "" {
		return true
	}
	noun = strings.ToLower(noun)
	switch noun {
	case "treaty":
		return info.Treaty
	case "convention", "call", "declaration", "code", "process", "protocol", "charter", "norms":
		for _, n := range info.Names {
			if strings.Contains(strings.ToLower(n), noun) {
				return true
			}
		}
		return false
	}
	return true
}

// refNoun returns the head noun of a generic reference ("the Convention"
// → "convention"; "it" → "").
func refNoun(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	w := strings.ToLower(ws[len(ws)-1])
	switch w {
	case "it", "them", "this", "that", "its":
		return ""
	}
	return w
}

// subjectActors returns the actors a sentence is about, for later pronouns:
// those outside parentheticals, in order.
func (d *detector) subjectActors(s segment.Sentence) []string {
	masks := parentheticals(d.in.Text, s.Start, s.End, -1)
	var out []string
	for _, m := range d.ms {
		if m.Start >= s.Start && m.End <= s.End && m.Actor != "" && !inMasks(masks, m.Start) {
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
	lower := strings.ToLower(text)
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
		if !t.mayMatch(lower) {
			continue
		}
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
	joinedWithRe     = re(`^\s*(?:with|forces|hands|talks|efforts|calls|a\s+(?:list|group|chorus|session|panel|meeting)|the\s+(?:chorus|call\s+for|list|ranks|group|queue|fight|race|talks|debate|negotiations|session|meeting|summit|panel))\b`)
	joinedInRe       = re(`\bjoin(?:ed|s|ing)?\s+$`)
	inGerundRe       = re(`\s+in\s+$`)
	passiveByRe      = re(`^\s*,?\s*(?:(?:[\w’'-]+,?\s+){0,7}?(?:by|on\s+behalf\s+of)|behalf\s+of)\s+`)
	genericSubjectRe = re(`\b(?:states|countries|governments|nations|companies|firms|members|member\s+states|signatories|parties|others)\b[^.:;]{0,60}$`)
	listMarkerRe     = re(`(?:,\s*including\b|\bamong\s+them\b|\bsuch\s+as\b|:)`)
	locativeRe       = regexp.MustCompile(`\b(?:in|at|from|near|outside|inside|across|via|to|for|by)\s+(?:the\s+)?(?:\p{Lu}[\p{L}’'.-]*,?\s+){0,3}$`)
	willWouldRe      = re(`\b(?:would|will)\s+(?:\S+\s+){0,1}$`)
	inGerundAfterRe  = re(`^[^.;]{0,120}?\bin\s+(?:sign|endors|back|reject|oppos|ratif|support)\w*`)
	joinedGapRe      = re(`^\s*join(?:ed|s)?\s*$`)
	passiveRe        = re(`\b(?:was|were|been|is|are|be|being)\s+(?:\w+\s+)?$`)
	questionEndRe    = regexp.MustCompile(`\?["”’]?$`)
	yearRe           = regexp.MustCompile(`\b(19|20)\d\d\b`)
	rightGlueRe      = re(`^\s*,?\s*(?:along\s+with|alongside|together\s+with|as\s+did|as\s+have|as\s+has|joined\s+by|with)\s+`)
	subjectStopRe    = re(`[.!?]\s|\bsaid\b|\btold\b|\bsays\b`)
	announcedThatRe  = re(`\b(?:announced|confirmed|declared|decided|said|says|agreed)\b`)
	genericPluralRe  = re(`\b(?:capitals|governments|countries|states|nations|companies|firms|groups|officials|critics|delegates|delegations|diplomats|experts|researchers|activists|others|members|signatories)\b`)
	leftObjectRe     = re(`^\s*(?:(?:the|this|that|its|their)\s+)?(?:[\w’'-]+\s+){0,2}?(?:call|pledge|declaration|accord|pact|treaty|convention|agreement|initiative|process|document|code|statement|text|charter|framework|deal|instrument|resolution|report|draft|protocol)\b`)
	counterfactualRe = re(`\bshould(?:\s+not|n['’]t|\s+never)?\s+have\s+(?:\S+\s+)?$`)
	theyRe           = re(`^\s*they\b`)
	contrastRe       = re(`^\s*(?:but|while|whereas|although|though|yet|however)\b|\b(?:now|currently|current|today|this\s+week|this\s+year)\b`)
	otherMembersRe   = re(`^[^.;]{0,120}?\band\s+(?:\d+|[a-z-]+|dozens\s+of)\s+other\s+(?:companies|firms|countries|governments|states|nations|members|organi[sz]ations)\b`)
	nameContinuesRe  = regexp.MustCompile(`^\s\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}+)*\s+(?:Framework|Strategy|Policy|Act|Plan|Programme|Program|Agenda|Commission|Council|Summit|Forum|Conference|Declaration|Convention|Protocol|Fund|Agency|Office)\b`)
	legislatureRe    = re(`\b(?:senate|senators|parliament|congress|national\s+assembly|duma|bundestag|diet|legislature|lawmakers|legislators|house\s+of\s+\w+|majlis|knesset|storting|riksdag|sejm|cortes)\b`)
	objectPositionRe = regexp.MustCompile(`(?:^|[^\p{L}])\p{Ll}[\p{L}-]*\s+(?:the\s+)?$`)
	placePrepRe      = re(`\b(?:at|in|on|during|from|near|outside|after|before|ahead\s+of|sidelines\s+of)\s+(?:the\s+)?$`)
	notTheAccordRe   = re(`^\s*(?:the\s+|such\s+|those\s+|these\s+)?(?:suggestions?|reports?|claims?|speculation|accusations?|criticism|allegations?|idea|notion|characteri[sz]ation|rumou?rs?|charges?)\b`)
	indefiniteRe     = re(`^\s*(?:\w+\s+)?(?:a|an)\s`)
	reducedPassiveRe = re(`^\s*(?:[\w’'-]+\s+){0,2}?by\s+`)
	speakingForRe    = re(`^[,(\s—–]*(?:speaking|acting)\s+(?:for|on\s+behalf\s+of)\b`)
)

// sentence finds the stance candidates of one sentence. It returns them and
// the subjects it used, which later pronouns may refer to.
func (d *detector) sentence(s segment.Sentence, lastSubjects []string) ([]Stance, []string) {
	in := d.in
	text := in.Text[s.Start:s.End]
	if questionEndRe.MatchString(text) {
		return nil, nil
	}
	var out []Stance
	var used []string
	prevAccord := ""
	for _, tm := range findTriggers(text) {
		t := tm.t
		ts, te := s.Start+tm.start, s.Start+tm.end
		before := in.Text[s.Start:ts]
		after := in.Text[te:s.End]
		stance, rule, conf := t.stance, t.rule, t.confidence

		if t.rule == "joined" {
			if joinedWithRe.MatchString(after) {
				continue
			}
			// "joined China and Brazil in signing": the gerund decides.
			if hasGerundAfter(after) {
				continue
			}
		}
		if t.nounUse != nil && t.nounUse.MatchString(before) {
			continue // "the signing ceremony", "a Tech Accord exit"
		}
		if t.nounAfter != nil && t.nounAfter.MatchString(after) {
			continue // "hosts signing of the convention", "no sign that it will"
		}
		if counterfactualRe.MatchString(before) {
			continue // "should never have put its name to this"
		}
		if !t.explicit {
			if negationRe.MatchString(before) {
				if !t.joining {
					continue // "did not reject", "did not withdraw": no stance
				}
				stance, rule, conf = Declined, "not-"+t.rule, 0.7
			}
		}
		if !t.explicit && hedgeRe.MatchString(before) && stance != Declined {
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
		if stance == Opposes && notTheAccordRe.MatchString(after) {
			continue // "rejected suggestions that it was walking away"
		}

		accord, accordOK, lookalike := d.pickAccord(s, tm, ts, te)
		if !accordOK && !lookalike && prevAccord != "" && !t.needsObject {
			// "refused to join it, objecting to a provision": the clause
			// goes on about the accord of the previous verb.
			accord, accordOK = prevAccord, true
		}
		if lookalike || !accordOK {
			continue
		}
		prevAccord = accord
		if t.rule == "launched-by" && otherMembersRe.MatchString(after) {
			// "launched by Microsoft, Facebook and 32 other companies":
			// founders among founders are its first signatories.
			stance, rule = Signed, "launched-with-others"
		}
		if stance == Signed && in.Accords[accord].Unsigned {
			stance = Supports // a framework is joined by consensus, not signed
		}

		inQuote := quoteAt(in.Quotes, ts)
		if t.rule == "legislature-approved" && !legislatureRe.MatchString(lastWords(before, 6)) {
			continue // only a legislature's approval is a ratification
		}
		subjects := d.subjectsFor(s, t, ts, te, before, inQuote, lastSubjects)
		if len(subjects) == 0 && t.rule == "under-review" && inQuote != nil && inQuote.Actor != "" {
			// “The text is still under review,” the spokesperson said.
			subjects = []string{inQuote.Actor}
		}
		if len(subjects) == 0 {
			continue
		}
		ev, evs, eve := text, s.Start, s.End
		speaker := ""
		if inQuote != nil {
			ev, evs, eve = in.Text[inQuote.Start:inQuote.End], inQuote.Start, inQuote.End
			speaker = inQuote.Speaker
		}
		// Time markers scope over the sentence ("in 2019, when the White
		// House said it supported …"), except across a contrast ("had
		// backed the text …, but the current administration has not said").
		clause := clauseAround(text, tm.start, tm.end)
		past := pastRe.MatchString(clause) || olderYear(clause, in.Published)
		if !past && !contrastRe.MatchString(clause) {
			// up to the end of the trigger's clause: a relative clause
			// after it ("ended a debate that began in 2019") does not count.
			upTo := text[:clauseEnd(text, tm.end)]
			past = pastRe.MatchString(upTo) || olderYear(upTo, in.Published)
		}
		for _, a := range subjects {
			if a == in.Accords[accord].Self {
				continue
			}
			out = append(out, Stance{
				Actor: a, Accord: accord, Stance: stance,
				Evidence: ev, Start: evs, End: eve, Speaker: speaker,
				Rule: rule, Confidence: conf, headline: s.Paragraph == 0, past: past,
				weak: t.weak,
			})
		}
		used = subjects
	}
	return out, used
}

// lastWords returns the last n words of s.
func lastWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[len(f)-n:]
	}
	return strings.Join(f, " ")
}

// clauseEnd returns the end of the clause that contains position end of
// text: the next clause boundary or "that".
func clauseEnd(text string, end int) int {
	if loc := clauseEndRe.FindStringIndex(text[end:]); loc != nil {
		return end + loc[0]
	}
	return len(text)
}

var clauseEndRe = re(`;|:|\s[—–]\s|\b(?:but|while|whereas|although|though|after|before|because|which|who|when|where|that|until|since)\b`)

// clauseAround returns the clause of text around [start, end): from the
// clause boundary before it to the one after it.
func clauseAround(text string, start, end int) string {
	a, b := 0, len(text)
	for _, loc := range boundaryRe.FindAllStringIndex(text, -1) {
		if loc[1] <= start {
			a = loc[0]
		} else if loc[0] >= end && b == len(text) {
			b = loc[0]
		}
	}
	return text[a:b]
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

// pickAccord finds the accord a trigger is about: an accord named inside the
// trigger ("signatories of the declaration included"), the object after it
// in the clause, a generic reference ("the pact", "it") to the accord in
// focus, an accord named before it in the sentence, or, for verbs that need
// no object ("signed for the industry"), the accord in focus. ok is false
// when nothing fits; lookalike is true when the object is a look-alike.
func (d *detector) pickAccord(s segment.Sentence, tm match, ts, te int) (accord string, ok, lookalike bool) {
	in := d.in
	resolveRef := func(m Mention) (string, bool, bool) {
		if m.Lookalike {
			return "", false, true
		}
		if m.Accord != "" && (!m.Ref || d.named[m.Accord]) {
			return m.Accord, true, false
		}
		if a := d.salient(m.Start, refNoun(in.Text[m.Start:m.End])); a != "" {
			return a, true, false
		}
		return "", false, false
	}
	isAccordish := func(m Mention) bool {
		return m.Actor == "" && (m.Accord != "" || m.Ref || m.Lookalike)
	}
	for _, m := range d.ms {
		if m.Start >= ts && m.End <= te && isAccordish(m) {
			return resolveRef(m)
		}
	}
	// object to the right, up to the clause end.
	for _, m := range d.ms {
		if m.Start < te || m.End > s.End || !isAccordish(m) {
			continue
		}
		gap := in.Text[te:m.Start]
		if strings.ContainsAny(gap, ";") || len(gap) > 160 {
			break
		}
		return resolveRef(m)
	}
	after := in.Text[te:s.End]
	if loc := objectRefRe.FindStringIndex(after); loc != nil {
		obj := after[:loc[1]]
		// "a new treaty" is not anaphoric: the article's accord, if it fits.
		if main := in.MainAccord; main != "" && indefiniteRe.MatchString(obj) && d.compatible(refNoun(obj), main) {
			return main, true, false
		}
		if a := d.salient(ts, refNoun(obj)); a != "" {
			return a, true, false
		}
	}
	// named before the trigger in the same sentence ("the Paris Call, which
	// Russia rejected", "The Call was signed by").
	var best *Mention
	for i := range d.ms {
		m := &d.ms[i]
		if m.Start < s.Start || m.End > ts || !isAccordish(*m) {
			continue
		}
		if m.Lookalike && placePrepRe.MatchString(in.Text[s.Start:m.Start]) {
			continue // "Speaking at the Paris Peace Forum, …": a place, not the object
		}
		best = m
	}
	if best != nil {
		return resolveRef(*best)
	}
	if tm.t.needsObject {
		return "", false, false
	}
	passive := passiveRe.MatchString(in.Text[s.Start:ts])
	if loc := leftObjectRe.FindStringIndex(in.Text[s.Start:ts]); loc != nil && (passive || tm.t.listRight) {
		if a := d.salient(ts, refNoun(in.Text[s.Start:s.Start+loc[1]])); a != "" {
			return a, true, false
		}
	}
	if bareObjectRe.MatchString(after) || tm.t.listRight || tm.t.objectless || (tm.t.joining && intransitiveRe.MatchString(after)) {
		if a := d.salient(ts, ""); a != "" {
			return a, true, false
		}
	}
	return "", false, false
}

// subjectsFor returns the actors who take the stance of the trigger at
// [ts, te): the actors of a passive "by" phrase or of a list the trigger
// introduces, the list of actors just before it in its clause (skipping
// parentheticals), a pronoun's antecedent, or the speaker of the quote it
// stands in.
func (d *detector) subjectsFor(s segment.Sentence, t *trigger, ts, te int, before string, q *Quote, last []string) []string {
	in, ms := d.in, d.ms
	after := in.Text[te:s.End]
	if t.rule == "backed-by-name" {
		// "a Russian-drafted resolution": the actor named just before.
		for _, m := range ms {
			if m.End == ts && m.Actor != "" {
				return []string{m.Actor}
			}
		}
		return nil
	}
	// passive: "was signed by A, B and C", "was signed on behalf of all six
	// member governments — A, B, …". The accord is the subject on the left.
	if loc := passiveByRe.FindStringIndex(after); loc != nil && passiveRe.MatchString(before) {
		return listAfter(in, ms, te+loc[1], s.End)
	}
	// reduced passive: "a grand accord signed by more than 50 nations".
	if loc := reducedPassiveRe.FindStringIndex(after); loc != nil && !t.listRight {
		return listAfter(in, ms, te+loc[1], s.End)
	}
	if t.listRight {
		if acts := listAfter(in, ms, te, s.End); len(acts) > 0 {
			return acts
		}
	}
	masks := parentheticals(in.Text, s.Start, s.End, ts)
	masked := maskText(in.Text, s.Start, ts, masks)
	// "the fifteen states that have ratified the Convention: Benin, Ghana…",
	// "72 countries had signed the Convention, including China and Russia".
	if genericSubjectRe.MatchString(masked) {
		if loc := listMarkerRe.FindStringIndex(after); loc != nil {
			if acts := listAfter(in, ms, te+loc[0], s.End); len(acts) > 0 {
				return acts
			}
		}
	}
	// the clause before the trigger, parentheticals left out.
	clauseStart := s.Start
	if locs := boundaryRe.FindAllStringIndex(masked, -1); len(locs) > 0 {
		clauseStart = s.Start + locs[len(locs)-1][1]
	}
	if q != nil && q.Start > clauseStart {
		clauseStart = q.Start
	}
	var group []Mention
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if m.End > ts || m.Start < clauseStart || m.Actor == "" || inMasks(masks, m.Start) {
			continue
		}
		if len(group) == 0 && nameContinuesRe.MatchString(in.Text[m.End:min(len(in.Text), m.End+80)]) {
			continue // "the AU Data Policy Framework endorsed in 2022"
		}
		if len(group) == 0 {
			// a place in a prepositional phrase is not the subject:
			// "deposited in Strasbourg, France, the instrument".
			if locativeRe.MatchString(in.Text[clauseStart:m.Start]) {
				continue
			}
			gap := maskText(in.Text, m.End, ts, masks)
			if loc := sayerRe.FindStringIndex(gap); loc != nil && !subjectStopRe.MatchString(gap[loc[1]:]) && len(strings.Fields(gap)) <= 14 && !hasActorBetween(ms, m.End, ts) {
				// "Kestrelmark said it would follow the code and welcomed
				// the Process": the sayer is the subject of what follows.
				group = append(group, m)
				continue
			}
			if len(strings.Fields(gap)) > 9 || subjectStopRe.MatchString(gap) {
				break
			}
			group = append(group, m)
			continue
		}
		prev := group[len(group)-1]
		gap := in.Text[m.End:prev.Start]
		if leftGap(gap) || (joinedInRe.MatchString(gap) && inGerundRe.MatchString(in.Text[group[0].End:ts])) {
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
	if len(group) == 1 {
		// "Finland, speaking for the European Union, called for …"
		if a := d.speakingFor(group[0], masks, ts); a != "" {
			return []string{a}
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
			if loc := rightGlueRe.FindStringIndex(in.Text[te:m.Start]); loc != nil {
				if strings.Count(in.Text[te:m.Start], ",") <= 2 {
					for _, a := range listAfter(in, ms, m.Start, s.End) {
						add(a)
					}
				}
			}
		}
		return acts
	}
	clause := maskText(in.Text, clauseStart, ts, masks)
	if q != nil && firstPersonRe.MatchString(clause) {
		// "we" in a quote is the speaker's side, or nobody we know.
		if q.Actor != "" {
			return []string{q.Actor}
		}
		return nil
	}
	if q != nil && clauseStart == q.Start {
		// said that Washington “is still reviewing the convention”: the
		// actor named just before the quotation opens.
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			if m.End <= q.Start && m.Actor != "" {
				if strings.Trim(in.Text[m.End:q.Start], " \"“‘'") == "" {
					return []string{m.Actor}
				}
				break
			}
		}
	}
	// a relative clause with no subject of its own: "Argentina and Chile,
	// which are already Parties"; "the United States, which under the
	// previous administration supported the text".
	if acts := d.antecedent(s, clauseStart, last); len(acts) > 0 && len(strings.Fields(clause)) <= 8 {
		return acts
	}
	if loc := pronounRe.FindStringIndex(clause); loc != nil {
		// "several Western capitals say they are still studying": the
		// pronoun stands for the plural noun, not for an earlier actor.
		if theyRe.MatchString(clause[loc[0]:]) && genericPluralRe.MatchString(maskText(in.Text, s.Start, clauseStart+loc[0], masks)) {
			return nil
		}
		// the nearest actor before the pronoun in the sentence, else the
		// subject of the sentences before.
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			if m.End <= clauseStart+loc[0] && m.Start >= s.Start && m.Actor != "" && !inMasks(masks, m.Start) {
				return []string{m.Actor}
			}
		}
		if len(last) > 0 {
			return last
		}
	}
	// elided subject after "but": the sentence's subject.
	if clauseStart > s.Start {
		for _, m := range ms {
			if m.Start >= s.Start && m.End <= clauseStart && m.Actor != "" && !inMasks(masks, m.Start) {
				if !strings.ContainsAny(in.Text[s.Start:m.Start], ",") || m.Start-s.Start < 40 {
					return []string{m.Actor}
				}
				break
			}
		}
	}
	return nil
}

// antecedent returns the actors a relative clause starting at clauseStart
// ("…, which …") attaches to: the list ending just before its comma.
func (d *detector) antecedent(s segment.Sentence, clauseStart int, last []string) []string {
	in := d.in
	head := in.Text[s.Start:clauseStart]
	loc := relativeEndRe.FindStringIndex(head)
	if loc == nil {
		return nil
	}
	end := s.Start + loc[0]
	// "The company, which … joined the accord in 2020": a pronoun-like
	// noun phrase stands for the actor of the sentences before.
	if nounPhraseEndRe.MatchString(in.Text[s.Start:end]) {
		return last
	}
	var group []Mention
	for i := len(d.ms) - 1; i >= 0; i-- {
		m := d.ms[i]
		if m.End > end || m.Start < s.Start || m.Actor == "" {
			continue
		}
		if len(group) == 0 {
			if strings.TrimSpace(in.Text[m.End:end]) != "" {
				return nil
			}
			group = append(group, m)
			continue
		}
		if !leftGap(in.Text[m.End:group[len(group)-1].Start]) {
			break
		}
		group = append(group, m)
	}
	var acts []string
	for i := len(group) - 1; i >= 0; i-- {
		acts = append(acts, group[i].Actor)
	}
	return acts
}

var nounPhraseEndRe = re(`(?:^|\s)the\s+(?:country|government|administration|bloc|company|firm|group|organi[sz]ation|union|kingdom|state|nation|ministry)\s*$`)

var relativeEndRe = re(`,\s*(?:which|who)\s*$`)

var sayerRe = re(`^\s+(?:said|says|told)\b`)

func hasActorBetween(ms []Mention, a, b int) bool {
	for _, m := range ms {
		if m.Start >= a && m.End <= b && m.Actor != "" {
			return true
		}
	}
	return false
}

// speakingFor returns the actor X of a parenthetical "speaking for X" or
// "on behalf of X" right after the subject mention m, or "".
func (d *detector) speakingFor(m Mention, masks []span, ts int) string {
	for _, k := range masks {
		if k.start < m.End || k.start-m.End > 2 || k.end > ts {
			continue
		}
		if !speakingForRe.MatchString(d.in.Text[k.start:k.end]) {
			return ""
		}
		for _, o := range d.ms {
			if o.Start >= k.start && o.End <= k.end && o.Actor != "" {
				return o.Actor
			}
		}
	}
	return ""
}

// custodianSpeechRe matches a speech verb right after a custodian's
// official: "Guterres told the ceremony that the convention would …".
var custodianSpeechRe = re(`^[\s,]*(?:\w+\s+){0,2}?(?:said|says|told|stressed|emphasi[sz]ed|added|noted|welcomed|praised|hailed|highly\s+appreciated)\b`)
