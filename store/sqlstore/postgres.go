package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// PostgreSQL connection pool limits. Each RecordObservation holds one
// connection for its transaction, and the limit keeps a busy process from
// taking a large share of the server's max_connections (100 by default);
// idle connections are kept so that bursts of writes do not reconnect.
const (
	postgresMaxConns        = 16
	postgresConnMaxIdleTime = 5 * time.Minute
)

// Advisory lock keys. PostgreSQL keeps the one-bigint keys and the
// two-int4 keys of its advisory locks apart, so the migration lock cannot
// collide with a pair lock.
const (
	// migrationLockKey is "accwmigr" in ASCII.
	migrationLockKey int64 = 0x616363776d696772
	// pairLockClass is the first key of the lock on an (actor, accord)
	// pair, "accw" in ASCII; the second is pairLockKey.
	pairLockClass int32 = 0x61636377
)

// txOptions returns the options of the store's read-write transactions.
//
// On PostgreSQL they are explicitly READ COMMITTED, whatever the server's
// default_transaction_isolation: the locking in lockMigrations and
// lockPair relies on each statement seeing what was committed before it
// started, and so on a statement run after the lock was granted seeing
// everything the previous holder committed. Under REPEATABLE READ or
// SERIALIZABLE the snapshot would date from the lock statement itself,
// taken before the wait. SQLite has one writer at a time and needs nothing.
func (d dialect) txOptions() *sql.TxOptions {
	if d == postgresDialect {
		return &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	return nil
}

// configurePool sets the connection pool of db up for the dialect.
func (d dialect) configurePool(db *sql.DB) {
	switch d {
	case sqliteDialect:
		// SQLite allows one writer at a time. One connection serialises
		// every statement of this process, so "database is locked" can
		// only come from another process, and busy_timeout handles that.
		// It also keeps an in-memory database alive and shared.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	case postgresDialect:
		db.SetMaxOpenConns(postgresMaxConns)
		db.SetMaxIdleConns(postgresMaxConns)
		db.SetConnMaxIdleTime(postgresConnMaxIdleTime)
	}
}

// lockMigrations makes the migration transaction tx exclusive among the
// stores opening the same database, so that several processes starting at
// once apply each migration once and none of them fails half-way (even
// CREATE TABLE IF NOT EXISTS races on PostgreSQL's catalogs). It must be
// the first statement of tx.
//
// On PostgreSQL it takes a transaction-level advisory lock, released at
// commit or rollback. The lock covers the whole database, whatever the
// search_path, so stores migrating different schemas of one database take
// turns too; that costs a few milliseconds at start. On SQLite, BEGIN
// IMMEDIATE (_txlock=immediate) has already taken the database's write
// lock.
func (d dialect) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	if d != postgresDialect {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return fmt.Errorf("lock schema for migration: %w", err)
	}
	return nil
}

// lockPair serialises the RecordObservation transactions on one (actor,
// accord) pair. It must come before the transaction reads or writes
// anything.
//
// RecordObservation reads the pair's current stance, its sources and its
// pending contradictions, decides, and writes; two transactions doing that
// at once on the same pair would both decide from the same current stance
// and one change would be lost. Every row it touches belongs to the pair
// (or to the observation, whose ID is unique), so holding one lock per
// pair for the transaction makes it behave as if the observations of a
// pair were recorded one at a time, while different pairs proceed in
// parallel.
//
// On PostgreSQL the lock is a transaction-level advisory lock on
// (pairLockClass, pairLockKey(actor, accord)), released at commit or
// rollback; with READ COMMITTED (see txOptions), the statements after it
// see everything the previous holder committed. Alternatives considered:
//
//   - SERIALIZABLE with retries: correct, but concurrent reports of the
//     same story (the common case: several outlets at once) would abort
//     and redo each other, and false positives from predicate locks on
//     shared index pages would abort unrelated pairs too.
//   - SELECT … FOR UPDATE on current_stances: there is no row to lock
//     before the pair's first stance, which is exactly when several
//     outlets report at once.
//
// Two pairs whose keys collide merely take turns. On SQLite nothing is
// needed: the transaction took the database's write lock at BEGIN.
func (d dialect) lockPair(ctx context.Context, tx *sql.Tx, actor, accord string) error {
	if d != postgresDialect {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, pairLockClass, pairLockKey(actor, accord)); err != nil {
		return fmt.Errorf("lock %q on %q: %w", actor, accord, err)
	}
	return nil
}

// pairLockKey returns the advisory lock key of (actor, accord): FNV-1a of
// both, NUL-separated so that ("ab", "c") and ("a", "bc") differ. Every
// process computes the same key for the same pair.
func pairLockKey(actor, accord string) int32 {
	h := fnv.New32a()
	h.Write([]byte(actor))
	h.Write([]byte{0})
	h.Write([]byte(accord))
	return int32(h.Sum32())
}
