package analysis

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/quotes"
	"github.com/accordwatch/accordwatch/extractors/segment"
)

const namePat = `\p{Lu}[\p{L}'’.\-]*\p{L}(?:\s+(?:(?:de|da|van|von|der|den|le|la|al|bin|du|dos|del|di)\s+)*\p{Lu}[\p{L}'’\-]*\p{L}){1,3}`

const rolePat = `(?:(?:[Ff]oreign|[Pp]rime|[Vv]ice|[Dd]eputy|[Ff]irst|[Cc]hief|[Ss]enior|[Tt]op|[Ii]nterior|[Dd]efen[cs]e|[Dd]igital|[Cc]yber|[Tt]rade|[Jj]ustice|[Hh]ome|[Ss]tate|[Ii]nformation|[Ss]ecurity|[Tt]echnology|[Ee]xternal|[Gg]eneral|[Ee]xecutive|[Nn]ational|[Pp]ermanent|[Ss]pecial|[Ll]ead|[Aa]cting|[Aa]ssistant|[Uu]nder|[Mm]inisterial|[Pp]ress|[Ff]ederal)[\s-]+)*(?:President|Prime\s+Minister|[Mm]inister|Secretary(?:-General)?|[Ss]ecretary|Chancellor|spokes(?:wo)?man|spokesperson|[Aa]mbassador|[Ee]nvoy|Senator|Commissioner|[Oo]fficial|[Dd]iplomat|[Nn]egotiator|[Aa]dvis[eo]r|Director|CEO|[Cc]hairman|[Cc]hair|[Rr]epresentative|[Ll]eader|King|Queen|Premier|Counsel|[Cc]oordinator|[Pp]resident|Governor|Representative|Commissioner|Minister|Chief)`

// officePat is an office or occupation written in an appositive, in either
// case ("executive director", "a senior researcher").
const officePat = `(?:[\p{L}\-]+\s+){0,2}?(?:[Dd]irector(?:-[Gg]eneral)?|[Ee]xecutive|[Cc]hief|[Hh]ead|[Cc]hair(?:man|woman|person)?|[Pp]resident|[Ff]ounder|[Rr]esearcher|[Aa]nalyst|[Ff]ellow|[Ss]pokes(?:wo)?man|[Ss]pokesperson|[Mm]inister|[Ss]ecretary(?:[\s-][Gg]eneral)?|[Oo]fficial|[Oo]fficer|[Aa]dvis[eo]r|[Aa]mbassador|[Ee]nvoy|[Rr]epresentative|[Dd]elegate|[Nn]egotiator|[Cc]ounsel|[Ee]conomist|[Ee]xpert|[Cc]ommissioner|[Mm]anager|[Gg]overnor|[Ll]eader|[Dd]iplomat|[Cc]oordinator|[Pp]artner|[Pp]rofessor|CEO|CTO|CISO)`

var (
	// "French President Emmanuel Macron", "Microsoft’s president, Brad Smith"
	afterActorRe = regexp.MustCompile(`^(?:’s|'s)?\s+((?:[\p{L}\-]+\s+){0,3}?` + rolePat + `)(?:,)?\s+(` + namePat + `)`)
	// "Vice President Kamala Harris" (no actor named)
	roleNameRe = regexp.MustCompile(`\b(` + rolePat + `)\s+(` + namePat + `)`)
	// "Jean Doe, France’s foreign minister" / "Jean Doe, the EU’s envoy"
	apposRe = regexp.MustCompile(`(` + namePat + `),\s+(?:the\s+|a\s+|an\s+)?$`)
	// "’s foreign minister" after an actor mention
	roleAfterRe = regexp.MustCompile(`^(?:’s|'s)?\s+(?:[\p{L}\-]+\s+){0,3}?` + rolePat)
	wholeNameRe = regexp.MustCompile(`^` + namePat + `$`)
	// a catalog match that ends with an office: "UN Secretary-General",
	// "Chinese Foreign Ministry spokesperson"
	roleEndRe = regexp.MustCompile(`\b` + rolePat + `$`)
	// a catalog match that is an office: "Secretary General of the Council
	// of Europe"
	roleStartRe = regexp.MustCompile(`^(?:[Tt]he\s+)?` + rolePat + `\b`)
	// the name right after such a match
	nameNextRe = regexp.MustCompile(`^,?\s+(` + namePat + `)`)
	// "Jean Doe, a senior U.S. diplomat": a name and modifiers before an actor
	apposModRe = regexp.MustCompile(`(` + namePat + `),\s+(?:the\s+|a\s+|an\s+)?(?:(?:senior|top|deputy|chief|lead|leading|veteran|longtime|acting|permanent|principal|special|current|new)\s+){1,3}$`)
	// "Jen Doe, director of the U.S. …": a name and an office of the actor
	apposOfRe = regexp.MustCompile(`(` + namePat + `),\s+(?:the\s+|a\s+|an\s+)?(` + officePat + `\s+(?:of|at|for|to|in|with)\s+(?:the\s+)?)$`)
	// "Jen Doe, who led the delegation of …"
	apposWhoRe = regexp.MustCompile(`(` + namePat + `),\s+who\s+(?:leads|led|heads|headed|runs|ran|chairs|chaired|represents|represented|speaks\s+for|spoke\s+for|works\s+for|worked\s+for)\s+(?:the\s+)?(?:[\p{Ll}\-]+\s+(?:of|at|for)\s+(?:the\s+)?)?$`)
	// "The Deputy Secretary General of the Council of Europe, Björn Berge"
	roleOfRe = regexp.MustCompile(`(` + officePat + `\s+(?:of|at|for|to)\s+(?:the\s+)?)$`)
	// a place used as a location modifier: "London-based"
	basedRe = regexp.MustCompile(`^[-‑](?:based|headquartered)\b`)
	// "Human Rights Watch’s Deborah Brown"
	possNameRe = regexp.MustCompile(`^(?:’s|'s)\s+(` + namePat + `)`)
	formerRe   = regexp.MustCompile(`(?i)\b(?:former|ex-|previously|once\s+served|retired|onetime|one-time)\b`)
)

// person is a person named in the article with the actor they speak for.
type person struct {
	name  string
	actor string
	role  string
}

// personIndex holds the persons of one article.
type personIndex struct {
	byName map[string]*person // full name → person
	byLast map[string]*person // last name → person, when unambiguous
	text   string             // the article
	// possessor maps a name written after an actor's possessive ("Human
	// Rights Watch’s Deborah Brown") to that actor.
	possessor map[string]string
	// The catalog, its matches in the article and the actors the article
	// is clearly about, for contextActor.
	cat                  *catalog.Catalog
	ms                   []catalog.Match
	domState, domCompany string
}

// isPersonName reports whether name can be a person of the article: two or
// more capitalised words that read as a personal name, not a description
// ("Nairobi-based researcher"), a list of speakers, an organisation, or
// capitalised common nouns ("Member States", "States Parties") whose words
// the article also writes in lower case.
func (p *personIndex) isPersonName(name string) bool {
	if strings.Count(name, " ") == 0 || strings.ContainsAny(name, "\n,") || !wholeNameRe.MatchString(name) ||
		!quotes.LooksLikePersonName(name) {
		return false
	}
	if p.text == "" {
		return true
	}
	for _, w := range strings.Fields(name) {
		if lw := strings.ToLower(w); lw == w || !containsWord(p.text, lw) {
			return true
		}
	}
	return false
}

func (p *personIndex) learn(name, actor, role string) {
	name = strings.TrimSpace(name)
	// Titles left on the name belong to the role ("Chief" + "Executive Bob
	// Iger", "Energy Secretary Rick Perry").
	if t, n := quotes.SplitTitle(name); t != "" {
		name, role = n, strings.TrimSpace(role+" "+t)
	}
	if !p.isPersonName(name) {
		return
	}
	if pp, ok := p.byName[name]; ok {
		if pp.actor == "" {
			pp.actor = actor
		}
		if pp.role == "" {
			pp.role = role
		}
		return
	}
	if actor == "" {
		actor = p.possessor[name]
	}
	pp := &person{name: name, actor: actor, role: role}
	p.byName[name] = pp
	f := strings.Fields(name)
	last := f[len(f)-1]
	if old, ok := p.byLast[last]; ok && (old == nil || old.name != name) {
		p.byLast[last] = nil // ambiguous (nil: already so)
	} else {
		p.byLast[last] = pp
	}
}

// actorOf returns the actor of a person named in phrase.
func (p *personIndex) actorOf(phrase string) string {
	for name, pp := range p.byName {
		if pp.actor != "" && strings.Contains(phrase, name) {
			return pp.actor
		}
	}
	for last, pp := range p.byLast {
		if pp != nil && pp.actor != "" && containsWord(phrase, last) {
			return pp.actor
		}
	}
	// An unnamed government body or its official ("a senior administration
	// official", "the Ministry of Foreign Affairs") serves the state the
	// context makes clear.
	if p.cat != nil && govBodyRe.MatchString(phrase) && !formerRe.MatchString(phrase) {
		if i := strings.Index(p.text, phrase); i >= 0 {
			return p.contextActor(i, catalog.KindState)
		}
	}
	return ""
}

// govBodyRe matches a government body in a speaker's description.
var govBodyRe = regexp.MustCompile(`(?i)\b(?:administration|ministry|ministries|government|police|cabinet|presidency|embassy|foreign\s+office)\b`)

func containsWord(s, w string) bool {
	i := strings.Index(s, w)
	for i >= 0 {
		before := i == 0 || !isLetter(s[i-1])
		after := i+len(w) >= len(s) || !isLetter(s[i+len(w)])
		if before && after {
			return true
		}
		j := strings.Index(s[i+1:], w)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func isLetter(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// personMention is a mention of a known person in the text.
type personMention struct {
	start, end int
	p          *person
	actor      string
}

// mentions returns every mention of a known person (full or last name),
// not overlapping catalog matches.
func (p *personIndex) mentions(text string, cat []catalog.Match) []personMention {
	var out []personMention
	overlaps := func(s, e int) bool {
		for _, m := range cat {
			if s < m.End && e > m.Start {
				return true
			}
		}
		for _, o := range out {
			if s < o.end && e > o.start {
				return true
			}
		}
		return false
	}
	names := make([]string, 0, len(p.byName))
	for n := range p.byName {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	add := func(w string, pp *person) {
		for i := 0; i < len(text); {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			s, e := i+j, i+j+len(w)
			if (s == 0 || !isLetter(text[s-1])) && (e >= len(text) || !isLetter(text[e])) && !overlaps(s, e) {
				out = append(out, personMention{start: s, end: e, p: pp, actor: pp.actor})
			}
			i = e
		}
	}
	for _, n := range names {
		add(n, p.byName[n])
	}
	for last, pp := range p.byLast {
		if pp != nil {
			add(last, pp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// findPersons finds the persons of a text and, from their titles and roles,
// the actors they speak for. prose's PERSON labels are used as hints; roles
// next to catalog actors decide the actor.
//
// proseNames are prose's PERSON guesses for the text (see proseHints); they
// are kept when they look like names.
func findPersons(text string, sents []segment.Sentence, ms []catalog.Match, cat *catalog.Catalog, proseNames []string) *personIndex {
	idx := &personIndex{byName: map[string]*person{}, byLast: map[string]*person{}, text: text}
	var possessed []person
	for _, m := range ms {
		if m.Target != catalog.TargetActor {
			continue
		}
		end := m.End + 160
		if end > len(text) {
			end = len(text)
		}
		rest := text[m.End:end]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
			rest = rest[:nl]
		}
		if loc := afterActorRe.FindStringSubmatchIndex(rest); loc != nil {
			role := rest[loc[2]:loc[3]]
			name := trimName(rest[loc[4]:loc[5]])
			lead := text[max(0, m.Start-30):m.Start]
			actor := m.ID
			if formerRe.MatchString(lead) || formerRe.MatchString(role) {
				actor = ""
			}
			idx.learn(name, actor, strings.TrimSpace(text[m.Start:m.End]+" "+role))
		}
		// A catalog role or office followed by the name ("UN
		// Secretary-General António Guterres", "Chinese Foreign Ministry
		// spokesperson Zhao Lijian"): the role was matched with the actor.
		if m.Kind == catalog.MatchRole || roleEndRe.MatchString(m.Text) || roleStartRe.MatchString(m.Text) {
			if loc := nameNextRe.FindStringSubmatchIndex(rest); loc != nil {
				name := trimName(rest[loc[2]:loc[3]])
				actor := m.ID
				if formerRe.MatchString(text[max(0, m.Start-30):m.Start]) {
					actor = ""
				}
				if !nameIsCatalog(name, cat) {
					idx.learn(name, actor, strings.TrimSpace(m.Text))
				}
			}
		}
		// appositive before: "Jean Doe, France’s foreign minister"
		start := m.Start - 80
		if start < 0 {
			start = 0
		}
		lead := text[start:m.Start]
		if nl := strings.LastIndexByte(lead, '\n'); nl >= 0 {
			lead = lead[nl+1:] // the paragraph only
		}
		tail := text[m.End:min(len(text), m.End+60)]
		if loc := apposRe.FindStringSubmatchIndex(lead); loc != nil {
			if r := roleAfterRe.FindString(tail); r != "" && !formerRe.MatchString(lead[loc[0]:]) {
				idx.learn(trimName(lead[loc[2]:loc[3]]), m.ID, strings.TrimSpace(text[m.Start:m.End]+r))
			}
		} else if loc := apposModRe.FindStringSubmatchIndex(lead); loc != nil {
			// "Jean Doe, a senior U.S. diplomat"
			if r := roleAfterRe.FindString(tail); r != "" && !formerRe.MatchString(lead[loc[0]:]) {
				idx.learn(trimName(lead[loc[2]:loc[3]]), m.ID, strings.TrimSpace(lead[loc[3]+1:]+" "+text[m.Start:m.End]+r))
			}
		} else if loc := apposOfRe.FindStringSubmatchIndex(lead); loc != nil && !formerRe.MatchString(lead[loc[0]:]) &&
			!basedRe.MatchString(tail) {
			// "Jen Doe, director of the U.S. Cybersecurity Agency"
			idx.learn(trimName(lead[loc[2]:loc[3]]), m.ID, strings.TrimSpace(lead[loc[4]:loc[5]]+text[m.Start:m.End]))
		} else if loc := apposWhoRe.FindStringSubmatchIndex(lead); loc != nil && !formerRe.MatchString(lead[loc[0]:]) {
			// "Jen Doe, who led the delegation of the Tech Accord"
			idx.learn(trimName(lead[loc[2]:loc[3]]), m.ID, "")
		}
		// "The Deputy Secretary General of the Council of Europe, Björn Berge"
		if loc := roleOfRe.FindStringSubmatchIndex(lead); loc != nil && !formerRe.MatchString(lead[loc[0]:]) {
			if nl := nameNextRe.FindStringSubmatchIndex(rest); nl != nil && strings.HasPrefix(rest, ",") {
				idx.learn(trimName(rest[nl[2]:nl[3]]), m.ID, strings.TrimSpace(lead[loc[2]:loc[3]]+text[m.Start:m.End]))
			}
		}
		// "Human Rights Watch’s Deborah Brown": kept for persons found by
		// other means.
		if loc := possNameRe.FindStringSubmatchIndex(rest); loc != nil {
			possessed = append(possessed, person{name: trimName(rest[loc[2]:loc[3]]), actor: m.ID})
		}
	}
	for _, loc := range roleNameRe.FindAllStringSubmatchIndex(text, -1) {
		name := trimName(text[loc[4]:loc[5]])
		if _, ok := idx.byName[name]; !ok && !nameIsCatalog(name, cat) {
			idx.learn(name, "", text[loc[2]:loc[3]])
		}
	}
	// prose's PERSON guesses, kept when they look like names.
	sort.Strings(proseNames) // a stable order of learning
	for _, e := range proseNames {
		name := trimName(e)
		if strings.Count(name, " ") == 0 || !wholeNameRe.MatchString(name) || nameIsCatalog(name, cat) {
			continue
		}
		if strings.Contains(text, name) {
			idx.learn(name, "", "")
		}
	}
	for _, pp := range possessed {
		if idx.possessor == nil {
			idx.possessor = map[string]string{}
		}
		idx.possessor[pp.name] = pp.actor
		if p, ok := idx.byName[pp.name]; ok && p.actor == "" {
			p.actor = pp.actor
		}
	}
	idx.assignDominant(ms, cat)
	// The chair of a meeting or body speaks for it, not for their state
	// ("Jürg Lauber, the Swiss ambassador who chaired the group").
	for _, pp := range idx.byName {
		if pp.actor == "" {
			continue
		}
		if chairs(text, pp.name) {
			pp.actor = ""
		}
	}
	return idx
}

// chairSuffix follows a person who chairs the meeting or body they speak
// for.
const chairSuffix = `[^.;:\n]{0,80}?\bwho\s+(?:has\s+|had\s+)?(?:chairs|chaired|presides|presided|is\s+chairing|was\s+chairing)\b`

// chairSuffixRe is chairSuffix anchored where a name ends.
var chairSuffixRe = regexp.MustCompile(`^` + chairSuffix)

// chairs reports whether text says that name chairs something: the name
// followed by chairSuffix.
func chairs(text, name string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		end := i + j + len(name)
		if chairSuffixRe.MatchString(text[end:min(len(text), end+200)]) {
			return true
		}
		i = end
	}
}

var (
	// stateOfficeRe matches a government office held for a state.
	stateOfficeRe = regexp.MustCompile(`(?i)\b(?:president|prime\s+minister|minister|secretary\s+of\s+state|national\s+security\s+advis[eo]r|chancellor|foreign\s+secretary|home\s+secretary|premier|ambassador|envoy|spokes(?:person|man|woman)|central\s+bank\s+governor|deputy\s+governor)\b`)
	// companyOfficeRe matches an office held in a company.
	companyOfficeRe = regexp.MustCompile(`(?i)\b(?:chief\s+executive|ceo|chief\s+technology\s+officer|cto|ciso|chief\s+information\s+security\s+officer|founder|chairman|chairwoman|general\s+counsel)\b`)
)

// assignDominant gives a person whose role is an office without a named
// actor ("Vice President Kamala Harris", "Chief Executive Richard Smith")
// the actor that the context makes clear; see contextActor.
func (p *personIndex) assignDominant(ms []catalog.Match, cat *catalog.Catalog) {
	p.ms, p.cat = ms, cat
	p.domState = dominantActor(ms, cat, catalog.KindState, 5)
	p.domCompany = dominantActor(ms, cat, catalog.KindCompany, 3)
	for _, pp := range p.byName {
		if pp.actor != "" || pp.role == "" || formerRe.MatchString(pp.role) || nameIsActor(pp.role, cat) {
			continue
		}
		kind := ""
		switch {
		case companyOfficeRe.MatchString(pp.role):
			kind = catalog.KindCompany
		case stateOfficeRe.MatchString(pp.role):
			kind = catalog.KindState
		default:
			continue
		}
		i := strings.Index(p.text, pp.role+" "+pp.name)
		if i < 0 || formerRe.MatchString(p.text[max(0, i-30):i]) || p.modifiedOffice(i) {
			continue
		}
		pp.actor = p.contextActor(i, kind)
	}
}

// modifiedOffice reports whether the office at byte i is modified by a
// capitalised name that is not a catalog actor ("SoftBank CEO Masayoshi
// Son"): the office of another body.
func (p *personIndex) modifiedOffice(i int) bool {
	ws := strings.Fields(p.text[max(0, i-40):i])
	if len(ws) == 0 {
		return false
	}
	w := ws[len(ws)-1]
	return isUpperStart(w) && endsWithLetter(w) && !fillerWords[strings.ToLower(w)]
}

// fillerWords may open a sentence before an office without modifying it.
var fillerWords = map[string]bool{"the": true, "a": true, "an": true, "but": true, "and": true,
	"then": true, "meanwhile": true, "now": true, "later": true, "earlier": true, "also": true,
	"so": true, "yet": true, "still": true, "when": true, "while": true, "after": true,
	"before": true, "as": true, "in": true, "on": true, "at": true, "outgoing": true,
	"incoming": true, "acting": true, "interim": true}

// locativeRe ends the text before a place used as a location ("in
// Wellington", "at the Élysée"), which says where, not for whom.
var locativeRe = regexp.MustCompile(`(?i)\b(?:in|at|from|to|near|outside|inside|across|around|via)\s+(?:the\s+)?$`)

// contextActor returns the actor of the given kind that an office or
// official mentioned at byte i serves, from the paragraph up to i and the
// whole article: the one actor named earlier in the paragraph (not as a
// place, "in Wellington"), else the actor the article is clearly about
// (named at least five times, companies three, and twice as often as any
// other of its kind) unless the paragraph places the mention elsewhere.
// It returns "" when that is unclear.
func (p *personIndex) contextActor(i int, kind string) string {
	dom := p.domState
	if kind == catalog.KindCompany {
		dom = p.domCompany
	}
	pstart := strings.LastIndexByte(p.text[:i], '\n') + 1
	named, placed := "", ""
	for _, m := range p.ms {
		if m.Target != catalog.TargetActor || m.Start < pstart || m.End > i {
			continue
		}
		if a, ok := p.cat.Actor(m.ID); !ok || a.Kind != kind {
			continue
		}
		if locativeRe.MatchString(p.text[max(pstart, m.Start-12):m.Start]) {
			if placed != "" && placed != m.ID {
				return ""
			}
			placed = m.ID
			continue
		}
		if named != "" && named != m.ID {
			return "" // several candidates
		}
		named = m.ID
	}
	switch {
	case named != "":
		return named
	case placed != "" && placed != dom:
		return ""
	}
	return dom
}

// isUpperStart reports whether s starts with an upper-case letter.
func isUpperStart(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// endsWithLetter reports whether s ends with a letter.
func endsWithLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

// nameIsActor reports whether s names a catalog actor.
func nameIsActor(s string, cat *catalog.Catalog) bool {
	for _, m := range cat.Find(s) {
		if m.Target == catalog.TargetActor {
			return true
		}
	}
	return false
}

// dominantActor returns the actor of the given kind named most often in the
// matches, if it is named at least min times and twice as often as the next.
func dominantActor(ms []catalog.Match, cat *catalog.Catalog, kind string, min int) string {
	n := map[string]int{}
	for _, m := range ms {
		if m.Target != catalog.TargetActor {
			continue
		}
		if a, ok := cat.Actor(m.ID); ok && a.Kind == kind {
			n[m.ID]++
		}
	}
	best, first, second := "", 0, 0
	for id, c := range n {
		switch {
		case c > first || c == first && id < best:
			best, first, second = id, c, max(first, second)
		case c > second:
			second = c
		}
	}
	if first >= min && first >= 2*second {
		return best
	}
	return ""
}

func trimName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "’s")
	s = strings.TrimSuffix(s, "'s")
	return strings.TrimRight(s, ".,")
}

func nameIsCatalog(name string, cat *catalog.Catalog) bool {
	for _, m := range cat.Find(name) {
		if m.End-m.Start >= len(name)/2 {
			return true
		}
	}
	return false
}

// entities merges catalog matches and person mentions into entities.
func entities(text string, ms []catalog.Match, ps []personMention, cat *catalog.Catalog) []Entity {
	type key struct{ text, typ string }
	idx := map[key]int{}
	var out []Entity
	add := func(e Entity) {
		k := key{e.Text, e.Type}
		if i, ok := idx[k]; ok {
			out[i].Count++
			return
		}
		e.Count = 1
		idx[k] = len(out)
		out = append(out, e)
	}
	for _, m := range ms {
		switch m.Target {
		case catalog.TargetActor:
			typ := "actor"
			if a, ok := cat.Actor(m.ID); ok {
				typ = a.Kind
			}
			add(Entity{Text: m.Text, Type: typ, Actor: m.ID})
		case catalog.TargetAccord:
			if m.Kind != catalog.MatchRef {
				add(Entity{Text: m.Text, Type: "accord", Actor: ""})
			}
		}
	}
	for _, p := range ps {
		add(Entity{Text: p.p.name, Type: "person", Actor: p.actor, Role: p.p.role})
	}
	_ = text
	return out
}
