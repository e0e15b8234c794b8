package sink

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// testSink returns a Sink on a fresh SQLite store that publishes to the
// event stream of an embedded NATS server, and that stream.
func testSink(t *testing.T) (*Sink, jetstream.Stream) {
	s, stream, _ := testSinkJS(t)
	return s, stream
}

// testSinkJS is testSink, which also returns the JetStream context.
func testSinkJS(t *testing.T) (*Sink, jetstream.Stream, jetstream.JetStream) {
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
	}, stream, js
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

// TestRetraction feeds the sink a stance that becomes current over an
// earlier one and then its retraction: the observation is flagged, the
// earlier stance is current again and a correction is published, once
// however often the retraction is delivered. Retracting the only report
// of another pair removes its stance, and an unknown observation is
// ignored.
func TestRetraction(t *testing.T) {
	ctx := context.Background()
	sk, stream := testSink(t)
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	handle := func(subject string, v any) {
		t.Helper()
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := sk.Handle(ctx, subject, data); err != nil {
			t.Fatalf("Handle(%s): %v", subject, err)
		}
	}
	stance := func(id, actor, outlet, stance string, at time.Duration) events.Stance {
		return events.Stance{
			ID: events.Hash(id), ArticleID: events.Hash("art", id), URL: "https://news.example/" + id, Outlet: outlet, Title: "Title " + id,
			Actor: actor, Accord: "pall-mall-process", Stance: stance,
			Evidence: actor + " " + stance + " the code.", Rule: "test", Confidence: 0.9,
			Published: day.Add(at), Observed: day.Add(at + time.Hour),
		}
	}
	retraction := func(s events.Stance, at time.Time) events.Retraction {
		return events.Retraction{
			ID: events.RetractionID(s.ID, time.Time{}), ObservationID: s.ID, ArticleID: s.ArticleID, URL: s.URL, Outlet: s.Outlet,
			Actor: s.Actor, Accord: s.Accord, Stance: s.Stance, Reason: events.ReasonReanalysis, Rules: "test", Retracted: at,
		}
	}
	declined := stance("a1", "BRA", "Harbour Ledger", store.StanceDeclined, 0)
	signed := stance("b1", "BRA", "Meridian Tribune", store.StanceSigned, 5*24*time.Hour) // after the window
	only := stance("c1", "CHL", "Meridian Tribune", store.StanceSupports, time.Hour)
	for _, s := range []events.Stance{declined, signed, only} {
		handle(s.Subject(), s)
	}
	if n := len(published(t, stream)); n != 3 {
		t.Fatalf("published %d events, want 3 changes", n)
	}

	at := day.AddDate(0, 0, 10)
	r := retraction(signed, at)
	handle(r.Subject(), r)
	handle(r.Subject(), r) // redelivered
	msgs := published(t, stream)
	if len(msgs) != 4 {
		t.Fatalf("published %d events after the retraction, want 4", len(msgs))
	}
	var c events.Change
	if err := json.Unmarshal(msgs[3].Data, &c); err != nil {
		t.Fatal(err)
	}
	if msgs[3].Subject != "accordwatch.change.pall-mall-process.BRA" || msgs[3].Header.Get(nats.MsgIdHdr) != events.MsgID(events.KindChange, c.ID) ||
		c.Corrects != signed.ID || c.Previous != store.StanceSigned || c.Stance != store.StanceDeclined || c.ObservationID != declined.ID ||
		!c.Since.Equal(signed.Published) || !c.Detected.Equal(at) || c.Sources != 1 || c.Outlet != "Harbour Ledger" {
		t.Errorf("correction %s %s = %+v; want declined again, from a1, since b1's time, correcting b1",
			msgs[3].Subject, msgs[3].Header.Get(nats.MsgIdHdr), c)
	}
	cur, err := sk.Store.Current(ctx, "BRA", "pall-mall-process")
	if err != nil || cur.Stance != store.StanceDeclined || cur.ObservationID != declined.ID {
		t.Errorf("Current = %+v, %v; want declined, set by a1", cur, err)
	}
	hist, err := sk.Store.History(ctx, "BRA", "pall-mall-process")
	if err != nil || len(hist) != 2 || hist[1].ID != signed.ID || !hist[1].Retracted || !hist[1].Corrected.Equal(at) || hist[0].Retracted {
		t.Errorf("History = %+v, %v; want b1 retracted at %v", hist, err, at)
	}

	// The only report of a pair: its stance is removed.
	r = retraction(only, at)
	handle(r.Subject(), r)
	msgs = published(t, stream)
	if len(msgs) != 5 {
		t.Fatalf("published %d events, want 5", len(msgs))
	}
	if err := json.Unmarshal(msgs[4].Data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Corrects != only.ID || c.Previous != store.StanceSupports || c.Stance != "" || c.ObservationID != "" || c.Sources != 0 {
		t.Errorf("correction = %+v; want supports → none, correcting c1", c)
	}
	if _, err := sk.Store.Current(ctx, "CHL", "pall-mall-process"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Current(CHL) error = %v, want ErrNotFound", err)
	}

	// An observation the store does not know.
	r = retraction(stance("zz", "BRA", "Nowhere", store.StanceSigned, 0), at)
	handle(r.Subject(), r)
	if n := len(published(t, stream)); n != 5 {
		t.Errorf("published %d events after an unknown retraction, want still 5", n)
	}
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range published(t, stream) {
		if err := v.Check(m.Subject, m.Header, m.Data); err != nil {
			t.Errorf("message %d: %v", m.Sequence, err)
		}
	}
	for name, want := range map[string]int64{"published_change": 5, "stored_retractions": 3} {
		if got := sk.Stats.Get(name); got != want {
			t.Errorf("counter %s = %d, want %d", name, got, want)
		}
	}
}
