package sqlstore

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/accordwatch/accordwatch/store/sqlstore/pgtest"
)

// postgresEnv names the environment variable that holds the DSN of the
// PostgreSQL database the tests run against. The tests create a schema of
// their own in it for each store and drop it afterwards, so the role needs
// the CREATE privilege on the database (its owner has it).
const postgresEnv = pgtest.Env

// postgresSkip is the message of the PostgreSQL tests that skip.
const postgresSkip = postgresEnv + " is not set: PostgreSQL tests skipped. To run them, point it at a database the tests may create schemas in, e.g.\n" +
	"\t" + postgresEnv + "='postgres://accordwatch:accordwatch@localhost:5432/accordwatch_test?sslmode=disable' go test ./store/...\n" +
	"(.ci/run shows how to set such a database up.)"

// backend is a database the tests run on.
type backend struct {
	name string
	// newDSN returns the DSN of a new, empty database for t, removed when
	// t ends. It skips t if the backend is not available.
	newDSN func(t *testing.T) string
}

var backends = []backend{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "data", "accordwatch.db") }},
	{"postgres", newPostgresDSN},
}

// forEachBackend runs fn as a subtest on each backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b) })
	}
}

// newPostgresDSN returns the DSN of a new, empty schema in the database
// named by postgresEnv (see package pgtest), skipping t if it is unset.
func newPostgresDSN(t *testing.T) string {
	t.Helper()
	if !pgtest.Available() {
		t.Skip(postgresSkip)
	}
	return pgtest.DSN(t)
}

// TestPostgresSchemaIsolation checks the test harness: a store opened on a
// DSN from newPostgresDSN works in its own schema.
func TestPostgresSchemaIsolation(t *testing.T) {
	dsn := newPostgresDSN(t)
	s := mustOpen(t, dsn, migrations)
	defer s.Close()
	var schema string
	if err := s.db.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(schema, pgtest.Prefix()) || !strings.Contains(dsn, "search_path="+schema) {
		t.Errorf("store works in schema %q, want the test's own (DSN %s)", schema, dsn)
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1`, schema).Scan(&n); err != nil || n == 0 {
		t.Errorf("%d tables in schema %s, %v; want the store's", n, schema, err)
	}
}

func TestPairLockKey(t *testing.T) {
	if pairLockKey("ab", "c") == pairLockKey("a", "bc") {
		t.Error(`pairLockKey("ab", "c") == pairLockKey("a", "bc")`)
	}
	// The key must not change between releases: processes of two versions
	// may share a database during an upgrade.
	if got, want := pairLockKey("Germany", "Pall Mall Process"), int32(1820433812); got != want {
		t.Errorf(`pairLockKey("Germany", "Pall Mall Process") = %d, want %d`, got, want)
	}
}
