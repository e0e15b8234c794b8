package bus

import (
	"context"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
)

// BenchmarkPublish publishes stance-sized events to JetStream on an
// embedded server (the publish stage), each waiting for its ack, and
// reports events/s.
func BenchmarkPublish(b *testing.B) {
	srv, err := StartEmbedded(EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	nc, err := Connect(srv.ClientURL(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := EnsureStream(ctx, js); err != nil {
		b.Fatal(err)
	}
	p := NewPublisher(js)
	ev := map[string]any{
		"actor": "USA", "accord": "paris-call", "stance": "declined", "rule": "declined-to", "confidence": 0.9,
		"evidence": "The United States declined to endorse the Paris Call for Trust and Security in Cyberspace on Monday.",
		"url":      "https://news.example/2018/11/12/paris-call", "outlet": "news.example",
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, err := p.Publish(ctx, "accordwatch.stance.paris-call.USA", fmt.Sprint("stance:bench-", i), ev); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
