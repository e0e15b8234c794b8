package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// currentAsOf returns CurrentAsOf(t), failing the test on error.
func currentAsOf(t *testing.T, s store.Store, at time.Time) []store.Current {
	t.Helper()
	cs, err := s.CurrentAsOf(context.Background(), at)
	if err != nil {
		t.Fatalf("CurrentAsOf(%v): %v", at, err)
	}
	return cs
}

// wantAsOf checks CurrentAsOf(at) against want (nil for none).
func wantAsOf(t *testing.T, s store.Store, at time.Time, want []store.Current) {
	t.Helper()
	got := currentAsOf(t, s, at)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CurrentAsOf(%v) =\n%+v\nwant\n%+v", at, got, want)
	}
}

// currentOf is the Current that o set, with sources sources, in effect
// since o's Effective time.
func currentOf(o store.Observation, sources int) store.Current {
	o = normObservation(o)
	return store.Current{Actor: o.Actor, Accord: o.Accord, Stance: o.Stance, Since: o.Effective(), ObservationID: o.ID, Sources: sources}
}

// testCurrentAsOf follows two pairs through their changes: before a pair's
// first stance it is absent, a stance is in effect from its Since
// (inclusive), and after everything CurrentAsOf is CurrentAll.
func testCurrentAsOf(t *testing.T, s store.Store) {
	de1 := obs("de1", store.StanceSupports, 0)
	de2 := obs("de2", store.StanceSigned, 7)
	fr := obs("fr", store.StanceSupports, 2)
	fr.Actor = "France"
	wantChange(t, s, de1, "", time.Time{})
	wantChange(t, s, fr, "", time.Time{})
	wantChange(t, s, de2, store.StanceSupports, de1.Published)

	wantAsOf(t, s, day(-1), nil)
	wantAsOf(t, s, norm(day(0)).Add(-time.Microsecond), nil)
	wantAsOf(t, s, day(0), []store.Current{currentOf(de1, 1)})
	// In another zone, the same instant.
	wantAsOf(t, s, day(3).In(time.FixedZone("JST", 9*3600)), []store.Current{currentOf(fr, 1), currentOf(de1, 1)})
	wantAsOf(t, s, day(7), []store.Current{currentOf(fr, 1), currentOf(de2, 1)})

	all, err := s.CurrentAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := currentAsOf(t, s, day(1000)); !reflect.DeepEqual(got, all) {
		t.Errorf("CurrentAsOf(far future) =\n%+v\nwant CurrentAll\n%+v", got, all)
	}
}

// testCurrentAsOfEffectiveTimes checks that reports count from when they
// speak for, not from when they were recorded: a late report changes the
// past, and one older than the current stance does not.
func testCurrentAsOfEffectiveTimes(t *testing.T, s store.Store) {
	o1 := obs("o1", store.StanceSupports, 0)
	late := obs("late", store.StanceDeclined, 5) // published day 5, recorded day 9
	late.Outlet = "Late Gazette"
	late.Observed = day(9)
	older := obs("older", store.StanceOpposes, 3) // recorded after late, older than it: history only
	older.Observed = day(10)
	wantChange(t, s, o1, "", time.Time{})
	wantChange(t, s, late, store.StanceSupports, o1.Published)
	wantNoChange(t, s, older)

	wantAsOf(t, s, day(4), []store.Current{currentOf(o1, 1)})
	wantAsOf(t, s, day(6), []store.Current{currentOf(late, 1)})

	// Two changes taking effect at the same time: the later one wins.
	tie := obs("tie", store.StanceOpposes, 5)
	tie.Observed = day(11)
	wantChange(t, s, tie, store.StanceDeclined, late.Published)
	wantAsOf(t, s, day(5), []store.Current{currentOf(tie, 1)})
	wantAsOf(t, s, day(4), []store.Current{currentOf(o1, 1)})
}

// testCurrentAsOfSources checks that the sources counted are those whose
// reports had taken effect, for corroborations and for contradictions a
// change confirmed.
func testCurrentAsOfSources(t *testing.T, s store.Store) {
	a := report("a", store.StanceSigned, "Outlet A", 0)
	b := report("b", store.StanceSigned, "Outlet B", 10) // corroborates a
	wantChange(t, s, a, "", time.Time{})
	wantNoChange(t, s, b)
	wantAsOf(t, s, a.Published, []store.Current{currentOf(a, 1)})
	wantAsOf(t, s, b.Published, []store.Current{currentOf(a, 2)})

	// Another stance reported 24h after by Outlet C is flagged, and
	// confirmed by Outlet D 30h after: the change takes effect at 24h.
	c := report("c", store.StanceOpposes, "Outlet C", 24)
	d := report("d", store.StanceOpposes, "Outlet D", 30)
	wantContradiction(t, s, c, a)
	wantAsOf(t, s, c.Published.Add(time.Hour), []store.Current{currentOf(a, 2)}) // not yet a change
	record(t, s, d)
	confirmed := store.Current{Actor: d.Actor, Accord: d.Accord, Stance: d.Stance, Since: norm(c.Published), ObservationID: "d"}
	confirmed.Sources = 1 // only c's report had taken effect
	wantAsOf(t, s, c.Published.Add(time.Hour), []store.Current{confirmed})
	confirmed.Sources = 2
	wantAsOf(t, s, d.Published, []store.Current{confirmed})
	wantAsOf(t, s, c.Published.Add(-time.Microsecond), []store.Current{currentOf(a, 2)})
}

// testFeeds adds, lists and removes run-time feeds.
func testFeeds(t *testing.T, s store.Store) {
	ctx := context.Background()
	if fs, err := s.Feeds(ctx); err != nil || len(fs) != 0 {
		t.Fatalf("Feeds on an empty store = %+v, %v; want none", fs, err)
	}
	b := store.Feed{URL: "https://b.example/feed.xml", Title: "B News", Added: base}
	a := store.Feed{URL: "https://a.example/rss"} // no title, added now
	before := time.Now().Add(-time.Second)
	for _, f := range []store.Feed{b, a} {
		added, err := s.AddFeed(ctx, f)
		if err != nil || !added {
			t.Fatalf("AddFeed(%s) = %v, %v; want added", f.URL, added, err)
		}
	}
	after := time.Now().Add(time.Second)
	again := b
	again.Title, again.Added = "Renamed", day(3)
	if added, err := s.AddFeed(ctx, again); err != nil || added {
		t.Errorf("AddFeed(existing) = %v, %v; want not added", added, err)
	}
	if _, err := s.AddFeed(ctx, store.Feed{}); err == nil {
		t.Error("AddFeed with an empty URL succeeded")
	}
	fs, err := s.Feeds(ctx)
	if err != nil {
		t.Fatalf("Feeds: %v", err)
	}
	if len(fs) != 2 {
		t.Fatalf("Feeds = %+v, want two", fs)
	}
	if fs[0].URL != a.URL || fs[0].Title != "" || fs[0].Added.Before(before) || fs[0].Added.After(after) || fs[0].Added.Location() != time.UTC {
		t.Errorf("Feeds[0] = %+v, want %s added now (UTC), untitled", fs[0], a.URL)
	}
	if want := (store.Feed{URL: b.URL, Title: b.Title, Added: norm(base)}); fs[1] != want {
		t.Errorf("Feeds[1] = %+v, want %+v (unchanged by the second add)", fs[1], want)
	}

	if err := s.RemoveFeed(ctx, a.URL); err != nil {
		t.Fatalf("RemoveFeed: %v", err)
	}
	if err := s.RemoveFeed(ctx, a.URL); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RemoveFeed(removed) error = %v, want ErrNotFound", err)
	}
	fs, err = s.Feeds(ctx)
	if err != nil || len(fs) != 1 || fs[0].URL != b.URL {
		t.Errorf("Feeds after remove = %+v, %v; want only %s", fs, err, b.URL)
	}
	// Removed feeds can be added again.
	if added, err := s.AddFeed(ctx, a); err != nil || !added {
		t.Errorf("AddFeed(removed) = %v, %v; want added", added, err)
	}
}
