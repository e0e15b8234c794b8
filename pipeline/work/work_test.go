package work

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
)

// startNATS starts a real NATS server with JetStream on a loopback port.
func startNATS(t *testing.T) string {
	t.Helper()
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return srv.ClientURL()
}

// openQueue connects a new client (as a separate daemon would) and opens
// the queues with fast test timings.
func openQueue(t *testing.T, url string) (*Queue, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Open(context.Background(), js, Options{
		AckWait: 500 * time.Millisecond, MaxDeliver: 3,
		BackOff: []time.Duration{50 * time.Millisecond},
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return q, js
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSharedWorkEachJobOnce runs three consumers, as three daemons would,
// and checks that every job is done exactly once and that a job queued
// again (same id) is dropped.
func TestSharedWorkEachJobOnce(t *testing.T) {
	url := startNATS(t)
	const n = 60
	var mu sync.Mutex
	done := map[string]int{}
	var total atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 3 {
		q, _ := openQueue(t, url)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = q.Consume(ctx, context.Background(), ItemConsumer, 4, func(_ context.Context, data []byte) error {
				var v struct{ Key string }
				if err := json.Unmarshal(data, &v); err != nil {
					return err
				}
				mu.Lock()
				done[v.Key]++
				mu.Unlock()
				total.Add(1)
				_ = w
				return nil
			})
		}()
	}
	pub, _ := openQueue(t, url)
	for i := range n {
		key := fmt.Sprintf("item-%d", i)
		for range 2 { // the second is a duplicate
			if _, err := pub.PublishItem(ctx, "http://feed", key, map[string]string{"Key": key}); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitUntil(t, "all jobs done", func() bool { return total.Load() >= n })
	time.Sleep(700 * time.Millisecond) // longer than AckWait: nothing comes back
	cancel()
	wg.Wait()
	if total.Load() != n {
		t.Errorf("%d jobs done, want %d", total.Load(), n)
	}
	for k, c := range done {
		if c != 1 {
			t.Errorf("%s done %d times", k, c)
		}
	}
}

// TestRetryThenDeadLetter checks back-off retries, the dead letter after
// too many attempts, poison jobs and the operator's listing.
func TestRetryThenDeadLetter(t *testing.T) {
	url := startNATS(t)
	q, js := openQueue(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var flaky, failing atomic.Int64
	var deadCalls atomic.Int64
	q.OnDead = func(string) { deadCalls.Add(1) }
	go q.Consume(ctx, context.Background(), ItemConsumer, 2, func(_ context.Context, data []byte) error {
		var v struct{ Kind string }
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%w: %v", ErrPoison, err)
		}
		switch v.Kind {
		case "flaky": // fails once, then works
			if flaky.Add(1) == 1 {
				return errors.New("temporary failure")
			}
			return nil
		case "failing":
			failing.Add(1)
			return errors.New("always fails")
		}
		return nil
	})
	for _, kind := range []string{"flaky", "failing"} {
		if _, err := q.PublishItem(ctx, "http://feed", kind, map[string]string{"Kind": kind}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := q.publishRaw(ctx, ItemSubject, "poison-1", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "two dead letters", func() bool { return deadCalls.Load() == 2 })
	if flaky.Load() != 2 {
		t.Errorf("flaky job ran %d times, want 2", flaky.Load())
	}
	if failing.Load() != 3 {
		t.Errorf("failing job ran %d times, want MaxDeliver = 3", failing.Load())
	}
	dls, err := DeadLetters(ctx, js, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 2 {
		t.Fatalf("dead letters = %+v, want 2", dls)
	}
	var sawPoison, sawFailing bool
	for _, dl := range dls {
		if dl.Stage != StageItem || dl.Error == "" || dl.Failed.IsZero() {
			t.Errorf("incomplete dead letter %+v", dl)
		}
		switch {
		case dl.MsgID == "poison-1":
			sawPoison = dl.Attempts == 1
		case string(dl.Job) == `{"Kind":"failing"}`:
			sawFailing = dl.Attempts == 3
		}
	}
	if !sawPoison || !sawFailing {
		t.Errorf("dead letters %+v: want the poison job after 1 attempt and the failing one after 3", dls)
	}
	// the queue is empty: nothing is retried any more.
	st, _ := js.Stream(ctx, StreamName)
	info, _ := st.Info(ctx)
	if info.State.Msgs != 0 {
		t.Errorf("%d jobs left in the queue", info.State.Msgs)
	}
}

// TestDeadWorkerJobComesBack takes a job and never settles it, as a killed
// daemon would; another consumer gets it after AckWait.
func TestDeadWorkerJobComesBack(t *testing.T) {
	url := startNATS(t)
	q1, js1 := openQueue(t, url)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := q1.PublishFeed(ctx, "http://feed", time.Unix(1000, 0)); err != nil {
		t.Fatal(err)
	}
	// the "dead" worker: fetch the job and walk away.
	c, err := js1.Consumer(ctx, StreamName, FeedConsumer)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := c.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for range batch.Messages() {
		got++
	}
	if got != 1 {
		t.Fatalf("fetched %d jobs", got)
	}
	q2, _ := openQueue(t, url)
	var ran atomic.Int64
	go q2.Consume(ctx, context.Background(), FeedConsumer, 1, func(_ context.Context, data []byte) error {
		var job FeedJob
		if err := json.Unmarshal(data, &job); err != nil || job.URL != "http://feed" {
			t.Errorf("job %s: %v", data, err)
		}
		ran.Add(1)
		return nil
	})
	waitUntil(t, "the job to come back", func() bool { return ran.Load() == 1 })
}

// TestSamePollQueuedOnce checks that daemons scheduling the same poll (same
// feed, same due time) queue it once, and a later poll again.
func TestSamePollQueuedOnce(t *testing.T) {
	url := startNATS(t)
	ctx := context.Background()
	due := time.Unix(1_700_000_000, 0)
	var dups int
	for range 3 {
		q, _ := openQueue(t, url)
		dup, err := q.PublishFeed(ctx, "http://feed", due)
		if err != nil {
			t.Fatal(err)
		}
		if dup {
			dups++
		}
	}
	if dups != 2 {
		t.Errorf("%d of 3 publications were duplicates, want 2", dups)
	}
	q, js := openQueue(t, url)
	if dup, err := q.PublishFeed(ctx, "http://feed", due.Add(15*time.Minute)); err != nil || dup {
		t.Errorf("next poll: dup %v err %v", dup, err)
	}
	st, _ := js.Stream(ctx, StreamName)
	info, _ := st.Info(ctx)
	if info.State.Msgs != 2 {
		t.Errorf("%d polls queued, want 2", info.State.Msgs)
	}
}
