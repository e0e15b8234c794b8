package sink

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// testSink returns a Sink on a fresh SQLite store that publishes to the
// event stream of an embedded NATS server, and that stream.
func testSink(t *testing.T) (*Sink, jetstream.Stream) {
	t.Helper()
	ctx := context.Background()
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	nc, err := bus.Connect(srv.ClientURL(), "sink-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := bus.EnsureStream(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "accordwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Sink{
		Store:     st,
		Publisher: bus.NewPublisher(js),
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		Stats:     &stats.Counters{},
	}, stream
}

// published returns the messages in the stream: those the sink published.
func published(t *testing.T, stream jetstream.Stream) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("GetMsg(%d): %v", seq, err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// TestSameStoryManyOutlets feeds the sink the stance events of one story told
// by several outlets, then a contradicting report, its confirmation and a
// later change, and checks the events the sink publishes.
func TestSameStoryManyOutlets(t *testing.T) {
	ctx := context.Background()
	sk, stream := testSink(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	stance := func(id, outlet, stance string, at time.Duration) events.Stance {
		return events.Stance{
			ID: id, ArticleID: "art-" + id, URL: "https://news.example/" + id, Outlet: outlet, Title: "Title " + id,
			Actor: "BRA", Accord: "pall-mall-process", Stance: stance,
			Evidence: "Brazil " + stance + " the code.", Speaker: "Ana Ribeiro", Rule: "test", Confidence: 0.9,
			Published: day.Add(at), Observed: day.Add(at + time.Hour),
		}
	}
	handle := func(ev events.Stance) {
		t.Helper()
		data, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if err := sk.Handle(ctx, ev.Subject(), data); err != nil {
			t.Fatalf("Handle(%s): %v", ev.ID, err)
		}
	}

	// The same signing from three outlets, one of them twice: one change.
	for _, ev := range []events.Stance{
		stance("a1", "Harbour Ledger", store.StanceSigned, 9*time.Hour),
		stance("b1", "Meridian Tribune", store.StanceSigned, 10*time.Hour),
		stance("c1", "Cyber Policy Wire", store.StanceSigned, 11*time.Hour),
		stance("a2", "Harbour Ledger", store.StanceSigned, 12*time.Hour),
	} {
		handle(ev)
	}
	cur, err := sk.Store.Current(ctx, "BRA", "pall-mall-process")
	if err != nil || cur.Stance != store.StanceSigned || cur.ObservationID != "a1" || cur.Sources != 3 {
		t.Errorf("Current = %+v, %v; want signed, set by a1, 3 sources", cur, err)
	}
	if msgs := published(t, stream); len(msgs) != 1 {
		t.Fatalf("published %d events after one story from three outlets, want 1 change", len(msgs))
	}

	// Another outlet reports the opposite the same day: flagged, published,
	// not applied. Handling it again (a redelivery) publishes nothing new.
	contra := stance("d1", "Daily Courier", store.StanceDeclined, 15*time.Hour)
	handle(contra)
	handle(contra)
	if cur, err := sk.Store.Current(ctx, "BRA", "pall-mall-process"); err != nil || cur.Stance != store.StanceSigned {
		t.Errorf("Current after a contradiction = %+v, %v; want signed still", cur, err)
	}
	hist, err := sk.Store.History(ctx, "BRA", "pall-mall-process")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range hist {
		if o.Contradicts != (o.ID == "d1") {
			t.Errorf("History: %s has Contradicts %v", o.ID, o.Contradicts)
		}
	}

	// A second outlet confirms it: it becomes current.
	handle(stance("e1", "Evening Post", store.StanceDeclined, 18*time.Hour))
	// A genuine later change, after the window.
	handle(stance("f1", "Harbour Ledger", store.StanceSigned, 6*24*time.Hour))

	msgs := published(t, stream)
	if len(msgs) != 4 {
		t.Fatalf("published %d events, want change, contradiction, change, change", len(msgs))
	}
	for i, want := range []struct{ subject, msgID string }{
		{"accordwatch.change.pall-mall-process.BRA", "change:chg-a1"},
		{"accordwatch.contradiction.pall-mall-process.BRA", "contradiction:con-d1"},
		{"accordwatch.change.pall-mall-process.BRA", "change:chg-e1"},
		{"accordwatch.change.pall-mall-process.BRA", "change:chg-f1"},
	} {
		if msgs[i].Subject != want.subject || msgs[i].Header.Get(nats.MsgIdHdr) != want.msgID {
			t.Errorf("event %d: subject %q, id %q; want %q, %q", i, msgs[i].Subject, msgs[i].Header.Get(nats.MsgIdHdr), want.subject, want.msgID)
		}
	}
	var first, confirmed, later events.Change
	var k events.Contradiction
	for i, v := range []any{&first, &k, &confirmed, &later} {
		if err := json.Unmarshal(msgs[i].Data, v); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if first.Stance != store.StanceSigned || first.Previous != "" || first.Sources != 1 {
		t.Errorf("first change = %+v, want signed from nothing with 1 source at the time", first)
	}
	wantK := events.Contradiction{
		ID: "con-d1", Actor: "BRA", Accord: "pall-mall-process",
		Current: store.StanceSigned, CurrentSince: day.Add(9 * time.Hour),
		Stance: store.StanceDeclined, Since: day.Add(15 * time.Hour), Detected: day.Add(16 * time.Hour),
		ObservationID: "d1", Evidence: contra.Evidence, Speaker: contra.Speaker, URL: contra.URL,
		Outlet: contra.Outlet, Title: contra.Title,
	}
	if k != wantK {
		t.Errorf("contradiction event =\n%+v\nwant\n%+v", k, wantK)
	}
	if confirmed.Previous != store.StanceSigned || confirmed.Stance != store.StanceDeclined || confirmed.Sources != 2 ||
		!confirmed.Since.Equal(day.Add(15*time.Hour)) || confirmed.Outlet != "Evening Post" {
		t.Errorf("confirming change = %+v, want signed → declined since d1's report, 2 sources, from Evening Post", confirmed)
	}
	if later.Previous != store.StanceDeclined || later.Stance != store.StanceSigned || later.Sources != 1 {
		t.Errorf("later change = %+v, want declined → signed, 1 source", later)
	}
	for name, want := range map[string]int64{"published_change": 3, "published_contradiction": 1, "stored_observations": 8} {
		if got := sk.Stats.Get(name); got != want {
			t.Errorf("counter %s = %d, want %d", name, got, want)
		}
	}

	// The store agrees: three changes, the first with its 3 sources now.
	changes, err := sk.Store.Changes(ctx, time.Time{}, day.AddDate(1, 0, 0))
	if err != nil || len(changes) != 3 || changes[0].Sources != 3 || changes[1].Sources != 2 {
		t.Errorf("Changes = %+v, %v; want 3, the first with 3 sources and the second with 2", changes, err)
	}
	ks, err := sk.Store.Contradictions(ctx, time.Time{}, day.AddDate(1, 0, 0))
	if err != nil || len(ks) != 1 || ks[0].ConfirmedBy != "chg-e1" {
		t.Errorf("Contradictions = %+v, %v; want d1's, confirmed by chg-e1", ks, err)
	}
}
