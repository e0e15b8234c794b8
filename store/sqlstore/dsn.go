package sqlstore

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// busyTimeoutMillis is how long an SQLite connection waits for a lock held
// by another connection (another process, typically) before failing.
const busyTimeoutMillis = 5000

// dialect captures what differs between the SQL databases the store runs
// on. Queries are written once, with ? placeholders, and adapted by
// rebind, bytewise and the locking methods in postgres.go.
type dialect struct {
	name string
	// dollar reports whether placeholders are $1, $2, … instead of ?.
	dollar bool
}

var (
	sqliteDialect   = dialect{name: "sqlite"}
	postgresDialect = dialect{name: "postgres", dollar: true}
)

// rebind rewrites the ? placeholders of query for the dialect. Question
// marks inside single-quoted literals, double-quoted identifiers and --
// comments are left alone.
func (d dialect) rebind(query string) string {
	if !d.dollar || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte // the quote character we are inside, or 0
	comment := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case comment:
			if c == '\n' {
				comment = false
			}
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			comment = true
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// bytewise returns the ORDER BY term that sorts the text expression expr by
// its bytes, as SQLite does by default. PostgreSQL sorts text by the
// database's collation (often linguistic, e.g. en_US, where "a" < "B" and
// punctuation is ignored), so there it asks for the "C" collation.
func (d dialect) bytewise(expr string) string {
	if d == postgresDialect {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// target is a parsed DSN: what to hand to sql.Open, and the directory that
// must exist before the database file can be created.
type target struct {
	dialect   dialect
	driver    string
	driverDSN string
	dir       string // "" when there is nothing to create
	inMemory  bool
}

// parseDSN understands:
//
//   - a file path: "./data/accordwatch.db", "/var/lib/accordwatch.db";
//   - "sqlite://" followed by a path: "sqlite:///abs/path.db" (absolute),
//     "sqlite://data/x.db" (relative);
//   - an SQLite URI: "file:data/x.db", "file:///abs/x.db?mode=rwc", passed
//     to the driver as is (percent-escapes and all);
//   - ":memory:" for a private in-memory database (tests, tools);
//   - a PostgreSQL URL, "postgres://" or "postgresql://", e.g.
//     "postgres://user:pass@host:5432/db?sslmode=disable", passed to pgx
//     as is (see parsePostgres).
func parseDSN(dsn string) (target, error) {
	switch {
	case dsn == "":
		return target{}, errors.New("empty DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return parsePostgres(dsn)
	case dsn == ":memory:":
		return target{dialect: sqliteDialect, driver: "sqlite", driverDSN: withSQLiteParams("file::memory:"), inMemory: true}, nil
	case strings.HasPrefix(dsn, "file:"):
		return parseFileURI(dsn)
	case strings.HasPrefix(dsn, "sqlite://"):
		path := strings.TrimPrefix(dsn, "sqlite://")
		if path == "" {
			return target{}, fmt.Errorf("DSN %q has no path", dsn)
		}
		return sqlitePath(path)
	case strings.Contains(dsn, "://"):
		return target{}, fmt.Errorf("unsupported DSN scheme in %q", dsn)
	default:
		return sqlitePath(dsn)
	}
}

// parsePostgres builds the target for a PostgreSQL URL. The URL goes to the
// pgx driver unchanged, so every pgx connection parameter works, and so do
// the libpq environment variables (PGPASSWORD, PGSSLMODE, …) and
// ~/.pgpass for what it leaves out. Query parameters pgx does not know are
// sent to the server as run-time settings, e.g. search_path=accordwatch or
// application_name=accordwatch.
//
// The URL is parsed here so that a malformed one fails before any
// connection attempt; pgx blanks the password out of its parse errors.
func parsePostgres(dsn string) (target, error) {
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return target{}, fmt.Errorf("PostgreSQL DSN: %w", err)
	}
	return target{dialect: postgresDialect, driver: "pgx", driverDSN: dsn}, nil
}

// sqlitePath builds the target for a plain file path.
func sqlitePath(path string) (target, error) {
	if strings.ContainsAny(path, "?#") {
		return target{}, fmt.Errorf("path %q contains '?' or '#'; use a percent-escaped file: URI instead", path)
	}
	path = filepath.Clean(path)
	return target{
		dialect:   sqliteDialect,
		driver:    "sqlite",
		driverDSN: withSQLiteParams(path),
		dir:       filepath.Dir(path),
	}, nil
}

// parseFileURI builds the target for an SQLite "file:" URI.
func parseFileURI(dsn string) (target, error) {
	if strings.Contains(dsn, "#") {
		return target{}, fmt.Errorf("DSN %q: fragments are not supported", dsn)
	}
	rest := strings.TrimPrefix(dsn, "file:")
	path, rawQuery, _ := strings.Cut(rest, "?")
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		return target{}, fmt.Errorf("DSN %q: bad query: %w", dsn, err)
	}
	if strings.HasPrefix(path, "//") {
		// file://authority/path: SQLite accepts only "" and "localhost".
		authority, p, _ := strings.Cut(path[2:], "/")
		if authority != "" && authority != "localhost" {
			return target{}, fmt.Errorf("DSN %q: unsupported authority %q", dsn, authority)
		}
		path = "/" + p
	}
	path, err = url.PathUnescape(path)
	if err != nil {
		return target{}, fmt.Errorf("DSN %q: bad path: %w", dsn, err)
	}
	t := target{dialect: sqliteDialect, driver: "sqlite", driverDSN: withSQLiteParams(dsn)}
	if path == "" || path == ":memory:" || query.Get("mode") == "memory" {
		t.inMemory = true
		return t, nil
	}
	t.dir = filepath.Dir(filepath.Clean(path))
	return t, nil
}

// withSQLiteParams appends the modernc.org/sqlite connection parameters the
// store relies on, unless dsn already sets them:
//
//   - _txlock=immediate: transactions take the write lock at BEGIN, so two
//     writers never deadlock upgrading read locks; busy_timeout covers the
//     wait.
//   - busy_timeout, journal_mode=WAL and synchronous=NORMAL (durable
//     enough with WAL, and much faster).
func withSQLiteParams(dsn string) string {
	_, rawQuery, _ := strings.Cut(dsn, "?")
	existing, _ := url.ParseQuery(rawQuery) // already validated or empty
	has := func(key, pragma string) bool {
		if existing.Has(key) {
			return true
		}
		for _, p := range existing["_pragma"] {
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), pragma) {
				return true
			}
		}
		return false
	}
	var add []string
	if !existing.Has("_txlock") {
		add = append(add, "_txlock=immediate")
	}
	if !has("_busy_timeout", "busy_timeout") && !existing.Has("_timeout") {
		add = append(add, "_pragma=busy_timeout("+strconv.Itoa(busyTimeoutMillis)+")")
	}
	if !has("_journal_mode", "journal_mode") && !existing.Has("_journal") {
		add = append(add, "_pragma=journal_mode(WAL)")
	}
	if !has("_synchronous", "synchronous") && !existing.Has("_sync") {
		add = append(add, "_pragma=synchronous(NORMAL)")
	}
	if len(add) == 0 {
		return dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
		if strings.HasSuffix(dsn, "?") || strings.HasSuffix(dsn, "&") {
			sep = ""
		}
	}
	return dsn + sep + strings.Join(add, "&")
}
