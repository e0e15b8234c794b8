package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// attribution is a speaker phrase found next to a quotation, before it is
// resolved to a name.
type attribution struct {
	phrase   string // raw phrase: "Peter Singer, an expert in …", "he", "a spokesperson"
	pos      int    // byte offset of the phrase in the article
	evidence string // rule name
	verb     string // the speech verb, lower case
}

func (at attribution) ok() bool { return at.phrase != "" }

// subjectStarters may open the subject of an attribution clause.
var subjectStarters = setOf("the", "a", "an", "one", "he", "she", "they", "it", "we", "i",
	"his", "her", "their", "its", "another", "two", "three", "several", "some", "both")

// postAttribution parses the clause after a closing mark ('…," Harris said.',
// '…," said Harris, who …', '…," according to Harris.'). clause starts at
// byte offset base. It returns a zero attribution when the clause is not an
// attribution.
func postAttribution(clause string, base int) attribution {
	lead := len(clause) - len(strings.TrimLeft(clause, " ,;—–-"))
	c := clause[lead:]
	base += lead
	if ends := sentenceEnds(c); len(ends) > 0 {
		c = c[:ends[0]]
	}
	if c == "" {
		return attribution{}
	}
	for _, m := range speechRe.FindAllStringIndex(c, -1) {
		verb := strings.ToLower(strings.Join(strings.Fields(c[m[0]:m[1]]), " "))
		if m[0] == 0 {
			rest := c[m[1]:]
			if verb == "told reporters" || verb == "wrote on" {
				return attribution{}
			}
			ph := strings.TrimLeft(rest, " ")
			at := attribution{phrase: ph, pos: base + m[1] + len(rest) - len(ph), verb: verb,
				evidence: "post-said"}
			if verb == "according to" {
				at.evidence = "according-to"
			}
			f := strings.Fields(ph)
			if len(f) == 0 {
				return attribution{}
			}
			// The subject after the verb is a name or a noun phrase, not
			// "read into the record …".
			if notSubjectStart[strings.ToLower(strings.Trim(f[0], ",;"))] && verb != "according to" {
				return attribution{}
			}
			return at
		}
		subj := strings.TrimRight(c[:m[0]], " ")
		subj = trimAuxiliaries(subj)
		if subj == "" {
			continue
		}
		fw := strings.Fields(subj)
		if len(fw) > 30 {
			return attribution{}
		}
		first := strings.Trim(fw[0], ",")
		if !isCap(first) && !subjectStarters[strings.ToLower(first)] &&
			!(len(fw) <= 8 && lastCapRun(subj) != "") {
			return attribution{}
		}
		at := attribution{phrase: subj, pos: base, verb: verb, evidence: "post-said"}
		switch {
		case verb == "according to":
			at.evidence = "according-to"
			ph := strings.TrimLeft(c[m[1]:], " ")
			at.phrase, at.pos = ph, base+len(c)-len(ph)
		case strings.HasPrefix(verb, "told"):
			at.evidence = "told"
		}
		return at
	}
	return attribution{}
}

// notSubjectStart are words that cannot open the subject after a speech
// verb: prepositions and particles ("read into the record", "wrote back").
var notSubjectStart = setOf("into", "in", "on", "at", "to", "by", "for", "from", "with", "about",
	"out", "up", "off", "over", "back", "down", "through", "aloud", "that", "this", "them",
	"him", "us", "me", "so", "if", "whether", "how", "what", "when", "why")

// trimAuxiliaries removes trailing auxiliaries and adverbs between a subject
// and its verb ("Harris has", "the ministry also").
func trimAuxiliaries(s string) string {
	for {
		f := strings.Fields(s)
		if len(f) == 0 {
			return ""
		}
		switch strings.ToLower(f[len(f)-1]) {
		case "has", "had", "have", "also", "later", "then", "again", "once", "further",
			"previously", "earlier", "simply", "only", "would", "will", "just":
			s = strings.TrimRight(s[:strings.LastIndex(s, f[len(f)-1])], " ")
		default:
			return s
		}
	}
}

// leadSentence returns the last sentence of lead (the text between the
// previous quotation, or the paragraph start, and an opening mark) and its
// offset within lead.
func leadSentence(lead string) (string, int) {
	off := 0
	if ends := sentenceEnds(lead); len(ends) > 0 {
		off = ends[len(ends)-1]
	}
	return lead[off:], off
}

// lastSentence returns the last complete sentence of s and its offset,
// ignoring a sentence end at the very end of s.
func lastSentence(s string) (string, int) {
	t := strings.TrimRight(s, " ")
	off := 0
	for _, e := range sentenceEnds(t) {
		if e < len(t) {
			off = e
		}
	}
	return t[off:], off
}

// preAttribution parses the sentence that introduces a quotation ('Harris
// said: "…"', 'The ministry said the plan "…"', 'Triolo agreed: "…"').
// sent starts at byte offset base. naming is set when the quotation is a
// name or term ("titled", "so-called").
func preAttribution(sent string, base int) (at attribution, naming bool) {
	t := strings.TrimRight(sent, " ")
	if namingRe.MatchString(strings.TrimRight(t, " ,")) {
		return attribution{}, true
	}
	if strings.HasSuffix(t, ":") {
		body := t[:len(t)-1]
		if ph, pos, verb := subjectOfFirstVerb(body, base); ph != "" {
			return attribution{phrase: ph, pos: pos, verb: verb, evidence: "pre-colon"}, false
		}
		if f := strings.Fields(body); len(f) > 0 && len(f) <= 6 && isCap(f[0]) && !leadFillers[strings.ToLower(f[0])] &&
			!notSubjectStart[strings.ToLower(f[0])] && !strings.EqualFold(f[0], "these") && !strings.EqualFold(f[0], "those") {
			lead := len(body) - len(strings.TrimLeft(body, " "))
			return attribution{phrase: strings.TrimSpace(body), pos: base + lead, evidence: "pre-colon"}, false
		}
		// A clause after a conjunction: '…, but Arslan disagreed: "…"'.
		if i := strings.LastIndex(body, ","); i >= 0 {
			rest := body[i+1:]
			f := strings.Fields(rest)
			for len(f) > 0 && (leadFillers[strings.ToLower(f[0])] || strings.EqualFold(f[0], "whereas")) {
				rest = strings.TrimSpace(rest)[len(f[0]):]
				f = f[1:]
			}
			if len(f) > 0 && len(f) <= 6 && isCap(f[0]) {
				if n := leadingCapRun(rest); n != "" {
					return attribution{phrase: n, pos: base + strings.LastIndex(body, n), evidence: "pre-colon"}, false
				}
			}
		}
		return attribution{}, false
	}
	ph, pos, verb := subjectOfFirstVerb(t, base)
	if ph == "" {
		return attribution{}, false
	}
	ev := "pre-said"
	if verb == "according to" {
		ev = "according-to"
	}
	return attribution{phrase: ph, pos: pos, verb: verb, evidence: ev}, false
}

// subjectOfFirstVerb finds the first speech verb in s with a usable subject
// and returns that subject phrase (or, for "according to", its object).
func subjectOfFirstVerb(s string, base int) (phrase string, pos int, verb string) {
	for _, m := range speechRe.FindAllStringIndex(s, -1) {
		v := strings.ToLower(strings.Join(strings.Fields(s[m[0]:m[1]]), " "))
		if v == "according to" {
			rest := s[m[1]:]
			if i := strings.IndexAny(rest, ",;"); i >= 0 {
				rest = rest[:i]
			}
			ph := strings.TrimSpace(rest)
			if ph != "" {
				return ph, base + m[1] + strings.Index(s[m[1]:], ph), v
			}
			continue
		}
		if v == "asked" || v == "asks" {
			// "Asked about X, the minister said …": a participle opener.
			if strings.TrimSpace(s[:m[0]]) == "" {
				continue
			}
		}
		ph, off := pickSubject(s[:m[0]])
		if ph = trimAuxiliaries(ph); ph != "" {
			return ph, base + off, v
		}
	}
	return "", 0, ""
}

// pickSubject chooses the subject of a verb from the text before it, split
// at commas: the last comma segment, skipping appositives ("X, a senior
// aide, said") and relative clauses ("X, who briefed reporters, said").
// A bare "who" refers back to the name before it.
func pickSubject(before string) (string, int) {
	type seg struct {
		s   string
		off int
	}
	var segs []seg
	off := 0
	for _, part := range strings.Split(before, ",") {
		lead := len(part) - len(strings.TrimLeft(part, " "))
		segs = append(segs, seg{strings.TrimSpace(part), off + lead})
		off += len(part) + 1
	}
	role := ""
	for i := len(segs) - 1; i >= 0; i-- {
		sg := segs[i]
		if sg.s == "" {
			continue
		}
		f := strings.Fields(sg.s)
		lf := strings.ToLower(f[0])
		if (lf == "who" || lf == "which") && len(f) == 1 {
			// "…, who wrote that": the antecedent is the last name before.
			for j := i - 1; j >= 0; j-- {
				if n := lastCapRun(segs[j].s); n != "" {
					return n, segs[j].off + strings.LastIndex(segs[j].s, n)
				}
			}
			return "", 0
		}
		if lf == "who" || lf == "which" || lf == "whose" {
			continue
		}
		if i > 0 && isAppositive(f) && endsWithName(segs[i-1].s) {
			role = sg.s
			continue
		}
		if len(f) > 12 {
			// A long clause rather than a noun phrase: take the trailing
			// capitalised run if any ("…, according to a post by Amit Yoran").
			return "", 0
		}
		if role != "" {
			return sg.s + ", " + role, sg.off
		}
		return sg.s, sg.off
	}
	return "", 0
}

// isAppositive reports whether a comma segment reads as a description set
// off after a name ("a senior Kremlin aide", "the U.S. expert", "chief
// executive of …").
func isAppositive(f []string) bool {
	lf := strings.ToLower(f[0])
	if lf == "a" || lf == "an" || lf == "the" {
		return len(f) > 1 && !isCap(f[1]) || len(f) > 2 && humanNouns[strings.ToLower(strings.Trim(f[len(f)-1], ".,"))]
	}
	return !isCap(f[0]) && !subjectStarters[lf]
}

// endsWithName reports whether s ends with a capitalised word.
func endsWithName(s string) bool {
	ws := words(s, 0)
	return len(ws) > 0 && isCap(ws[len(ws)-1].s) && ws[len(ws)-1].end >= len(strings.TrimRight(s, " ."))-1
}

// leadingCapRun returns the run of capitalised words opening s, or "".
func leadingCapRun(s string) string {
	ws := words(s, 0)
	seqs := capSeqs(s, ws, nil)
	if len(seqs) == 0 || len(ws) == 0 || seqs[0].start() != ws[0].start {
		return ""
	}
	return seqs[0].text()
}

// lastCapRun returns the last run of capitalised words in s.
func lastCapRun(s string) string {
	ws := words(s, 0)
	seqs := capSeqs(s, ws, nil)
	if len(seqs) == 0 {
		return ""
	}
	return seqs[len(seqs)-1].text()
}

// wordCount counts words in s.
func wordCount(s string) int { return len(strings.Fields(s)) }

// isTitleCased reports whether every content word of s is capitalised
// (a title or a name in quotation marks, "Declaration for the Future of the
// Internet").
func isTitleCased(s string) bool {
	f := strings.Fields(s)
	content := 0
	for _, w := range f {
		w = strings.Trim(w, ".,;:!?'’‘\"()")
		if w == "" {
			continue
		}
		lw := strings.ToLower(w)
		if minorWords[lw] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
		content++
	}
	return content > 0
}

var minorWords = setOf("a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to",
	"by", "with", "from", "de", "la", "le", "du", "des", "et", "vs", "against", "into", "nor")
