package analysis

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/catalog"
)

// Organisations the catalog does not know — a small security firm that
// quits an accord — still take stances. They are recognised by a corporate
// or institutional last word ("Kestrelmark Security", "Acme Technologies")
// or by an apposition that says what they are ("Kestrelmark, a British
// penetration-testing firm"), and get a slug id ("kestrelmark-security").
// Later mentions of the name's first word alone stand for the same actor.

// orgSuffixRe matches the last word of an organisation's name.
var orgSuffixRe = regexp.MustCompile(`^(?:Security|Technologies|Technology|Systems|Software|Labs|Networks|Group|Inc\.?|Ltd\.?|Limited|Corp\.?|Corporation|Company|Holdings|Solutions|Partners|Ventures|AG|SA|GmbH|PLC|plc|LLC|Foundation|Institute|Association|Federation|Coalition|Alliance|Society|Trust)$`)

// orgNounRe matches an apposition that introduces an organisation: ", a
// British penetration-testing firm", ", the Berlin-based company".
var orgNounRe = regexp.MustCompile(`^,\s+(?:a|an|the)\s+(?:[\p{L}\d’'-]+\s+){0,4}?(?:company|firm|group|organi[sz]ation|vendor|maker|provider|start-?up|charity|nonprofit|non-profit|NGO|developer|contractor|consultancy|coalition|association)\b`)

// orgLeadRe matches a descriptor right before a name: "security firm
// Kestrelmark", "the software maker Acme".
var orgLeadRe = regexp.MustCompile(`\b(?:company|firm|vendor|maker|provider|start-?up|group|charity)\s+$`)

// orgStopWords are capitalised words that do not start an organisation's name.
var orgStopWords = map[string]bool{
	"The": true, "A": true, "An": true, "In": true, "On": true, "At": true, "For": true, "But": true,
	"And": true, "Its": true, "This": true, "That": true, "National": true, "Federal": true,
	"International": true, "Cyber": true, "Information": true, "Digital": true, "Public": true, "State": true,
}

// orgMention is a mention of an organisation not in the catalog.
type orgMention struct {
	start, end int
	name, id   string
}

// findOrgs returns the mentions of organisations that no catalog match or
// known person covers.
//
// A name that prose took for a person but that ends in a corporate word or
// is introduced as a firm is an organisation: it wins over the person.
func findOrgs(text string, ms []catalog.Match, persons []personMention) []orgMention {
	taken := func(s, e int) bool {
		for _, m := range ms {
			if s < m.End && e > m.Start && (m.Target != catalog.TargetActor || m.Kind != catalog.MatchDemonym) {
				return true
			}
		}
		return false
	}
	takenByPerson := func(s, e int) bool {
		for _, m := range ms {
			if s < m.End && e > m.Start && (m.Target != catalog.TargetActor || m.Kind != catalog.MatchDemonym) {
				return true
			}
		}
		for _, p := range persons {
			if s < p.end && e > p.start {
				return true
			}
		}
		return false
	}
	_ = takenByPerson
	names := map[string]string{} // name → id
	var out []orgMention
	for _, seq := range capitalisedRuns(text) {
		ws := strings.Fields(text[seq.start:seq.end])
		if len(ws) == 0 || orgStopWords[ws[0]] {
			continue
		}
		full := orgSuffixRe.MatchString(ws[len(ws)-1]) && len(ws) >= 2
		appos := orgNounRe.MatchString(text[seq.end:min(len(text), seq.end+120)])
		lead := orgLeadRe.MatchString(text[max(0, seq.start-40):seq.start])
		if !full && !appos && !lead {
			continue
		}
		if taken(seq.start, seq.end) || (!full && takenByPerson(seq.start, seq.end)) {
			continue
		}
		name := text[seq.start:seq.end]
		names[name] = slug(name)
	}
	// names listed after "companies including" are organisations.
	for _, loc := range orgListLeadRe.FindAllStringIndex(text, -1) {
		for _, seq := range listedNames(text, loc[1]) {
			if !taken(seq.start, seq.end) && !takenByPerson(seq.start, seq.end) {
				name := text[seq.start:seq.end]
				if _, ok := names[name]; !ok {
					names[name] = slug(name)
				}
			}
		}
	}
	// the first word of a full name stands for it alone ("Kestrelmark").
	short := map[string]string{}
	for name, id := range names {
		ws := strings.Fields(name)
		if len(ws) > 1 && len(ws[0]) > 3 {
			short[ws[0]] = id
		}
	}
	for name := range names {
		if id, ok := short[name]; ok {
			names[name] = id // "Kestrelmark" seen alone with a lead noun
		}
	}
	all := make([]string, 0, len(names)+len(short))
	for n := range names {
		all = append(all, n)
	}
	for n := range short {
		if _, ok := names[n]; !ok {
			all = append(all, n)
		}
	}
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	for _, n := range all {
		id := names[n]
		if id == "" {
			id = short[n]
		}
		for i := 0; i < len(text); {
			j := strings.Index(text[i:], n)
			if j < 0 {
				break
			}
			s, e := i+j, i+j+len(n)
			i = e
			if !wordBoundary(text, s, e) || taken(s, e) {
				continue
			}
			overlap := false
			for _, o := range out {
				if s < o.end && e > o.start {
					overlap = true
					break
				}
			}
			if !overlap {
				out = append(out, orgMention{start: s, end: e, name: n, id: id})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	// display the fullest name.
	full := map[string]string{}
	for n, id := range names {
		if len(n) > len(full[id]) {
			full[id] = n
		}
	}
	for i := range out {
		out[i].name = full[out[i].id]
	}
	return out
}

// orgListLeadRe matches the head of a list of organisations: "companies,
// among them", "firms such as", "platforms including".
var orgListLeadRe = regexp.MustCompile(`\b(?:companies|firms|vendors|platforms|providers|makers|start-?ups|groups|organi[sz]ations|NGOs)\b[^.;:]{0,80}?\b(?:including|such\s+as|among\s+them|like|notably)\s+`)

// listedNames returns the capitalised names of the list that starts at
// pos: runs separated by commas and "and", up to the first other word.
func listedNames(text string, pos int) []run {
	var out []run
	base := pos
	for _, r := range capitalisedRuns(text[base:min(len(text), base+300)]) {
		r.start += base
		r.end += base
		gap := strings.TrimSpace(text[pos:r.start])
		gap = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(gap, ","), " "))
		if gap != "" && gap != "," && gap != "and" && gap != ", and" && gap != "or" {
			break
		}
		out = append(out, r)
		pos = r.end
	}
	return out
}

type run struct{ start, end int }

// capitalisedRuns returns the runs of capitalised words of text (joined by
// single spaces), not starting a sentence with a common word.
func capitalisedRuns(text string) []run {
	var out []run
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsUpper(r) || (i > 0 && isWordRune(text, i-1)) {
			i += n
			continue
		}
		start, end := i, i
		j := i
		for j < len(text) {
			k := j
			for k < len(text) {
				rr, nn := utf8.DecodeRuneInString(text[k:])
				if !(unicode.IsLetter(rr) || unicode.IsDigit(rr) || rr == '-' || rr == '&' || rr == '.') {
					break
				}
				k += nn
			}
			w := strings.TrimRight(text[j:k], ".")
			if w == "" {
				break
			}
			fr, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsUpper(fr) {
				break
			}
			end = j + len(w)
			if k < len(text) && text[k] == ' ' && k+1 < len(text) {
				nr, _ := utf8.DecodeRuneInString(text[k+1:])
				if unicode.IsUpper(nr) {
					j = k + 1
					continue
				}
			}
			break
		}
		if end > start {
			out = append(out, run{start, end})
			i = end
		} else {
			i += n
		}
	}
	return out
}

func isWordRune(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i+1])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordBoundary(text string, s, e int) bool {
	if s > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:s])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if e < len(text) {
		r, _ := utf8.DecodeRuneInString(text[e:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// slug returns the lower-case, hyphenated id of a name.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}
