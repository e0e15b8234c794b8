package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/storetest"
)

// TestSuite runs the behaviour suite on each backend, a new database for
// each test.
func TestSuite(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		if b.name == "postgres" && os.Getenv(postgresEnv) == "" {
			t.Skip(postgresSkip) // once, not for every test of the suite
		}
		storetest.Run(t, func(t *testing.T) store.Store {
			s, err := Open(context.Background(), b.newDSN(t))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			return s
		})
	})
}

func mustOpen(t *testing.T, dsn string, migs []string) *Store {
	t.Helper()
	s, err := open(context.Background(), dsn, migs)
	if err != nil {
		t.Fatalf("open(%q): %v", dsn, err)
	}
	return s
}

type migrationRow struct {
	version   int
	appliedAt int64
}

func migrationRows(t *testing.T, s *Store) []migrationRow {
	t.Helper()
	rows, err := s.db.Query(`SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var rs []migrationRow
	for rows.Next() {
		var r migrationRow
		if err := rows.Scan(&r.version, &r.appliedAt); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestReopenKeepsData(t *testing.T) { forEachBackend(t, testReopenKeepsData) }

func testReopenKeepsData(t *testing.T, b backend) {
	ctx := context.Background()
	path := b.newDSN(t)
	s := mustOpen(t, path, migrations)
	o := store.Observation{ID: "o1", Actor: "Germany", Accord: "Pall Mall Process", Stance: store.StanceSigned,
		Published: time.Date(2025, 3, 1, 10, 0, 0, 123456000, time.UTC), Observed: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)}
	first, err := s.RecordObservation(ctx, o)
	if err != nil || first.Change == nil {
		t.Fatalf("RecordObservation = %+v, %v; want a change", first, err)
	}
	if err := s.PutArticle(ctx, store.Article{ID: "a1", Title: "Kept", Authors: []string{"A"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSeen(ctx, "feed", "guid"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFeedState(ctx, store.FeedState{URL: "feed", ETag: "e1", Failures: 2}); err != nil {
		t.Fatal(err)
	}
	before := migrationRows(t, s)
	if len(before) != len(migrations) {
		t.Fatalf("schema_migrations has %d rows, want %d", len(before), len(migrations))
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = mustOpen(t, path, migrations)
	defer s.Close()
	if after := migrationRows(t, s); !reflect.DeepEqual(after, before) {
		t.Errorf("schema_migrations after reopen = %v, want unchanged %v", after, before)
	}
	if a, err := s.Article(ctx, "a1"); err != nil || a.Title != "Kept" || len(a.Authors) != 1 {
		t.Errorf("Article after reopen = %+v, %v", a, err)
	}
	if ok, err := s.Seen(ctx, "guid"); err != nil || !ok {
		t.Errorf("Seen after reopen = %v, %v; want true", ok, err)
	}
	if fs, err := s.FeedState(ctx, "feed"); err != nil || fs.ETag != "e1" || fs.Failures != 2 {
		t.Errorf("FeedState after reopen = %+v, %v", fs, err)
	}
	cur, err := s.Current(ctx, o.Actor, o.Accord)
	if err != nil || cur.ObservationID != "o1" || !cur.Since.Equal(o.Published) {
		t.Errorf("Current after reopen = %+v, %v", cur, err)
	}
	again, err := s.RecordObservation(ctx, o)
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("repeated RecordObservation after reopen = %+v, %v; want %+v", again, err, first)
	}
}

func TestMigrationsRunOnce(t *testing.T) { forEachBackend(t, testMigrationsRunOnce) }

func testMigrationsRunOnce(t *testing.T, b backend) {
	path := b.newDSN(t)
	mustOpen(t, path, migrations).Close()

	// A release adds a migration: only it runs. Plain CREATE TABLE fails if
	// run twice, so reopening below also proves nothing is re-applied.
	extended := append(migrations[:len(migrations):len(migrations)], `CREATE TABLE extra (x INTEGER)`)
	for range 2 {
		s := mustOpen(t, path, extended)
		rows := migrationRows(t, s)
		if len(rows) != len(extended) {
			t.Errorf("schema_migrations has %d rows, want %d", len(rows), len(extended))
		}
		for i, r := range rows {
			if r.version != i+1 {
				t.Errorf("schema_migrations row %d has version %d", i, r.version)
			}
		}
		if _, err := s.db.Exec(`INSERT INTO extra (x) VALUES (1)`); err != nil {
			t.Errorf("new migration not applied: %v", err)
		}
		s.Close()
	}

	// An older program refuses the newer schema.
	_, err := open(context.Background(), path, migrations)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("open with fewer migrations: error = %v, want schema-too-new error", err)
	}
}

// TestMigrationCountsExistingSources upgrades a version-1 database and
// checks the sources counted for its changes and current stance.
func TestMigrationCountsExistingSources(t *testing.T) {
	forEachBackend(t, testMigrationCountsExistingSources)
}

func testMigrationCountsExistingSources(t *testing.T, b backend) {
	ctx := context.Background()
	path := b.newDSN(t)
	s := mustOpen(t, path, migrations[:1])
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	h := int64(time.Hour / time.Microsecond)
	for _, o := range []struct {
		id, article, outlet, stance string
		historical                  bool
		effective                   int64
	}{
		{"o0", "art0", "Outlet A", "declined", false, t0.UnixMicro() - 200*h},
		{"o1", "art1", "Outlet A", "signed", false, t0.UnixMicro()},
		{"o2", "art2", "Outlet B", "signed", false, t0.UnixMicro() + h},
		{"o3", "art3", "Outlet A", "signed", false, t0.UnixMicro() + 2*h},   // same outlet
		{"o4", "art4", "Outlet C", "signed", true, t0.UnixMicro() + 3*h},    // historical
		{"o5", "art5", "Outlet D", "signed", false, t0.UnixMicro() - 100*h}, // before the window
		{"o6", "art6", "", "signed", false, t0.UnixMicro() + 4*h},           // no outlet: the article
		{"o7", "art7", "Outlet E", "opposes", false, t0.UnixMicro() + 5*h},  // another stance
	} {
		if _, err := s.db.Exec(s.dialect.rebind(`INSERT INTO observations (id, article_id, url, outlet, title, actor, accord, stance, historical,
	evidence, evidence_start, evidence_end, speaker, rule, confidence, published, observed, effective)
VALUES (?, ?, '', ?, '', 'BRA', 'pall-mall-process', ?, ?, '', 0, 0, '', '', 0, ?, ?, ?)`),
			o.id, o.article, o.outlet, o.stance, o.historical, o.effective, o.effective+h, o.effective); err != nil {
			t.Fatalf("insert %s: %v", o.id, err)
		}
	}
	if _, err := s.db.Exec(s.dialect.rebind(`INSERT INTO stance_changes (id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title) VALUES
	('chg-o0', 'BRA', 'pall-mall-process', '', NULL, 'declined', ?, ?, 'o0', '', '', '', 'Outlet A', ''),
	('chg-o1', 'BRA', 'pall-mall-process', 'declined', ?, 'signed', ?, ?, 'o1', '', '', '', 'Outlet A', '')`),
		t0.UnixMicro()-200*h, t0.UnixMicro()-199*h, t0.UnixMicro()-200*h, t0.UnixMicro(), t0.UnixMicro()+h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(s.dialect.rebind(`INSERT INTO current_stances (actor, accord, stance, since, observation_id)
VALUES ('BRA', 'pall-mall-process', 'signed', ?, 'o1')`), t0.UnixMicro()); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = mustOpen(t, path, migrations)
	defer s.Close()
	cur, err := s.Current(ctx, "BRA", "pall-mall-process")
	if err != nil || cur.Sources != 3 || cur.ObservationID != "o1" {
		t.Errorf("Current after migration = %+v, %v; want set by o1 with 3 sources (outlets A, B and article art6)", cur, err)
	}
	changes, err := s.Changes(ctx, time.Time{}, t0.Add(24*time.Hour))
	if err != nil || len(changes) != 2 || changes[0].Sources != 1 || changes[1].Sources != 3 {
		t.Errorf("Changes after migration = %+v, %v; want 1 and 3 sources", changes, err)
	}
	again, err := s.RecordObservation(ctx, store.Observation{ID: "o1", Actor: "BRA", Accord: "pall-mall-process", Stance: "signed"})
	if err != nil || again.Change == nil || again.Change.Sources != 1 {
		t.Errorf("repeated RecordObservation(o1) after migration = %+v, %v; want the change as detected, 1 source", again, err)
	}
	hist, err := s.History(ctx, "BRA", "pall-mall-process")
	if err != nil || len(hist) != 8 {
		t.Fatalf("History after migration = %d observations, %v; want 8", len(hist), err)
	}
	for _, o := range hist {
		if o.Contradicts {
			t.Errorf("observation %s flagged as a contradiction by the migration", o.ID)
		}
	}
	// A new report from outlet F corroborates; from outlet B (counted by
	// the migration), it does not count twice.
	for _, o := range []store.Observation{
		{ID: "n1", Outlet: "Outlet B", Published: t0.Add(6 * time.Hour)},
		{ID: "n2", Outlet: "Outlet F", Published: t0.Add(7 * time.Hour)},
	} {
		o.Actor, o.Accord, o.Stance = "BRA", "pall-mall-process", "signed"
		if out, err := s.RecordObservation(ctx, o); err != nil || out != (store.Outcome{}) {
			t.Errorf("RecordObservation(%s) = %+v, %v; want nothing", o.ID, out, err)
		}
	}
	if cur, err := s.Current(ctx, "BRA", "pall-mall-process"); err != nil || cur.Sources != 4 {
		t.Errorf("Current after new reports = %+v, %v; want 4 sources", cur, err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) { forEachBackend(t, testFailedMigrationRollsBack) }

func testFailedMigrationRollsBack(t *testing.T, b backend) {
	path := b.newDSN(t)
	bad := append(migrations[:len(migrations):len(migrations)], `CREATE TABLE half (x INTEGER)`, `NOT SQL`)
	if _, err := open(context.Background(), path, bad); err == nil {
		t.Fatal("open with a broken migration succeeded")
	}
	s := mustOpen(t, path, migrations[:len(migrations):len(migrations)])
	defer s.Close()
	if rows := migrationRows(t, s); len(rows) != len(migrations) {
		t.Errorf("schema_migrations has %d rows after a failed migration, want %d", len(rows), len(migrations))
	}
	q := `SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'`
	if s.dialect == postgresDialect {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'half'`
	}
	var n int
	err := s.db.QueryRow(q).Scan(&n)
	if err != nil || n != 0 {
		t.Errorf("table from the failed batch exists (count %d, err %v); want rolled back", n, err)
	}
}

func TestSQLiteSettings(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "a.db"), migrations)
	defer s.Close()
	for pragma, want := range map[string]string{
		"journal_mode": "wal",
		"busy_timeout": fmt.Sprint(busyTimeoutMillis),
		"synchronous":  "1", // NORMAL
	} {
		var got string
		if err := s.db.QueryRow(`PRAGMA ` + pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", pragma, err)
		}
		if !strings.EqualFold(got, want) {
			t.Errorf("PRAGMA %s = %q, want %q", pragma, got, want)
		}
	}
}

// TestTwoStoresOneDatabase stands in for two processes sharing a new
// database: both open it at once, and migrations must apply once; then
// both record observations of one pair. On SQLite the single-connection
// pool does not serialise them, busy_timeout and immediate transactions
// must; on PostgreSQL, the advisory locks of migrate and RecordObservation.
func TestTwoStoresOneDatabase(t *testing.T) { forEachBackend(t, testTwoStoresOneDatabase) }

func testTwoStoresOneDatabase(t *testing.T, b backend) {
	ctx := context.Background()
	path := b.newDSN(t)
	var stores [2]*Store
	var wg sync.WaitGroup
	var openErrs [2]error
	for i := range stores { // concurrent first open: migrations must apply once
		wg.Go(func() { stores[i], openErrs[i] = Open(ctx, path) })
	}
	wg.Wait()
	for i, err := range openErrs {
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		defer stores[i].Close()
	}
	errs := make(chan error, 64)
	for i, s := range stores {
		for w := range 4 {
			wg.Go(func() {
				for k := range 10 {
					o := store.Observation{
						ID: fmt.Sprintf("s%d-w%d-%d", i, w, k), Actor: "France", Accord: "Paris Call",
						Stance:    []string{store.StanceSupports, store.StanceSigned}[(i+w+k)%2],
						Published: time.Date(2025, 1, 1, 0, 0, i*100+w*10+k, 0, time.UTC),
						Observed:  time.Now(),
					}
					if _, err := s.RecordObservation(ctx, o); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	h, err := stores[0].History(ctx, "France", "Paris Call")
	if err != nil || len(h) != 80 {
		t.Errorf("History = %d observations, %v; want 80", len(h), err)
	}
	if rows := migrationRows(t, stores[1]); len(rows) != len(migrations) {
		t.Errorf("schema_migrations has %d rows, want %d", len(rows), len(migrations))
	}
	checkChangeChain(t, stores[1], "France", "Paris Call")
}

// checkChangeChain checks that the changes of (actor, accord) form one
// chain from the first stance, each starting from the stance and time the
// one before set, and that the chain ends at the current stance: no change
// was lost to a race.
func checkChangeChain(t *testing.T, s *Store, actor, accord string) {
	t.Helper()
	ctx := context.Background()
	changes, err := s.Changes(ctx, time.Time{}, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	type link struct {
		stance string
		since  time.Time
	}
	next := map[link]store.Change{}
	var first []store.Change
	n := 0
	for _, c := range changes {
		if c.Actor != actor || c.Accord != accord {
			continue
		}
		n++
		if c.Previous == "" {
			first = append(first, c)
			continue
		}
		l := link{c.Previous, c.PreviousSince}
		if dup, ok := next[l]; ok {
			t.Fatalf("changes %s and %s both follow (%s, %v): lost update", dup.ID, c.ID, l.stance, l.since)
		}
		next[l] = c
	}
	if len(first) != 1 {
		t.Fatalf("%d changes with no previous stance, want 1: %+v", len(first), first)
	}
	last, visited := first[0], 1
	for c, ok := next[link{last.Stance, last.Since}]; ok; c, ok = next[link{last.Stance, last.Since}] {
		last = c
		visited++
	}
	if visited != n {
		t.Errorf("chain from the first stance covers %d of %d changes", visited, n)
	}
	cur, err := s.Current(ctx, actor, accord)
	if err != nil || cur.ObservationID != last.ObservationID || cur.Stance != last.Stance {
		t.Errorf("Current = %+v, %v; want set by the last change of the chain %+v", cur, err, last)
	}
}

func TestOpenDSNForms(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		dsn  string
		file string // the database file Open must create
	}{
		{filepath.Join(dir, "plain", "a.db"), filepath.Join(dir, "plain", "a.db")},
		{"sqlite://" + filepath.Join(dir, "scheme", "b.db"), filepath.Join(dir, "scheme", "b.db")},
		{"file:" + filepath.Join(dir, "uri", "c.db") + "?mode=rwc", filepath.Join(dir, "uri", "c.db")},
		{"file://" + filepath.Join(dir, "uri2", "d%20e.db"), filepath.Join(dir, "uri2", "d e.db")},
	} {
		s, err := Open(ctx, tc.dsn)
		if err != nil {
			t.Errorf("Open(%q): %v", tc.dsn, err)
			continue
		}
		if err := s.MarkSeen(ctx, "f", "k"); err != nil {
			t.Errorf("Open(%q): write: %v", tc.dsn, err)
		}
		s.Close()
		if _, err := os.Stat(tc.file); err != nil {
			t.Errorf("Open(%q) did not create %s: %v", tc.dsn, tc.file, err)
		}
	}

	t.Run("relative", func(t *testing.T) {
		t.Chdir(t.TempDir())
		s, err := Open(ctx, "./data/accordwatch.db")
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join("data", "accordwatch.db")); err != nil {
			t.Error(err)
		}
	})

	t.Run("memory", func(t *testing.T) {
		s, err := Open(ctx, ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.MarkSeen(ctx, "f", "k"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.Seen(ctx, "k"); err != nil || !ok {
			t.Errorf("Seen = %v, %v; want the write visible", ok, err)
		}
	})

	for _, dsn := range []string{"", "postgres://u@localhost:notaport/db", "mysql://x", "a?b.db", "file:/x.db#frag", "sqlite://"} {
		if s, err := Open(ctx, dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", dsn)
		}
	}
}

func TestParseDSN(t *testing.T) {
	for _, tc := range []struct {
		dsn, driverDSN, dir string
	}{
		{"./data/accordwatch.db", "data/accordwatch.db?_txlock=immediate&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", "data"},
		{"sqlite:///abs/path.db", "/abs/path.db?_txlock=immediate&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", "/abs"},
		{"file:/abs/x.db?_txlock=deferred&_pragma=busy_timeout(10)&_journal_mode=DELETE", "file:/abs/x.db?_txlock=deferred&_pragma=busy_timeout(10)&_journal_mode=DELETE&_pragma=synchronous(NORMAL)", "/abs"},
		{"file://localhost/abs/y.db", "file://localhost/abs/y.db?_txlock=immediate&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", "/abs"},
		{"file:rel/z.db?", "file:rel/z.db?_txlock=immediate&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", "rel"},
		{"file::memory:", "file::memory:?_txlock=immediate&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)", ""},
	} {
		got, err := parseDSN(tc.dsn)
		if err != nil {
			t.Errorf("parseDSN(%q): %v", tc.dsn, err)
			continue
		}
		if got.driverDSN != tc.driverDSN || got.dir != tc.dir || got.dialect != sqliteDialect {
			t.Errorf("parseDSN(%q) = %+v, want driverDSN %q, dir %q", tc.dsn, got, tc.driverDSN, tc.dir)
		}
	}
}

func TestParsePostgresDSN(t *testing.T) {
	for _, dsn := range []string{
		"postgres://accordwatch:secret@localhost:5432/accordwatch?sslmode=disable",
		"postgresql://db.example/accordwatch?search_path=aw&application_name=accordwatch",
		"postgres:///accordwatch?host=/var/run/postgresql",
	} {
		got, err := parseDSN(dsn)
		if err != nil {
			t.Errorf("parseDSN(%q): %v", dsn, err)
			continue
		}
		if want := (target{dialect: postgresDialect, driver: "pgx", driverDSN: dsn}); got != want {
			t.Errorf("parseDSN(%q) = %+v, want %+v", dsn, got, want)
		}
	}
	_, err := parseDSN("postgres://accordwatch:secret@localhost:notaport/db")
	if err == nil {
		t.Fatal("parseDSN with a bad port succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("parse error shows the password: %v", err)
	}
}

// TestBytewiseOrder checks that text sorts by bytes on every backend, as
// on SQLite: PostgreSQL databases often sort linguistically ("a" < "B").
func TestBytewiseOrder(t *testing.T) { forEachBackend(t, testBytewiseOrder) }

func testBytewiseOrder(t *testing.T, b backend) {
	ctx := context.Background()
	s := mustOpen(t, b.newDSN(t), migrations)
	defer s.Close()
	ids := []string{"B", "a", "a-c", "ab", "b", "É"} // byte order
	for i := range ids {
		id := ids[len(ids)-1-i]
		if err := s.PutQuote(ctx, store.Quote{ID: id, ArticleID: "art"}); err != nil {
			t.Fatal(err)
		}
		o := store.Observation{ID: id, Actor: id, Accord: "X", Stance: store.StanceSigned, Observed: time.Unix(1, 0)}
		if _, err := s.RecordObservation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	qs, err := s.Quotes(ctx, "art")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, q.ID)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("Quotes order = %q, want %q", got, ids)
	}
	cs, err := s.CurrentAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, c := range cs {
		got = append(got, c.Actor)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("CurrentAll order = %q, want %q", got, ids)
	}
	changes, err := s.Changes(ctx, time.Time{}, time.Unix(2, 0))
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, c := range changes {
		got = append(got, c.ObservationID)
	}
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("Changes order = %q, want %q", got, ids)
	}
}

func TestRebind(t *testing.T) {
	q := `SELECT '?' FROM t -- why?
WHERE a = ? AND "b?" = ? AND c IN (?, ?)`
	if got := sqliteDialect.rebind(q); got != q {
		t.Errorf("sqlite rebind changed the query: %q", got)
	}
	want := `SELECT '?' FROM t -- why?
WHERE a = $1 AND "b?" = $2 AND c IN ($3, $4)`
	if got := postgresDialect.rebind(q); got != want {
		t.Errorf("postgres rebind =\n%s\nwant\n%s", got, want)
	}
}

func TestTimeEncoding(t *testing.T) {
	for _, tm := range []time.Time{
		{},
		time.Unix(0, 0), // the epoch is a real time, not "unknown"
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2025, 3, 10, 9, 30, 15, 123456789, time.FixedZone("CET", 3600)),
	} {
		if got, want := fromDB(toDB(tm)), norm(tm); got != want {
			t.Errorf("round trip of %v = %v, want %v", tm, got, want)
		}
	}
	if !fromDB(toDB(time.Time{})).IsZero() {
		t.Error("zero time did not round-trip as zero")
	}
	if fromDB(toDB(time.Unix(0, 0))).IsZero() {
		t.Error("the Unix epoch came back as the zero time")
	}
}

func TestRecordObservationValidates(t *testing.T) {
	forEachBackend(t, testRecordObservationValidates)
}

func testRecordObservationValidates(t *testing.T, b backend) {
	s := mustOpen(t, b.newDSN(t), migrations)
	defer s.Close()
	for _, o := range []store.Observation{
		{Actor: "A", Accord: "B", Stance: "signed"},
		{ID: "x", Accord: "B", Stance: "signed"},
		{ID: "x", Actor: "A", Stance: "signed"},
		{ID: "x", Actor: "A", Accord: "B"},
	} {
		if _, err := s.RecordObservation(context.Background(), o); err == nil {
			t.Errorf("RecordObservation(%+v) succeeded, want an error", o)
		}
	}
	if n := len(migrationRows(t, s)); n == 0 {
		t.Fatal("no migrations recorded")
	}
	var count int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM observations`).Scan(&count); err != nil || count != 0 {
		t.Errorf("observations stored = %d, %v; want 0", count, err)
	}
}

func TestContextCanceled(t *testing.T) { forEachBackend(t, testContextCanceled) }

func testContextCanceled(t *testing.T, b backend) {
	s := mustOpen(t, b.newDSN(t), migrations)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.RecordObservation(ctx, store.Observation{ID: "x", Actor: "A", Accord: "B", Stance: "signed"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RecordObservation with canceled context: error = %v, want context.Canceled", err)
	}
	if _, err := s.Current(context.Background(), "A", "B"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Current after canceled record: error = %v, want ErrNotFound", err)
	}
}
