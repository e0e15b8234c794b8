package daemon

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/pipeline/events"
)

// Scheduled digests: retries and time limits.
const (
	// digestAttempts is how many times a scheduled digest is tried (store
	// or NATS unavailable, disk full) before the run is given up;
	// digestRetry is the wait between two tries.
	digestAttempts = 5
	digestRetry    = 30 * time.Second
	// digestTimeout bounds one try, which a stop request does not cut
	// short: the stop waits for it as for the other jobs in hand.
	digestTimeout = ShutdownGrace
)

// runDigests builds the digest of the previous day at each time of the
// digest schedule (Config.Digest), until ctx is done. Without a schedule it
// returns at once. A digest being written or published when ctx ends is
// finished first (within digestTimeout).
func (d *Daemon) runDigests(ctx context.Context) {
	if d.Config.Digest.Schedule == "" {
		return
	}
	sched, err := d.Config.Digest.ParseSchedule()
	if err != nil { // Validate catches it, but a Config made in code may not be validated
		d.Log.Error("scheduled digests disabled", "err", err)
		return
	}
	loc := d.Config.DigestLocation()
	cat, err := catalog.Default()
	if err != nil {
		d.Log.Error("scheduled digests disabled: loading catalogs", "err", err)
		return
	}
	names := d.digestNames(cat)
	d.Log.Info("scheduled digests", "schedule", d.Config.Digest.Schedule, "zone", loc.String(),
		"dir", d.Config.DigestDir(), "formats", d.Config.Digest.Formats)
	for {
		at := sched.Next(time.Now().In(loc))
		if at.IsZero() { // as for "0 7 30 2 *": cron finds no time within five years
			d.Log.Warn("digest schedule has no next time", "schedule", d.Config.Digest.Schedule)
			return
		}
		if !sleep(ctx, time.Until(at)) {
			return
		}
		date := digestDate(at, loc)
		for attempt := 1; ; attempt++ {
			err := d.makeDigest(ctx, date, loc, names)
			if err == nil {
				break
			}
			d.Stats.Inc("digest_errors")
			if attempt == digestAttempts {
				d.Log.Error("scheduled digest failed; giving up until the next run", "date", date, "attempts", attempt, "err", err)
				break
			}
			d.Log.Warn("scheduled digest failed; retrying", "date", date, "attempt", attempt, "err", err)
			if !sleep(ctx, digestRetry) {
				return
			}
		}
	}
}

// digestDate returns the day that a run at at digests: the day before at,
// in loc.
func digestDate(at time.Time, loc *time.Location) string {
	y, m, dd := at.In(loc).Date()
	// Noon exists on every day in every zone; midnight may not.
	return time.Date(y, m, dd-1, 12, 0, 0, 0, loc).Format("2006-01-02")
}

// digestFile returns the file name of the digest of date in format.
func digestFile(date, format string) string { return "digest-" + date + "." + format }

// makeDigest builds the digest of date in loc, writes it in each configured
// format and publishes it, once across the daemons sharing NATS: its
// message id is the date. Once started it is not cut short by ctx, only by
// digestTimeout.
func (d *Daemon) makeDigest(ctx context.Context, date string, loc *time.Location, names func(kind, id string) string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), digestTimeout)
	defer cancel()
	feeds := make([]string, 0, len(d.Config.Feeds))
	for _, f := range d.Config.Feeds {
		feeds = append(feeds, f.URL)
	}
	dg, err := digest.Load(ctx, d.Store, date, loc, digest.Records{Names: names, Feeds: feeds}, time.Now())
	if err != nil {
		return err
	}

	dir := d.Config.DigestDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	for _, format := range d.Config.Digest.Formats {
		path := filepath.Join(dir, digestFile(date, format))
		if err := writeFileAtomic(path, func(w io.Writer) error { return digest.Write(w, dg, format) }); err != nil {
			return fmt.Errorf("digest: writing %s: %w", path, err)
		}
	}
	d.Stats.Inc("digests_written")

	subject := events.DigestSubject(date)
	dup, err := d.digestStored(ctx, subject)
	if err != nil {
		return err
	}
	if !dup {
		var body bytes.Buffer
		if err := digest.Write(&body, dg, "json"); err != nil {
			return err
		}
		dup, err = d.Publisher.Publish(ctx, subject, events.MsgID(events.KindDigest, date), json.RawMessage(body.Bytes()))
		if err != nil {
			return err
		}
	}
	if dup {
		d.Stats.Inc("digests_duplicate")
	} else {
		d.Stats.Inc("digests_published")
	}
	d.Log.Info("digest written", "date", date, "dir", dir, "formats", d.Config.Digest.Formats,
		"changes", len(dg.Changes), "contradictions", len(dg.Contradictions), "published", !dup)
	return nil
}

// digestStored reports whether the stream holds a message on subject
// already: the digest was published by another daemon or an earlier run.
// Publishing it again would be dropped by JetStream as a duplicate (its
// message id is the date), but a plain NATS subscriber would get the copy.
func (d *Daemon) digestStored(ctx context.Context, subject string) (bool, error) {
	st, err := d.JS.Stream(ctx, bus.StreamName)
	if err != nil {
		return false, fmt.Errorf("digest: %w", err)
	}
	switch _, err := st.GetLastMsgForSubject(ctx, subject); {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrMsgNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("digest: looking for %s in the stream: %w", subject, err)
	}
}

// digestNames looks up the display names of actors and accords in cat and
// of feeds in the configuration.
func (d *Daemon) digestNames(cat *catalog.Catalog) func(kind, id string) string {
	feeds := make(map[string]string, len(d.Config.Feeds))
	for _, f := range d.Config.Feeds {
		feeds[f.URL] = f.Name
	}
	return func(kind, id string) string {
		switch kind {
		case digest.KindActor:
			if a, ok := cat.Actor(id); ok {
				return a.Name
			}
		case digest.KindAccord:
			if a, ok := cat.Accord(id); ok {
				return a.Name
			}
		case digest.KindFeed:
			return feeds[id]
		}
		return ""
	}
}

// writeFileAtomic writes path through a temporary file in the same
// directory, renamed over path once complete and synced, so that a reader
// sees the old file or the new one, never part of one.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
