package digest

import (
	"cmp"
	"slices"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// Board is the stance board of a Digest: the stance of every actor on
// every accord at the end of the digest's day, one row per actor that held
// a stance on some accord then, one column per accord on which some actor
// did.
//
// The stance of an actor on an accord at the end of the day is the one
// that the first change detected after the day replaced (Change.Previous),
// or, if none was detected since, the current stance (see Records). That is
// what the store knew at the end of the day, by detection time, and holds
// for any past date: the store keeps every change. Two limits: a report
// detected later that speaks for an earlier time (a late article) is not on
// the board of the days before its detection; and the board of a digest
// made without the current stances (Build) only has the stances that
// changed on the day.
type Board struct {
	// Accords are the columns, ordered by name then id.
	Accords []BoardAccord `json:"accords"`
	// Rows are the actors, ordered by name then id.
	Rows []BoardRow `json:"rows"`
}

// BoardAccord is a column of a Board.
type BoardAccord struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// BoardRow is an actor's row of a Board.
type BoardRow struct {
	Actor     string `json:"actor"`
	ActorName string `json:"actor_name"`
	// Cells has one cell per accord, in the order of Board.Accords.
	Cells []BoardCell `json:"cells"`
}

// BoardCell is an actor's stance on an accord at the end of the day.
type BoardCell struct {
	// Stance is "" if the actor had no recorded stance on the accord.
	Stance string `json:"stance"`
	// Since is when Stance took effect; nil if unknown or no stance.
	Since *time.Time `json:"since"`
	// Changed reports whether the stance changed on the day (the digest
	// lists the change).
	Changed bool `json:"changed"`
	// Contradicted reports whether a report contradicting the stance was
	// flagged on the day (the digest lists it).
	Contradicted bool `json:"contradicted"`
}

// pair is an actor and an accord.
type pair struct{ actor, accord string }

// stanceAt is a stance and when it took effect.
type stanceAt struct {
	stance string
	since  time.Time
}

// newBoard makes the board at the end of the day from the records, with
// the changes and contradictions of the day as the digest lists them.
func newBoard(r Records, changes []Entry, contradictions []Contradiction, loc *time.Location, name func(kind, id string) string) Board {
	at := make(map[pair]stanceAt)
	// Weakest first: the day's own changes (the latest of each pair), then
	// the current stances, then what the first later change replaced.
	latest := make(map[pair]store.Change)
	for _, c := range r.Changes {
		p := pair{c.Actor, c.Accord}
		if l, ok := latest[p]; !ok || !c.Detected.Before(l.Detected) {
			latest[p] = c
		}
	}
	for p, c := range latest {
		at[p] = stanceAt{c.Stance, c.Since}
	}
	for _, c := range r.Current {
		at[pair{c.Actor, c.Accord}] = stanceAt{c.Stance, c.Since}
	}
	first := make(map[pair]store.Change)
	for _, c := range r.Later {
		p := pair{c.Actor, c.Accord}
		if f, ok := first[p]; !ok || c.Detected.Before(f.Detected) {
			first[p] = c
		}
	}
	for p, c := range first {
		if c.Previous == "" {
			delete(at, p) // its first stance came after the day
		} else {
			at[p] = stanceAt{c.Previous, c.PreviousSince}
		}
	}

	changed := make(map[pair]bool)
	for _, e := range changes {
		changed[pair{e.Actor, e.Accord}] = true
	}
	contradicted := make(map[pair]bool)
	for _, e := range contradictions {
		contradicted[pair{e.Actor, e.Accord}] = true
	}
	actors := make(map[string]bool)
	accords := make(map[string]bool)
	for _, m := range []map[pair]bool{changed, contradicted} {
		for p := range m {
			actors[p.actor], accords[p.accord] = true, true
		}
	}
	for p := range at {
		actors[p.actor], accords[p.accord] = true, true
	}

	b := Board{Accords: make([]BoardAccord, 0, len(accords)), Rows: make([]BoardRow, 0, len(actors))}
	for id := range accords {
		b.Accords = append(b.Accords, BoardAccord{ID: id, Name: name(KindAccord, id)})
	}
	slices.SortFunc(b.Accords, func(x, y BoardAccord) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	for id := range actors {
		row := BoardRow{Actor: id, ActorName: name(KindActor, id), Cells: make([]BoardCell, len(b.Accords))}
		for i, a := range b.Accords {
			p := pair{id, a.ID}
			s := at[p]
			row.Cells[i] = BoardCell{Stance: s.stance, Changed: changed[p], Contradicted: contradicted[p]}
			if s.stance != "" && !s.since.IsZero() {
				since := s.since.In(loc)
				row.Cells[i].Since = &since
			}
		}
		b.Rows = append(b.Rows, row)
	}
	slices.SortFunc(b.Rows, func(x, y BoardRow) int {
		return cmp.Or(cmp.Compare(x.ActorName, y.ActorName), cmp.Compare(x.Actor, y.Actor))
	})
	return b
}
