package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresEnv names the environment variable that holds the DSN of the
// PostgreSQL database the tests run against. The tests create a schema of
// their own in it for each store and drop it afterwards, so the role needs
// the CREATE privilege on the database (its owner has it).
const postgresEnv = "ACCORDWATCH_TEST_POSTGRES"

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

var (
	// postgresAdmin is the connection to the database named by postgresEnv
	// that creates and drops the test schemas; it lives as long as the test
	// binary.
	postgresAdmin = sync.OnceValues(func() (*sql.DB, error) {
		db, err := sql.Open("pgx", os.Getenv(postgresEnv))
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	})
	// schemaPrefix makes the schema names of this test run unique: runs
	// sharing a database (CI jobs, developers) do not see each other.
	schemaPrefix = sync.OnceValue(func() string {
		b := make([]byte, 4)
		rand.Read(b)
		return fmt.Sprintf("accordwatch_test_%d_%s_", os.Getpid(), hex.EncodeToString(b))
	})
	schemaCount atomic.Int64
)

// newPostgresDSN creates a schema with a unique name in the database named
// by ACCORDWATCH_TEST_POSTGRES, drops it when t ends, and returns a DSN
// whose search_path is that schema alone: a new, empty database as far as
// the store can tell. It skips t if the variable is unset.
func newPostgresDSN(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		t.Skip(postgresSkip)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL (err %v)", postgresEnv, err)
	}
	admin, err := postgresAdmin()
	if err != nil {
		t.Fatalf("connect to %s: %v", postgresEnv, err)
	}
	schema := fmt.Sprint(schemaPrefix(), schemaCount.Add(1))
	quoted := pgx.Identifier{schema}.Sanitize()
	if _, err := admin.Exec(`CREATE SCHEMA ` + quoted); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		// Runs after the cleanups registered later, which close the stores.
		if _, err := admin.Exec(`DROP SCHEMA ` + quoted + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
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
	if !strings.HasPrefix(schema, schemaPrefix()) || !strings.Contains(dsn, "search_path="+schema) {
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
