package sqlstore

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// This file holds what re-analysing stored articles needs: listing them,
// reading an article's observations, retracting observations a new
// analysis no longer finds, reinstating those it finds again, and the
// corrections of current stances that follow (see
// store.Store.RetractObservation).

// ArticleIDs returns the IDs of the articles published since since (fetched
// since, when the publication time is unknown), oldest first, ties by ID.
// A zero since means every article; those with no time at all come first.
func (s *Store) ArticleIDs(ctx context.Context, since time.Time) ([]string, error) {
	const at = `COALESCE(published, fetched)`
	query := `SELECT id FROM articles`
	var args []any
	if !since.IsZero() {
		query += ` WHERE ` + at + ` >= ?`
		args = append(args, since.UnixMicro())
	}
	query += ` ORDER BY CASE WHEN ` + at + ` IS NULL THEN 0 ELSE 1 END, ` + at + `, ` + s.dialect.bytewise("id")
	rows, err := s.db.QueryContext(ctx, s.dialect.rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: article IDs: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: article IDs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: article IDs: %w", err)
	}
	return ids, nil
}

// Observations returns the observations found in an article, retracted
// ones included, ordered by EvidenceStart and then ID.
func (s *Store) Observations(ctx context.Context, articleID string) ([]store.Observation, error) {
	obs, err := s.observations(ctx, s.db, `WHERE article_id = ? ORDER BY evidence_start, `+s.dialect.bytewise("id"), articleID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: observations of %q: %w", articleID, err)
	}
	return obs, nil
}

// observationColumns are the columns scanObservation reads.
const observationColumns = `id, article_id, url, outlet, title, actor, accord, stance, historical,
	evidence, evidence_start, evidence_end, speaker, rule, confidence, published, observed, contradicts,
	retracted, corrected`

func scanObservation(sc interface{ Scan(...any) error }) (store.Observation, error) {
	var (
		o                              store.Observation
		published, observed, corrected sql.NullInt64
	)
	if err := sc.Scan(&o.ID, &o.ArticleID, &o.URL, &o.Outlet, &o.Title, &o.Actor, &o.Accord, &o.Stance,
		&o.Historical, &o.Evidence, &o.EvidenceStart, &o.EvidenceEnd, &o.Speaker, &o.Rule, &o.Confidence,
		&published, &observed, &o.Contradicts, &o.Retracted, &corrected); err != nil {
		return store.Observation{}, err
	}
	o.Published, o.Observed, o.Corrected = fromDB(published), fromDB(observed), fromDB(corrected)
	return o, nil
}

// observations returns the observations selected by where (a WHERE clause
// and its ORDER BY, with ? placeholders) and args.
func (s *Store) observations(ctx context.Context, q querier, where string, args ...any) ([]store.Observation, error) {
	rows, err := q.QueryContext(ctx, s.dialect.rebind(`SELECT `+observationColumns+` FROM observations `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var obs []store.Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		obs = append(obs, o)
	}
	return obs, rows.Err()
}

// observation returns the observation with the given ID and the change its
// last correction caused ("" for none), or store.ErrNotFound.
func (s *Store) observation(ctx context.Context, q querier, id string) (store.Observation, string, error) {
	var correction string
	row := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT `+observationColumns+`, correction_change FROM observations WHERE id = ?`), id)
	o, err := scanObservation(scanThen{row, []any{&correction}})
	if errors.Is(err, sql.ErrNoRows) {
		return store.Observation{}, "", store.ErrNotFound
	}
	if err != nil {
		return store.Observation{}, "", fmt.Errorf("read observation: %w", err)
	}
	return o, correction, nil
}

// RetractObservation withdraws an observation and corrects the current
// stance that rested on it; see store.Store for the rules.
func (s *Store) RetractObservation(ctx context.Context, id string, at time.Time) (*store.Change, error) {
	if id == "" {
		return nil, errors.New("sqlstore: retract observation: empty ID")
	}
	if at.IsZero() {
		at = time.Now()
	}
	at = norm(at)
	var out *store.Change
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// An observation's pair never changes, so it may be read before
		// the pair is locked; its state is read again once it is.
		o, _, err := s.observation(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.dialect.lockPair(ctx, tx, o.Actor, o.Accord); err != nil {
			return err
		}
		o, correction, err := s.observation(ctx, tx, id)
		if err != nil {
			return err
		}
		if o.Retracted {
			out, err = s.correction(ctx, tx, correction)
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
UPDATE observations SET retracted = ?, corrected = ?, correction_change = '' WHERE id = ?`), true, toDB(at), id); err != nil {
			return fmt.Errorf("retract: %w", err)
		}
		if o.Historical {
			return nil // it never counted
		}
		cur, curChange, err := s.current(ctx, tx, o.Actor, o.Accord)
		var curp *store.Current
		switch {
		case err == nil:
			curp = &cur
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		restedOn := false
		if curp != nil {
			if restedOn, err = s.restsOn(ctx, tx, cur, curChange, id); err != nil {
				return err
			}
		}
		if err := s.replaceSource(ctx, tx, o); err != nil {
			return err
		}
		if !restedOn {
			return nil
		}
		out, err = s.recompute(ctx, tx, o, curp, curChange, at, false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: retract observation %q: %w", id, err)
	}
	return out, nil
}

// rerecord handles RecordObservation of an ID already stored, in its
// transaction, the pair of o locked: it reinstates the observation if it
// was retracted, and otherwise returns what recording it, or its last
// correction, caused.
func (s *Store) rerecord(ctx context.Context, tx *sql.Tx, o store.Observation) (store.Outcome, error) {
	stored, correction, err := s.observation(ctx, tx, o.ID)
	if err != nil {
		return store.Outcome{}, err
	}
	if !stored.Retracted {
		if stored.Corrected.IsZero() {
			return s.outcomeOf(ctx, tx, o.ID)
		}
		c, err := s.correction(ctx, tx, correction)
		return store.Outcome{Change: c}, err
	}
	if stored.Actor != o.Actor || stored.Accord != o.Accord {
		// Not reached with IDs derived from the content, as the pipeline's
		// are; the stored observation's pair is the one to correct.
		if err := s.dialect.lockPair(ctx, tx, stored.Actor, stored.Accord); err != nil {
			return store.Outcome{}, err
		}
	}
	at := o.Observed
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
UPDATE observations SET retracted = ?, corrected = ?, correction_change = '' WHERE id = ?`), false, toDB(at), o.ID); err != nil {
		return store.Outcome{}, fmt.Errorf("reinstate: %w", err)
	}
	if stored.Historical {
		return store.Outcome{}, nil
	}
	cur, curChange, err := s.current(ctx, tx, stored.Actor, stored.Accord)
	var curp *store.Current
	switch {
	case err == nil:
		curp = &cur
	case !errors.Is(err, store.ErrNotFound):
		return store.Outcome{}, err
	}
	c, err := s.recompute(ctx, tx, stored, curp, curChange, at, true)
	return store.Outcome{Change: c}, err
}

// correction returns the change with the given ID, as it was recorded,
// or nil if id is "".
func (s *Store) correction(ctx context.Context, q querier, id string) (*store.Change, error) {
	if id == "" {
		return nil, nil
	}
	c, err := s.changeByID(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("correction %s: %w", id, err)
	}
	return &c, nil
}

// restsOn reports whether the current stance cur, set by the change
// curChange, rests on the observation id: the observation set it or is
// counted among its sources, or the observation that set it was retracted
// (the stance was kept on the strength of the other reports, all of which
// it rests on since).
func (s *Store) restsOn(ctx context.Context, q querier, cur store.Current, curChange, id string) (bool, error) {
	if cur.ObservationID == id {
		return true, nil
	}
	if ok, err := s.countedFor(ctx, q, curChange, id); ok || err != nil {
		return ok, err
	}
	setter, _, err := s.observation(ctx, q, cur.ObservationID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return setter.Retracted, err
}

// countedFor reports whether the observation is the report through which
// its source is counted for the change changeID.
func (s *Store) countedFor(ctx context.Context, q querier, changeID, observationID string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, s.dialect.rebind(`SELECT 1 FROM change_sources WHERE change_id = ? AND observation_id = ?`),
		changeID, observationID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read sources of %s: %w", changeID, err)
	}
	return true, nil
}

// replaceSource makes another report count for the sources the retracted
// observation o was counted as: for each change whose source o was, the
// earliest other report of the change's stance from the same source that
// still counts (neither historical nor retracted, not older than the
// change's Since minus the contradiction window), if there is one. The
// sources with none stay as they are, left out of the counts while o is
// retracted.
func (s *Store) replaceSource(ctx context.Context, tx *sql.Tx, o store.Observation) error {
	type row struct {
		changeID, source, stance string
		since                    time.Time
	}
	rows, err := tx.QueryContext(ctx, s.dialect.rebind(`
SELECT cs.change_id, cs.source, c.stance, c.since
FROM change_sources cs JOIN stance_changes c ON c.id = cs.change_id
WHERE cs.observation_id = ?`), o.ID)
	if err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	var counted []row
	for rows.Next() {
		var (
			r     row
			since sql.NullInt64
		)
		if err := rows.Scan(&r.changeID, &r.source, &r.stance, &since); err != nil {
			rows.Close()
			return fmt.Errorf("read sources: %w", err)
		}
		r.since = fromDB(since)
		counted = append(counted, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read sources: %w", err)
	}
	if len(counted) == 0 {
		return nil
	}
	others, err := s.counting(ctx, tx, o.Actor, o.Accord)
	if err != nil {
		return err
	}
	slices.SortFunc(others, func(a, b store.Observation) int {
		return cmp.Or(a.Effective().Compare(b.Effective()), cmp.Compare(a.ID, b.ID))
	})
	for _, r := range counted {
		from := r.since.Add(-store.ContradictionWindow)
		i := slices.IndexFunc(others, func(x store.Observation) bool {
			return x.Stance == r.stance && x.Source() == r.source && !x.Effective().Before(from)
		})
		if i < 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
UPDATE change_sources SET observation_id = ? WHERE change_id = ? AND source = ?`), others[i].ID, r.changeID, r.source); err != nil {
			return fmt.Errorf("replace source of %s: %w", r.changeID, err)
		}
	}
	return nil
}

// counting returns the observations of (actor, accord) that count toward
// its stance: neither historical nor retracted.
func (s *Store) counting(ctx context.Context, q querier, actor, accord string) ([]store.Observation, error) {
	obs, err := s.observations(ctx, q, `WHERE actor = ? AND accord = ? AND NOT historical AND NOT retracted`, actor, accord)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return obs, nil
}

// recompute replays the observations of the pair of trigger that count,
// and records a correction caused by trigger at at if the replay ends with
// a stance other than cur (nil: none), set by the change curChange. If it
// ends with the same stance, cur is kept, and the sources the replay
// counts for it are counted for curChange too. A retraction (reinstating
// false) recomputes because cur rested on trigger; a reinstatement only
// acts if trigger counts toward the replayed stance.
func (s *Store) recompute(ctx context.Context, tx *sql.Tx, trigger store.Observation, cur *store.Current, curChange string, at time.Time, reinstating bool) (*store.Change, error) {
	obs, err := s.counting(ctx, tx, trigger.Actor, trigger.Accord)
	if err != nil {
		return nil, err
	}
	r := replay(obs)
	if reinstating && !r.countsToward(trigger.ID) {
		return nil, nil
	}
	switch {
	case cur == nil && !r.set:
		return nil, nil
	case cur != nil && r.set && r.stance == cur.Stance:
		// Kept as it is, with the sources that still report it.
		for _, src := range r.sources {
			if err := s.addSource(ctx, tx, curChange, src); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	// The correction takes effect no earlier than the pair's last change.
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, s.dialect.rebind(`SELECT MAX(since) FROM stance_changes WHERE actor = ? AND accord = ?`),
		trigger.Actor, trigger.Accord).Scan(&last); err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	floor := fromDB(last)
	c := store.Change{
		ID:       correctionID(trigger.ID, at),
		Actor:    trigger.Actor,
		Accord:   trigger.Accord,
		Since:    floor,
		Detected: at,
		Corrects: trigger.ID,
	}
	if cur != nil {
		c.Previous, c.PreviousSince = cur.Stance, cur.Since
	}
	if r.set {
		by := r.by
		c.Stance, c.Sources, c.ObservationID = r.stance, distinctSources(r.sources), by.ID
		c.Evidence, c.Speaker, c.URL, c.Outlet, c.Title = by.Evidence, by.Speaker, by.URL, by.Outlet, by.Title
		if r.since.After(floor) {
			c.Since = r.since
		}
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO stance_changes (id, actor, accord, previous, previous_since, stance, since, detected,
	observation_id, evidence, speaker, url, outlet, title, sources, corrects)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, c.Actor, c.Accord, c.Previous, toDB(c.PreviousSince), c.Stance, toDB(c.Since),
		c.Detected.UnixMicro(), c.ObservationID, c.Evidence, c.Speaker, c.URL, c.Outlet, c.Title, c.Sources, c.Corrects); err != nil {
		return nil, fmt.Errorf("insert correction: %w", err)
	}
	if r.set {
		if _, err := tx.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO current_stances (actor, accord, stance, since, observation_id, change_id) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (actor, accord) DO UPDATE SET
	stance = excluded.stance, since = excluded.since, observation_id = excluded.observation_id,
	change_id = excluded.change_id`),
			c.Actor, c.Accord, c.Stance, toDB(c.Since), c.ObservationID, c.ID); err != nil {
			return nil, fmt.Errorf("update current stance: %w", err)
		}
		for _, src := range r.sources {
			if err := s.addSource(ctx, tx, c.ID, src); err != nil {
				return nil, err
			}
		}
	} else if _, err := tx.ExecContext(ctx, s.dialect.rebind(`DELETE FROM current_stances WHERE actor = ? AND accord = ?`),
		c.Actor, c.Accord); err != nil {
		return nil, fmt.Errorf("remove current stance: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.rebind(`UPDATE observations SET correction_change = ? WHERE id = ?`), c.ID, trigger.ID); err != nil {
		return nil, fmt.Errorf("record correction: %w", err)
	}
	return &c, nil
}

// correctionID returns the ID of the change caused by correcting (retracting
// or reinstating) the observation observationID at at: "chg-" and a hash
// of both, shaped like the ID of any other change.
func correctionID(observationID string, at time.Time) string {
	h := sha256.Sum256([]byte(observationID + "\x00correction\x00" + strconv.FormatInt(at.UnixMicro(), 10)))
	return "chg-" + hex.EncodeToString(h[:12])
}

// replayed is a pair's stance after its observations were replayed through
// the rules of RecordObservation (see apply), in memory.
type replayed struct {
	set     bool   // a stance is current
	stance  string // the current stance
	since   time.Time
	by      store.Observation // the observation that made it current
	sources []report          // its sources, the first report of each
	pending []pendingReport   // the reports flagged as contradicting it
}

// pendingReport is a report of stance flagged as a contradiction.
type pendingReport struct {
	stance string
	report
}

// replay replays obs, the observations of one pair that count, in the
// order RecordObservation recorded them (by Observed, then Effective,
// then ID), and returns the stance they leave current.
func replay(obs []store.Observation) replayed {
	obs = slices.Clone(obs)
	slices.SortFunc(obs, func(a, b store.Observation) int {
		return cmp.Or(a.Observed.Compare(b.Observed), a.Effective().Compare(b.Effective()), cmp.Compare(a.ID, b.ID))
	})
	var r replayed
	for _, o := range obs {
		r.apply(o)
	}
	return r
}

// apply applies o as Store.apply does to the database.
func (r *replayed) apply(o store.Observation) {
	eff, src := o.Effective(), o.Source()
	self := report{observationID: o.ID, source: src, effective: eff}
	if !r.set {
		r.change(o, []report{self})
		return
	}
	windowStart, windowEnd := r.since.Add(-store.ContradictionWindow), r.since.Add(store.ContradictionWindow)
	if o.Stance == r.stance {
		if !eff.Before(windowStart) {
			r.addSource(self)
		}
		return
	}
	var reports []report
	for _, p := range r.pending {
		if p.stance == o.Stance {
			reports = append(reports, p.report)
		}
	}
	reports = append(reports, self)
	if !store.SamePolarity(o.Stance, r.stance) && !eff.Before(windowStart) && eff.Before(windowEnd) && !r.hasSource(src) {
		if distinctSources(reports) >= 2 && slices.ContainsFunc(reports, func(x report) bool { return !x.effective.Before(r.since) }) {
			r.change(o, reports)
			return
		}
		r.pending = append(r.pending, pendingReport{stance: o.Stance, report: self})
		return
	}
	if eff.Before(r.since) {
		return
	}
	r.change(o, reports)
}

// change makes o's stance current, with reports as its sources, as
// Store.change does.
func (r *replayed) change(o store.Observation, reports []report) {
	var since time.Time
	for _, x := range reports {
		if x.effective.Before(r.since) {
			continue
		}
		if since.IsZero() || x.effective.Before(since) {
			since = x.effective
		}
	}
	if since.IsZero() {
		since = o.Effective()
	}
	*r = replayed{set: true, stance: o.Stance, since: since, by: o}
	for _, x := range reports {
		r.addSource(x)
	}
}

func (r *replayed) hasSource(source string) bool {
	return slices.ContainsFunc(r.sources, func(x report) bool { return x.source == source })
}

func (r *replayed) addSource(x report) {
	if !r.hasSource(x.source) {
		r.sources = append(r.sources, x)
	}
}

// countsToward reports whether the observation observationID made the
// replayed stance current or is counted among its sources.
func (r *replayed) countsToward(observationID string) bool {
	return r.set && (r.by.ID == observationID ||
		slices.ContainsFunc(r.sources, func(x report) bool { return x.observationID == observationID }))
}
