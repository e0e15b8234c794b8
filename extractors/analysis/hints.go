package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/prosemodel"
	"github.com/accordwatch/accordwatch/extractors/segment"
)

// proseHints runs prose's named-entity recognition once per article, and
// only over the sentences where it can tell us something: those with a
// run of capitalised words that the catalog does not explain (a possible
// personal name). NER is most of prose's cost; most sentences of a news
// article need none. The labels are hints for persons and quote speakers.
type proseHints struct {
	text  string
	sents []segment.Sentence
	ms    []catalog.Match

	once          sync.Once
	person, other map[string]bool
}

func newProseHints(text string, sents []segment.Sentence, ms []catalog.Match) *proseHints {
	return &proseHints{text: text, sents: sents, ms: ms}
}

// EntityHints returns the texts prose labelled PERSON and otherwise,
// running prose on first use.
func (h *proseHints) EntityHints() (person, other map[string]bool) {
	h.once.Do(h.run)
	return h.person, h.other
}

// persons returns the texts prose labelled PERSON.
func (h *proseHints) persons() []string {
	p, _ := h.EntityHints()
	out := make([]string, 0, len(p))
	for name := range p {
		out = append(out, name)
	}
	return out
}

func (h *proseHints) run() {
	h.person, h.other = map[string]bool{}, map[string]bool{}
	var b strings.Builder
	for _, s := range h.sents {
		if h.hasUnknownName(s.Start, s.End) {
			b.WriteString(strings.TrimSpace(h.text[s.Start:s.End]))
			b.WriteString("\n")
		}
	}
	if b.Len() == 0 {
		return
	}
	doc, err := prosemodel.Document(b.String(), true)
	if err != nil {
		return // hints are optional
	}
	for _, e := range doc.Entities() {
		if e.Label == "PERSON" {
			h.person[e.Text] = true
		} else {
			h.other[e.Text] = true
		}
	}
}

// hasUnknownName reports whether text[start:end] holds two or more
// capitalised words in a row that no catalog match covers.
func (h *proseHints) hasUnknownName(start, end int) bool {
	run := 0
	for i := start; i < end; {
		r, n := utf8.DecodeRuneInString(h.text[i:])
		if !unicode.IsLetter(r) {
			if r != ' ' && r != '-' && r != '.' && r != '’' && r != '\'' {
				run = 0
			}
			i += n
			continue
		}
		j := i
		for j < end {
			rr, nn := utf8.DecodeRuneInString(h.text[j:])
			if !unicode.IsLetter(rr) && rr != '-' && rr != '’' && rr != '\'' {
				break
			}
			j += nn
		}
		if unicode.IsUpper(r) && !h.covered(i, j) {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
		i = j
	}
	return false
}

func (h *proseHints) covered(start, end int) bool {
	for _, m := range h.ms {
		if m.Start <= start && end <= m.End {
			return true
		}
		if m.Start > end {
			break
		}
	}
	return false
}
