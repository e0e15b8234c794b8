// Package storetest is a behaviour suite for store.Store implementations.
//
// An implementation's tests call Run with a function that opens a fresh,
// empty store:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { … })
//	}
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// Run runs the suite. open must return a new, empty store for each call;
// Run closes it when the subtest ends.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	newStore := func(t *testing.T) store.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return s
	}
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleUpsert", testArticleUpsert},
		{"ArticleNotFound", testArticleNotFound},
		{"Quotes", testQuotes},
		{"FirstStance", testFirstStance},
		{"SameStance", testSameStance},
		{"NewerStance", testNewerStance},
		{"EqualTimeStance", testEqualTimeStance},
		{"OlderStance", testOlderStance},
		{"Historical", testHistorical},
		{"UnknownPublishedUsesObserved", testUnknownPublished},
		{"RepeatObservation", testRepeatObservation},
		{"ObservationRoundTrip", testObservationRoundTrip},
		{"HistoryOrder", testHistoryOrder},
		{"IndependentPairs", testIndependentPairs},
		{"CurrentNotFound", testCurrentNotFound},
		{"ChangesWindow", testChangesWindow},
		{"Seen", testSeen},
		{"FeedState", testFeedState},
		{"Feeds", testFeeds},
		{"CurrentAsOf", testCurrentAsOf},
		{"CurrentAsOfEffectiveTimes", testCurrentAsOfEffectiveTimes},
		{"CurrentAsOfSources", testCurrentAsOfSources},
		{"CorroboratingOutlets", testCorroboratingOutlets},
		{"SameOutletCountsOnce", testSameOutletCountsOnce},
		{"RepeatCorroboration", testRepeatCorroboration},
		{"OldReportsDoNotCorroborate", testOldReportsDoNotCorroborate},
		{"Contradiction", testContradiction},
		{"ContradictionConfirmed", testContradictionConfirmed},
		{"OlderContradictions", testOlderContradictions},
		{"OutletUpdatesItsOwnStory", testOutletUpdatesOwnStory},
		{"ChangeAfterWindow", testChangeAfterWindow},
		{"SamePolarityFromOtherOutlet", testSamePolarityFromOtherOutlet},
		{"ContradictionsWindow", testContradictionsWindow},
		{"ConcurrentObservations", testConcurrentObservations},
		{"RetractionRevertsCurrent", testRetractionRevertsCurrent},
		{"RetractionKeepsCorroboratedStance", testRetractionKeepsCorroboratedStance},
		{"RetractionKeptOnOldReport", testRetractionKeptOnOldReport},
		{"RetractedReportConfirmsNothing", testRetractedReportConfirmsNothing},
		{"Reinstatement", testReinstatement},
		{"ReinstatementWithoutEffect", testReinstatementWithoutEffect},
		{"RetractHistoricalAndMissing", testRetractHistoricalAndMissing},
		{"RetractionMatchesReplay", testRetractionMatchesReplay},
		{"RetractionAsOf", testRetractionAsOf},
		{"ArticleIDs", testArticleIDs},
		{"ObservationsOfArticle", testObservationsOfArticle},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

// base is a time with sub-microsecond digits in a non-UTC zone, to check
// that stores keep microseconds and return UTC.
var base = time.Date(2025, 3, 10, 9, 30, 15, 123456789, time.FixedZone("CET", 3600))

// day returns base plus n days.
func day(n int) time.Time { return base.AddDate(0, 0, n) }

// norm returns t as a store must return it: microseconds, UTC, zero kept.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

func normObservation(o store.Observation) store.Observation {
	o.Published, o.Observed = norm(o.Published), norm(o.Observed)
	return o
}

// obs returns an observation of Germany on the Pall Mall Process, published
// on day(pub) and observed an hour after it.
func obs(id, stance string, pub int) store.Observation {
	return store.Observation{
		ID:            id,
		ArticleID:     "art-" + id,
		URL:           "https://news.example/" + id,
		Outlet:        "Example News",
		Title:         "Title " + id,
		Actor:         "Germany",
		Accord:        "Pall Mall Process",
		Stance:        stance,
		Evidence:      "Germany " + stance + " the accord",
		EvidenceStart: 10,
		EvidenceEnd:   40,
		Speaker:       "Spokesperson",
		Rule:          "rule-" + stance,
		Confidence:    0.75,
		Published:     day(pub),
		Observed:      day(pub).Add(time.Hour),
	}
}

// report returns an observation like obs, from outlet and published hours
// after base.
func report(id, stance, outlet string, hours int) store.Observation {
	o := obs(id, stance, 0)
	o.Outlet = outlet
	o.Published = base.Add(time.Duration(hours) * time.Hour)
	o.Observed = o.Published.Add(time.Hour)
	return o
}

func record(t *testing.T, s store.Store, o store.Observation) store.Outcome {
	t.Helper()
	out, err := s.RecordObservation(context.Background(), o)
	if err != nil {
		t.Fatalf("RecordObservation(%s): %v", o.ID, err)
	}
	return out
}

func wantNoChange(t *testing.T, s store.Store, o store.Observation) {
	t.Helper()
	if out := record(t, s, o); out != (store.Outcome{}) {
		t.Fatalf("RecordObservation(%s) = %s, want no change and no contradiction", o.ID, outcomeString(out))
	}
}

// outcomeString formats out for test messages.
func outcomeString(out store.Outcome) string {
	switch {
	case out.Change != nil && out.Contradiction != nil:
		return fmt.Sprintf("{Change: %+v, Contradiction: %+v}", *out.Change, *out.Contradiction)
	case out.Change != nil:
		return fmt.Sprintf("{Change: %+v}", *out.Change)
	case out.Contradiction != nil:
		return fmt.Sprintf("{Contradiction: %+v}", *out.Contradiction)
	}
	return "{}"
}

// expectedChange is the change o causes over previous, reported by one
// source.
func expectedChange(o store.Observation, previous string, previousSince time.Time) store.Change {
	o = normObservation(o)
	return store.Change{
		ID:            store.ChangeID(o.ID),
		Actor:         o.Actor,
		Accord:        o.Accord,
		Previous:      previous,
		PreviousSince: norm(previousSince),
		Stance:        o.Stance,
		Since:         o.Effective(),
		Sources:       1,
		Detected:      o.Observed,
		ObservationID: o.ID,
		Evidence:      o.Evidence,
		Speaker:       o.Speaker,
		URL:           o.URL,
		Outlet:        o.Outlet,
		Title:         o.Title,
	}
}

func wantChange(t *testing.T, s store.Store, o store.Observation, previous string, previousSince time.Time) store.Change {
	t.Helper()
	return wantExactChange(t, s, o, expectedChange(o, previous, previousSince))
}

// wantExactChange records o and checks that it causes the change want.
func wantExactChange(t *testing.T, s store.Store, o store.Observation, want store.Change) store.Change {
	t.Helper()
	out := record(t, s, o)
	if out.Change == nil || out.Contradiction != nil {
		t.Fatalf("RecordObservation(%s) = %s, want change %+v", o.ID, outcomeString(out), want)
	}
	if !reflect.DeepEqual(*out.Change, want) {
		t.Fatalf("RecordObservation(%s) change =\n%+v\nwant\n%+v", o.ID, *out.Change, want)
	}
	return *out.Change
}

// expectedContradiction is the contradiction o raises against the current
// stance set by cur.
func expectedContradiction(o, cur store.Observation) store.Contradiction {
	o, cur = normObservation(o), normObservation(cur)
	return store.Contradiction{
		ID:                   store.ContradictionID(o.ID),
		Actor:                o.Actor,
		Accord:               o.Accord,
		Current:              cur.Stance,
		CurrentSince:         cur.Effective(),
		CurrentObservationID: cur.ID,
		Stance:               o.Stance,
		Since:                o.Effective(),
		Detected:             o.Observed,
		ObservationID:        o.ID,
		Evidence:             o.Evidence,
		Speaker:              o.Speaker,
		URL:                  o.URL,
		Outlet:               o.Outlet,
		Title:                o.Title,
	}
}

// wantContradiction records o and checks that it is flagged as
// contradicting the current stance, set by cur.
func wantContradiction(t *testing.T, s store.Store, o, cur store.Observation) store.Contradiction {
	t.Helper()
	out := record(t, s, o)
	want := expectedContradiction(o, cur)
	if out.Contradiction == nil || out.Change != nil {
		t.Fatalf("RecordObservation(%s) = %s, want contradiction %+v", o.ID, outcomeString(out), want)
	}
	if !reflect.DeepEqual(*out.Contradiction, want) {
		t.Fatalf("RecordObservation(%s) contradiction =\n%+v\nwant\n%+v", o.ID, *out.Contradiction, want)
	}
	return *out.Contradiction
}

// wantCurrent checks that o set the current stance, which has one source.
func wantCurrent(t *testing.T, s store.Store, o store.Observation) {
	t.Helper()
	wantCurrentSources(t, s, o, normObservation(o).Effective(), 1)
}

// wantCurrentSources checks that o set the current stance, in effect since
// since and reported by sources sources.
func wantCurrentSources(t *testing.T, s store.Store, o store.Observation, since time.Time, sources int) {
	t.Helper()
	got, err := s.Current(context.Background(), o.Actor, o.Accord)
	if err != nil {
		t.Fatalf("Current(%s, %s): %v", o.Actor, o.Accord, err)
	}
	want := store.Current{Actor: o.Actor, Accord: o.Accord, Stance: o.Stance, Since: norm(since), ObservationID: o.ID, Sources: sources}
	if got != want {
		t.Fatalf("Current(%s, %s) = %+v, want %+v (set by %s)", o.Actor, o.Accord, got, want, o.ID)
	}
}

func allChanges(t *testing.T, s store.Store) []store.Change {
	t.Helper()
	cs, err := s.Changes(context.Background(), time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	return cs
}

func allContradictions(t *testing.T, s store.Store) []store.Contradiction {
	t.Helper()
	ks, err := s.Contradictions(context.Background(), time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Contradictions: %v", err)
	}
	return ks
}

// history returns the history of o's actor and accord by observation ID.
func history(t *testing.T, s store.Store, o store.Observation) map[string]store.Observation {
	t.Helper()
	h, err := s.History(context.Background(), o.Actor, o.Accord)
	if err != nil {
		t.Fatalf("History(%s, %s): %v", o.Actor, o.Accord, err)
	}
	m := make(map[string]store.Observation, len(h))
	for _, o := range h {
		m[o.ID] = o
	}
	return m
}

func historyIDs(t *testing.T, s store.Store, actor, accord string) []string {
	t.Helper()
	h, err := s.History(context.Background(), actor, accord)
	if err != nil {
		t.Fatalf("History(%s, %s): %v", actor, accord, err)
	}
	ids := make([]string, 0, len(h))
	for _, o := range h {
		ids = append(ids, o.ID)
	}
	return ids
}

func testArticleRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	full := store.Article{
		ID: "a1", URL: "https://news.example/a1", FeedURL: "https://news.example/feed", Outlet: "Example News",
		Title: "Germany joins accord", Authors: []string{"A. Writer", "B. Reporter"},
		Published: base, Fetched: base.Add(90 * time.Minute), Text: "Berlin — Germany said…",
		Source: store.SourcePage,
	}
	bare := store.Article{
		ID: "a2", URL: "https://news.example/a2", Title: "Feed only", Fetched: base,
		Text: "summary", Source: store.SourceFeed, FetchError: "HTTP 403",
	}
	for _, a := range []store.Article{full, bare} {
		if err := s.PutArticle(ctx, a); err != nil {
			t.Fatalf("PutArticle(%s): %v", a.ID, err)
		}
	}
	for _, a := range []store.Article{full, bare} {
		got, err := s.Article(ctx, a.ID)
		if err != nil {
			t.Fatalf("Article(%s): %v", a.ID, err)
		}
		want := a
		want.Published, want.Fetched = norm(a.Published), norm(a.Fetched)
		if len(got.Authors) == 0 && len(want.Authors) == 0 {
			got.Authors, want.Authors = nil, nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Article(%s) =\n%+v\nwant\n%+v", a.ID, got, want)
		}
	}
	got, err := s.Article(ctx, bare.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Published.IsZero() {
		t.Errorf("zero Published came back as %v", got.Published)
	}
	if got.Fetched.Location() != time.UTC {
		t.Errorf("Fetched location = %v, want UTC", got.Fetched.Location())
	}
}

func testArticleUpsert(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := store.Article{ID: "a1", URL: "https://news.example/a1", Title: "Old", Authors: []string{"X"}, Published: base, Source: store.SourceFeed, FetchError: "timeout"}
	if err := s.PutArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	a.Title, a.Authors, a.Published, a.Source, a.FetchError = "New", []string{"Y", "Z"}, time.Time{}, store.SourcePage, ""
	if err := s.PutArticle(ctx, a); err != nil {
		t.Fatalf("second PutArticle: %v", err)
	}
	got, err := s.Article(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Errorf("after upsert Article = %+v, want %+v", got, a)
	}
}

func testArticleNotFound(t *testing.T, s store.Store) {
	_, err := s.Article(context.Background(), "missing")
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article(missing) error = %v, want ErrNotFound", err)
	}
}

func testQuotes(t *testing.T, s store.Store) {
	ctx := context.Background()
	q1 := store.Quote{ID: "q1", ArticleID: "a1", URL: "https://news.example/a1", Text: "We will sign.", Speaker: "Minister", Actor: "Germany", Start: 50, End: 63, Published: base}
	q2 := store.Quote{ID: "q2", ArticleID: "a1", URL: "https://news.example/a1", Text: "Not yet.", Speaker: "Envoy", Actor: "France", Start: 5, End: 13}
	other := store.Quote{ID: "q3", ArticleID: "a2", Text: "Elsewhere.", Start: 0, End: 10}
	for _, q := range []store.Quote{q1, q2, other, q1, q2} {
		if err := s.PutQuote(ctx, q); err != nil {
			t.Fatalf("PutQuote(%s): %v", q.ID, err)
		}
	}
	got, err := s.Quotes(ctx, "a1")
	if err != nil {
		t.Fatalf("Quotes(a1): %v", err)
	}
	q1.Published = norm(q1.Published)
	want := []store.Quote{q2, q1} // ordered by Start
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Quotes(a1) =\n%+v\nwant\n%+v", got, want)
	}
	got, err = s.Quotes(ctx, "none")
	if err != nil || len(got) != 0 {
		t.Errorf("Quotes(none) = %v, %v; want nothing", got, err)
	}
}

func testFirstStance(t *testing.T, s store.Store) {
	o := obs("o1", store.StanceSupports, 0)
	wantChange(t, s, o, "", time.Time{})
	wantCurrent(t, s, o)
	if n := len(allChanges(t, s)); n != 1 {
		t.Errorf("len(Changes) = %d, want 1", n)
	}
}

func testSameStance(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	wantChange(t, s, o1, "", time.Time{})
	wantNoChange(t, s, obs("o2", store.StanceSupports, 5))
	wantCurrent(t, s, o1) // Since and ObservationID unchanged
	if n := len(allChanges(t, s)); n != 1 {
		t.Errorf("len(Changes) = %d, want 1", n)
	}
}

func testNewerStance(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	o2 := obs("o2", store.StanceSigned, 7)
	wantChange(t, s, o1, "", time.Time{})
	wantChange(t, s, o2, store.StanceSupports, o1.Published)
	wantCurrent(t, s, o2)
	if n := len(allChanges(t, s)); n != 2 {
		t.Errorf("len(Changes) = %d, want 2", n)
	}
}

func testEqualTimeStance(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	o2 := obs("o2", store.StanceSigned, 0) // same Effective time: >= applies
	o2.Observed = o2.Observed.Add(time.Minute)
	wantChange(t, s, o1, "", time.Time{})
	wantChange(t, s, o2, store.StanceSupports, o1.Published)
	wantCurrent(t, s, o2)
}

func testOlderStance(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSigned, 10)
	old := obs("old", store.StanceOpposes, 2) // arrives late, published earlier
	old.Observed = day(11)
	wantChange(t, s, o1, "", time.Time{})
	wantNoChange(t, s, old)
	wantCurrent(t, s, o1)
	if got, want := historyIDs(t, s, o1.Actor, o1.Accord), []string{"old", "o1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("History = %v, want %v", got, want)
	}
	if n := len(allChanges(t, s)); n != 1 {
		t.Errorf("len(Changes) = %d, want 1", n)
	}
}

func testHistorical(t *testing.T, s store.Store) {
	ctx := context.Background()
	// A historical observation does not set a first stance…
	h1 := obs("h1", store.StanceSigned, 0)
	h1.Historical = true
	wantNoChange(t, s, h1)
	if _, err := s.Current(ctx, h1.Actor, h1.Accord); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Current after only a historical observation: error = %v, want ErrNotFound", err)
	}
	// …nor change an existing one, even when newer.
	o1 := obs("o1", store.StanceSupports, 1)
	wantChange(t, s, o1, "", time.Time{})
	h2 := obs("h2", store.StanceWithdrew, 9)
	h2.Historical = true
	wantNoChange(t, s, h2)
	wantCurrent(t, s, o1)
	if got, want := historyIDs(t, s, o1.Actor, o1.Accord), []string{"h1", "o1", "h2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("History = %v, want %v", got, want)
	}
}

func testUnknownPublished(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	o2 := obs("o2", store.StanceDeclined, 0)
	o2.Published = time.Time{}
	o2.Observed = day(3)
	wantChange(t, s, o1, "", time.Time{})
	c := wantChange(t, s, o2, store.StanceSupports, o1.Published)
	if !c.Since.Equal(day(3).Truncate(time.Microsecond)) {
		t.Errorf("Since = %v, want the Observed time %v", c.Since, day(3))
	}
	// Unknown publication time and older observation time: history only.
	o3 := obs("o3", store.StanceOpposes, 0)
	o3.Published = time.Time{}
	o3.Observed = day(1)
	wantNoChange(t, s, o3)
	wantCurrent(t, s, o2)
}

func testRepeatObservation(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	o2 := obs("o2", store.StanceSupports, 1) // no change
	o3 := obs("o3", store.StanceSigned, 2)
	first1 := wantChange(t, s, o1, "", time.Time{})
	wantNoChange(t, s, o2)
	first3 := wantChange(t, s, o3, store.StanceSupports, o1.Published)
	before := allChanges(t, s)

	for _, tc := range []struct {
		o    store.Observation
		want store.Outcome
	}{{o1, store.Outcome{Change: &first1}}, {o2, store.Outcome{}}, {o3, store.Outcome{Change: &first3}}} {
		got := record(t, s, tc.o)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("repeated RecordObservation(%s) = %s, want %s", tc.o.ID, outcomeString(got), outcomeString(tc.want))
		}
	}
	// A repeat with different content still writes nothing: o1 would now
	// change the stance to "opposes" if it were applied.
	changed := o1
	changed.Stance, changed.Published, changed.Observed = store.StanceOpposes, day(5), day(5)
	if got := record(t, s, changed); !reflect.DeepEqual(got, store.Outcome{Change: &first1}) {
		t.Errorf("RecordObservation(o1 modified) = %s, want the first call's %+v", outcomeString(got), first1)
	}
	wantCurrent(t, s, o3)
	if after := allChanges(t, s); !reflect.DeepEqual(after, before) {
		t.Errorf("Changes after repeats =\n%+v\nwant\n%+v", after, before)
	}
	if got, want := historyIDs(t, s, o1.Actor, o1.Accord), []string{"o1", "o2", "o3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("History after repeats = %v, want %v", got, want)
	}
}

func testObservationRoundTrip(t *testing.T, s store.Store) {
	o := obs("o1", store.StanceRatified, 0)
	o.Historical = true
	o.Confidence = 0.123456789
	h := obs("h", store.StanceUndecided, 1)
	h.Published = time.Time{}
	wantNoChange(t, s, o)
	record(t, s, h)
	got, err := s.History(context.Background(), o.Actor, o.Accord)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Observation{normObservation(o), normObservation(h)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("History =\n%+v\nwant\n%+v", got, want)
	}
}

func testHistoryOrder(t *testing.T, s store.Store) {
	// Recorded out of order; History sorts by Effective, then Observed.
	a := obs("a", store.StanceSupports, 4)
	b := obs("b", store.StanceSupports, 1)
	c := obs("c", store.StanceSupports, 1)
	c.Observed = b.Observed.Add(time.Second)
	d := obs("d", store.StanceSupports, 0)
	d.Published = time.Time{}
	d.Observed = day(2) // Effective = day(2)
	for _, o := range []store.Observation{a, c, d, b} {
		record(t, s, o)
	}
	if got, want := historyIDs(t, s, a.Actor, a.Accord), []string{"b", "c", "d", "a"}; !reflect.DeepEqual(got, want) {
		t.Errorf("History = %v, want %v", got, want)
	}
	if got := historyIDs(t, s, a.Actor, "Other accord"); len(got) != 0 {
		t.Errorf("History of another accord = %v, want none", got)
	}
}

func testIndependentPairs(t *testing.T, s store.Store) {
	ctx := context.Background()
	de := obs("de", store.StanceSigned, 5)
	deOther := obs("de2", store.StanceOpposes, 0)
	deOther.Accord = "Budapest Convention"
	fr := obs("fr", store.StanceSupports, 0)
	fr.Actor = "France"
	wantChange(t, s, de, "", time.Time{})
	// Older than Germany's stance on another accord: still a first stance here.
	wantChange(t, s, deOther, "", time.Time{})
	wantChange(t, s, fr, "", time.Time{})
	got, err := s.CurrentAll(ctx)
	if err != nil {
		t.Fatalf("CurrentAll: %v", err)
	}
	want := []store.Current{ // ordered by actor, accord
		{Actor: "France", Accord: fr.Accord, Stance: fr.Stance, Since: norm(fr.Published), ObservationID: "fr", Sources: 1},
		{Actor: "Germany", Accord: "Budapest Convention", Stance: deOther.Stance, Since: norm(deOther.Published), ObservationID: "de2", Sources: 1},
		{Actor: "Germany", Accord: de.Accord, Stance: de.Stance, Since: norm(de.Published), ObservationID: "de", Sources: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CurrentAll =\n%+v\nwant\n%+v", got, want)
	}
}

func testCurrentNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Current(ctx, "Nowhere", "Nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Current(unknown) error = %v, want ErrNotFound", err)
	}
	all, err := s.CurrentAll(ctx)
	if err != nil || len(all) != 0 {
		t.Errorf("CurrentAll on empty store = %v, %v; want nothing", all, err)
	}
}

func testChangesWindow(t *testing.T, s store.Store) {
	ctx := context.Background()
	// Three first stances on three accords, detected at t0 < t1 < t2 but
	// recorded in the order t2, t0, t1.
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	mk := func(id string, detected time.Time) store.Observation {
		o := obs(id, store.StanceSupports, 0)
		o.Accord, o.Observed = "Accord "+id, detected
		return o
	}
	o0, o1, o2 := mk("x0", t0), mk("x1", t1), mk("x2", t2)
	for _, o := range []store.Observation{o2, o0, o1} {
		wantChange(t, s, o, "", time.Time{})
	}
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{t0, t2, []string{"x0", "x1"}}, // to is exclusive
		{t0, t2.Add(time.Microsecond), []string{"x0", "x1", "x2"}},
		{t0.Add(time.Microsecond), t2.Add(time.Hour), []string{"x1", "x2"}}, // from is inclusive
		{t1, t1, nil},
		{t1, t1.Add(time.Microsecond), []string{"x1"}},
		{time.Time{}, t0, nil},
		{t2.Add(time.Microsecond), t2.Add(time.Hour), nil},
		{t0.In(time.FixedZone("EST", -5*3600)), t1.In(time.FixedZone("JST", 9*3600)), []string{"x0"}},
	} {
		cs, err := s.Changes(ctx, tc.from, tc.to)
		if err != nil {
			t.Fatalf("Changes(%v, %v): %v", tc.from, tc.to, err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, c.ObservationID)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Changes(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	cs, err := s.Changes(ctx, t1, t2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.Change{expectedChange(o1, "", time.Time{})}; !reflect.DeepEqual(cs, want) {
		t.Errorf("Changes(t1, t2) =\n%+v\nwant\n%+v", cs, want)
	}
}

func testSeen(t *testing.T, s store.Store) {
	ctx := context.Background()
	seen := func(key string) bool {
		t.Helper()
		ok, err := s.Seen(ctx, key)
		if err != nil {
			t.Fatalf("Seen(%q): %v", key, err)
		}
		return ok
	}
	if seen("guid-1") {
		t.Fatal("Seen(guid-1) = true before MarkSeen")
	}
	for range 2 { // idempotent
		if err := s.MarkSeen(ctx, "https://news.example/feed", "guid-1"); err != nil {
			t.Fatalf("MarkSeen: %v", err)
		}
	}
	if !seen("guid-1") {
		t.Error("Seen(guid-1) = false after MarkSeen")
	}
	if seen("guid-2") {
		t.Error("Seen(guid-2) = true, never marked")
	}
	// The same key from another feed is the same item.
	if err := s.MarkSeen(ctx, "https://other.example/feed", "guid-1"); err != nil {
		t.Fatalf("MarkSeen from another feed: %v", err)
	}
	if !seen("guid-1") {
		t.Error("Seen(guid-1) = false after marking it from a second feed")
	}
}

func testFeedState(t *testing.T, s store.Store) {
	ctx := context.Background()
	const url = "https://news.example/feed"
	got, err := s.FeedState(ctx, url)
	if err != nil {
		t.Fatalf("FeedState(unknown): %v", err)
	}
	if want := (store.FeedState{URL: url}); got != want {
		t.Errorf("FeedState(unknown) = %+v, want %+v", got, want)
	}
	states := []store.FeedState{
		{URL: url, ETag: `W/"abc"`, LastModified: "Mon, 10 Mar 2025 08:00:00 GMT", LastPolled: base, LastSuccess: base},
		{URL: url, ETag: `W/"abc"`, LastModified: "Mon, 10 Mar 2025 08:00:00 GMT", LastPolled: day(1), LastSuccess: base, LastError: "HTTP 503", Failures: 3},
		{URL: url, LastPolled: day(2), NextPoll: day(3), Interval: 20 * time.Minute, PublishGap: 95 * time.Minute, LastPublished: day(1), Failures: 1},
		{URL: url, LastPolled: day(2)}, // cleared fields and a zero time overwrite old values
	}
	for i, fs := range states {
		if err := s.PutFeedState(ctx, fs); err != nil {
			t.Fatalf("PutFeedState #%d: %v", i, err)
		}
		got, err := s.FeedState(ctx, url)
		if err != nil {
			t.Fatalf("FeedState #%d: %v", i, err)
		}
		want := fs
		want.LastPolled, want.LastSuccess = norm(fs.LastPolled), norm(fs.LastSuccess)
		want.NextPoll, want.LastPublished = norm(fs.NextPoll), norm(fs.LastPublished)
		if got != want {
			t.Errorf("FeedState after put #%d = %+v, want %+v", i, got, want)
		}
	}
	other, err := s.FeedState(ctx, "https://other.example/feed")
	if err != nil || other != (store.FeedState{URL: "https://other.example/feed"}) {
		t.Errorf("FeedState(other) = %+v, %v; want empty state", other, err)
	}
	// FeedStates lists every feed polled, by URL.
	if err := s.PutFeedState(ctx, store.FeedState{URL: "https://a.example/feed", LastError: "HTTP 500", Failures: 2}); err != nil {
		t.Fatal(err)
	}
	all, err := s.FeedStates(ctx)
	if err != nil {
		t.Fatalf("FeedStates: %v", err)
	}
	if len(all) != 2 || all[0].URL != "https://a.example/feed" || all[0].Failures != 2 || all[1].URL != url {
		t.Errorf("FeedStates = %+v, want a.example then news.example", all)
	}
}

// testConcurrentObservations records observations on one (actor, accord)
// from several goroutines and three outlets, with other writes mixed in,
// and checks that the changes form one unbroken chain ending at the current
// stance, as they would had the observations been recorded one at a time,
// and that what RecordObservation returned is what was stored.
func testConcurrentObservations(t *testing.T, s store.Store) {
	ctx := context.Background()
	const (
		workers = 8
		perWork = 12
	)
	stances := []string{store.StanceSigned, store.StanceRatified, store.StanceSupports, store.StanceUndecided,
		store.StanceDeclined, store.StanceOpposes, store.StanceWithdrew}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		results = map[string]store.Outcome{}
	)
	for w := range workers {
		wg.Go(func() {
			for k := range perWork {
				n := k*workers + w // distinct, roughly increasing across workers
				o := obs(fmt.Sprintf("w%d-%d", w, k), stances[(w+k)%len(stances)], 0)
				o.Published = start.Add(time.Duration(n) * time.Minute)
				o.Observed = start.Add(time.Duration(n)*time.Minute + time.Hour)
				o.Historical = n%10 == 9
				o.Outlet = fmt.Sprintf("Outlet %d", n%3)
				out, err := s.RecordObservation(ctx, o)
				if err == nil {
					err = s.MarkSeen(ctx, "feed", o.ID)
				}
				if err == nil {
					err = s.PutArticle(ctx, store.Article{ID: o.ArticleID, URL: o.URL, Published: o.Published})
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				}
				results[o.ID] = out
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	const actor, accord = "Germany", "Pall Mall Process"
	if n := len(historyIDs(t, s, actor, accord)); n != workers*perWork {
		t.Errorf("len(History) = %d, want %d", n, workers*perWork)
	}
	changes := allChanges(t, s)
	contradictions := allContradictions(t, s)
	t.Logf("%d observations caused %d changes and %d contradictions", workers*perWork, len(changes), len(contradictions))
	if len(changes) < 2 {
		t.Errorf("only %d changes: the test no longer exercises concurrent changes", len(changes))
	}
	if len(contradictions) == 0 {
		t.Error("no contradictions: the test no longer exercises concurrent contradictions")
	}
	returnedChanges, returnedContradictions := 0, 0
	for id, out := range results {
		if out.Change != nil && out.Contradiction != nil {
			t.Errorf("RecordObservation(%s) = %s, want at most one of change and contradiction", id, outcomeString(out))
		}
		if out.Change != nil {
			returnedChanges++
		}
		if out.Contradiction != nil {
			returnedContradictions++
		}
	}
	if returnedChanges != len(changes) {
		t.Errorf("%d changes returned by RecordObservation, %d stored", returnedChanges, len(changes))
	}
	if returnedContradictions != len(contradictions) {
		t.Errorf("%d contradictions returned by RecordObservation, %d stored", returnedContradictions, len(contradictions))
	}
	for _, c := range changes {
		// Sources may have grown since the change was returned.
		r := results[c.ObservationID].Change
		if r == nil || r.Sources > c.Sources {
			t.Errorf("stored change %+v was returned as %+v", c, r)
			continue
		}
		got, want := *r, c
		got.Sources, want.Sources = 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stored change %+v was returned as %+v", c, *r)
		}
	}
	for _, k := range contradictions {
		// ConfirmedBy may have been set since the contradiction was returned.
		r := results[k.ObservationID].Contradiction
		want := k
		want.ConfirmedBy = ""
		if r == nil || !reflect.DeepEqual(*r, want) {
			t.Errorf("stored contradiction %+v was returned as %+v", k, r)
		}
	}
	h, err := s.History(ctx, actor, accord)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range h {
		if flagged := results[o.ID].Contradiction != nil; o.Contradicts != flagged {
			t.Errorf("History has %s with Contradicts %v, but RecordObservation flagged it: %v", o.ID, o.Contradicts, flagged)
		}
	}

	// Walk the chain from the first stance: each change must start from the
	// stance and time the previous one set. Effective times are distinct, so
	// the next link is unique.
	type key struct {
		stance string
		since  time.Time
	}
	next := map[key]store.Change{}
	var root []store.Change
	for _, c := range changes {
		if c.Previous == "" {
			root = append(root, c)
			continue
		}
		k := key{c.Previous, c.PreviousSince}
		if dup, ok := next[k]; ok {
			t.Fatalf("changes %s and %s both follow (%s, %v): lost update", dup.ID, c.ID, k.stance, k.since)
		}
		next[k] = c
	}
	if len(root) != 1 {
		t.Fatalf("%d changes with no previous stance, want 1: %+v", len(root), root)
	}
	last, visited := root[0], 1
	for {
		c, ok := next[key{last.Stance, last.Since}]
		if !ok {
			break
		}
		if c.Since.Before(last.Since) {
			t.Errorf("change %s (since %v) follows %s (since %v): went back in time", c.ID, c.Since, last.ID, last.Since)
		}
		last = c
		visited++
	}
	if visited != len(changes) {
		t.Errorf("chain from the first stance covers %d of %d changes", visited, len(changes))
	}
	cur, err := s.Current(ctx, actor, accord)
	if err != nil {
		t.Fatalf("Current: %v", err)
	}
	if want := (store.Current{Actor: actor, Accord: accord, Stance: last.Stance, Since: last.Since, ObservationID: last.ObservationID, Sources: last.Sources}); cur != want {
		t.Errorf("Current = %+v, want the end of the change chain %+v", cur, want)
	}
	for id := range results {
		if ok, err := s.Seen(ctx, id); err != nil || !ok {
			t.Errorf("Seen(%s) = %v, %v; want true", id, ok, err)
		}
	}
}

func testCorroboratingOutlets(t *testing.T, s store.Store) {
	// The same signing reported by three outlets is one change.
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceSigned, "Outlet B", 2)
	c := report("c", store.StanceSigned, "Outlet C", 30)
	first := wantChange(t, s, a, "", time.Time{})
	if first.Sources != 1 {
		t.Errorf("first report: Sources = %d, want 1", first.Sources)
	}
	wantNoChange(t, s, b)
	wantCurrentSources(t, s, a, a.Published, 2)
	wantNoChange(t, s, c)
	wantCurrentSources(t, s, a, a.Published, 3)
	want := expectedChange(a, "", time.Time{})
	want.Sources = 3
	if got := allChanges(t, s); !reflect.DeepEqual(got, []store.Change{want}) {
		t.Errorf("Changes =\n%+v\nwant one change with 3 sources\n%+v", got, want)
	}
	if h := history(t, s, a); len(h) != 3 || h["b"].Contradicts || h["c"].Contradicts {
		t.Errorf("History = %+v, want 3 observations, none contradicting", h)
	}
}

func testSameOutletCountsOnce(t *testing.T, s store.Store) {
	a1 := report("a1", store.StanceSigned, "Outlet A", 0)
	a2 := report("a2", store.StanceSigned, "Outlet A", 5) // another article, same outlet
	wantChange(t, s, a1, "", time.Time{})
	wantNoChange(t, s, a2)
	wantCurrentSources(t, s, a1, a1.Published, 1)

	// Without an outlet, the article is the source.
	x1 := report("x1", store.StanceOpposes, "", 0)
	x1.Accord = "Budapest Convention"
	x2 := x1
	x2.ID = "x2" // a second observation in the same article
	x3 := report("x3", store.StanceOpposes, "", 1)
	x3.Accord = x1.Accord
	wantChange(t, s, x1, "", time.Time{})
	wantNoChange(t, s, x2)
	wantCurrentSources(t, s, x1, x1.Published, 1)
	wantNoChange(t, s, x3)
	wantCurrentSources(t, s, x1, x1.Published, 2)
}

func testRepeatCorroboration(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceSigned, "Outlet B", 1)
	first := wantChange(t, s, a, "", time.Time{})
	wantNoChange(t, s, b)
	before := allChanges(t, s)
	// Re-recording writes nothing and returns what the first call did: the
	// change as it was detected, with one source.
	for range 2 {
		if got := record(t, s, a); !reflect.DeepEqual(got, store.Outcome{Change: &first}) {
			t.Errorf("repeated RecordObservation(a) = %s, want the first call's %+v", outcomeString(got), first)
		}
		wantNoChange(t, s, b)
	}
	wantCurrentSources(t, s, a, a.Published, 2)
	if after := allChanges(t, s); !reflect.DeepEqual(after, before) || len(after) != 1 || after[0].Sources != 2 {
		t.Errorf("Changes after repeats =\n%+v\nwant unchanged, one change with 2 sources\n%+v", after, before)
	}
	if got := historyIDs(t, s, a.Actor, a.Accord); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("History after repeats = %v, want [a b]", got)
	}
}

func testOldReportsDoNotCorroborate(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 200)
	old := report("old", store.StanceSigned, "Outlet B", 200-73) // before the window
	hist := report("hist", store.StanceSigned, "Outlet C", 201)
	hist.Historical = true
	late := report("late", store.StanceSigned, "Outlet D", 200-71) // older, but within the window
	wantChange(t, s, a, "", time.Time{})
	wantNoChange(t, s, old)
	wantNoChange(t, s, hist)
	wantCurrentSources(t, s, a, a.Published, 1)
	wantNoChange(t, s, late)
	wantCurrentSources(t, s, a, a.Published, 2)
}

// testContradiction: a same-day report of the other polarity from another
// outlet is kept and flagged, and the current stance stays.
func testContradiction(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceDeclined, "Outlet B", 3)
	u := report("u", store.StanceUndecided, "Outlet U", 4) // neutral is another polarity too
	wantChange(t, s, a, "", time.Time{})
	kb := wantContradiction(t, s, b, a)
	wantContradiction(t, s, u, a)
	wantCurrent(t, s, a)
	if n := len(allChanges(t, s)); n != 1 {
		t.Errorf("len(Changes) = %d, want 1", n)
	}
	h := history(t, s, a)
	if !h["b"].Contradicts || !h["u"].Contradicts || h["a"].Contradicts {
		t.Errorf("History Contradicts flags: a %v, b %v, u %v; want false, true, true", h["a"].Contradicts, h["b"].Contradicts, h["u"].Contradicts)
	}
	wantB := normObservation(b)
	wantB.Contradicts = true
	if !reflect.DeepEqual(h["b"], wantB) {
		t.Errorf("History has b as\n%+v\nwant\n%+v", h["b"], wantB)
	}

	// Idempotent: the same contradiction again, nothing written.
	before := allContradictions(t, s)
	if got := record(t, s, b); !reflect.DeepEqual(got, store.Outcome{Contradiction: &kb}) {
		t.Errorf("repeated RecordObservation(b) = %s, want the first call's %+v", outcomeString(got), kb)
	}
	if after := allContradictions(t, s); !reflect.DeepEqual(after, before) || len(after) != 2 {
		t.Errorf("Contradictions after a repeat =\n%+v\nwant unchanged\n%+v", after, before)
	}

	// A second article from the same outlet does not confirm it.
	b2 := report("b2", store.StanceDeclined, "Outlet B", 5)
	wantContradiction(t, s, b2, a)
	wantCurrent(t, s, a)

	// A contradiction on one pair does not affect another.
	other := report("fr", store.StanceDeclined, "Outlet B", 3)
	other.Actor = "France"
	wantChange(t, s, other, "", time.Time{})

	got, err := s.Contradictions(ctx, time.Time{}, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Contradiction{kb, expectedContradiction(u, a), expectedContradiction(b2, a)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Contradictions =\n%+v\nwant\n%+v", got, want)
	}
}

// testContradictionConfirmed: a second distinct outlet reporting the
// contradicting stance makes it current.
func testContradictionConfirmed(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceDeclined, "Outlet B", 3)
	b2 := report("b2", store.StanceDeclined, "Outlet B", 4)
	o := report("o", store.StanceOpposes, "Outlet C", 5) // same polarity, another stance: not a confirmation
	c := report("c", store.StanceDeclined, "Outlet C", 6)
	wantChange(t, s, a, "", time.Time{})
	wantContradiction(t, s, b, a)
	wantContradiction(t, s, b2, a)
	wantContradiction(t, s, o, a)
	wantCurrent(t, s, a)

	want := expectedChange(c, store.StanceSigned, a.Published)
	want.Since = norm(b.Published) // first reported by b
	want.Sources = 2               // outlets B and C
	chg := wantExactChange(t, s, c, want)
	wantCurrentSources(t, s, c, b.Published, 2)
	if got := allChanges(t, s); len(got) != 2 || !reflect.DeepEqual(got[1], chg) {
		t.Errorf("Changes = %+v, want the first stance and %+v", got, chg)
	}
	if h := history(t, s, a); h["c"].Contradicts || !h["b"].Contradicts || !h["b2"].Contradicts {
		t.Errorf("History flags: b %v, b2 %v, c %v; want the flagged reports kept flagged and c not", h["b"].Contradicts, h["b2"].Contradicts, h["c"].Contradicts)
	}
	// The contradictions of the stance that became current are confirmed.
	for _, k := range allContradictions(t, s) {
		want := ""
		if k.Stance == store.StanceDeclined {
			want = chg.ID
		}
		if k.ConfirmedBy != want {
			t.Errorf("contradiction %s: ConfirmedBy = %q, want %q", k.ID, k.ConfirmedBy, want)
		}
	}
	// And the new stance is corroborated as any other.
	wantNoChange(t, s, report("d", store.StanceDeclined, "Outlet D", 7))
	wantCurrentSources(t, s, c, b.Published, 3)
	// A report for the old stance from an outlet now contradicts the new one.
	a2 := report("a2", store.StanceSigned, "Outlet A", 8)
	out := record(t, s, a2)
	wantK := expectedContradiction(a2, c)
	wantK.CurrentSince = norm(b.Published)
	if out.Contradiction == nil || !reflect.DeepEqual(*out.Contradiction, wantK) {
		t.Errorf("RecordObservation(a2) = %s, want contradiction %+v", outcomeString(out), wantK)
	}
	// Repeating the confirmation returns the change as it was detected.
	if got := record(t, s, c); !reflect.DeepEqual(got, store.Outcome{Change: &chg}) {
		t.Errorf("repeated RecordObservation(c) = %s, want %+v", outcomeString(got), chg)
	}
}

// testOlderContradictions: reports older than the current stance but within
// the window are flagged too; they cannot move the stance back in time.
func testOlderContradictions(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 48)
	b := report("b", store.StanceDeclined, "Outlet B", 24)
	c := report("c", store.StanceDeclined, "Outlet C", 36)
	ancient := report("ancient", store.StanceDeclined, "Outlet E", 48-72-1)
	d := report("d", store.StanceDeclined, "Outlet D", 50)
	wantChange(t, s, a, "", time.Time{})
	wantContradiction(t, s, b, a)
	wantContradiction(t, s, c, a) // two outlets, but both older than the current stance
	wantNoChange(t, s, ancient)   // before the window: history only, as before
	wantCurrent(t, s, a)
	want := expectedChange(d, store.StanceSigned, a.Published)
	want.Sources = 3 // B, C and D; Since is d's, the only report not older than a
	wantExactChange(t, s, d, want)
	wantCurrentSources(t, s, d, d.Published, 3)
}

// testOutletUpdatesOwnStory: an outlet that reported the current stance and
// now reports another is updating its story, not contradicting itself.
func testOutletUpdatesOwnStory(t *testing.T, s store.Store) {
	a := report("a", store.StanceDeclined, "Outlet A", 0)
	b := report("b", store.StanceDeclined, "Outlet B", 1)
	c := report("c", store.StanceSigned, "Outlet C", 20)
	bSigned := report("b-signed", store.StanceSigned, "Outlet B", 24)
	wantChange(t, s, a, "", time.Time{})
	wantNoChange(t, s, b) // B corroborates
	wantContradiction(t, s, c, a)
	// B reverses its own report the next day: a change, confirming C.
	want := expectedChange(bSigned, store.StanceDeclined, a.Published)
	want.Since, want.Sources = norm(c.Published), 2
	wantExactChange(t, s, bSigned, want)
	wantCurrentSources(t, s, bSigned, c.Published, 2)

	// The outlet that set the stance, alone, within the window.
	x := report("x", store.StanceUndecided, "Outlet X", 0)
	x.Accord = "Budapest Convention"
	x2 := report("x2", store.StanceRatified, "Outlet X", 10)
	x2.Accord = x.Accord
	wantChange(t, s, x, "", time.Time{})
	wantChange(t, s, x2, store.StanceUndecided, x.Published)
	// An older report of its own, within the window: history only, as before.
	x3 := report("x3", store.StanceDeclined, "Outlet X", 5)
	x3.Accord = x.Accord
	wantNoChange(t, s, x3)
	wantCurrent(t, s, x2)
}

// testChangeAfterWindow: a genuine later change, reported after the window,
// is a normal change; it also confirms pending contradictions of the same
// stance.
func testChangeAfterWindow(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceWithdrew, "Outlet B", 72) // just after the window
	wantChange(t, s, a, "", time.Time{})
	wantChange(t, s, b, store.StanceSigned, a.Published)
	wantCurrent(t, s, b)

	x := report("x", store.StanceSigned, "Outlet A", 0)
	x.Accord = "Budapest Convention"
	y := report("y", store.StanceDeclined, "Outlet B", 24)
	y.Accord = x.Accord
	z := report("z", store.StanceDeclined, "Outlet B", 24*5)
	z.Accord = x.Accord
	wantChange(t, s, x, "", time.Time{})
	wantContradiction(t, s, y, x)
	want := expectedChange(z, store.StanceSigned, x.Published)
	want.Since = norm(y.Published) // first reported by y, which it confirms
	wantExactChange(t, s, z, want)
}

func testSamePolarityFromOtherOutlet(t *testing.T, s store.Store) {
	a := report("a", store.StanceSupports, "Outlet A", 0)
	b := report("b", store.StanceSigned, "Outlet B", 2)
	c := report("c", store.StanceRatified, "Outlet C", 3)
	wantChange(t, s, a, "", time.Time{})
	wantChange(t, s, b, store.StanceSupports, a.Published)
	wantChange(t, s, c, store.StanceSigned, b.Published)
	wantCurrent(t, s, c)
	x := report("x", store.StanceDeclined, "Outlet A", 0)
	x.Accord = "Budapest Convention"
	y := report("y", store.StanceOpposes, "Outlet B", 1)
	y.Accord = x.Accord
	wantChange(t, s, x, "", time.Time{})
	wantChange(t, s, y, store.StanceDeclined, x.Published)
	if n := len(allContradictions(t, s)); n != 0 {
		t.Errorf("%d contradictions, want none", n)
	}
}

func testContradictionsWindow(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := report("a", store.StanceSigned, "Outlet A", 0)
	wantChange(t, s, a, "", time.Time{})
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	k0 := report("k0", store.StanceDeclined, "Outlet B", 1)
	k0.Observed = t1
	k1 := report("k1", store.StanceDeclined, "Outlet B", 2)
	k1.Observed = t0
	wantContradiction(t, s, k0, a)
	wantContradiction(t, s, k1, a)
	for _, tc := range []struct {
		from, to time.Time
		want     []string
	}{
		{t0, t1, []string{"k1"}},
		{t0, t1.Add(time.Microsecond), []string{"k1", "k0"}},
		{t0.Add(time.Microsecond), t1.Add(time.Hour), []string{"k0"}},
		{time.Time{}, t0, nil},
	} {
		ks, err := s.Contradictions(ctx, tc.from, tc.to)
		if err != nil {
			t.Fatalf("Contradictions(%v, %v): %v", tc.from, tc.to, err)
		}
		var got []string
		for _, k := range ks {
			got = append(got, k.ObservationID)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Contradictions(%v, %v) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
