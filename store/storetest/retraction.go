package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// retract retracts the observation id at at, failing the test on error.
func retract(t *testing.T, s store.Store, id string, at time.Time) *store.Change {
	t.Helper()
	c, err := s.RetractObservation(context.Background(), id, at)
	if err != nil {
		t.Fatalf("RetractObservation(%s): %v", id, err)
	}
	return c
}

// current returns the current stance of o's pair, failing the test on
// error.
func current(t *testing.T, s store.Store, o store.Observation) store.Current {
	t.Helper()
	c, err := s.Current(context.Background(), o.Actor, o.Accord)
	if err != nil {
		t.Fatalf("Current(%s, %s): %v", o.Actor, o.Accord, err)
	}
	return c
}

// wantCorrection checks that c is the correction caused by the retraction
// or reinstatement of corrected at at: from previous to the stance of by
// (nil: none left), since since, with sources sources.
func wantCorrection(t *testing.T, c *store.Change, corrected string, at time.Time, previous store.Current, by *store.Observation, since time.Time, sources int) {
	t.Helper()
	if c == nil {
		t.Fatalf("no correction for %s, want one", corrected)
	}
	want := store.Change{
		ID:            c.ID,
		Actor:         previous.Actor,
		Accord:        previous.Accord,
		Previous:      previous.Stance,
		PreviousSince: previous.Since,
		Since:         norm(since),
		Sources:       sources,
		Detected:      norm(at),
		Corrects:      corrected,
	}
	if by != nil {
		o := normObservation(*by)
		want.Stance, want.ObservationID = o.Stance, o.ID
		want.Evidence, want.Speaker, want.URL, want.Outlet, want.Title = o.Evidence, o.Speaker, o.URL, o.Outlet, o.Title
	}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("correction =\n%+v\nwant\n%+v", *c, want)
	}
	if !strings.HasPrefix(c.ID, "chg-") || c.ID == store.ChangeID(c.ObservationID) || c.ID == store.ChangeID(corrected) {
		t.Errorf("correction ID %q: want a change ID of its own", c.ID)
	}
}

// testRetractionRevertsCurrent retracts the report that set the current
// stance: the stance the remaining report set becomes current again,
// from no earlier than the retracted stance, and the correction is
// recorded and returned again by a repeated retraction.
func testRetractionRevertsCurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	x := report("x", store.StanceDeclined, "Outlet A", 0)
	r := report("r", store.StanceSigned, "Outlet B", 100) // after the window: a change
	wantChange(t, s, x, "", time.Time{})
	wantChange(t, s, r, store.StanceDeclined, x.Published)
	before := current(t, s, r)

	at := base.Add(200 * time.Hour)
	c := retract(t, s, "r", at)
	wantCorrection(t, c, "r", at, before, &x, r.Published, 1)
	wantCurrentSources(t, s, x, r.Published, 1)
	if got, err := s.Current(ctx, x.Actor, x.Accord); err != nil || got.Since != norm(r.Published) {
		t.Errorf("Current = %+v, %v; want declined since the retracted report's time", got, err)
	}
	changes := allChanges(t, s)
	if len(changes) != 3 || !reflect.DeepEqual(changes[2], *c) {
		t.Fatalf("Changes = %+v; want the two changes and the correction %+v", changes, *c)
	}
	h := history(t, s, r)
	if got := h["r"]; !got.Retracted || !got.Corrected.Equal(norm(at)) || got.Contradicts {
		t.Errorf("History: r = %+v; want Retracted, Corrected %v", got, norm(at))
	}
	if got := h["x"]; got.Retracted || !got.Corrected.IsZero() {
		t.Errorf("History: x = %+v; want neither retracted nor corrected", got)
	}

	// Again: nothing more, the same correction.
	again := retract(t, s, "r", at.Add(time.Hour))
	if again == nil || !reflect.DeepEqual(*again, *c) {
		t.Errorf("RetractObservation(r) again = %+v; want %+v", again, c)
	}
	if n := len(allChanges(t, s)); n != 3 {
		t.Errorf("len(Changes) after a repeated retraction = %d, want 3", n)
	}
	if got := history(t, s, r)["r"]; !got.Corrected.Equal(norm(at)) {
		t.Errorf("repeated retraction moved Corrected to %v", got.Corrected)
	}
	wantCurrentSources(t, s, x, r.Published, 1)

	// A later report applies against the corrected stance.
	wantChange(t, s, report("y", store.StanceSigned, "Outlet C", 400), store.StanceDeclined, r.Published)
}

// testRetractionKeepsCorroboratedStance retracts reports of the current
// stance one by one: while another report supports it, it stays as it
// is, its sources recounted (another report of the same outlet takes the
// retracted one's place); when none is left, it is removed by a
// correction to "".
func testRetractionKeepsCorroboratedStance(t *testing.T, s store.Store) {
	ctx := context.Background()
	x := report("x", store.StanceSigned, "Outlet A", 0)
	x2 := report("x2", store.StanceSigned, "Outlet A", 2)
	y := report("y", store.StanceSigned, "Outlet B", 3)
	wantChange(t, s, x, "", time.Time{})
	wantNoChange(t, s, x2)
	wantNoChange(t, s, y)
	wantCurrentSources(t, s, x, x.Published, 2)
	signed := current(t, s, x)

	if c := retract(t, s, "x", base.Add(10*time.Hour)); c != nil {
		t.Fatalf("retracting x = %+v; want no change: x2 and y still report the stance", *c)
	}
	// Kept as it is, set by x; outlet A still counts, through x2.
	wantCurrentSources(t, s, x, x.Published, 2)
	if c := retract(t, s, "x2", base.Add(11*time.Hour)); c != nil {
		t.Fatalf("retracting x2 = %+v; want no change: y still reports the stance", *c)
	}
	wantCurrentSources(t, s, x, x.Published, 1)
	if ch := allChanges(t, s); len(ch) != 1 || ch[0].Sources != 1 {
		t.Errorf("Changes = %+v; want the first change, with 1 source now", ch)
	}

	at := base.Add(12 * time.Hour)
	c := retract(t, s, "y", at)
	signed.Sources = 1
	wantCorrection(t, c, "y", at, signed, nil, x.Published, 0)
	if _, err := s.Current(ctx, x.Actor, x.Accord); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Current after every report was retracted: error %v, want ErrNotFound", err)
	}
	if all, err := s.CurrentAll(ctx); err != nil || len(all) != 0 {
		t.Errorf("CurrentAll = %+v, %v; want none", all, err)
	}
	for id, o := range history(t, s, x) {
		if !o.Retracted {
			t.Errorf("History: %s not retracted", id)
		}
	}
	// A new report is the pair's first stance again.
	z := report("z", store.StanceDeclined, "Outlet C", 20)
	wantChange(t, s, z, "", time.Time{})
	wantCurrent(t, s, z)
}

// testRetractionKeptOnOldReport retracts the report that set the current
// stance when the only other report of it is older than the contradiction
// window, and so was not counted as its source: the stance is kept,
// counted from that report, and goes when it is retracted too.
func testRetractionKeptOnOldReport(t *testing.T, s store.Store) {
	old := report("old", store.StanceSigned, "Outlet A", -100)
	r := report("r", store.StanceSigned, "Outlet B", 0)
	wantChange(t, s, r, "", time.Time{}) // recorded first
	wantNoChange(t, s, old)              // too old to count
	wantCurrentSources(t, s, r, r.Published, 1)
	if c := retract(t, s, "r", base.Add(time.Hour)); c != nil {
		t.Fatalf("retracting r = %+v; want the stance kept", *c)
	}
	wantCurrentSources(t, s, r, r.Published, 1)
	before := current(t, s, r)
	at := base.Add(2 * time.Hour)
	c := retract(t, s, "old", at)
	wantCorrection(t, c, "old", at, before, nil, r.Published, 0)
	if _, err := s.Current(context.Background(), r.Actor, r.Accord); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Current error = %v, want ErrNotFound", err)
	}
}

// testRetractedReportConfirmsNothing retracts a report flagged as a
// contradiction: it no longer counts toward confirming it, so the next
// report of the same stance from another outlet is flagged too instead
// of completing a pair.
func testRetractedReportConfirmsNothing(t *testing.T, s store.Store) {
	x := report("x", store.StanceSigned, "Outlet A", 0)
	k := report("k", store.StanceDeclined, "Outlet B", 10)
	l := report("l", store.StanceDeclined, "Outlet C", 12)
	wantChange(t, s, x, "", time.Time{})
	wantContradiction(t, s, k, x)
	if c := retract(t, s, "k", base.Add(11*time.Hour)); c != nil {
		t.Fatalf("retracting a contradiction = %+v; want no change", *c)
	}
	wantContradiction(t, s, l, x)
	wantCurrent(t, s, x)
	if got := history(t, s, k)["k"]; !got.Retracted || !got.Contradicts {
		t.Errorf("History: k = %+v; want Retracted and still Contradicts", got)
	}
}

// testReinstatement records a retracted observation again: it counts
// again, the stance it had set is current again through a correction,
// recording it once more returns that correction, and retracting it again
// is a correction of its own.
func testReinstatement(t *testing.T, s store.Store) {
	x := report("x", store.StanceDeclined, "Outlet A", 0)
	r := report("r", store.StanceSigned, "Outlet B", 100)
	wantChange(t, s, x, "", time.Time{})
	wantChange(t, s, r, store.StanceDeclined, x.Published)
	t1 := base.Add(200 * time.Hour)
	first := retract(t, s, "r", t1)
	declined := current(t, s, x)

	t2 := base.Add(300 * time.Hour)
	again := r
	again.Observed = t2
	again.Evidence = "ignored: the stored content is kept"
	out := record(t, s, again)
	if out.Contradiction != nil {
		t.Fatalf("reinstating r = %s; want a correction", outcomeString(out))
	}
	wantCorrection(t, out.Change, "r", t2, declined, &r, r.Published, 1)
	if out.Change.ID == first.ID {
		t.Errorf("reinstatement reuses the retraction's change ID %s", first.ID)
	}
	wantCurrent(t, s, r)
	got := history(t, s, r)["r"]
	if got.Retracted || !got.Corrected.Equal(norm(t2)) || got.Evidence != r.Evidence {
		t.Errorf("History: r = %+v; want reinstated at %v with its first evidence", got, norm(t2))
	}
	// Recorded again: the same correction, nothing written.
	if again := record(t, s, again); again.Change == nil || !reflect.DeepEqual(*again.Change, *out.Change) {
		t.Errorf("recording r again = %s; want the reinstatement's correction", outcomeString(again))
	}
	if n := len(allChanges(t, s)); n != 4 {
		t.Errorf("len(Changes) = %d, want 4: two changes, two corrections", n)
	}

	// Retracted again: another correction.
	t3 := base.Add(400 * time.Hour)
	signed := current(t, s, r)
	third := retract(t, s, "r", t3)
	wantCorrection(t, third, "r", t3, signed, &x, r.Published, 1)
	if third.ID == first.ID || third.ID == out.Change.ID {
		t.Errorf("second retraction's change ID %s is not new", third.ID)
	}
}

// testReinstatementWithoutEffect reinstates a report that the current
// stance does not rest on: no correction.
func testReinstatementWithoutEffect(t *testing.T, s store.Store) {
	x := report("x", store.StanceSigned, "Outlet A", 0)
	y := report("y", store.StanceSigned, "Outlet A", 5) // same outlet: not counted
	wantChange(t, s, x, "", time.Time{})
	wantNoChange(t, s, y)
	if c := retract(t, s, "y", base.Add(10*time.Hour)); c != nil {
		t.Fatalf("retracting y = %+v; want nothing", *c)
	}
	y.Observed = base.Add(20 * time.Hour)
	wantNoChange(t, s, y)
	wantCurrent(t, s, x)
	if got := history(t, s, y)["y"]; got.Retracted || !got.Corrected.Equal(norm(y.Observed)) {
		t.Errorf("History: y = %+v; want reinstated", got)
	}
}

// testRetractHistoricalAndMissing retracts a historical observation (no
// effect on the stance) and an unknown one (ErrNotFound).
func testRetractHistoricalAndMissing(t *testing.T, s store.Store) {
	x := obs("x", store.StanceSigned, 0)
	h := obs("h", store.StanceDeclined, 1)
	h.Historical = true
	wantChange(t, s, x, "", time.Time{})
	wantNoChange(t, s, h)
	if c := retract(t, s, "h", day(2)); c != nil {
		t.Errorf("retracting a historical observation = %+v; want nothing", *c)
	}
	if got := history(t, s, h)["h"]; !got.Retracted {
		t.Errorf("History: h = %+v; want Retracted", got)
	}
	wantCurrent(t, s, x)
	if _, err := s.RetractObservation(context.Background(), "missing", day(2)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RetractObservation(missing) error = %v, want ErrNotFound", err)
	}
}

// testRetractionMatchesReplay checks the recomputed stance against a store
// that never saw the retracted report: each scenario is recorded on
// Germany with the report and on a control actor without it, then the
// report is retracted. The stance and its sources must agree, and the
// observation that set it too when the retraction changed the stance.
func testRetractionMatchesReplay(t *testing.T, s store.Store) {
	ctx := context.Background()
	type rep struct {
		id, stance, outlet string
		hours              int
	}
	for _, sc := range []struct {
		name    string
		reports []rep
		retract string
	}{
		{"after the window", []rep{{"x", "signed", "A", 0}, {"r", "declined", "B", 100}}, "r"},
		{"confirmed contradiction", []rep{{"x", "signed", "A", 0}, {"k", "declined", "B", 10}, {"r", "declined", "C", 20}}, "r"},
		{"own story", []rep{{"x", "signed", "A", 0}, {"r", "declined", "A", 10}, {"y", "declined", "B", 12}}, "r"},
		{"only report", []rep{{"r", "signed", "A", 0}}, "r"},
		{"same polarity", []rep{{"x", "supports", "A", 0}, {"r", "signed", "A", 24}, {"y", "signed", "B", 30}}, "r"},
		{"first of two", []rep{{"r", "declined", "A", 0}, {"y", "declined", "B", 1}, {"z", "signed", "C", 200}}, "r"},
	} {
		actor := "Germany " + sc.name
		control := "Control " + sc.name
		for _, r := range sc.reports {
			o := report(actor+"/"+r.id, r.stance, "Outlet "+r.outlet, r.hours)
			o.Actor = actor
			record(t, s, o)
			if r.id != sc.retract {
				o.ID, o.Actor = control+"/"+r.id, control
				record(t, s, o)
			}
		}
		before, _ := s.Current(ctx, actor, "Pall Mall Process")
		c := retract(t, s, actor+"/"+sc.retract, base.Add(1000*time.Hour))
		got, gerr := s.Current(ctx, actor, "Pall Mall Process")
		want, werr := s.Current(ctx, control, "Pall Mall Process")
		if errors.Is(werr, store.ErrNotFound) {
			if !errors.Is(gerr, store.ErrNotFound) {
				t.Errorf("%s: Current = %+v, %v; want none, as without the report", sc.name, got, gerr)
			}
			continue
		}
		if gerr != nil || werr != nil {
			t.Fatalf("%s: Current: %v, %v", sc.name, gerr, werr)
		}
		if got.Stance != want.Stance || got.Sources != want.Sources {
			t.Errorf("%s: Current = %+v; want %s with %d sources, as without the report (%+v)", sc.name, got, want.Stance, want.Sources, want)
		}
		if changed := got.Stance != before.Stance; changed != (c != nil) {
			t.Errorf("%s: stance %s → %s, correction %+v", sc.name, before.Stance, got.Stance, c)
		} else if changed && strings.TrimPrefix(got.ObservationID, actor) != strings.TrimPrefix(want.ObservationID, control) {
			t.Errorf("%s: Current set by %s; want the report that set it without the retracted one (%s)", sc.name, got.ObservationID, want.ObservationID)
		}
	}
}

// testRetractionAsOf checks CurrentAsOf after retractions: a retracted
// report is not counted as a source, a stance with no report left is
// removed from its Since, and after everything CurrentAsOf is what
// CurrentAll says.
func testRetractionAsOf(t *testing.T, s store.Store) {
	ctx := context.Background()
	x := report("x", store.StanceDeclined, "Outlet A", 0)
	r := report("r", store.StanceSigned, "Outlet B", 100)
	only := report("only", store.StanceSupports, "Outlet C", 10)
	only.Actor = "France"
	// Italy's stance stays, one of its two sources retracted.
	i1 := report("i1", store.StanceSigned, "Outlet A", 0)
	i2 := report("i2", store.StanceSigned, "Outlet B", 1)
	i1.Actor, i2.Actor = "Italy", "Italy"
	wantChange(t, s, x, "", time.Time{})
	wantChange(t, s, r, store.StanceDeclined, x.Published)
	wantChange(t, s, only, "", time.Time{})
	wantChange(t, s, i1, "", time.Time{})
	wantNoChange(t, s, i2)
	retract(t, s, "r", base.Add(200*time.Hour))
	retract(t, s, "only", base.Add(200*time.Hour))
	if c := retract(t, s, "i2", base.Add(200*time.Hour)); c != nil {
		t.Fatalf("retracting i2 = %+v; want no change", *c)
	}

	wantAsOf(t, s, base.Add(50*time.Hour), []store.Current{currentOf(x, 1), currentOf(i1, 1)})
	end := base.Add(1000 * time.Hour)
	all, err := s.CurrentAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Current{{Actor: "Germany", Accord: x.Accord, Stance: store.StanceDeclined, Since: norm(r.Published), ObservationID: "x", Sources: 1},
		currentOf(i1, 1)}; !reflect.DeepEqual(all, want) {
		t.Fatalf("CurrentAll =\n%+v\nwant\n%+v", all, want)
	}
	wantAsOf(t, s, end, all)
}

// testArticleIDs lists articles by publication time, or fetch time when it
// is unknown.
func testArticleIDs(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, a := range []store.Article{
		{ID: "c", Published: day(3), Fetched: day(4)},
		{ID: "a", Published: day(1), Fetched: day(9)},
		{ID: "b", Fetched: day(2)}, // publication time unknown
		{ID: "none"},               // no time at all
		{ID: "d", Published: day(3), Fetched: day(3)},
	} {
		a.URL, a.Source = "https://news.example/"+a.ID, store.SourcePage
		if err := s.PutArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		since time.Time
		want  []string
	}{
		{time.Time{}, []string{"none", "a", "b", "c", "d"}},
		{day(2), []string{"b", "c", "d"}},
		{day(2).Add(time.Microsecond), []string{"c", "d"}},
		{day(5), nil},
	} {
		got, err := s.ArticleIDs(ctx, tc.since)
		if err != nil {
			t.Fatalf("ArticleIDs(%v): %v", tc.since, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ArticleIDs(%v) = %q, want %q", tc.since, got, tc.want)
		}
	}
}

// testObservationsOfArticle lists an article's observations, retracted
// ones included.
func testObservationsOfArticle(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := obs("a", store.StanceSigned, 0)
	b := obs("b", store.StanceDeclined, 0)
	b.Actor, b.EvidenceStart = "France", 5
	other := obs("other", store.StanceSigned, 0)
	a.ArticleID, b.ArticleID = "art", "art"
	for _, o := range []store.Observation{a, b, other} {
		record(t, s, o)
	}
	at := day(1)
	retract(t, s, "a", at)
	got, err := s.Observations(ctx, "art")
	if err != nil {
		t.Fatal(err)
	}
	a, b = normObservation(a), normObservation(b)
	a.Retracted, a.Corrected = true, norm(at)
	if want := []store.Observation{b, a}; !reflect.DeepEqual(got, want) {
		t.Errorf("Observations(art) =\n%+v\nwant\n%+v", got, want)
	}
	if got, err := s.Observations(ctx, "none"); err != nil || len(got) != 0 {
		t.Errorf("Observations(none) = %+v, %v; want none", got, err)
	}
}
