// Package pgtest gives tests of other packages a fresh PostgreSQL schema to
// run a store in, in the database named by ACCORDWATCH_TEST_POSTGRES (the
// one .ci/run creates).
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Env names the environment variable that holds the test database's DSN.
const Env = "ACCORDWATCH_TEST_POSTGRES"

// Example is a DSN for Env, as .ci/run sets it up.
const Example = "postgres://accordwatch:accordwatch@localhost:5432/accordwatch_test?sslmode=disable"

var (
	prefix = sync.OnceValue(func() string {
		b := make([]byte, 4)
		rand.Read(b)
		return fmt.Sprintf("accordwatch_it_%d_%s_", os.Getpid(), hex.EncodeToString(b))
	})
	count atomic.Int64
	admin = sync.OnceValues(func() (*sql.DB, error) { return sql.Open("pgx", os.Getenv(Env)) })
)

// Prefix returns the prefix of the schemas this process creates.
func Prefix() string { return prefix() }

// Available reports whether Env is set.
func Available() bool { return os.Getenv(Env) != "" }

// DSN creates a schema with a unique name in the database named by Env,
// drops it when t ends, and returns a DSN whose search_path is that schema:
// an empty database as far as a store can tell. It fails t if Env is unset
// or the database cannot be reached.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	u, err := url.Parse(base)
	if base == "" || err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL such as %s (got %q, %v)", Env, Example, base, err)
	}
	db, err := admin()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	schema := fmt.Sprint(prefix(), count.Add(1))
	quoted := pgx.Identifier{schema}.Sanitize()
	if _, err := db.Exec(`CREATE SCHEMA ` + quoted); err != nil {
		t.Fatalf("pgtest: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + quoted + ` CASCADE`); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
