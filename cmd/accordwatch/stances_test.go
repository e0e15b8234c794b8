package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the test's time zone, whatever the system has

	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// stanceStore writes a small stance history through the store and returns
// its DSN.
func stanceStore(t *testing.T) string {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "accordwatch.db")
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, time.UTC) }
	for _, o := range []store.Observation{
		{ID: "usa1", Actor: "USA", Accord: "paris-call", Stance: store.StanceDeclined, Outlet: "Vice", Published: at(1, 10)},
		{ID: "fra1", Actor: "FRA", Accord: "paris-call", Stance: store.StanceSupports, Outlet: "Le Monde", Published: at(2, 9)},
		{ID: "bra1", Actor: "BRA", Accord: "pall-mall-process", Stance: store.StanceDeclined, Outlet: "Reuters", Published: at(3, 12)},
		// 20:00 UTC on the 4th is 05:00 on the 5th in Tokyo.
		{ID: "usa2", Actor: "USA", Accord: "paris-call", Stance: store.StanceSigned, Outlet: "Vice", Published: at(4, 20)},
		{ID: "fra2", Actor: "FRA", Accord: "pall-mall-process", Stance: store.StanceSigned, Outlet: "AFP", Published: at(6, 8)},
	} {
		o.Observed = o.Published.Add(time.Hour)
		if _, err := st.RecordObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	return dsn
}

// TestStances prints the matrix from records written through the store, at
// several days, in UTC and in another time zone, in each format.
func TestStances(t *testing.T) {
	dsn := stanceStore(t)
	tokyo := filepath.Join(t.TempDir(), "tokyo.yaml")
	if err := os.WriteFile(tokyo, []byte("timezone: Asia/Tokyo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stances := func(args ...string) string {
		t.Helper()
		code, out, errs := runCmd(t, "", append([]string{"stances", "--db", dsn}, args...)...)
		if code != 0 {
			t.Fatalf("stances %q: exit %d: %s", args, code, errs)
		}
		return out
	}

	// Now: every pair's latest stance, actors down, accords across.
	want := `ACTOR  pall-mall-process      paris-call
BRA    declined (2025-03-03)  -
FRA    signed (2025-03-06)    supports (2025-03-02)
USA    -                      signed (2025-03-04)
`
	if got := stances(); got != want {
		t.Errorf("stances =\n%s\nwant\n%s", got, want)
	}
	// The end of the 4th in UTC includes USA's signing; in Tokyo it does
	// not, and the 5th there does (dated in Tokyo time).
	if got := stances("--as-of", "2025-03-04", "--format", "csv"); got != "actor,pall-mall-process,paris-call\nBRA,declined,\nFRA,,supports\nUSA,,signed\n" {
		t.Errorf("stances --as-of 2025-03-04 (UTC) =\n%s", got)
	}
	if got := stances("--config", tokyo, "--as-of", "2025-03-04", "--format", "csv"); got != "actor,pall-mall-process,paris-call\nBRA,declined,\nFRA,,supports\nUSA,,declined\n" {
		t.Errorf("stances --as-of 2025-03-04 (Tokyo) =\n%s", got)
	}
	if got := stances("--config", tokyo, "--as-of", "2025-03-05", "--accord", "paris-call"); !strings.Contains(got, "USA    signed (2025-03-05)") || strings.Contains(got, "pall-mall") {
		t.Errorf("stances --as-of 2025-03-05 --accord paris-call (Tokyo) =\n%s", got)
	}
	if got := stances("--as-of", "2025-03-01", "--format", "csv"); got != "actor,paris-call\nUSA,declined\n" {
		t.Errorf("stances --as-of 2025-03-01 =\n%s", got)
	}
	if got := stances("--as-of", "2025-02-28"); !strings.Contains(got, "no stances recorded as of 2025-02-28 23:59") {
		t.Errorf("stances before any record = %q", got)
	}

	var m struct {
		AsOf     time.Time `json:"as_of"`
		TimeZone string    `json:"time_zone"`
		Actors   []string
		Accords  []string
		Stances  map[string]map[string]struct {
			Stance        string
			Since         time.Time
			Sources       int
			ObservationID string `json:"observation_id"`
		}
	}
	runJSON(t, &m, "stances", "--db", dsn, "--config", tokyo, "--as-of", "2025-03-03", "--format", "json")
	if want := time.Date(2025, 3, 3, 15, 0, 0, 0, time.UTC).Add(-time.Microsecond); !m.AsOf.Equal(want) || m.TimeZone != "Asia/Tokyo" {
		t.Errorf("as_of = %v in %s, want %v in Asia/Tokyo", m.AsOf, m.TimeZone, want)
	}
	if strings.Join(m.Actors, ",") != "BRA,FRA,USA" || strings.Join(m.Accords, ",") != "pall-mall-process,paris-call" {
		t.Errorf("actors %q, accords %q", m.Actors, m.Accords)
	}
	usa := m.Stances["USA"]["paris-call"]
	if usa.Stance != "declined" || !usa.Since.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) || usa.Sources != 1 || usa.ObservationID != "usa1" {
		t.Errorf("USA on paris-call = %+v", usa)
	}
	if _, ok := m.Stances["FRA"]["pall-mall-process"]; ok || len(m.Stances) != 3 {
		t.Errorf("stances = %+v, want no FRA pall-mall-process stance yet", m.Stances)
	}

	for _, args := range [][]string{{"--as-of", "March 4"}, {"--format", "xml"}, {"extra"}} {
		if code, _, errs := runCmd(t, "", append([]string{"stances", "--db", dsn}, args...)...); code != 2 {
			t.Errorf("stances %q: exit %d (%s), want 2", args, code, errs)
		}
	}
}
