package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/feeds"
	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"github.com/accordwatch/accordwatch/pipeline/metrics"
	"github.com/accordwatch/accordwatch/pipeline/schedule"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/pipeline/work"
	"github.com/accordwatch/accordwatch/store"
)

// schedule queues the polls of feed f until ctx is done. Every daemon
// schedules every feed; a poll's job id is made of the feed and the time it
// is due, computed from the feed's shared state, so the daemons queue each
// poll once and one of them does it.
func (d *Daemon) schedule(ctx context.Context, f config.Feed) {
	interval := d.Config.Interval(f)
	recheck := min(max(interval/4, time.Second), 5*time.Minute)
	for {
		st, err := d.Store.FeedState(ctx, f.URL)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			d.Log.Warn("reading feed state failed; retrying", "feed", f.URL, "err", err)
			if !sleep(ctx, recheck) {
				return
			}
			continue
		}
		due := d.nextPoll(st)
		if !sleep(ctx, time.Until(due)) {
			return
		}
		dup, err := d.Queue.PublishFeed(ctx, f.URL, due)
		switch {
		case err != nil && ctx.Err() == nil:
			d.Log.Warn("queueing a poll failed; retrying", "feed", f.URL, "err", err)
		case err == nil && !dup:
			d.Stats.Inc("polls_queued")
		}
		if !sleep(ctx, recheck) {
			return
		}
	}
}

// nextPoll returns when the feed with state st is due: the NextPoll its
// last poll recorded (shared by every daemon through the store), or for a
// feed never polled the Unix epoch — at once, and the same id for all.
func (d *Daemon) nextPoll(st store.FeedState) time.Time {
	if st.NextPoll.IsZero() {
		if st.LastPolled.IsZero() {
			return time.Unix(0, 0)
		}
		return st.LastPolled // polled before NextPoll was kept: due now
	}
	return st.NextPoll.Truncate(time.Second)
}

// record updates st after a poll with outcome o: failures, last success
// and error, the adapted interval and the next poll (see package schedule).
func (d *Daemon) record(st *store.FeedState, o schedule.Outcome) {
	now := time.Now().UTC()
	interval := d.Config.PollInterval.D()
	for _, f := range d.Config.Feeds {
		if f.URL == st.URL && f.Interval > 0 {
			interval = f.Interval.D()
			o.Published = nil // a feed's own interval is kept as set
		}
	}
	h := schedule.Health{
		LastPolled: st.LastPolled, LastSuccess: st.LastSuccess, LastError: st.LastError,
		ConsecutiveFailures: st.Failures, NextPoll: st.NextPoll, Interval: st.Interval,
		PublishGap: st.PublishGap, LastPublished: st.LastPublished,
	}
	h.Record(d.policy(), interval, now, o)
	st.LastPolled, st.LastSuccess, st.LastError, st.Failures = h.LastPolled, h.LastSuccess, h.LastError, h.ConsecutiveFailures
	st.NextPoll, st.Interval, st.PublishGap, st.LastPublished = h.NextPoll, h.Interval, h.PublishGap, h.LastPublished
}

// policy is the scheduling policy of the configuration.
func (d *Daemon) policy() schedule.Policy {
	c := d.Config.Schedule
	p := schedule.Policy{MinInterval: c.MinInterval.D(), MaxInterval: c.MaxInterval.D(), MaxBackoff: c.MaxBackoff.D()}
	// An operator who sets a shorter poll_interval than the minimum wants
	// it: the minimum follows.
	minimum := p.MinInterval
	if minimum <= 0 {
		minimum = schedule.DefaultMinInterval
	}
	if pi := d.Config.PollInterval.D(); pi > 0 && pi < minimum {
		p.MinInterval = pi
	}
	return p
}

// sleep waits for d or until ctx is done; it reports whether ctx is live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// handleFeedJob does one queued poll.
func (d *Daemon) handleFeedJob(ctx context.Context, data []byte) error {
	var job work.FeedJob
	if err := json.Unmarshal(data, &job); err != nil || job.URL == "" {
		return fmt.Errorf("%w: feed job %.200q: %v", work.ErrPoison, data, err)
	}
	_, err := d.PollFeed(ctx, job.URL)
	var fe *feedError
	if errors.As(err, &fe) {
		// The feed itself failed: that is recorded in its state and the
		// schedule retries it; the job is done.
		return nil
	}
	return err
}

// feedError is a failure of the feed itself (fetch or parse), as opposed
// to a failure of accordwatch's own store or queue.
type feedError struct{ err error }

func (e *feedError) Error() string { return e.err.Error() }
func (e *feedError) Unwrap() error { return e.err }

// PollResult says what one poll did.
type PollResult struct {
	NotModified bool
	Items       int // items in the feed
	New         int // new items queued for processing
}

// PollFeed polls one feed and queues its new items for processing. The
// feed's validators (ETag, Last-Modified) are saved only once every new
// item is queued, so that an item not queued is seen again at the next
// poll. A failure of the feed itself is recorded in its state and returned
// wrapped in a *feedError.
func (d *Daemon) PollFeed(ctx context.Context, feedURL string) (PollResult, error) {
	var pr PollResult
	st, err := d.Store.FeedState(ctx, feedURL)
	if err != nil {
		return pr, fmt.Errorf("feed %s: reading state: %w", feedURL, err)
	}
	st.URL = feedURL
	d.Stats.Inc("feeds_polled")
	d.Metrics.FeedPolled()
	stop := d.Metrics.StartStage(metrics.StageFetchFeed)
	res, err := d.Poller.Poll(ctx, feedURL, st.ETag, st.LastModified)
	stop()
	if err != nil {
		kind := "parse"
		var fe *fetch.Error
		retryAfter := time.Duration(0)
		if errors.As(err, &fe) {
			kind = string(fe.Kind)
			retryAfter = fe.RetryAfter
		}
		d.Stats.Inc("feed_errors_" + kind)
		d.Metrics.FeedError(kind)
		d.record(&st, schedule.Outcome{Err: err, RetryAfter: retryAfter})
		d.Log.Warn("feed failed", "feed", feedURL, "err", err, "failures", st.Failures, "next_poll", st.NextPoll)
		if perr := d.Store.PutFeedState(context.WithoutCancel(ctx), st); perr != nil {
			return pr, fmt.Errorf("feed %s: saving state: %w", feedURL, perr)
		}
		return pr, &feedError{err}
	}
	if res.NotModified {
		d.Stats.Inc("feeds_not_modified")
		d.Metrics.FeedNotModified()
		pr.NotModified = true
		d.record(&st, schedule.Outcome{NotModified: true})
		return pr, d.Store.PutFeedState(ctx, st)
	}
	pr.Items = len(res.Feed.Items)
	for _, it := range res.Feed.Items {
		key := it.Key()
		if key == "" {
			d.Stats.Inc("items_without_key")
			continue
		}
		seen, err := d.Store.Seen(ctx, key)
		if err != nil {
			return pr, fmt.Errorf("feed %s: %w", feedURL, err)
		}
		if seen {
			continue
		}
		dup, err := d.Queue.PublishItem(ctx, feedURL, key, it)
		if err != nil {
			return pr, fmt.Errorf("feed %s: %w", feedURL, err)
		}
		if !dup {
			pr.New++
			d.Stats.Inc("items_queued")
		}
	}
	var published []time.Time
	for _, it := range res.Feed.Items {
		if !it.Published.IsZero() {
			published = append(published, it.Published)
		}
	}
	d.record(&st, schedule.Outcome{Published: published})
	st.ETag, st.LastModified = res.ETag, res.LastModified
	if err := d.Store.PutFeedState(context.WithoutCancel(ctx), st); err != nil {
		return pr, fmt.Errorf("feed %s: saving state: %w", feedURL, err)
	}
	return pr, nil
}

// handleItemJob processes one queued feed item: fetch its page, analyse it,
// publish the events, mark it seen. An item already seen is skipped.
func (d *Daemon) handleItemJob(ctx context.Context, data []byte) error {
	var it feeds.Item
	if err := json.Unmarshal(data, &it); err != nil || it.Key() == "" {
		return fmt.Errorf("%w: item job %.200q: %v", work.ErrPoison, data, err)
	}
	seen, err := d.Store.Seen(ctx, it.Key())
	if err != nil {
		return fmt.Errorf("item %s: %w", it.Key(), err)
	}
	if seen {
		d.Stats.Inc("items_already_seen")
		return nil
	}
	if _, err := d.Processor.Process(ctx, it); err != nil {
		d.Stats.Inc("item_errors")
		d.Log.Error("item failed; it will be retried", "feed", it.FeedURL, "url", it.Link, "err", err)
		return err
	}
	d.Stats.Inc("items_processed")
	if err := d.Store.MarkSeen(ctx, it.FeedURL, it.Key()); err != nil {
		return fmt.Errorf("marking %s seen: %w", it.Key(), err)
	}
	return nil
}

// runWorkers consumes feed and item jobs until ctx is done, then waits for
// the jobs in hand, which run under work.
func (d *Daemon) runWorkers(ctx, workCtx context.Context) {
	var wg sync.WaitGroup
	for _, c := range []struct {
		name string
		n    int
		h    work.Handler
	}{
		{work.FeedConsumer, max(1, d.Config.Workers/2), d.handleFeedJob},
		{work.ItemConsumer, max(1, d.Config.Workers), d.handleItemJob},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.Queue.Consume(ctx, workCtx, c.name, c.n, c.h); err != nil {
				d.Log.Error("worker stopped", "consumer", c.name, "err", err)
			}
		}()
	}
	wg.Wait()
}

// natsReady is the readiness check of the NATS connection.
func (d *Daemon) natsReady(ctx context.Context) error {
	if !d.NC.IsConnected() {
		return fmt.Errorf("NATS connection is %v", d.NC.Status())
	}
	return nil
}

// storeReady is the readiness check of the store: a read succeeds.
func (d *Daemon) storeReady(ctx context.Context) error {
	_, err := d.Store.FeedState(ctx, "readiness-check")
	return err
}

// consumerStats reports the backlog of the daemon's durable consumers.
func (d *Daemon) consumerStats(ctx context.Context) (map[string]metrics.ConsumerStats, error) {
	out := map[string]metrics.ConsumerStats{}
	for _, c := range []struct{ stream, name string }{
		{bus.StreamName, sink.ConsumerName}, {work.StreamName, work.FeedConsumer}, {work.StreamName, work.ItemConsumer},
	} {
		cons, err := d.JS.Consumer(ctx, c.stream, c.name)
		if err != nil {
			return nil, err
		}
		info, err := cons.Info(ctx)
		if err != nil {
			return nil, err
		}
		out[c.name] = metrics.ConsumerStats{Pending: info.NumPending, AckPending: uint64(info.NumAckPending)}
	}
	return out, nil
}

// feedsFailing counts the feeds whose last poll failed.
func (d *Daemon) feedsFailing(ctx context.Context) (int, error) {
	states, err := d.Store.FeedStates(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range states {
		if s.Failures > 0 {
			n++
		}
	}
	return n, nil
}
