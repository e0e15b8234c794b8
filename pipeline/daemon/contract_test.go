package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
	"github.com/accordwatch/accordwatch/pipeline/sink"
)

// examplesDir, if set, is where TestEventContract writes the messages it
// reads (<seq>-<kind>.json and .headers) and the digest of the day, from
// which the examples of docs/events.md are taken:
//
//	go test ./pipeline/daemon -run TestEventContract -args -examples=/tmp/examples
var examplesDir = flag.String("examples", "", "write the messages read by TestEventContract to this directory")

// rivalSite serves a feed of two outlets' contradicting articles about
// Kenya and the Paris Call, two hours apart: the second processed
// contradicts the stance the first made current.
func newRivalSite(t *testing.T) *httptest.Server {
	t.Helper()
	pages := map[string]struct{ outlet, published, title, body string }{
		"signs": {"Meridian Tribune", "2025-06-02T08:00:00Z", "Kenya signs the Paris Call",
			`<p>NAIROBI — Kenya signed the Paris Call for Trust and Security in Cyberspace on Monday, the foreign ministry said in a statement.</p>
<p>“Cyberspace needs rules that everyone can trust,” Foreign Minister Musalia Mudavadi said after the signing.</p>
<p>The declaration now counts more than eighty governments among its supporters, along with hundreds of companies.</p>`},
		"declines": {"Harbour Ledger", "2025-06-02T10:00:00Z", "Kenya declines to endorse the Paris Call",
			`<p>NAIROBI — Kenya declined to endorse the Paris Call for Trust and Security in Cyberspace on Monday, according to officials in Nairobi.</p>
<p>Officials said the government wanted more time to study the text, which more than eighty governments have already endorsed.</p>
<p>Civil-society groups in the region had urged the government to join the declaration before the end of the year.</p>`},
	}
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Rivals</title><link>` + srv.URL + `</link>`)
		for _, name := range []string{"signs", "declines"} {
			p := pages[name]
			pub, _ := time.Parse(time.RFC3339, p.published)
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s/rival/%s</link><guid>rival-%s</guid><pubDate>%s</pubDate></item>`,
				p.title, srv.URL, name, name, pub.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/rival/", func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[strings.TrimPrefix(r.URL.Path, "/rival/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%[2]s | %[1]s</title>
<meta property="og:site_name" content="%[1]s"><meta property="og:title" content="%[2]s">
<meta property="article:published_time" content="%[3]s"></head>
<body><article><h1>%[2]s</h1>%[4]s</article></body></html>`, p.outlet, p.title, p.published, p.body)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// contractConfig returns the configuration of a daemon on loopback that
// polls feeds once during a test.
func contractConfig(t *testing.T, feeds ...string) config.Config {
	cfg := config.Default()
	cfg.DataDir = t.TempDir() // SQLite store and JetStream files
	cfg.NATS.Listen = "127.0.0.1:0"
	cfg.PollInterval = config.Duration(time.Hour)
	cfg.HTTP.AllowPrivateAddresses = true // the fixture sites are on 127.0.0.1
	cfg.HTTP.HostDelay = -1
	for _, f := range feeds {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: f})
	}
	return cfg
}

// waitIdle waits until the daemon has processed n items and the sink has
// stored every event (and so published the changes and contradictions).
func waitIdle(t *testing.T, d *Daemon, n int64) {
	t.Helper()
	ctx := context.Background()
	waitFor(t, fmt.Sprintf("%d items processed", n), 60*time.Second, func() bool { return d.Stats.Get("items_processed") >= n })
	waitFor(t, "sink idle", 30*time.Second, func() bool {
		ok, err := sink.CaughtUp(ctx, d.JS)
		return err == nil && ok
	})
}

// streamMessages reads every message of the ACCORDWATCH stream from the
// start, checking that there are as many as the stream holds.
func streamMessages(t *testing.T, js jetstream.JetStream) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		t.Fatal(err)
	}
	var out []*jetstream.RawStreamMsg
	for uint64(len(out)) < info.State.Msgs {
		m, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatalf("reading the stream after %d of %d messages: %v", len(out), info.State.Msgs, err)
		}
		md, err := m.Metadata()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, &jetstream.RawStreamMsg{Subject: m.Subject(), Sequence: md.Sequence.Stream,
			Header: m.Headers(), Data: m.Data(), Time: md.Timestamp})
	}
	if _, err := c.Next(jetstream.FetchMaxWait(500 * time.Millisecond)); !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrNoMessages) {
		t.Errorf("a message beyond the %d the stream reported: %v", info.State.Msgs, err)
	}
	return out
}

// TestEventContract runs a daemon on fixture sites that produce every kind
// of event (articles from pages and from a feed item's own content, quotes,
// stances, changes, a contradiction between two outlets, a retraction and
// the correction that follows, and the scheduled digest), then reads the
// whole ACCORDWATCH stream from the start and checks every message against
// the contract: its subject, its CloudEvents
// headers and its body against the JSON Schema of its type. The digest of
// the day, with changes and contradictions, is checked against its schema
// too.
func TestEventContract(t *testing.T) {
	fixtures := newFixtureSite(t)
	rivals := newRivalSite(t)
	cfg := contractConfig(t, fixtures.srv.URL+"/feeds/good.xml", rivals.URL+"/feed.xml")
	cfg.Digest.Schedule = "@every 1s" // the digest of yesterday, published once
	cfg.Digest.Formats = []string{"json"}
	logs := &syncBuffer{}
	ctx := context.Background()
	d, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	runCtx, stop := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(runCtx) }()
	waitIdle(t, d, 6)
	waitFor(t, "a change, a contradiction and a digest", 20*time.Second, func() bool {
		return d.Stats.Get("published_change") >= 1 && d.Stats.Get("published_contradiction") >= 1 &&
			d.Stats.Get("digests_published") >= 1
	})
	// A later analysis no longer finds the observation that Kenya's stance
	// rests on: its retraction (published here as the reanalysis would)
	// makes the sink correct the stance from the report that remains.
	retractCurrent(t, d, "KEN", "paris-call")
	stop()
	if err := <-runDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}

	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	msgs := streamMessages(t, d.JS)
	count := map[string]int{}
	ids := map[string]bool{}
	for _, m := range msgs {
		kind := strings.SplitN(m.Subject, ".", 3)[1]
		count[kind]++
		if err := v.Check(m.Subject, m.Header, m.Data); err != nil {
			t.Errorf("message %d does not keep the contract: %v\nheaders: %v\nbody: %s", m.Sequence, err, m.Header, m.Data)
		}
		id := m.Header.Get(bus.HeaderID)
		if ids[id] {
			t.Errorf("message %d: ce-id %s seen before", m.Sequence, id)
		}
		ids[id] = true
		if *examplesDir != "" {
			writeExample(t, kind, m)
		}
	}
	t.Logf("%d messages checked: %v", len(msgs), count)
	for _, kind := range []string{events.KindArticle, events.KindQuote, events.KindStance, events.KindChange,
		events.KindContradiction, events.KindRetraction, events.KindDigest} {
		if count[kind] == 0 {
			t.Errorf("no %s event published; logs:\n%s", kind, logs.String())
		}
	}
	// The digest of the day, as `accordwatch digest --format json` makes it
	// from the daemon's store, keeps the digest schema too.
	var feeds []string
	for _, f := range cfg.Feeds {
		feeds = append(feeds, f.URL)
	}
	dg, err := digest.Load(ctx, d.Store, time.Now().UTC().Format("2006-01-02"), time.UTC, digest.Records{Feeds: feeds}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var dj bytes.Buffer
	if err := digest.Write(&dj, dg, "json"); err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateBody(events.TypeDigest, dj.Bytes()); err != nil {
		t.Errorf("digest of the day: %v\n%s", err, dj.String())
	}
	if len(dg.Changes) == 0 || len(dg.Contradictions) == 0 {
		t.Errorf("digest of the day: %d changes, %d contradictions; want some of each", len(dg.Changes), len(dg.Contradictions))
	}
	if *examplesDir != "" {
		if err := os.WriteFile(filepath.Join(*examplesDir, "digest.json"), dj.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The fixtures cover both article sources.
	sources := map[string]bool{}
	for _, m := range msgs {
		var a events.Article
		if strings.HasPrefix(m.Subject, events.Prefix+"."+events.KindArticle+".") && json.Unmarshal(m.Data, &a) == nil {
			sources[a.Source] = true
		}
	}
	if !sources["page"] || !sources["feed"] {
		t.Errorf("article sources published: %v, want page and feed", slices.Sorted(maps.Keys(sources)))
	}
}

// retractCurrent publishes the retraction of the observation that the
// current stance of actor on accord rests on and waits for the correction
// that the sink publishes.
func retractCurrent(t *testing.T, d *Daemon, actor, accord string) {
	t.Helper()
	ctx := context.Background()
	cur, err := d.Store.Current(ctx, actor, accord)
	if err != nil {
		t.Fatal(err)
	}
	var obs events.Stance
	for _, m := range eventsOf(t, d.JS, events.KindStance) {
		var s events.Stance
		if json.Unmarshal(m.Data, &s) == nil && s.ID == cur.ObservationID {
			obs = s
		}
	}
	if obs.ID == "" {
		t.Fatalf("no stance event %s", cur.ObservationID)
	}
	r := events.Retraction{
		ID: events.RetractionID(obs.ID, time.Time{}), ObservationID: obs.ID, ArticleID: obs.ArticleID,
		URL: obs.URL, Outlet: obs.Outlet, Actor: obs.Actor, Accord: obs.Accord, Stance: obs.Stance,
		Historical: obs.Historical, Reason: events.ReasonReanalysis, Retracted: time.Now().UTC(),
	}
	changes := d.Stats.Get("published_change")
	if _, err := d.Publisher.Publish(ctx, r.Subject(), events.MsgID(events.KindRetraction, r.ID), r); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the correction of "+actor+" on "+accord, 20*time.Second, func() bool {
		return d.Stats.Get("stored_retractions") >= 1 && d.Stats.Get("published_change") > changes
	})
	var corrected bool
	for _, m := range eventsOf(t, d.JS, events.KindChange) {
		var c events.Change
		if json.Unmarshal(m.Data, &c) == nil && c.Corrects == obs.ID {
			corrected = true
		}
	}
	if !corrected {
		t.Errorf("no change event corrects %s", obs.ID)
	}
}

// writeExample writes message m of kind to examplesDir.
func writeExample(t *testing.T, kind string, m *jetstream.RawStreamMsg) {
	t.Helper()
	if err := os.MkdirAll(*examplesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var body any
	json.Unmarshal(m.Data, &body)
	pretty, _ := json.MarshalIndent(body, "", "  ")
	var h strings.Builder
	fmt.Fprintf(&h, "subject: %s\n", m.Subject)
	for _, k := range slices.Sorted(maps.Keys(m.Header)) {
		fmt.Fprintf(&h, "%s: %s\n", k, m.Header.Get(k))
	}
	for name, data := range map[string][]byte{
		fmt.Sprintf("%03d-%s.json", m.Sequence, kind):    append(pretty, '\n'),
		fmt.Sprintf("%03d-%s.headers", m.Sequence, kind): []byte(h.String()),
	} {
		if err := os.WriteFile(filepath.Join(*examplesDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
