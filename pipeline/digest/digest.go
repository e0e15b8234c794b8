// Package digest renders the daily stance-change digest: the stance changes
// the store recorded on one calendar day, grouped by accord, with the number
// of sources that reported each, the reports flagged that day as
// contradicting a current stance, the stance board (every actor's stance on
// every accord at the end of the day) and the health of the feeds, as
// Markdown, JSON, CSV or a self-contained HTML page.
//
// Strings that came from articles and feeds (evidence, speaker, outlet,
// title, URL, feed errors) are untrusted. The Markdown writer escapes them so
// that they cannot become markup or links, and links only http and https
// URLs; the HTML writer renders them with html/template, which escapes them
// for their context, and links only http and https URLs too; the CSV writer
// neutralises spreadsheet formula injection.
package digest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// dateLayout is the layout of a digest's date.
const dateLayout = "2006-01-02"

// Kinds of names that Build asks its names function for.
const (
	KindActor  = "actor"
	KindAccord = "accord"
	KindFeed   = "feed" // by feed URL; "" when the feed has no name
)

// Digest is the stance changes and contradictions recorded on one calendar
// day in one time zone.
type Digest struct {
	// Date is the day, YYYY-MM-DD.
	Date string `json:"date"`
	// Zone is the IANA name of the time zone that Date is a day in.
	Zone string `json:"zone"`
	// Generated is when the digest was built.
	Generated time.Time `json:"generated"`
	// Changes are the stance changes, ordered by accord, then by when
	// they were detected.
	Changes []Entry `json:"changes"`
	// Contradictions are the reports flagged as contradicting a current
	// stance, in the same order.
	Contradictions []Contradiction `json:"contradictions"`
	// Board is every actor's stance on every accord at the end of the
	// day.
	Board Board `json:"board"`
	// FeedHealth is the state of the feeds when the digest was built; nil
	// if unknown (Build does not know it).
	FeedHealth *FeedHealth `json:"feed_health"`
}

// Entry is one stance change in a Digest. Times are in the digest's zone.
type Entry struct {
	Actor      string `json:"actor"`
	ActorName  string `json:"actor_name"`
	Accord     string `json:"accord"`
	AccordName string `json:"accord_name"`
	// Previous is the actor's stance before the change; "" if it had none.
	Previous string `json:"previous"`
	// PreviousSince is when Previous took effect; nil if there was none.
	PreviousSince *time.Time `json:"previous_since"`
	Stance        string     `json:"stance"`
	Since         time.Time  `json:"since"`
	Sources       int        `json:"sources"` // distinct outlets that reported Stance, as of the digest
	Evidence      string     `json:"evidence"`
	Speaker       string     `json:"speaker"`
	URL           string     `json:"url"`
	Outlet        string     `json:"outlet"`
	Title         string     `json:"title"`
	Detected      time.Time  `json:"detected"`
}

// Contradiction is a report, in a Digest, of a stance that contradicts the
// actor's current stance (see store.Store.RecordObservation). Times are in
// the digest's zone.
type Contradiction struct {
	Actor      string `json:"actor"`
	ActorName  string `json:"actor_name"`
	Accord     string `json:"accord"`
	AccordName string `json:"accord_name"`
	// Current is the stance the report contradicts, in effect since
	// CurrentSince (nil if unknown).
	Current      string     `json:"current"`
	CurrentSince *time.Time `json:"current_since"`
	// Stance is the contradicting stance reported, Since the time the
	// report speaks for.
	Stance   string    `json:"stance"`
	Since    time.Time `json:"since"`
	Evidence string    `json:"evidence"`
	Speaker  string    `json:"speaker"`
	URL      string    `json:"url"`
	Outlet   string    `json:"outlet"`
	Title    string    `json:"title"`
	Detected time.Time `json:"detected"`
	// Confirmed reports whether the contradicting stance has since become
	// current (confirmed by another source or by a later report).
	Confirmed bool `json:"confirmed"`
}

// Day returns the [from, to) bounds of date (YYYY-MM-DD) in loc; a nil loc
// is UTC. On a day on which daylight saving time starts or ends, to-from is
// 23 or 25 hours.
func Day(date string, loc *time.Location) (from, to time.Time, err error) {
	if loc == nil {
		loc = time.UTC
	}
	d, err := time.ParseInLocation(dateLayout, date, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("digest: parsing date %q: %w", date, err)
	}
	y, m, dd := d.Date()
	from = time.Date(y, m, dd, 0, 0, 0, 0, loc)
	to = time.Date(y, m, dd+1, 0, 0, 0, 0, loc)
	return from, to, nil
}

// Build makes the Digest of date (YYYY-MM-DD) in loc (nil is UTC) from
// changes and contradictions. It does not filter them: the caller passes
// those it selected for the day, typically the ones detected within the
// bounds that Day returns.
//
// names looks up display names: names(KindActor, "USA") might return
// "United States" and names(KindAccord, "pall-mall-process") "Pall Mall
// Process". If names is nil or returns "", the id is used as the name.
// now is recorded as the digest's generation time.
//
// Without the current stances, the board of a Digest made by Build only
// has the stances that changed on the day, and its FeedHealth is nil: use
// BuildFrom or Load for a complete digest.
func Build(date string, loc *time.Location, changes []store.Change, contradictions []store.Contradiction, names func(kind, id string) string, now time.Time) Digest {
	return BuildFrom(date, loc, Records{Changes: changes, Contradictions: contradictions, Names: names}, now)
}

// Records are what a Digest is built from: the store's records and how to
// name what they refer to.
type Records struct {
	// Changes and Contradictions are those of the day, typically the ones
	// detected within the bounds that Day returns.
	Changes        []store.Change
	Contradictions []store.Contradiction
	// Current are the stances current now (store.Store.CurrentAll), and
	// Later the changes detected since the end of the day, ordered by
	// Detected (store.Store.Changes). Together they give the stances at
	// the end of the day for the board (see Board).
	Current []store.Current
	Later   []store.Change
	// FeedStates are the states of the feeds (store.Store.FeedStates).
	// Unless FeedStates is nil and Feeds empty, the digest reports feed
	// health (an empty, non-nil FeedStates: no feed polled yet).
	FeedStates []store.FeedState
	// Feeds, if not empty, are the URLs of the configured feeds: feed
	// health covers them, counting those without a state as not polled
	// yet, and the other feeds polled since the start of the day (feeds
	// added at run time), not the feeds polled only before (no longer
	// configured). Empty covers every feed in FeedStates.
	Feeds []string
	// Names looks up display names, of actors and accords (as for Build)
	// and of feeds by URL (KindFeed).
	Names func(kind, id string) string
}

// BuildFrom makes the Digest of date (YYYY-MM-DD) in loc (nil is UTC) from
// r, as Build does, with the board and the feed health. now is recorded as
// the digest's generation time.
func BuildFrom(date string, loc *time.Location, r Records, now time.Time) Digest {
	if loc == nil {
		loc = time.UTC
	}
	name := func(kind, id string) string {
		if r.Names == nil {
			return id
		}
		if n := r.Names(kind, id); n != "" {
			return n
		}
		return id
	}
	changes, contradictions := r.Changes, r.Contradictions
	d := Digest{
		Date:           date,
		Zone:           loc.String(),
		Generated:      now.In(loc),
		Changes:        make([]Entry, 0, len(changes)),
		Contradictions: make([]Contradiction, 0, len(contradictions)),
	}
	for _, c := range changes {
		e := Entry{
			Actor:      c.Actor,
			ActorName:  name(KindActor, c.Actor),
			Accord:     c.Accord,
			AccordName: name(KindAccord, c.Accord),
			Previous:   c.Previous,
			Stance:     c.Stance,
			Since:      inZone(c.Since, loc),
			Sources:    c.Sources,
			Evidence:   c.Evidence,
			Speaker:    c.Speaker,
			URL:        c.URL,
			Outlet:     c.Outlet,
			Title:      c.Title,
			Detected:   inZone(c.Detected, loc),
		}
		if !c.PreviousSince.IsZero() {
			ps := c.PreviousSince.In(loc)
			e.PreviousSince = &ps
		}
		d.Changes = append(d.Changes, e)
	}
	for _, k := range contradictions {
		e := Contradiction{
			Actor:      k.Actor,
			ActorName:  name(KindActor, k.Actor),
			Accord:     k.Accord,
			AccordName: name(KindAccord, k.Accord),
			Current:    k.Current,
			Stance:     k.Stance,
			Since:      inZone(k.Since, loc),
			Evidence:   k.Evidence,
			Speaker:    k.Speaker,
			URL:        k.URL,
			Outlet:     k.Outlet,
			Title:      k.Title,
			Detected:   inZone(k.Detected, loc),
			Confirmed:  k.ConfirmedBy != "",
		}
		if !k.CurrentSince.IsZero() {
			cs := k.CurrentSince.In(loc)
			e.CurrentSince = &cs
		}
		d.Contradictions = append(d.Contradictions, e)
	}
	slices.SortStableFunc(d.Changes, func(a, b Entry) int {
		return sortKey{a.AccordName, a.Accord, a.Detected, a.ActorName, a.Actor}.compare(
			sortKey{b.AccordName, b.Accord, b.Detected, b.ActorName, b.Actor})
	})
	slices.SortStableFunc(d.Contradictions, func(a, b Contradiction) int {
		return sortKey{a.AccordName, a.Accord, a.Detected, a.ActorName, a.Actor}.compare(
			sortKey{b.AccordName, b.Accord, b.Detected, b.ActorName, b.Actor})
	})
	d.Board = newBoard(r, d.Changes, d.Contradictions, loc, name)
	if r.FeedStates != nil || len(r.Feeds) > 0 {
		from, _, _ := Day(date, loc) // the zero time for a bad date: every feed polled
		h := newFeedHealth(r.FeedStates, r.Feeds, from, loc, r.Names)
		d.FeedHealth = &h
	}
	return d
}

// sortKey orders the items of a digest: by accord, then by when they were
// detected, then by actor.
type sortKey struct {
	accordName, accord string
	detected           time.Time
	actorName, actor   string
}

func (a sortKey) compare(b sortKey) int {
	return cmp.Or(
		cmp.Compare(a.accordName, b.accordName),
		cmp.Compare(a.accord, b.accord),
		a.detected.Compare(b.detected),
		cmp.Compare(a.actorName, b.actorName),
		cmp.Compare(a.actor, b.actor),
	)
}

// inZone returns t in loc, leaving the zero time as it is.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}
