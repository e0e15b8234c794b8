// Package stance decides, clause by clause, which actor takes which stance
// toward which tracked accord in a text, with the evidence for it.
//
// It works on plain data: the text, its sentences, the actor and accord
// mentions found by the caller, and the quotes with their speakers. It knows
// nothing of feeds, NATS or storage.
package stance

import (
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
	// Dual marks an accord name that also names an actor; both mentions
	// share the span.
	Dual bool
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
	// Accords describes the tracked accords by id, so that a generic
	// reference ("the convention", "the Call") goes to an accord it can
	// denote. Accords not described are compatible with every reference.
	Accords map[string]AccordInfo
}

// AccordInfo describes an accord for reference resolution.
type AccordInfo struct {
	// Treaty is true for binding treaties ("the treaty" may refer to them).
	Treaty bool
	// Names are the accord's names, in any case.
	Names []string
	// Custodian is the actor that keeps the accord; its officials' quoted
	// statements about it are support.
	Custodian string
	// Unsigned accords are endorsed, not signed: joining is support.
	Unsigned bool
	// Self is the actor that bears the accord's name (the coalition of the
	// Cybersecurity Tech Accord), if any; it takes no stance on itself.
	Self string
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
	weak     bool
	order    int
}

// candidate ranks: the later in an accord's life, the higher.
var rank = map[string]int{
	Supports: 1, Undecided: 2, Declined: 3, Opposes: 4, Signed: 5, Ratified: 6, Withdrew: 7,
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
		// An absence ("has not yet signed") gives way to any stated stance.
		var strong []Stance
		for _, c := range g {
			if !c.weak {
				strong = append(strong, c)
			}
		}
		if len(strong) > 0 {
			g = strong
		}
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
			if Polarity(c.Stance) == Polarity(cur.Stance) {
				continue
			}
			if (c.Stance == Supports || c.Stance == Undecided) && !c.past {
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
	// Consistent reports ("joined" in the headline, "ratified last month"
	// in the body): the later stage of the accord's life is the stance.
	if Polarity(a.Stance) == Polarity(b.Stance) && Polarity(a.Stance) == "positive" && rank[a.Stance] != rank[b.Stance] {
		return rank[a.Stance] > rank[b.Stance]
	}
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
