// Package sqlstore implements store.Store on database/sql.
//
// It runs on SQLite through modernc.org/sqlite (pure Go, no cgo) and on
// PostgreSQL through pgx (github.com/jackc/pgx/v5/stdlib), with the same
// code: queries are written with ? placeholders and rebound per dialect
// ($1, $2, … on PostgreSQL), upserts use ON CONFLICT (...) DO NOTHING /
// DO UPDATE, times are BIGINT Unix microseconds (NULL for the zero time),
// text is sorted bytewise on both, and the schema lives in versioned
// migrations applied at open (see migrations.go). What cannot be portable,
// locking, lives in dialect methods (see postgres.go).
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/accordwatch/accordwatch/store"
)

var _ store.Store = (*Store)(nil)

// Store is a store.Store backed by an SQL database. It is safe for
// concurrent use by multiple goroutines.
type Store struct {
	db      *sql.DB
	dialect dialect
}

// Open opens (creating if needed) the database named by dsn and brings its
// schema up to date. dsn is one of:
//
//   - a file path, e.g. "./data/accordwatch.db";
//   - "sqlite://" and a path, e.g. "sqlite:///abs/path.db";
//   - an SQLite URI, e.g. "file:data/accordwatch.db?mode=rwc";
//   - ":memory:", a private in-memory database;
//   - a PostgreSQL URL, e.g. "postgres://user:pass@host:5432/db"; the
//     database must exist, and the user needs the right to create tables
//     in the first schema of its search_path.
//
// The parent directory of a database file is created if missing. SQLite
// databases are opened in WAL mode with a busy timeout, and use a single
// connection, so writes from many goroutines are serialised in-process.
// Several processes may share a database of either kind, and may open it
// for the first time at once.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, migrations)
}

// open is Open with the migrations to apply, for tests.
func open(ctx context.Context, dsn string, migs []string) (*Store, error) {
	t, err := parseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	if t.dir != "" && t.dir != "." {
		if err := os.MkdirAll(t.dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlstore: open: create directory: %w", err)
		}
	}
	// Two processes opening a new SQLite file at once race to switch it to
	// WAL, and that switch fails with "database is locked" without waiting
	// for busy_timeout: such an attempt is retried for a while.
	deadline := time.Now().Add(2 * busyTimeoutMillis * time.Millisecond)
	for attempt := 1; ; attempt++ {
		db, err := connect(ctx, t, migs)
		if err == nil {
			return &Store{db: db, dialect: t.dialect}, nil
		}
		if t.dialect != sqliteDialect || !isLocked(err) || time.Now().After(deadline) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("sqlstore: open: %w", ctx.Err())
		case <-time.After(time.Duration(attempt*20+rand.IntN(30)) * time.Millisecond):
		}
	}
}

// connect opens the database, checks the connection and applies migs.
func connect(ctx context.Context, t target, migs []string) (*sql.DB, error) {
	db, err := sql.Open(t.driver, t.driverDSN)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", t.driver, err)
	}
	t.dialect.configurePool(db)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open: connect: %w", err)
	}
	if err := migrate(ctx, db, t.dialect, migs); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	return db, nil
}

// isLocked reports whether err is SQLite's SQLITE_BUSY.
func isLocked(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sqlstore: close: %w", err)
	}
	return nil
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a transaction, committing if fn returns nil. fn must use
// only tx: with a single-connection pool, touching s.db would deadlock.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, s.dialect.txOptions())
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Times are stored as Unix microseconds; the zero time as NULL.

func toDB(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromDB(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// norm returns t as it will read back from the database.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

// PutArticle inserts a, or replaces the article with the same ID.
func (s *Store) PutArticle(ctx context.Context, a store.Article) error {
	if a.ID == "" {
		return errors.New("sqlstore: put article: empty ID")
	}
	authors := a.Authors
	if authors == nil {
		authors = []string{}
	}
	js, err := json.Marshal(authors)
	if err != nil {
		return fmt.Errorf("sqlstore: put article %q: encode authors: %w", a.ID, err)
	}
	_, err = s.db.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO articles (id, url, feed_url, outlet, title, authors, published, fetched, body, source, fetch_error)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	url = excluded.url, feed_url = excluded.feed_url, outlet = excluded.outlet, title = excluded.title,
	authors = excluded.authors, published = excluded.published, fetched = excluded.fetched,
	body = excluded.body, source = excluded.source, fetch_error = excluded.fetch_error`),
		a.ID, a.URL, a.FeedURL, a.Outlet, a.Title, string(js), toDB(a.Published), toDB(a.Fetched),
		a.Text, a.Source, a.FetchError)
	if err != nil {
		return fmt.Errorf("sqlstore: put article %q: %w", a.ID, err)
	}
	return nil
}

// Article returns the article with the given ID, or an error wrapping
// store.ErrNotFound.
func (s *Store) Article(ctx context.Context, id string) (store.Article, error) {
	var (
		a                  store.Article
		authors            string
		published, fetched sql.NullInt64
	)
	err := s.db.QueryRowContext(ctx, s.dialect.rebind(`
SELECT id, url, feed_url, outlet, title, authors, published, fetched, body, source, fetch_error
FROM articles WHERE id = ?`), id).Scan(
		&a.ID, &a.URL, &a.FeedURL, &a.Outlet, &a.Title, &authors, &published, &fetched,
		&a.Text, &a.Source, &a.FetchError)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Article{}, fmt.Errorf("sqlstore: article %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Article{}, fmt.Errorf("sqlstore: article %q: %w", id, err)
	}
	if err := json.Unmarshal([]byte(authors), &a.Authors); err != nil {
		return store.Article{}, fmt.Errorf("sqlstore: article %q: decode authors: %w", id, err)
	}
	if len(a.Authors) == 0 {
		a.Authors = nil
	}
	a.Published, a.Fetched = fromDB(published), fromDB(fetched)
	return a, nil
}

// PutQuote inserts q, or replaces the quote with the same ID.
func (s *Store) PutQuote(ctx context.Context, q store.Quote) error {
	if q.ID == "" {
		return errors.New("sqlstore: put quote: empty ID")
	}
	_, err := s.db.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO quotes (id, article_id, url, body, speaker, actor, start_offset, end_offset, published)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	article_id = excluded.article_id, url = excluded.url, body = excluded.body,
	speaker = excluded.speaker, actor = excluded.actor, start_offset = excluded.start_offset,
	end_offset = excluded.end_offset, published = excluded.published`),
		q.ID, q.ArticleID, q.URL, q.Text, q.Speaker, q.Actor, q.Start, q.End, toDB(q.Published))
	if err != nil {
		return fmt.Errorf("sqlstore: put quote %q: %w", q.ID, err)
	}
	return nil
}

// Quotes returns the quotes of an article ordered by Start (ties by ID).
func (s *Store) Quotes(ctx context.Context, articleID string) ([]store.Quote, error) {
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(`
SELECT id, article_id, url, body, speaker, actor, start_offset, end_offset, published
FROM quotes WHERE article_id = ? ORDER BY start_offset, `+s.dialect.bytewise("id")), articleID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: quotes of %q: %w", articleID, err)
	}
	defer rows.Close()
	var qs []store.Quote
	for rows.Next() {
		var (
			q         store.Quote
			published sql.NullInt64
		)
		if err := rows.Scan(&q.ID, &q.ArticleID, &q.URL, &q.Text, &q.Speaker, &q.Actor, &q.Start, &q.End, &published); err != nil {
			return nil, fmt.Errorf("sqlstore: quotes of %q: %w", articleID, err)
		}
		q.Published = fromDB(published)
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: quotes of %q: %w", articleID, err)
	}
	return qs, nil
}

// RecordObservation stores o and applies it to the current stance of
// (o.Actor, o.Accord) in one transaction; see store.Store for the rules.
//
// Concurrent calls on the same pair, from this process or others, take
// turns (see dialect.lockPair); calls on different pairs do not wait for
// each other on PostgreSQL.
func (s *Store) RecordObservation(ctx context.Context, o store.Observation) (store.Outcome, error) {
	switch {
	case o.ID == "":
		return store.Outcome{}, errors.New("sqlstore: record observation: empty ID")
	case o.Actor == "" || o.Accord == "" || o.Stance == "":
		return store.Outcome{}, fmt.Errorf("sqlstore: record observation %q: actor, accord and stance are required", o.ID)
	}
	if o.Observed.IsZero() {
		o.Observed = time.Now()
	}
	// Work with the times as they will read back, so that the Outcome
	// returned now equals the one a repeated call reads from the database.
	o.Published, o.Observed = norm(o.Published), norm(o.Observed)

	var out store.Outcome
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.dialect.lockPair(ctx, tx, o.Actor, o.Accord); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO observations (id, article_id, url, outlet, title, actor, accord, stance, historical,
	evidence, evidence_start, evidence_end, speaker, rule, confidence, published, observed, effective, contradicts)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`),
			o.ID, o.ArticleID, o.URL, o.Outlet, o.Title, o.Actor, o.Accord, o.Stance, o.Historical,
			o.Evidence, o.EvidenceStart, o.EvidenceEnd, o.Speaker, o.Rule, o.Confidence,
			toDB(o.Published), toDB(o.Observed), toDB(o.Effective()), false)
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if n == 0 {
			// Seen before: report what the first call did, or reinstate
			// the observation if it was retracted (see retract.go).
			out, err = s.rerecord(ctx, tx, o)
			return err
		}
		if o.Historical {
			return nil
		}
		out, err = s.apply(ctx, tx, o)
		return err
	})
	if err != nil {
		return store.Outcome{}, fmt.Errorf("sqlstore: record observation %q: %w", o.ID, err)
	}
	return out, nil
}

// outcomeOf returns what recording the observation with the given ID did
// the first time, as it was then.
func (s *Store) outcomeOf(ctx context.Context, q querier, observationID string) (store.Outcome, error) {
	c, err := s.changeByObservation(ctx, q, observationID)
	if err == nil {
		return store.Outcome{Change: &c}, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.Outcome{}, err
	}
	k, err := s.contradictionByObservation(ctx, q, observationID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Outcome{}, nil
	}
	if err != nil {
		return store.Outcome{}, err
	}
	k.ConfirmedBy = "" // as it was detected
	return store.Outcome{Contradiction: &k}, nil
}

// report is one observation of a stance, as counted for a change: its
// source and effective time.
type report struct {
	observationID string
	source        string
	effective     time.Time
}

// apply applies the new, non-historical observation o to the current
// stance of its actor and accord; see store.Store.RecordObservation for
// the rules.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, o store.Observation) (store.Outcome, error) {
	eff, src := o.Effective(), o.Source()
	self := report{observationID: o.ID, source: src, effective: eff}
	cur, curChange, err := s.current(ctx, tx, o.Actor, o.Accord)
	if errors.Is(err, store.ErrNotFound) {
		return s.change(ctx, tx, o, store.Current{}, []report{self})
	}
	if err != nil {
		return store.Outcome{}, err
	}
	windowStart, windowEnd := cur.Since.Add(-store.ContradictionWindow), cur.Since.Add(store.ContradictionWindow)

	if o.Stance == cur.Stance {
		if !eff.Before(windowStart) {
			if err := s.addSource(ctx, tx, curChange, self); err != nil {
				return store.Outcome{}, err
			}
		}
		return store.Outcome{}, nil
	}
	// Earlier reports of o.Stance flagged against the current stance
	// become sources of the change if o makes it current.
	reports, err := s.pendingReports(ctx, tx, cur.ObservationID, o.Stance)
	if err != nil {
		return store.Outcome{}, err
	}
	reports = append(reports, self)

	if !store.SamePolarity(o.Stance, cur.Stance) && !eff.Before(windowStart) && eff.Before(windowEnd) {
		own, err := s.hasSource(ctx, tx, curChange, src)
		if err != nil {
			return store.Outcome{}, err
		}
		if !own {
			// The same story told otherwise by another source: a
			// contradiction, unless it completes a pair of sources.
			if distinctSources(reports) >= 2 && slices.ContainsFunc(reports, func(r report) bool { return !r.effective.Before(cur.Since) }) {
				return s.change(ctx, tx, o, cur, reports)
			}
			return s.contradiction(ctx, tx, o, cur)
		}
	}
	if eff.Before(cur.Since) {
		return store.Outcome{}, nil // older than what we know: history only
	}
	return s.change(ctx, tx, o, cur, reports)
}

// distinctSources returns the number of distinct sources of rs.
func distinctSources(rs []report) int {
	seen := make(map[string]bool, len(rs))
	for _, r := range rs {
		seen[r.source] = true
	}
	return len(seen)
}

// change makes o's stance current, replacing cur (zero if there is none),
// and records the change with reports (o's included) as its sources.
func (s *Store) change(ctx context.Context, tx *sql.Tx, o store.Observation, cur store.Current, reports []report) (store.Outcome, error) {
	var since time.Time
	for _, r := range reports {
		if r.effective.Before(cur.Since) {
			continue
		}
		if since.IsZero() || r.effective.Before(since) {
			since = r.effective
		}
	}
	if since.IsZero() { // not reached: apply checks that a report is not older
		since = o.Effective()
	}
	c := store.Change{
		ID:            store.ChangeID(o.ID),
		Actor:         o.Actor,
		Accord:        o.Accord,
		Previous:      cur.Stance,
		PreviousSince: cur.Since,
		Stance:        o.Stance,
		Since:         since,
		Sources:       distinctSources(reports),
		Detected:      o.Observed,
		ObservationID: o.ID,
		Evidence:      o.Evidence,
		Speaker:       o.Speaker,
		URL:           o.URL,
		Outlet:        o.Outlet,
		Title:         o.Title,
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO current_stances (actor, accord, stance, since, observation_id, change_id) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (actor, accord) DO UPDATE SET
	stance = excluded.stance, since = excluded.since, observation_id = excluded.observation_id,
	change_id = excluded.change_id`),
		c.Actor, c.Accord, c.Stance, toDB(c.Since), c.ObservationID, c.ID); err != nil {
		return store.Outcome{}, fmt.Errorf("update current stance: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO stance_changes (id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title, sources)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Actor, c.Accord, c.Previous, toDB(c.PreviousSince), c.Stance, toDB(c.Since),
		c.Detected.UnixMicro(), c.ObservationID, c.Evidence, c.Speaker, c.URL, c.Outlet, c.Title, c.Sources); err != nil {
		return store.Outcome{}, fmt.Errorf("insert change: %w", err)
	}
	for _, r := range reports {
		if err := s.addSource(ctx, tx, c.ID, r); err != nil {
			return store.Outcome{}, err
		}
	}
	if cur.ObservationID != "" {
		if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
UPDATE contradictions SET confirmed_by = ? WHERE current_observation_id = ? AND stance = ?`),
			c.ID, cur.ObservationID, c.Stance); err != nil {
			return store.Outcome{}, fmt.Errorf("confirm contradictions: %w", err)
		}
	}
	return store.Outcome{Change: &c}, nil
}

// contradiction flags o as contradicting cur.
func (s *Store) contradiction(ctx context.Context, tx *sql.Tx, o store.Observation, cur store.Current) (store.Outcome, error) {
	k := store.Contradiction{
		ID:                   store.ContradictionID(o.ID),
		Actor:                o.Actor,
		Accord:               o.Accord,
		Current:              cur.Stance,
		CurrentSince:         cur.Since,
		CurrentObservationID: cur.ObservationID,
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
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO contradictions (id, actor, accord, current_stance, current_since, current_observation_id,
	stance, since, detected, observation_id, source, evidence, speaker, url, outlet, title, confirmed_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.Actor, k.Accord, k.Current, toDB(k.CurrentSince), k.CurrentObservationID,
		k.Stance, toDB(k.Since), k.Detected.UnixMicro(), k.ObservationID, o.Source(),
		k.Evidence, k.Speaker, k.URL, k.Outlet, k.Title, ""); err != nil {
		return store.Outcome{}, fmt.Errorf("insert contradiction: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`UPDATE observations SET contradicts = ? WHERE id = ?`), true, o.ID); err != nil {
		return store.Outcome{}, fmt.Errorf("flag contradiction: %w", err)
	}
	return store.Outcome{Contradiction: &k}, nil
}

// counted is the SQL condition that the change_sources row cs counts: its
// observation is not retracted.
const counted = `NOT EXISTS (SELECT 1 FROM observations ro WHERE ro.id = cs.observation_id AND ro.retracted)`

// addSource counts r as a source of the change changeID; a source already
// counted is not counted again. A source whose counted report was
// retracted is counted again with r.
func (s *Store) addSource(ctx context.Context, q querier, changeID string, r report) error {
	if _, err := q.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO change_sources AS cs (change_id, source, observation_id) VALUES (?, ?, ?)
ON CONFLICT (change_id, source) DO UPDATE SET observation_id = excluded.observation_id
WHERE NOT `+counted), changeID, r.source, r.observationID); err != nil {
		return fmt.Errorf("add source of %s: %w", changeID, err)
	}
	return nil
}

// hasSource reports whether source is counted among the sources of the
// change changeID.
func (s *Store) hasSource(ctx context.Context, q querier, changeID, source string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT 1 FROM change_sources cs WHERE cs.change_id = ? AND cs.source = ? AND `+counted),
		changeID, source).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read sources of %s: %w", changeID, err)
	}
	return true, nil
}

// pendingReports returns the reports of stance flagged as contradicting
// the current stance set by currentObservationID, retracted ones left out.
func (s *Store) pendingReports(ctx context.Context, q querier, currentObservationID, stance string) ([]report, error) {
	rows, err := q.QueryContext(ctx, s.dialect.rebind(`
SELECT k.observation_id, k.source, k.since FROM contradictions k
WHERE k.current_observation_id = ? AND k.stance = ?
	AND NOT EXISTS (SELECT 1 FROM observations ro WHERE ro.id = k.observation_id AND ro.retracted)
ORDER BY k.since, `+s.dialect.bytewise("k.observation_id")), currentObservationID, stance)
	if err != nil {
		return nil, fmt.Errorf("read contradictions: %w", err)
	}
	defer rows.Close()
	var rs []report
	for rows.Next() {
		var (
			r     report
			since sql.NullInt64
		)
		if err := rows.Scan(&r.observationID, &r.source, &since); err != nil {
			return nil, fmt.Errorf("read contradictions: %w", err)
		}
		r.effective = fromDB(since)
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read contradictions: %w", err)
	}
	return rs, nil
}

// changeColumns are the columns scanChange reads from stance_changes, with
// the number of sources as counted now.
const changeColumns = `id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title, corrects, sources,
	(SELECT COUNT(*) FROM change_sources cs WHERE cs.change_id = stance_changes.id AND ` + counted + `)`

// scanChange scans a row of changeColumns. Sources is the count now, or at
// the time of the change if atDetection is set.
func scanChange(sc interface{ Scan(...any) error }, atDetection bool) (store.Change, error) {
	var (
		c                    store.Change
		previousSince, since sql.NullInt64
		detected             int64
		sourcesThen          int
		sourcesNow           int
	)
	err := sc.Scan(&c.ID, &c.Actor, &c.Accord, &c.Previous, &previousSince, &c.Stance, &since, &detected,
		&c.ObservationID, &c.Evidence, &c.Speaker, &c.URL, &c.Outlet, &c.Title, &c.Corrects, &sourcesThen, &sourcesNow)
	if err != nil {
		return store.Change{}, err
	}
	c.PreviousSince, c.Since = fromDB(previousSince), fromDB(since)
	c.Detected = time.UnixMicro(detected).UTC()
	c.Sources = sourcesNow
	if atDetection {
		c.Sources = sourcesThen
	}
	return c, nil
}

// changeByObservation returns the change caused by recording an
// observation, as it was returned then, or store.ErrNotFound.
func (s *Store) changeByObservation(ctx context.Context, q querier, observationID string) (store.Change, error) {
	return s.changeByID(ctx, q, store.ChangeID(observationID))
}

// changeByID returns the change with the given ID, as it was returned when
// it was recorded, or store.ErrNotFound.
func (s *Store) changeByID(ctx context.Context, q querier, id string) (store.Change, error) {
	row := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+changeColumns+` FROM stance_changes WHERE id = ?`), id)
	c, err := scanChange(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Change{}, store.ErrNotFound
	}
	if err != nil {
		return store.Change{}, fmt.Errorf("read change: %w", err)
	}
	return c, nil
}

// contradictionColumns are the columns scanContradiction reads from
// contradictions.
const contradictionColumns = `id, actor, accord, current_stance, current_since, current_observation_id,
	stance, since, detected, observation_id, evidence, speaker, url, outlet, title, confirmed_by`

func scanContradiction(sc interface{ Scan(...any) error }) (store.Contradiction, error) {
	var (
		k                   store.Contradiction
		currentSince, since sql.NullInt64
		detected            int64
	)
	err := sc.Scan(&k.ID, &k.Actor, &k.Accord, &k.Current, &currentSince, &k.CurrentObservationID,
		&k.Stance, &since, &detected, &k.ObservationID, &k.Evidence, &k.Speaker, &k.URL, &k.Outlet, &k.Title, &k.ConfirmedBy)
	if err != nil {
		return store.Contradiction{}, err
	}
	k.CurrentSince, k.Since = fromDB(currentSince), fromDB(since)
	k.Detected = time.UnixMicro(detected).UTC()
	return k, nil
}

// contradictionByObservation returns the contradiction flagged for an
// observation, or store.ErrNotFound.
func (s *Store) contradictionByObservation(ctx context.Context, q querier, observationID string) (store.Contradiction, error) {
	row := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+contradictionColumns+` FROM contradictions WHERE observation_id = ?`), observationID)
	k, err := scanContradiction(row)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Contradiction{}, store.ErrNotFound
	}
	if err != nil {
		return store.Contradiction{}, fmt.Errorf("read contradiction: %w", err)
	}
	return k, nil
}

// currentColumns are the columns scanCurrent reads from current_stances,
// with the sources of the change that set the stance as counted now.
const currentColumns = `actor, accord, stance, since, observation_id,
	(SELECT COUNT(*) FROM change_sources cs WHERE cs.change_id = current_stances.change_id AND ` + counted + `)`

func scanCurrent(sc interface{ Scan(...any) error }) (store.Current, error) {
	var (
		c     store.Current
		since sql.NullInt64
	)
	if err := sc.Scan(&c.Actor, &c.Accord, &c.Stance, &since, &c.ObservationID, &c.Sources); err != nil {
		return store.Current{}, err
	}
	c.Since = fromDB(since)
	return c, nil
}

// current returns the current stance of (actor, accord) and the ID of the
// change that set it, or store.ErrNotFound.
func (s *Store) current(ctx context.Context, q querier, actor, accord string) (store.Current, string, error) {
	var changeID string
	row := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+currentColumns+`, change_id FROM current_stances WHERE actor = ? AND accord = ?`), actor, accord)
	c, err := scanCurrent(scanThen{row, []any{&changeID}})
	if errors.Is(err, sql.ErrNoRows) {
		return store.Current{}, "", store.ErrNotFound
	}
	if err != nil {
		return store.Current{}, "", fmt.Errorf("read current stance: %w", err)
	}
	return c, changeID, nil
}

// scanThen scans the columns of a row into the destinations of a scan
// function and then into more.
type scanThen struct {
	sc   interface{ Scan(...any) error }
	more []any
}

func (r scanThen) Scan(dest ...any) error {
	return r.sc.Scan(append(dest, r.more...)...)
}

// Current returns the current stance of actor on accord, or an error
// wrapping store.ErrNotFound.
func (s *Store) Current(ctx context.Context, actor, accord string) (store.Current, error) {
	c, _, err := s.current(ctx, s.db, actor, accord)
	if err != nil {
		return store.Current{}, fmt.Errorf("sqlstore: current stance of %q on %q: %w", actor, accord, err)
	}
	return c, nil
}

// CurrentAll returns every current stance, ordered by actor and accord.
func (s *Store) CurrentAll(ctx context.Context) ([]store.Current, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+currentColumns+` FROM current_stances ORDER BY `+
		s.dialect.bytewise("actor")+`, `+s.dialect.bytewise("accord"))
	return collect(rows, err, "current stances", func(r *sql.Rows) (store.Current, error) { return scanCurrent(r) })
}

// History returns every observation of actor on accord, oldest first by
// Effective, ties broken by Observed and then ID. Observations with no
// known time at all come first.
func (s *Store) History(ctx context.Context, actor, accord string) ([]store.Observation, error) {
	// The CASE puts NULLs first on every database (SQLite sorts them
	// first, PostgreSQL last).
	obs, err := s.observations(ctx, s.db, `WHERE actor = ? AND accord = ?
ORDER BY CASE WHEN effective IS NULL THEN 0 ELSE 1 END, effective,
	CASE WHEN observed IS NULL THEN 0 ELSE 1 END, observed, `+s.dialect.bytewise("id"), actor, accord)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: history of %q on %q: %w", actor, accord, err)
	}
	return obs, nil
}

// Changes returns the changes detected in [from, to), ordered by Detected
// and then ID. A zero from means "since the beginning".
func (s *Store) Changes(ctx context.Context, from, to time.Time) ([]store.Change, error) {
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(`SELECT `+changeColumns+`
FROM stance_changes WHERE detected >= ? AND detected < ? ORDER BY detected, `+s.dialect.bytewise("id")),
		from.UnixMicro(), to.UnixMicro())
	return collect(rows, err, "changes", func(r *sql.Rows) (store.Change, error) { return scanChange(r, false) })
}

// Contradictions returns the contradictions detected in [from, to), ordered
// by Detected and then ID. A zero from means "since the beginning".
func (s *Store) Contradictions(ctx context.Context, from, to time.Time) ([]store.Contradiction, error) {
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(`SELECT `+contradictionColumns+`
FROM contradictions WHERE detected >= ? AND detected < ? ORDER BY detected, `+s.dialect.bytewise("id")),
		from.UnixMicro(), to.UnixMicro())
	return collect(rows, err, "contradictions", func(r *sql.Rows) (store.Contradiction, error) { return scanContradiction(r) })
}

// collect reads every row of a query with scan and closes the rows; what
// names the query in errors. err is the query's own error.
func collect[T any](rows *sql.Rows, err error, what string, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: %s: %w", what, err)
	}
	return out, nil
}

// Seen reports whether the feed item key was marked seen.
func (s *Store) Seen(ctx context.Context, key string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.dialect.rebind(`SELECT 1 FROM seen_items WHERE item_key = ?`), key).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlstore: seen %q: %w", key, err)
	}
	return true, nil
}

// MarkSeen records that the feed item key of feedURL was processed. Marking
// a key again keeps the first record.
func (s *Store) MarkSeen(ctx context.Context, feedURL, key string) error {
	_, err := s.db.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO seen_items (item_key, feed_url, seen_at) VALUES (?, ?, ?)
ON CONFLICT (item_key) DO NOTHING`), key, feedURL, time.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("sqlstore: mark seen %q: %w", key, err)
	}
	return nil
}

// feedStateColumns are the columns scanned by scanFeedState, after url.
const feedStateColumns = `etag, last_modified, last_polled, last_success, last_error, failures,
	next_poll, interval_us, publish_gap_us, last_published`

// scanFeedState scans the feedStateColumns of one row into fs.
func scanFeedState(row interface{ Scan(...any) error }, fs *store.FeedState) error {
	var lastPolled, lastSuccess, nextPoll, lastPublished sql.NullInt64
	var interval, gap int64
	if err := row.Scan(&fs.ETag, &fs.LastModified, &lastPolled, &lastSuccess, &fs.LastError, &fs.Failures,
		&nextPoll, &interval, &gap, &lastPublished); err != nil {
		return err
	}
	fs.LastPolled, fs.LastSuccess = fromDB(lastPolled), fromDB(lastSuccess)
	fs.NextPoll, fs.LastPublished = fromDB(nextPoll), fromDB(lastPublished)
	fs.Interval, fs.PublishGap = time.Duration(interval)*time.Microsecond, time.Duration(gap)*time.Microsecond
	return nil
}

// FeedState returns the polling state of the feed at url, or
// store.FeedState{URL: url} if the feed is unknown.
func (s *Store) FeedState(ctx context.Context, url string) (store.FeedState, error) {
	fs := store.FeedState{URL: url}
	err := scanFeedState(s.db.QueryRowContext(ctx, s.dialect.rebind(`
SELECT `+feedStateColumns+` FROM feed_states WHERE url = ?`), url), &fs)
	if errors.Is(err, sql.ErrNoRows) {
		return store.FeedState{URL: url}, nil
	}
	if err != nil {
		return store.FeedState{}, fmt.Errorf("sqlstore: feed state %q: %w", url, err)
	}
	return fs, nil
}

// FeedStates returns the state of every feed polled so far, by URL.
func (s *Store) FeedStates(ctx context.Context) ([]store.FeedState, error) {
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(`
SELECT url, `+feedStateColumns+` FROM feed_states ORDER BY `+s.dialect.bytewise("url")))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed states: %w", err)
	}
	defer rows.Close()
	var out []store.FeedState
	for rows.Next() {
		var fs store.FeedState
		var url string
		if err := scanFeedState(scanWithURL{rows, &url}, &fs); err != nil {
			return nil, fmt.Errorf("sqlstore: feed states: %w", err)
		}
		fs.URL = url
		out = append(out, fs)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: feed states: %w", err)
	}
	return out, nil
}

// scanWithURL scans a leading url column before the feed state columns.
type scanWithURL struct {
	rows *sql.Rows
	url  *string
}

func (r scanWithURL) Scan(dest ...any) error {
	return r.rows.Scan(append([]any{r.url}, dest...)...)
}

// PutFeedState inserts or replaces the state of feed fs.URL.
func (s *Store) PutFeedState(ctx context.Context, fs store.FeedState) error {
	if fs.URL == "" {
		return errors.New("sqlstore: put feed state: empty URL")
	}
	_, err := s.db.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO feed_states (url, etag, last_modified, last_polled, last_success, last_error, failures,
	next_poll, interval_us, publish_gap_us, last_published)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET
	etag = excluded.etag, last_modified = excluded.last_modified, last_polled = excluded.last_polled,
	last_success = excluded.last_success, last_error = excluded.last_error, failures = excluded.failures,
	next_poll = excluded.next_poll, interval_us = excluded.interval_us,
	publish_gap_us = excluded.publish_gap_us, last_published = excluded.last_published`),
		fs.URL, fs.ETag, fs.LastModified, toDB(fs.LastPolled), toDB(fs.LastSuccess), fs.LastError, fs.Failures,
		toDB(fs.NextPoll), fs.Interval.Microseconds(), fs.PublishGap.Microseconds(), toDB(fs.LastPublished))
	if err != nil {
		return fmt.Errorf("sqlstore: put feed state %q: %w", fs.URL, err)
	}
	return nil
}
