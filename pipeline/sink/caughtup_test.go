package sink

import (
	"context"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/events"
)

func TestCaughtUp(t *testing.T) {
	ctx := context.Background()
	s, _, js := testSinkJS(t)
	if _, err := CaughtUp(ctx, js); err == nil {
		t.Fatal("CaughtUp without the sink's consumer: no error")
	}
	cons, err := Consumer(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CaughtUp(ctx, js); err != nil || !ok {
		t.Fatalf("empty stream: CaughtUp = %v, %v; want true", ok, err)
	}

	// A message for the sink that it has not handled yet.
	r := events.Retraction{ID: "obs-1", ObservationID: "obs-1", Actor: "USA", Accord: "paris-call", Retracted: time.Now().UTC()}
	if _, err := s.Publisher.Publish(ctx, r.Subject(), events.MsgID(events.KindRetraction, r.ID), r); err != nil {
		t.Fatal(err)
	}
	if ok, err := CaughtUp(ctx, js); err != nil || ok {
		t.Fatalf("unhandled message: CaughtUp = %v, %v; want false", ok, err)
	}

	// Once the sink has acknowledged it, it is caught up, whatever else
	// (its own changes, here a digest) the stream holds.
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx, cons) }()
	defer func() { cancel(); <-done }()
	if _, err := s.Publisher.Publish(ctx, events.DigestSubject("2026-11-26"), events.MsgID(events.KindDigest, "2026-11-26"), map[string]string{"date": "2026-11-26"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := CaughtUp(ctx, js)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("CaughtUp stayed false after the sink handled every message")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
