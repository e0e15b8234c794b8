package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/demo"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
	"github.com/accordwatch/accordwatch/pipeline/feeds"
	"github.com/accordwatch/accordwatch/pipeline/fetch"
	"github.com/accordwatch/accordwatch/pipeline/process"
	"github.com/accordwatch/accordwatch/pipeline/sink"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// reanalyzeEnv is an embedded NATS server with the event stream, a SQLite
// store and the sink's durable consumer, as a daemon has them.
type reanalyzeEnv struct {
	url    string
	dsn    string
	store  store.Store
	pub    *bus.Publisher
	js     jetstream.JetStream
	stream jetstream.Stream
	cons   jetstream.Consumer
	sink   *sink.Sink
	stop   func() // stops the running sink, if any
}

func newReanalyzeEnv(t *testing.T) *reanalyzeEnv {
	t.Helper()
	ctx := context.Background()
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := bus.Connect(ns.ClientURL(), "reanalyze-test")
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
	cons, err := sink.Consumer(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	dsn := filepath.Join(t.TempDir(), "accordwatch.db")
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pub := bus.NewPublisher(js)
	e := &reanalyzeEnv{
		url: ns.ClientURL(), dsn: dsn, store: st, pub: pub, js: js, stream: stream, cons: cons,
		sink: &sink.Sink{Store: st, Publisher: pub, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Stats: &stats.Counters{}},
	}
	e.startSink(t)
	t.Cleanup(func() { e.stopSink() })
	return e
}

// startSink runs the sink on its consumer, as the daemon does.
func (e *reanalyzeEnv) startSink(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.sink.Run(ctx, e.cons) }()
	e.stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sink: %v", err)
		}
	}
}

func (e *reanalyzeEnv) stopSink() {
	if e.stop != nil {
		e.stop()
		e.stop = nil
	}
}

// settle waits until the sink has stored every message for it.
func (e *reanalyzeEnv) settle(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := sink.CaughtUp(context.Background(), e.js)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the sink did not catch up")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// messages returns the messages of the stream.
func (e *reanalyzeEnv) messages(t *testing.T) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	info, err := e.stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []*jetstream.RawStreamMsg
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := e.stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("GetMsg(%d): %v", seq, err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// publish publishes the events of out as the daemon's processor does:
// the article, then its quotes, then its stances.
func (e *reanalyzeEnv) publish(t *testing.T, out *process.Output) {
	t.Helper()
	ctx := context.Background()
	pub := func(subject, kind, id string, v any) {
		if _, err := e.pub.Publish(ctx, subject, events.MsgID(kind, id), v); err != nil {
			t.Fatal(err)
		}
	}
	pub(out.Article.Subject(), events.KindArticle, out.Article.ID, out.Article)
	for _, q := range out.Quotes {
		pub(q.Subject(), events.KindQuote, q.ID, q)
	}
	for _, s := range out.Stances {
		pub(s.Subject(), events.KindStance, s.ID, s)
	}
}

// storeState is what the store holds about the articles, for comparing
// it before and after a run.
type storeState struct {
	Articles       []store.Article
	Observations   [][]store.Observation
	Quotes         [][]store.Quote
	Current        []store.Current
	Changes        []store.Change
	Contradictions []store.Contradiction
}

func (e *reanalyzeEnv) state(t *testing.T) storeState {
	t.Helper()
	ctx := context.Background()
	var s storeState
	ids, err := e.store.ArticleIDs(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		a, err := e.store.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := e.store.Observations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := e.store.Quotes(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		s.Articles, s.Observations, s.Quotes = append(s.Articles, a), append(s.Observations, obs), append(s.Quotes, qs)
	}
	end := time.Now().AddDate(1, 0, 0)
	if s.Current, err = e.store.CurrentAll(ctx); err != nil {
		t.Fatal(err)
	}
	if s.Changes, err = e.store.Changes(ctx, time.Time{}, end); err != nil {
		t.Fatal(err)
	}
	if s.Contradictions, err = e.store.Contradictions(ctx, time.Time{}, end); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestReanalyze seeds a store through a real sink with three demo articles
// as a daemon with older rules processed them: one of its stances missing
// (the old rules did not find Chile among the signatories) and one too
// many (they also read the United States as signing the declaration it
// withdrew from, which made that its current stance). Reanalysing
// publishes the missing stance and retracts the spurious one, through
// which the sink restores the stance the remaining report supports and
// publishes the correction. A second run publishes and changes nothing,
// and runs made before the sink has stored the first one's events
// publish duplicates that JetStream drops.
func TestReanalyze(t *testing.T) {
	ctx := context.Background()
	e := newReanalyzeEnv(t)
	now := time.Now()
	site := demo.NewServer(now.AddDate(0, 0, -3), now.AddDate(0, 0, -2))
	site.Advance()
	web := httptest.NewServer(site.Handler())
	t.Cleanup(web.Close)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := &process.Processor{
		Client:   fetch.New(fetch.Config{AllowPrivateAddresses: true, IgnoreRobots: true, HostDelay: -1}),
		Analyzer: analysis.New(cat),
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Stats:    &stats.Counters{},
	}
	analyze := func(name string) *process.Output {
		t.Helper()
		out, err := p.Analyze(ctx, feeds.Item{FeedURL: web.URL + "/feeds/cyber-policy-wire.xml", Link: web.URL + "/articles/" + name + ".html"})
		if err != nil {
			t.Fatal(err)
		}
		if out.Article.Source != store.SourcePage {
			t.Fatalf("%s: the page was not used: %s", name, out.Article.FetchError)
		}
		return out
	}
	stanceOf := func(out *process.Output, actor string) events.Stance {
		t.Helper()
		i := slices.IndexFunc(out.Stances, func(s events.Stance) bool { return s.Actor == actor })
		if i < 0 {
			t.Fatalf("%s: no stance of %s in %+v", out.Article.URL, actor, out.Stances)
		}
		return out.Stances[i]
	}

	// What the older rules made of the articles.
	declines := analyze("brazil-declines-pall-mall-process")
	cri := analyze("cri-statement-new-signatories")
	chile := stanceOf(cri, "CHL")
	cri.Stances = slices.DeleteFunc(cri.Stances, func(s events.Stance) bool { return s.Actor == "CHL" })
	cri.Article.Stances--
	fid := analyze("us-withdraws-future-of-internet-declaration")
	withdrew := stanceOf(fid, "USA")
	if withdrew.Stance != store.StanceWithdrew {
		t.Fatalf("USA stance = %+v, want withdrew", withdrew)
	}
	misread := withdrew
	misread.Stance, misread.Rule = store.StanceSigned, "signed"
	misread.ID = events.Hash(fid.Article.ID, "stance", misread.Actor, misread.Accord, misread.Stance, "false")
	fid.Stances = append(fid.Stances, misread)
	fid.Article.Stances++
	for _, out := range []*process.Output{declines, cri, fid} {
		e.publish(t, out)
	}
	e.settle(t)
	if cur, err := e.store.Current(ctx, "USA", misread.Accord); err != nil || cur.Stance != store.StanceSigned || cur.ObservationID != misread.ID {
		t.Fatalf("before: Current(USA) = %+v, %v; want signed, set by the misreading", cur, err)
	}
	if _, err := e.store.Current(ctx, "CHL", chile.Accord); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before: Current(CHL) error = %v, want ErrNotFound", err)
	}
	seeded := len(e.messages(t))

	args := []string{"reanalyze", "--db", e.dsn, "--nats-url", e.url, "--json"}
	var sum reanalyzeSummary
	code, out, errs := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("reanalyze: exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("reanalyze wrote to a standard error that is not a terminal: %q", errs)
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("reanalyze output %q: %v", out, err)
	}
	want := reanalyzeSummary{Articles: 3, Stances: 1, Retractions: 1, Rules: sum.Rules}
	if sum != want {
		t.Errorf("reanalyze = %+v, want %+v", sum, want)
	}
	e.settle(t)

	// The stream has the new stance, the retraction, and the changes the
	// sink made of them, every one keeping the event contract.
	msgs := e.messages(t)[seeded:]
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range e.messages(t) {
		if err := v.Check(m.Subject, m.Header, m.Data); err != nil {
			t.Errorf("message %d: %v", m.Sequence, err)
		}
	}
	var kinds []string
	for _, m := range msgs {
		kinds = append(kinds, m.Header.Get(nats.MsgIdHdr))
	}
	if len(msgs) != 4 {
		t.Fatalf("published after reanalysing: %q; want a stance, a retraction and two changes", kinds)
	}
	var (
		stance     events.Stance
		retraction events.Retraction
		chileFirst events.Change
		correction events.Change
	)
	for _, m := range msgs {
		var into any
		switch m.Header.Get(nats.MsgIdHdr) {
		case events.MsgID(events.KindStance, chile.ID):
			into = &stance
		case events.MsgID(events.KindRetraction, misread.ID):
			into = &retraction
			if m.Subject != "accordwatch.retraction.future-of-internet-declaration.USA" {
				t.Errorf("retraction subject %q", m.Subject)
			}
		case events.MsgID(events.KindChange, store.ChangeID(chile.ID)):
			into = &chileFirst
		default:
			into = &correction
		}
		if err := json.Unmarshal(m.Data, into); err != nil {
			t.Fatal(err)
		}
	}
	if stance.ID != chile.ID || stance.Actor != "CHL" || stance.Stance != store.StanceSigned || !stance.Published.Equal(chile.Published) ||
		stance.Observed.Before(now) {
		t.Errorf("stance event = %+v; want Chile signed, as the article said, observed now", stance)
	}
	if chileFirst.Actor != "CHL" || chileFirst.Previous != "" || chileFirst.Stance != store.StanceSigned || chileFirst.Corrects != "" {
		t.Errorf("Chile's change = %+v; want its first stance, signed", chileFirst)
	}
	wantRetraction := events.Retraction{
		ID: misread.ID, ObservationID: misread.ID, ArticleID: fid.Article.ID, URL: fid.Article.URL, Outlet: fid.Article.Outlet,
		Actor: "USA", Accord: misread.Accord, Stance: store.StanceSigned, Reason: events.ReasonReanalysis,
		Rules: sum.Rules, Retracted: retraction.Retracted,
	}
	if retraction != wantRetraction || retraction.Retracted.Before(now.Add(-time.Second)) {
		t.Errorf("retraction event =\n%+v\nwant\n%+v, retracted now", retraction, wantRetraction)
	}
	if correction.Corrects != misread.ID || correction.Actor != "USA" || correction.Previous != store.StanceSigned ||
		correction.Stance != store.StanceWithdrew || correction.ObservationID != withdrew.ID || correction.Sources != 1 ||
		!correction.Detected.Equal(retraction.Retracted) || !correction.Since.Equal(withdrew.Published) {
		t.Errorf("correction = %+v; want signed → withdrew, from the remaining report, detected at the retraction", correction)
	}

	// The store: the misreading is flagged and stays in the history, the
	// stance it had set is replaced, Chile's is recorded.
	cur, err := e.store.Current(ctx, "USA", misread.Accord)
	if err != nil || cur.Stance != store.StanceWithdrew || cur.ObservationID != withdrew.ID || cur.Sources != 1 {
		t.Errorf("Current(USA) = %+v, %v; want withdrew, set by %s", cur, err, withdrew.ID)
	}
	hist, err := e.store.History(ctx, "USA", misread.Accord)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range hist {
		if o.Retracted != (o.ID == misread.ID) {
			t.Errorf("History(USA): %s %s Retracted = %v", o.ID, o.Stance, o.Retracted)
		}
	}
	if cur, err := e.store.Current(ctx, "CHL", chile.Accord); err != nil || cur.Stance != store.StanceSigned || cur.ObservationID != chile.ID {
		t.Errorf("Current(CHL) = %+v, %v; want signed", cur, err)
	}

	// Again: nothing to publish, nothing changes.
	before, count := e.state(t), len(e.messages(t))
	runJSON(t, &sum, args...)
	if want := (reanalyzeSummary{Articles: 3, Rules: sum.Rules}); sum != want {
		t.Errorf("second reanalyze = %+v, want %+v", sum, want)
	}
	time.Sleep(200 * time.Millisecond)
	e.settle(t)
	if n := len(e.messages(t)); n != count {
		t.Errorf("the stream grew from %d to %d messages on a second run", count, n)
	}
	if after := e.state(t); !reflect.DeepEqual(after, before) {
		t.Errorf("the store changed on a second run:\nbefore %+v\nafter  %+v", before, after)
	}

	// Runs before the sink stores anything: the second one's events are
	// the first's, dropped by JetStream.
	e.stopSink()
	old := fid.Stances[len(fid.Stances)-1]
	old.ID = events.Hash(fid.Article.ID, "stance", "IND", old.Accord, store.StanceDeclined, "false")
	old.Actor, old.Stance = "IND", store.StanceDeclined
	if _, err := e.pub.Publish(ctx, old.Subject(), events.MsgID(events.KindStance, old.ID), old); err != nil {
		t.Fatal(err)
	}
	e.startSink(t)
	e.settle(t)
	e.stopSink()
	runJSON(t, &sum, args...)
	if want := (reanalyzeSummary{Articles: 3, Retractions: 1, Rules: sum.Rules}); sum != want {
		t.Errorf("reanalyze with the sink stopped = %+v, want %+v", sum, want)
	}
	count = len(e.messages(t))
	runJSON(t, &sum, args...)
	if want := (reanalyzeSummary{Articles: 3, Duplicates: 1, Rules: sum.Rules}); sum != want {
		t.Errorf("reanalyze again with the sink stopped = %+v, want %+v", sum, want)
	}
	if n := len(e.messages(t)); n != count {
		t.Errorf("the stream grew from %d to %d messages on a repeated run", count, n)
	}
	e.startSink(t)
	e.settle(t)
	if got := e.state(t).Observations; !slices.ContainsFunc(got, func(obs []store.Observation) bool {
		return slices.ContainsFunc(obs, func(o store.Observation) bool { return o.ID == old.ID && o.Retracted })
	}) {
		t.Errorf("the retraction of %s was not stored: %+v", old.ID, got)
	}
	runJSON(t, &sum, args...)
	if want := (reanalyzeSummary{Articles: 3, Rules: sum.Rules}); sum != want {
		t.Errorf("reanalyze after the sink caught up = %+v, want %+v", sum, want)
	}
}

// TestReanalyzeArguments checks --since and the errors of the command.
func TestReanalyzeArguments(t *testing.T) {
	e := newReanalyzeEnv(t)
	a := store.Article{ID: "a1", URL: "https://news.example/a1", Outlet: "Example", Title: "Nothing here",
		Published: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC), Fetched: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC),
		Text: "Nothing here\n\nThe weather was fine.", Source: store.SourcePage}
	if err := e.store.PutArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	var sum reanalyzeSummary
	for since, n := range map[string]int{"2025-05-01": 1, "2025-05-01T12:00:01Z": 0, "2025-05-02": 0} {
		runJSON(t, &sum, "reanalyze", "--db", e.dsn, "--nats-url", e.url, "--json", "--since", since)
		if sum.Articles != n {
			t.Errorf("--since %s: %d articles, want %d", since, sum.Articles, n)
		}
	}
	code, out, _ := runCmd(t, "", "reanalyze", "--db", e.dsn, "--nats-url", e.url, "--quiet")
	if code != 0 || out != "reanalysed 1 articles: published 0 new stances, 0 reinstated, 0 new quotes, 0 retractions\n" {
		t.Errorf("reanalyze: exit %d, %q", code, out)
	}
	if code, _, _ := runCmd(t, "", "reanalyze", "--db", e.dsn, "--nats-url", e.url, "--since", "last week"); code != 2 {
		t.Errorf("bad --since: exit %d, want 2", code)
	}
	if code, _, errs := runCmd(t, "", "reanalyze", "--db", e.dsn, "--nats-url", "nats://127.0.0.1:1"); code != 1 || errs == "" {
		t.Errorf("no NATS: exit %d, %q", code, errs)
	}
}
