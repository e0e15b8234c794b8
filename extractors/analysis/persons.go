package analysis

import (
	"regexp"
	"sort"
	"strings"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/prosemodel"
	"github.com/accordwatch/accordwatch/extractors/segment"
)

const namePat = `\p{Lu}[\p{L}'’.\-]*\p{L}(?:\s+(?:(?:de|da|van|von|der|den|le|la|al|bin|du|dos|del|di)\s+)*\p{Lu}[\p{L}'’\-]*\p{L}){1,3}`

const rolePat = `(?:(?:[Ff]oreign|[Pp]rime|[Vv]ice|[Dd]eputy|[Ff]irst|[Cc]hief|[Ss]enior|[Tt]op|[Ii]nterior|[Dd]efen[cs]e|[Dd]igital|[Cc]yber|[Tt]rade|[Jj]ustice|[Hh]ome|[Ss]tate|[Ii]nformation|[Ss]ecurity|[Tt]echnology|[Ee]xternal|[Gg]eneral|[Ee]xecutive|[Nn]ational|[Pp]ermanent|[Ss]pecial|[Ll]ead|[Aa]cting|[Aa]ssistant|[Uu]nder|[Mm]inisterial|[Pp]ress|[Ff]ederal)[\s-]+)*(?:President|Prime\s+Minister|[Mm]inister|Secretary(?:-General)?|[Ss]ecretary|Chancellor|spokes(?:wo)?man|spokesperson|[Aa]mbassador|[Ee]nvoy|Senator|Commissioner|[Oo]fficial|[Dd]iplomat|[Nn]egotiator|[Aa]dvis[eo]r|Director|CEO|[Cc]hairman|[Cc]hair|[Rr]epresentative|[Ll]eader|King|Queen|Premier|Counsel|[Cc]oordinator|[Pp]resident|Governor|Representative|Commissioner|Minister|Chief)`

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
	formerRe    = regexp.MustCompile(`(?i)\b(?:former|ex-|previously|once\s+served|retired|onetime|one-time)\b`)
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
}

func (p *personIndex) learn(name, actor, role string) {
	name = strings.TrimSpace(name)
	if strings.Count(name, " ") == 0 || strings.ContainsAny(name, "\n") {
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
	pp := &person{name: name, actor: actor, role: role}
	p.byName[name] = pp
	f := strings.Fields(name)
	last := f[len(f)-1]
	if old, ok := p.byLast[last]; ok && old.name != name {
		p.byLast[last] = nil // ambiguous
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
	return ""
}

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
func findPersons(text string, sents []segment.Sentence, ms []catalog.Match, cat *catalog.Catalog) *personIndex {
	idx := &personIndex{byName: map[string]*person{}, byLast: map[string]*person{}}
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
		// appositive before: "Jean Doe, France’s foreign minister"
		start := m.Start - 80
		if start < 0 {
			start = 0
		}
		lead := text[start:m.Start]
		if loc := apposRe.FindStringSubmatchIndex(lead); loc != nil {
			tail := text[m.End:min(len(text), m.End+60)]
			if r := roleAfterRe.FindString(tail); r != "" && !formerRe.MatchString(lead[loc[1]:]) {
				idx.learn(trimName(lead[loc[2]:loc[3]]), m.ID, strings.TrimSpace(text[m.Start:m.End]+r))
			}
		}
	}
	for _, loc := range roleNameRe.FindAllStringSubmatchIndex(text, -1) {
		name := trimName(text[loc[4]:loc[5]])
		if _, ok := idx.byName[name]; !ok && !nameIsCatalog(name, cat) {
			idx.learn(name, "", text[loc[2]:loc[3]])
		}
	}
	// prose's PERSON guesses, kept when they look like names.
	if doc, err := prosemodel.Document(text, true); err == nil {
		for _, e := range doc.Entities() {
			if e.Label != "PERSON" {
				continue
			}
			name := trimName(e.Text)
			if strings.Count(name, " ") == 0 || !wholeNameRe.MatchString(name) || nameIsCatalog(name, cat) {
				continue
			}
			if strings.Contains(text, name) {
				idx.learn(name, "", "")
			}
		}
	}
	return idx
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
