// Package work carries jobs between accordwatch's stages on JetStream
// work-queue streams, so that several daemons connected to one NATS server
// share the work: each feed poll and each article is delivered to one
// worker, acknowledged only once it is done, redelivered with back-off when
// it fails or its worker dies, and moved to a dead-letter stream after too
// many attempts, where an operator can list it.
//
// Work subjects live outside the analysts' "accordwatch.>" hierarchy:
// "accordwatch-work.feed" and "accordwatch-work.item" for jobs,
// "accordwatch-dead.<stage>" for dead letters.
package work

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Streams, subjects and consumers.
const (
	StreamName     = "ACCORDWATCH_WORK"
	DeadStreamName = "ACCORDWATCH_DEAD"
	FeedSubject    = "accordwatch-work.feed"
	ItemSubject    = "accordwatch-work.item"
	DeadPrefix     = "accordwatch-dead"
	FeedConsumer   = "feed-workers"
	ItemConsumer   = "item-workers"
)

// Stages name the kinds of job, in dead letters.
const (
	StageFeed = "feed"
	StageItem = "item"
)

// Options tune the queues. Zero fields take the defaults.
type Options struct {
	// DuplicateWindow is how long the work stream remembers job ids: the
	// same feed poll or item queued again within it is dropped. Default 2h.
	DuplicateWindow time.Duration
	// AckWait is how long a job may go without news from its worker before
	// JetStream gives it to another one. Workers signal progress while
	// they work, so a dead worker's jobs come back after AckWait.
	// Default 1m.
	AckWait time.Duration
	// MaxDeliver is how many times a job is attempted before it becomes a
	// dead letter. Default 6.
	MaxDeliver int
	// BackOff is the delay before each new attempt of a failed job, by
	// attempt; the last value repeats. Default 10s, 30s, 2m, 10m, 30m.
	BackOff []time.Duration
	// DeadMaxAge is how long dead letters are kept. Default 30 days.
	DeadMaxAge time.Duration
}

func (o Options) withDefaults() Options {
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 2 * time.Hour
	}
	if o.AckWait <= 0 {
		o.AckWait = time.Minute
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 6
	}
	if len(o.BackOff) == 0 {
		o.BackOff = []time.Duration{10 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute}
	}
	if o.DeadMaxAge <= 0 {
		o.DeadMaxAge = 30 * 24 * time.Hour
	}
	return o
}

// Queue publishes and consumes jobs.
type Queue struct {
	js   jetstream.JetStream
	opts Options
	log  *slog.Logger
	// OnDead, if set, is called when a job becomes a dead letter.
	OnDead func(stage string)
}

// Open declares the work and dead-letter streams and the two durable
// consumers (idempotent: every daemon calls it at start) and returns a
// Queue on them.
func Open(ctx context.Context, js jetstream.JetStream, opts Options, log *slog.Logger) (*Queue, error) {
	opts = opts.withDefaults()
	if log == nil {
		log = slog.Default()
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "accordwatch jobs: feed polls and feed items, each taken by one daemon",
		Subjects:    []string{FeedSubject, ItemSubject},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.WorkQueuePolicy,
		Duplicates:  opts.DuplicateWindow,
	}); err != nil {
		return nil, fmt.Errorf("work: declaring stream %s: %w", StreamName, err)
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        DeadStreamName,
		Description: "accordwatch jobs that failed too often, for an operator to inspect",
		Subjects:    []string{DeadPrefix + ".>"},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      opts.DeadMaxAge,
	}); err != nil {
		return nil, fmt.Errorf("work: declaring stream %s: %w", DeadStreamName, err)
	}
	for _, c := range []struct{ name, subject string }{{FeedConsumer, FeedSubject}, {ItemConsumer, ItemSubject}} {
		if _, err := js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
			Durable:       c.name,
			FilterSubject: c.subject,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       opts.AckWait,
			// Attempts are bounded by Consume, which needs the message
			// once more to move it to the dead letters.
			MaxDeliver:    -1,
			MaxAckPending: 1000,
		}); err != nil {
			return nil, fmt.Errorf("work: declaring consumer %s: %w", c.name, err)
		}
	}
	return &Queue{js: js, opts: opts, log: log}, nil
}

// FeedJob asks for one poll of a feed.
type FeedJob struct {
	URL string `json:"url"`
	// Due is the time the poll was scheduled for; with the URL it makes
	// the job's id, so that daemons scheduling the same poll queue it once.
	Due time.Time `json:"due"`
}

// FeedJobID returns the message id of the poll of url due at due.
func FeedJobID(url string, due time.Time) string {
	return "feed:" + shortHash(url) + ":" + strconv.FormatInt(due.Unix(), 10)
}

// ItemJobID returns the message id of the item with the given key.
func ItemJobID(feedURL, key string) string {
	return "item:" + shortHash(feedURL+"\x00"+key)
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:12])
}

// PublishFeed queues a poll of url due at due. dup is true when the same
// poll was already queued (by this or another daemon).
func (q *Queue) PublishFeed(ctx context.Context, url string, due time.Time) (dup bool, err error) {
	return q.publish(ctx, FeedSubject, FeedJobID(url, due), FeedJob{URL: url, Due: due.UTC()})
}

// PublishItem queues job v (a feed item) under id ItemJobID(feedURL, key).
func (q *Queue) PublishItem(ctx context.Context, feedURL, key string, v any) (dup bool, err error) {
	return q.publish(ctx, ItemSubject, ItemJobID(feedURL, key), v)
}

func (q *Queue) publish(ctx context.Context, subject, id string, v any) (bool, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("work: encoding %s job: %w", subject, err)
	}
	msg := nats.NewMsg(subject)
	msg.Data = body
	ack, err := q.js.PublishMsg(ctx, msg, jetstream.WithMsgID(id))
	if err != nil {
		return false, fmt.Errorf("work: queueing %s job %s: %w", subject, id, err)
	}
	return ack.Duplicate, nil
}

// ErrPoison marks a job that can never succeed (it cannot be decoded): it
// becomes a dead letter at once.
var ErrPoison = errors.New("work: poison job")

// Handler does one job. A nil error acknowledges it; ErrPoison (wrapped)
// makes it a dead letter at once; any other error has it attempted again
// after a back-off, up to Options.MaxDeliver times.
type Handler func(ctx context.Context, data []byte) error

// Consume runs handle on the jobs of consumer (FeedConsumer or
// ItemConsumer), at most concurrency at a time, until ctx is done. Then it
// stops taking jobs and waits for those in hand, which run under work (a
// context that outlives ctx by the caller's grace period); jobs not
// acknowledged are redelivered later.
func (q *Queue) Consume(ctx, work context.Context, consumer string, concurrency int, handle Handler) error {
	stage := StageFeed
	if consumer == ItemConsumer {
		stage = StageItem
	}
	c, err := q.js.Consumer(ctx, StreamName, consumer)
	if err != nil {
		return fmt.Errorf("work: consumer %s: %w", consumer, err)
	}
	concurrency = max(1, concurrency)
	it, err := c.Messages(jetstream.PullMaxMessages(concurrency))
	if err != nil {
		return fmt.Errorf("work: consuming %s: %w", consumer, err)
	}
	go func() {
		<-ctx.Done()
		it.Stop()
	}()
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			q.log.Warn("work: waiting for jobs", "consumer", consumer, "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			// not started: leave it for redelivery.
			_ = msg.NakWithDelay(time.Second)
			return nil
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			q.handle(work, stage, msg, handle)
		}()
	}
}

// handle runs one job, keeping it alive while it runs, and settles it.
func (q *Queue) handle(ctx context.Context, stage string, msg jetstream.Msg, handle Handler) {
	attempt := uint64(1)
	if md, err := msg.Metadata(); err == nil {
		attempt = md.NumDelivered
	}
	if attempt > uint64(q.opts.MaxDeliver) {
		q.dead(ctx, stage, msg, attempt-1, errors.New("too many attempts (the worker may have died each time)"))
		return
	}
	done := make(chan struct{})
	go func() { // tell JetStream the job is in hand
		t := time.NewTicker(max(q.opts.AckWait/3, 100*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	err := safely(ctx, handle, msg.Data())
	close(done)
	switch {
	case err == nil:
		if aerr := msg.DoubleAck(ctx); aerr != nil {
			q.log.Warn("work: acknowledging job failed; it may run again", "stage", stage, "err", aerr)
		}
	case errors.Is(err, ErrPoison) || attempt >= uint64(q.opts.MaxDeliver):
		q.dead(ctx, stage, msg, attempt, err)
	default:
		delay := q.opts.BackOff[min(int(attempt)-1, len(q.opts.BackOff)-1)]
		q.log.Warn("work: job failed; it will be retried", "stage", stage, "attempt", attempt, "retry_in", delay, "err", err)
		_ = msg.NakWithDelay(delay)
	}
}

// safely runs handle, turning a panic into an error.
func safely(ctx context.Context, handle Handler, data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("work: job panicked: %v", r)
		}
	}()
	return handle(ctx, data)
}

// DeadLetter is a job that failed too often, as kept for operators.
type DeadLetter struct {
	Stage    string          `json:"stage"`
	MsgID    string          `json:"msg_id,omitempty"`
	Attempts uint64          `json:"attempts"`
	Error    string          `json:"error"`
	Failed   time.Time       `json:"failed"`
	Job      json.RawMessage `json:"job"`
}

// dead moves msg to the dead letters and removes it from the queue. If the
// dead letter cannot be stored, the job is left for redelivery instead.
func (q *Queue) dead(ctx context.Context, stage string, msg jetstream.Msg, attempts uint64, cause error) {
	dl := DeadLetter{Stage: stage, Attempts: attempts, Error: cause.Error(), Failed: time.Now().UTC(), Job: validJSON(msg.Data())}
	if h := msg.Headers(); h != nil {
		dl.MsgID = h.Get(jetstream.MsgIDHeader)
	}
	body, _ := json.Marshal(dl)
	out := nats.NewMsg(DeadPrefix + "." + stage)
	out.Data = body
	var opts []jetstream.PublishOpt
	if dl.MsgID != "" {
		opts = append(opts, jetstream.WithMsgID("dead:"+dl.MsgID))
	}
	if _, err := q.js.PublishMsg(ctx, out, opts...); err != nil {
		q.log.Error("work: storing dead letter failed; the job stays queued", "stage", stage, "err", err)
		_ = msg.NakWithDelay(q.opts.BackOff[len(q.opts.BackOff)-1])
		return
	}
	q.log.Error("work: job moved to dead letters", "stage", stage, "attempts", attempts, "err", cause)
	if q.OnDead != nil {
		q.OnDead(stage)
	}
	_ = msg.Term()
}

// validJSON returns data if it is JSON, else data as a JSON string.
func validJSON(data []byte) json.RawMessage {
	if json.Valid(data) {
		return json.RawMessage(data)
	}
	b, _ := json.Marshal(string(data))
	return b
}

// DeadLetters returns the dead letters kept in the stream, oldest first,
// of one stage ("" for all).
func DeadLetters(ctx context.Context, js jetstream.JetStream, stage string) ([]DeadLetter, error) {
	st, err := js.Stream(ctx, DeadStreamName)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("work: dead letters: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("work: dead letters: %w", err)
	}
	if info.State.Msgs == 0 {
		return nil, nil
	}
	subject := DeadPrefix + ".>"
	if stage != "" {
		subject = DeadPrefix + "." + stage
	}
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		return nil, fmt.Errorf("work: dead letters: %w", err)
	}
	var out []DeadLetter
	last := info.State.LastSeq
	for {
		msg, err := c.Next(jetstream.FetchMaxWait(2 * time.Second))
		if err != nil {
			if errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
				return out, nil
			}
			return out, fmt.Errorf("work: reading dead letters: %w", err)
		}
		var dl DeadLetter
		if err := json.Unmarshal(msg.Data(), &dl); err == nil {
			out = append(out, dl)
		}
		md, err := msg.Metadata()
		if err != nil || md.Sequence.Stream >= last {
			return out, nil
		}
	}
}

// publishRaw queues data as is, for tests of undecodable jobs.
func (q *Queue) publishRaw(ctx context.Context, subject, id string, data []byte) (bool, error) {
	msg := nats.NewMsg(subject)
	msg.Data = data
	ack, err := q.js.PublishMsg(ctx, msg, jetstream.WithMsgID(id))
	if err != nil {
		return false, err
	}
	return ack.Duplicate, nil
}
