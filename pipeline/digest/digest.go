// Package digest renders the daily stance-change digest: the stance changes
// the store recorded on one calendar day, grouped by accord, as Markdown, JSON
// or CSV.
//
// Strings that came from articles (evidence, speaker, outlet, title, URL) are
// untrusted. The Markdown writer escapes them so that they cannot become
// markup or links, and links only http and https URLs; the CSV writer
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
)

// Digest is the stance changes recorded on one calendar day in one time zone.
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
	Evidence      string     `json:"evidence"`
	Speaker       string     `json:"speaker"`
	URL           string     `json:"url"`
	Outlet        string     `json:"outlet"`
	Title         string     `json:"title"`
	Detected      time.Time  `json:"detected"`
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
// changes. It does not filter changes: the caller passes those it selected
// for the day, typically the ones detected within the bounds that Day returns.
//
// names looks up display names: names(KindActor, "USA") might return
// "United States" and names(KindAccord, "pall-mall-process") "Pall Mall
// Process". If names is nil or returns "", the id is used as the name.
// now is recorded as the digest's generation time.
func Build(date string, loc *time.Location, changes []store.Change, names func(kind, id string) string, now time.Time) Digest {
	if loc == nil {
		loc = time.UTC
	}
	name := func(kind, id string) string {
		if names == nil {
			return id
		}
		if n := names(kind, id); n != "" {
			return n
		}
		return id
	}
	d := Digest{
		Date:      date,
		Zone:      loc.String(),
		Generated: now.In(loc),
		Changes:   make([]Entry, 0, len(changes)),
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
	slices.SortStableFunc(d.Changes, func(a, b Entry) int {
		return cmp.Or(
			cmp.Compare(a.AccordName, b.AccordName),
			cmp.Compare(a.Accord, b.Accord),
			a.Detected.Compare(b.Detected),
			cmp.Compare(a.ActorName, b.ActorName),
			cmp.Compare(a.Actor, b.Actor),
		)
	})
	return d
}

// inZone returns t in loc, leaving the zero time as it is.
func inZone(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(loc)
}
