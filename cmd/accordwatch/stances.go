package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// cmdStances prints the stance matrix, actors by accords, as it stood at
// the end of a day (default: now) in the configured time zone.
func cmdStances(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("stances")
	sf := addStoreFlags(fs)
	accord := fs.String("accord", "", "only this accord (ID, e.g. paris-call)")
	asOf := fs.String("as-of", "", "the stances as they stood at the end of this day, YYYY-MM-DD, in the configured time zone (default now)")
	format := fs.String("format", "table", "table, json or csv")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stances takes no arguments", errUsage)
	}
	if !slices.Contains([]string{"table", "json", "csv"}, *format) {
		return fmt.Errorf("%w: --format %q: want table, json or csv", errUsage, *format)
	}
	cfg, err := sf.load("")
	if err != nil {
		return err
	}
	loc := cfg.Location()
	at := time.Now()
	if *asOf != "" {
		_, end, err := digest.Day(*asOf, loc)
		if err != nil {
			return fmt.Errorf("%w: --as-of: want YYYY-MM-DD: %v", errUsage, err)
		}
		at = end.Add(-time.Microsecond) // the last instant the store can tell of that day
	}
	st, err := sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.CurrentAsOf(ctx, at)
	if err != nil {
		return err
	}
	if *accord != "" {
		cs = slices.DeleteFunc(cs, func(c store.Current) bool { return c.Accord != *accord })
	}
	m := newStanceMatrix(cs)
	switch *format {
	case "json":
		return m.writeJSON(stdout, at, loc)
	case "csv":
		return m.writeCSV(stdout)
	}
	return m.writeTable(stdout, at, loc)
}

// stanceMatrix is the current stances of actors (rows) on accords
// (columns).
type stanceMatrix struct {
	actors, accords []string // sorted
	cells           map[[2]string]store.Current
}

// newStanceMatrix arranges cs, at most one per (actor, accord).
func newStanceMatrix(cs []store.Current) stanceMatrix {
	m := stanceMatrix{cells: make(map[[2]string]store.Current, len(cs))}
	for _, c := range cs {
		m.cells[[2]string{c.Actor, c.Accord}] = c
		m.actors = append(m.actors, c.Actor)
		m.accords = append(m.accords, c.Accord)
	}
	slices.Sort(m.actors)
	slices.Sort(m.accords)
	m.actors, m.accords = slices.Compact(m.actors), slices.Compact(m.accords)
	return m
}

// cell returns the stance of actor on accord, if any.
func (m stanceMatrix) cell(actor, accord string) (store.Current, bool) {
	c, ok := m.cells[[2]string{actor, accord}]
	return c, ok
}

// writeTable writes one row per actor and one column per accord; a cell
// is the stance and the day it took effect.
func (m stanceMatrix) writeTable(w io.Writer, at time.Time, loc *time.Location) error {
	if len(m.actors) == 0 {
		_, err := fmt.Fprintf(w, "no stances recorded as of %s\n", at.In(loc).Format("2006-01-02 15:04 MST"))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprint(tw, "ACTOR")
	for _, a := range m.accords {
		fmt.Fprint(tw, "\t", a)
	}
	fmt.Fprintln(tw)
	for _, actor := range m.actors {
		fmt.Fprint(tw, actor)
		for _, accord := range m.accords {
			cell := "-"
			if c, ok := m.cell(actor, accord); ok {
				cell = c.Stance
				if !c.Since.IsZero() {
					cell += " (" + c.Since.In(loc).Format("2006-01-02") + ")"
				}
			}
			fmt.Fprint(tw, "\t", cell)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeCSV writes the table as CSV: a header "actor" and the accords,
// then one row per actor with its stance on each accord ("" for none).
func (m stanceMatrix) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"actor"}, m.accords...))
	for _, actor := range m.actors {
		row := []string{actor}
		for _, accord := range m.accords {
			c, _ := m.cell(actor, accord)
			row = append(row, c.Stance)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// jsonStance is one cell of the JSON output.
type jsonStance struct {
	Stance        string    `json:"stance"`
	Since         time.Time `json:"since,omitzero"`
	Sources       int       `json:"sources"`
	ObservationID string    `json:"observation_id"`
}

// writeJSON writes the matrix as
//
//	{"as_of": …, "time_zone": …, "actors": [...], "accords": [...],
//	 "stances": {actor: {accord: {"stance", "since", "sources", "observation_id"}}}}
//
// with the pairs that have no stance left out of "stances".
func (m stanceMatrix) writeJSON(w io.Writer, at time.Time, loc *time.Location) error {
	out := struct {
		AsOf     time.Time                        `json:"as_of"`
		TimeZone string                           `json:"time_zone"`
		Actors   []string                         `json:"actors"`
		Accords  []string                         `json:"accords"`
		Stances  map[string]map[string]jsonStance `json:"stances"`
	}{AsOf: at.In(loc), TimeZone: loc.String(), Actors: m.actors, Accords: m.accords, Stances: map[string]map[string]jsonStance{}}
	if out.Actors == nil {
		out.Actors, out.Accords = []string{}, []string{}
	}
	for _, c := range m.cells {
		row := out.Stances[c.Actor]
		if row == nil {
			row = map[string]jsonStance{}
			out.Stances[c.Actor] = row
		}
		row[c.Accord] = jsonStance{Stance: c.Stance, Since: c.Since.In(loc), Sources: c.Sources, ObservationID: c.ObservationID}
	}
	return writeJSON(w, out)
}
