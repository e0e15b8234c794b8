package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/work"
)

// TestDeadCommand makes a job fail for good and lists it with "dead".
func TestDeadCommand(t *testing.T) {
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	q, err := work.Open(ctx, js, work.Options{MaxDeliver: 1}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	dead := make(chan string, 1)
	q.OnDead = func(stage string) { dead <- stage }
	go q.Consume(ctx, context.Background(), work.ItemConsumer, 1, func(context.Context, []byte) error {
		return errors.New("page kept failing")
	})
	if _, err := q.PublishItem(ctx, "https://news.example/feed", "story-1", map[string]string{"Link": "https://news.example/story-1"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-dead:
	case <-time.After(10 * time.Second):
		t.Fatal("the job never became a dead letter")
	}
	var got []work.DeadLetter
	runJSON(t, &got, "dead", "--nats-url", ns.ClientURL(), "--json")
	if len(got) != 1 || got[0].Stage != work.StageItem || got[0].Error != "page kept failing" || got[0].Attempts != 1 {
		t.Fatalf("dead letters = %+v", got)
	}
	var job map[string]string
	if err := json.Unmarshal(got[0].Job, &job); err != nil || job["Link"] != "https://news.example/story-1" {
		t.Errorf("job = %s (%v)", got[0].Job, err)
	}
	code, out, _ := runCmd(t, "", "dead", "--nats-url", ns.ClientURL(), "--stage", "feed")
	if code != 0 || out != "no dead letters\n" {
		t.Errorf("dead --stage feed: exit %d, %q", code, out)
	}
}
