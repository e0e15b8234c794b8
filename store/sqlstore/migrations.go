package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations is the schema history: migrations[i] brings the schema from
// version i to version i+1. Append only; never edit a migration that has
// been released.
//
// The same list is applied on SQLite and PostgreSQL, so the SQL must run on
// both: TEXT, BIGINT, INTEGER, BOOLEAN and DOUBLE PRECISION columns only
// (BOOLEAN literals TRUE and FALSE), times as BIGINT Unix microseconds
// (NULL for the zero time), no AUTOINCREMENT/SERIAL, no INSERT OR
// IGNORE/REPLACE (ON CONFLICT instead), no SQLite-only functions, and no
// text ordering (ORDER BY, MIN, <) that the database's collation could
// change: PostgreSQL sorts text by it, SQLite by bytes. (Migration 2's
// MIN(o.id) predates PostgreSQL support; on PostgreSQL it always runs on
// an empty database, together with migration 1.) A migration may hold
// several statements separated by semicolons: it runs as one Exec without
// arguments, which pgx sends with the simple query protocol.
var migrations = []string{
	// 1: initial schema.
	`
CREATE TABLE articles (
	id          TEXT PRIMARY KEY,
	url         TEXT NOT NULL,
	feed_url    TEXT NOT NULL,
	outlet      TEXT NOT NULL,
	title       TEXT NOT NULL,
	authors     TEXT NOT NULL,
	published   BIGINT,
	fetched     BIGINT,
	body        TEXT NOT NULL,
	source      TEXT NOT NULL,
	fetch_error TEXT NOT NULL
);

CREATE TABLE quotes (
	id           TEXT PRIMARY KEY,
	article_id   TEXT NOT NULL,
	url          TEXT NOT NULL,
	body         TEXT NOT NULL,
	speaker      TEXT NOT NULL,
	actor        TEXT NOT NULL,
	start_offset INTEGER NOT NULL,
	end_offset   INTEGER NOT NULL,
	published    BIGINT
);
CREATE INDEX quotes_article_idx ON quotes (article_id, start_offset);

CREATE TABLE observations (
	id             TEXT PRIMARY KEY,
	article_id     TEXT NOT NULL,
	url            TEXT NOT NULL,
	outlet         TEXT NOT NULL,
	title          TEXT NOT NULL,
	actor          TEXT NOT NULL,
	accord         TEXT NOT NULL,
	stance         TEXT NOT NULL,
	historical     BOOLEAN NOT NULL,
	evidence       TEXT NOT NULL,
	evidence_start INTEGER NOT NULL,
	evidence_end   INTEGER NOT NULL,
	speaker        TEXT NOT NULL,
	rule           TEXT NOT NULL,
	confidence     DOUBLE PRECISION NOT NULL,
	published      BIGINT,
	observed       BIGINT,
	effective      BIGINT
);
CREATE INDEX observations_pair_idx ON observations (actor, accord, effective);

CREATE TABLE current_stances (
	actor          TEXT NOT NULL,
	accord         TEXT NOT NULL,
	stance         TEXT NOT NULL,
	since          BIGINT,
	observation_id TEXT NOT NULL,
	PRIMARY KEY (actor, accord)
);

CREATE TABLE stance_changes (
	id             TEXT PRIMARY KEY,
	actor          TEXT NOT NULL,
	accord         TEXT NOT NULL,
	previous       TEXT NOT NULL,
	previous_since BIGINT,
	stance         TEXT NOT NULL,
	since          BIGINT,
	detected       BIGINT NOT NULL,
	observation_id TEXT NOT NULL UNIQUE,
	evidence       TEXT NOT NULL,
	speaker        TEXT NOT NULL,
	url            TEXT NOT NULL,
	outlet         TEXT NOT NULL,
	title          TEXT NOT NULL
);
CREATE INDEX stance_changes_detected_idx ON stance_changes (detected);

CREATE TABLE seen_items (
	item_key TEXT PRIMARY KEY,
	feed_url TEXT NOT NULL,
	seen_at  BIGINT NOT NULL
);

CREATE TABLE feed_states (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL,
	last_modified TEXT NOT NULL,
	last_polled   BIGINT,
	last_success  BIGINT,
	last_error    TEXT NOT NULL,
	failures      INTEGER NOT NULL
);
`,
	// 2: corroborating sources and contradictions.
	//
	// change_sources holds the distinct sources (store.Observation.Source)
	// that reported the stance a change set, one row each, with the first
	// observation of each; stance_changes.sources is the count at the time
	// of the change. contradictions holds the flagged observations.
	//
	// Existing changes get their own observation's source, and current
	// stances the sources of the non-historical observations of the same
	// stance not older than since minus the 72-hour contradiction window
	// (259200000000 µs). Nothing older can be flagged as a contradiction
	// after the fact.
	`
ALTER TABLE observations ADD COLUMN contradicts BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE stance_changes ADD COLUMN sources INTEGER NOT NULL DEFAULT 1;

CREATE TABLE change_sources (
	change_id      TEXT NOT NULL,
	source         TEXT NOT NULL,
	observation_id TEXT NOT NULL,
	PRIMARY KEY (change_id, source)
);

CREATE TABLE contradictions (
	id                     TEXT PRIMARY KEY,
	actor                  TEXT NOT NULL,
	accord                 TEXT NOT NULL,
	current_stance         TEXT NOT NULL,
	current_since          BIGINT,
	current_observation_id TEXT NOT NULL,
	stance                 TEXT NOT NULL,
	since                  BIGINT,
	detected               BIGINT NOT NULL,
	observation_id         TEXT NOT NULL UNIQUE,
	source                 TEXT NOT NULL,
	evidence               TEXT NOT NULL,
	speaker                TEXT NOT NULL,
	url                    TEXT NOT NULL,
	outlet                 TEXT NOT NULL,
	title                  TEXT NOT NULL,
	confirmed_by           TEXT NOT NULL
);
CREATE INDEX contradictions_detected_idx ON contradictions (detected);
CREATE INDEX contradictions_current_idx ON contradictions (current_observation_id, stance);

INSERT INTO change_sources (change_id, source, observation_id)
SELECT c.id,
	CASE
		WHEN c.outlet <> '' THEN 'outlet:' || c.outlet
		WHEN o.article_id <> '' THEN 'article:' || o.article_id
		WHEN c.url <> '' THEN 'url:' || c.url
		ELSE 'observation:' || c.observation_id
	END,
	c.observation_id
FROM stance_changes c LEFT JOIN observations o ON o.id = c.observation_id;

INSERT INTO change_sources (change_id, source, observation_id)
SELECT 'chg-' || cs.observation_id,
	CASE
		WHEN o.outlet <> '' THEN 'outlet:' || o.outlet
		WHEN o.article_id <> '' THEN 'article:' || o.article_id
		WHEN o.url <> '' THEN 'url:' || o.url
		ELSE 'observation:' || o.id
	END,
	MIN(o.id)
FROM current_stances cs
JOIN observations o ON o.actor = cs.actor AND o.accord = cs.accord AND o.stance = cs.stance
WHERE NOT o.historical AND o.effective >= cs.since - 259200000000
GROUP BY 1, 2
ON CONFLICT (change_id, source) DO NOTHING;
`,
	// 3: feed scheduling: when a feed is due, its adapted interval and its
	// observed publishing rate (durations in microseconds).
	`
ALTER TABLE feed_states ADD COLUMN next_poll BIGINT;
ALTER TABLE feed_states ADD COLUMN interval_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE feed_states ADD COLUMN publish_gap_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE feed_states ADD COLUMN last_published BIGINT;
`,
	// 4: feeds added at run time (accordwatch feeds add and import), which
	// daemons poll besides the configured ones.
	`
CREATE TABLE feeds (
	url   TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	added BIGINT NOT NULL
);
`,
	// 5: retracted observations and the corrections they cause (see
	// store.Store.RetractObservation).
	//
	// observations.corrected is when an observation was last retracted or
	// reinstated, and correction_change the change that caused ('' for
	// none). current_stances.change_id names the change that set the
	// current stance, no longer always 'chg-' || observation_id: a
	// correction's stance rests on an observation that may have caused a
	// change of its own. For the same reason stance_changes is rebuilt
	// without the uniqueness of observation_id (a column constraint that
	// SQLite cannot drop), with the correction's corrected observation in
	// corrects ('' for an ordinary change).
	`
ALTER TABLE observations ADD COLUMN retracted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE observations ADD COLUMN corrected BIGINT;
ALTER TABLE observations ADD COLUMN correction_change TEXT NOT NULL DEFAULT '';
CREATE INDEX observations_article_idx ON observations (article_id);

ALTER TABLE current_stances ADD COLUMN change_id TEXT NOT NULL DEFAULT '';
UPDATE current_stances SET change_id = 'chg-' || observation_id;

CREATE TABLE stance_changes_v5 (
	id             TEXT PRIMARY KEY,
	actor          TEXT NOT NULL,
	accord         TEXT NOT NULL,
	previous       TEXT NOT NULL,
	previous_since BIGINT,
	stance         TEXT NOT NULL,
	since          BIGINT,
	detected       BIGINT NOT NULL,
	observation_id TEXT NOT NULL,
	evidence       TEXT NOT NULL,
	speaker        TEXT NOT NULL,
	url            TEXT NOT NULL,
	outlet         TEXT NOT NULL,
	title          TEXT NOT NULL,
	sources        INTEGER NOT NULL DEFAULT 1,
	corrects       TEXT NOT NULL DEFAULT ''
);
INSERT INTO stance_changes_v5 (id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title, sources)
SELECT id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title, sources
FROM stance_changes;
DROP TABLE stance_changes;
ALTER TABLE stance_changes_v5 RENAME TO stance_changes;
CREATE INDEX stance_changes_detected_idx ON stance_changes (detected);
CREATE INDEX stance_changes_observation_idx ON stance_changes (observation_id);
CREATE INDEX stance_changes_pair_idx ON stance_changes (actor, accord, since);
`,
}

// migrate brings the schema of db up to len(migs), applying the pending
// migrations and recording each in schema_migrations, all in one
// transaction. It fails if the database is newer than migs.
//
// Stores opening the same database at once take turns (see
// dialect.lockMigrations), so each migration is applied once, by the first,
// and the others find the schema up to date. On both databases DDL is
// transactional: a failed migration leaves the schema as it was.
func migrate(ctx context.Context, db *sql.DB, d dialect, migs []string) (err error) {
	tx, err := db.BeginTx(ctx, d.txOptions())
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := d.lockMigrations(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	applied_at BIGINT NOT NULL
)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migs) {
		return fmt.Errorf("database schema version %d is newer than this program's %d", version, len(migs))
	}
	now := time.Now().UnixMicro()
	for i := version; i < len(migs); i++ {
		if _, err := tx.ExecContext(ctx, migs[i]); err != nil {
			return fmt.Errorf("apply migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, d.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), i+1, now); err != nil {
			return fmt.Errorf("record migration %d: %w", i+1, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migrations: %w", err)
	}
	return nil
}
