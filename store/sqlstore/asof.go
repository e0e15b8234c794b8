package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// CurrentAsOf returns the current stance of every pair as it stood at t,
// ordered by actor and accord; see store.Store for the rules.
//
// A change never sets a stance that took effect before the one it
// replaces, so a pair's changes ordered by Since (ties by Detected, then
// ID) are the order in which they replaced one another, and the last one
// not after t is the stance in effect at t. A change whose Since is
// unknown counts as in effect from the beginning, and a correction to no
// stance (Stance "") leaves the pair out from its Since. The selection is made
// here rather than in SQL, where comparing IDs would depend on the
// database's collation.
func (s *Store) CurrentAsOf(ctx context.Context, t time.Time) ([]store.Current, error) {
	at := t.UnixMicro()
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(`
SELECT c.actor, c.accord, c.stance, c.since, c.observation_id,
	(SELECT COUNT(*) FROM change_sources cs JOIN observations o ON o.id = cs.observation_id
	 WHERE cs.change_id = c.id AND o.effective <= ? AND NOT o.retracted)
FROM stance_changes c
WHERE c.since IS NULL OR c.since <= ?
ORDER BY `+s.dialect.bytewise("c.actor")+`, `+s.dialect.bytewise("c.accord")+`,
	CASE WHEN c.since IS NULL THEN 0 ELSE 1 END, c.since, c.detected, `+s.dialect.bytewise("c.id")), at, at)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: current stances as of %v: %w", t, err)
	}
	defer rows.Close()
	var cs []store.Current
	for rows.Next() {
		var (
			c     store.Current
			since sql.NullInt64
		)
		if err := rows.Scan(&c.Actor, &c.Accord, &c.Stance, &since, &c.ObservationID, &c.Sources); err != nil {
			return nil, fmt.Errorf("sqlstore: current stances as of %v: %w", t, err)
		}
		c.Since = fromDB(since)
		// Rows come grouped by pair, oldest change first: a later change
		// of the same pair replaces the one before.
		if n := len(cs); n > 0 && cs[n-1].Actor == c.Actor && cs[n-1].Accord == c.Accord {
			cs[n-1] = c
			continue
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: current stances as of %v: %w", t, err)
	}
	// A correction that left no stance (Stance "") removed the pair's.
	return slices.DeleteFunc(cs, func(c store.Current) bool { return c.Stance == "" }), nil
}
