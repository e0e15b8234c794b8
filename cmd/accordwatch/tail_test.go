package main

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
)

// eventBus is an embedded NATS server with the event stream, and a
// publisher on it, as a daemon has.
type eventBus struct {
	url string
	pub *bus.Publisher
}

func newEventBus(t *testing.T) *eventBus {
	t.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bus.EnsureStream(context.Background(), js); err != nil {
		t.Fatal(err)
	}
	return &eventBus{url: ns.ClientURL(), pub: bus.NewPublisher(js)}
}

// event is anything with a subject that the bus publishes.
type event interface{ Subject() string }

func (b *eventBus) publish(t *testing.T, id string, e event) {
	t.Helper()
	kind := strings.Split(e.Subject(), ".")[1]
	if _, err := b.pub.Publish(context.Background(), e.Subject(), events.MsgID(kind, id), e); err != nil {
		t.Fatal(err)
	}
}

// tailRun is a tail command running in-process until stop is called.
type tailRun struct {
	out, errs *syncBuf
	stop      func() error
}

// startTail runs "accordwatch tail args..." against url and waits until it
// follows the stream.
func startTail(t *testing.T, url string, args ...string) *tailRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &tailRun{out: &syncBuf{}, errs: &syncBuf{}}
	done := make(chan error, 1)
	go func() { done <- cmdTail(ctx, append([]string{"--nats-url", url}, args...), r.out, r.errs) }()
	r.stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("tail did not end when its context was canceled")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	waitOutput(t, "tail to follow the stream", r.errs, "accordwatch tail: ", done)
	return r
}

// waitOutput waits until buf contains want, failing if done yields first.
func waitOutput(t *testing.T, what string, buf *syncBuf, want string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(buf.String(), want) {
		select {
		case err := <-done:
			t.Fatalf("waiting for %s: tail ended: %v\n%s", what, err, buf.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%q); got:\n%s", what, want, buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lines returns the non-empty lines of s.
func lines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimRight(l, "\n"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestTailReplaysAndFollows publishes events on a real JetStream, runs tail
// with filters and --since, and checks that the stored events it selects
// come first, then the live ones, and nothing else.
func TestTailReplaysAndFollows(t *testing.T) {
	b := newEventBus(t)
	now := time.Now().UTC()
	usaDeclined := events.Stance{ID: "s1", Actor: "USA", Accord: "paris-call", Stance: "declined", Outlet: "Vice",
		Evidence: "the United States is\nnot in a position to endorse the call", Speaker: "State Department", Observed: now}
	braSigned := events.Stance{ID: "s2", Actor: "BRA", Accord: "pall-mall-process", Stance: "signed", Outlet: "Reuters", Observed: now}
	usaChange := events.Change{ID: "c1", Actor: "USA", Accord: "paris-call", Stance: "declined", Outlet: "Vice",
		Evidence: "not in a position to endorse", Speaker: "State Department", Sources: 1, Detected: now}
	quote := events.Quote{ID: "q1", Actor: "USA", Accord: "paris-call", Speaker: "Peter Singer", Text: "A good rule of thumb", Outlet: "Vice"}
	article := events.Article{ID: "a1", Outlet: "Vice", Title: "U.S. declines to endorse Paris Call", Accords: []string{"paris-call"}, Quotes: 3, Stances: 1}
	other := events.Article{ID: "a2", Outlet: "Reuters", Title: "Brazil joins the Pall Mall Process", Accords: []string{"pall-mall-process"}}
	b.publish(t, "s1", usaDeclined)
	b.publish(t, "s2", braSigned)
	b.publish(t, "c1", usaChange)
	b.publish(t, "q1", quote)
	b.publish(t, "a1", article)
	b.publish(t, "a2", other)

	t.Run("stances on an accord", func(t *testing.T) {
		r := startTail(t, b.url, "--kind", "stance", "--accord", "paris-call", "--since", "1h")
		waitOutput(t, "the replayed stance", r.out, "declined", nil)
		fra := events.Stance{ID: "s3", Actor: "FRA", Accord: "paris-call", Stance: "supports", Historical: true, Outlet: "Le Monde", Observed: now}
		// Events are delivered in order: once the last is printed, the
		// others have been filtered out.
		b.publish(t, "s4", events.Stance{ID: "s4", Actor: "DEU", Accord: "pall-mall-process", Stance: "signed", Outlet: "DW"})
		b.publish(t, "c2", events.Change{ID: "c2", Actor: "FRA", Accord: "paris-call", Stance: "supports", Outlet: "Le Monde"})
		b.publish(t, "s3", fra)
		waitOutput(t, "the live stance", r.out, "FRA", nil)
		if err := r.stop(); err != nil {
			t.Fatalf("tail: %v", err)
		}
		got := lines(r.out.String())
		if len(got) != 2 {
			t.Fatalf("tail printed %d lines, want the replayed and the live paris-call stance:\n%s", len(got), r.out.String())
		}
		for i, want := range [][]string{
			{" stance ", " paris-call ", " USA ", " declined ", "“the United States is not in a position to endorse the call” — State Department", "[Vice]"},
			{" stance ", " paris-call ", " FRA ", " supports (historical) ", "[Le Monde]"},
		} {
			for _, w := range want {
				if !strings.Contains(got[i], w) {
					t.Errorf("line %d = %q, want it to contain %q", i+1, got[i], w)
				}
			}
		}
		if _, err := time.Parse(time.DateTime, got[0][:len(time.DateTime)]); err != nil {
			t.Errorf("line 1 does not start with the time: %q", got[0])
		}
	})

	t.Run("an actor, live only", func(t *testing.T) {
		r := startTail(t, b.url, "--actor", "USA")
		b.publish(t, "s5", events.Stance{ID: "s5", Actor: "BRA", Accord: "paris-call", Stance: "signed", Outlet: "Reuters"})
		b.publish(t, "c3", events.Change{ID: "c3", Actor: "USA", Accord: "paris-call", Previous: "declined", Stance: "supports",
			Sources: 2, Outlet: "AP", Evidence: "Washington now supports the call"})
		b.publish(t, "k1", events.Contradiction{ID: "k1", Actor: "USA", Accord: "paris-call", Current: "supports", Stance: "opposes", Outlet: "Fox"})
		waitOutput(t, "the contradiction", r.out, "opposes", nil)
		if err := r.stop(); err != nil {
			t.Fatalf("tail: %v", err)
		}
		got := lines(r.out.String())
		if len(got) != 2 ||
			!strings.Contains(got[0], " change ") || !strings.Contains(got[0], "declined → supports (2 sources)") ||
			!strings.Contains(got[0], "“Washington now supports the call”") || !strings.Contains(got[0], "[AP]") ||
			!strings.Contains(got[1], " contradiction ") || !strings.Contains(got[1], "opposes reported, supports kept") {
			t.Errorf("tail --actor USA printed:\n%s\nwant the live change then the contradiction, nothing stored before", r.out.String())
		}
	})

	t.Run("an accord, every kind", func(t *testing.T) {
		r := startTail(t, b.url, "--accord", "paris-call", "--since", "24h")
		waitOutput(t, "the replayed article", r.out, "U.S. declines", nil)
		waitOutput(t, "the stance published later", r.out, "contradiction", nil)
		if err := r.stop(); err != nil {
			t.Fatalf("tail: %v", err)
		}
		out := r.out.String()
		for _, want := range []string{" quote ", "Peter Singer", "“A good rule of thumb”", " article ", "3 quotes, 1 stance", " change "} {
			if !strings.Contains(out, want) {
				t.Errorf("tail --accord paris-call output lacks %q:\n%s", want, out)
			}
		}
		for _, unwanted := range []string{"pall-mall-process", "Brazil joins"} {
			if strings.Contains(out, unwanted) {
				t.Errorf("tail --accord paris-call printed %q:\n%s", unwanted, out)
			}
		}
	})
}

// TestTailSince checks that --since starts the replay at now minus the
// duration.
func TestTailSince(t *testing.T) {
	b := newEventBus(t)
	b.publish(t, "old", events.Stance{ID: "old", Actor: "OLD", Accord: "paris-call", Stance: "signed"})
	time.Sleep(1500 * time.Millisecond)
	b.publish(t, "new", events.Stance{ID: "new", Actor: "NEW", Accord: "paris-call", Stance: "signed"})
	r := startTail(t, b.url, "--since", "1s")
	waitOutput(t, "the recent event", r.out, "NEW", nil)
	r.stop()
	if out := r.out.String(); strings.Contains(out, "OLD") {
		t.Errorf("tail --since 1s replayed an event older than that:\n%s", out)
	}
}

func TestTailFilterSubjects(t *testing.T) {
	for _, tc := range []struct {
		kind, accord, actor string
		subjects            []string
		articleAccord       string
	}{
		{"", "", "", []string{"accordwatch.>"}, ""},
		{"stance", "", "", []string{"accordwatch.stance.*.*"}, ""},
		{"change", "paris-call", "USA", []string{"accordwatch.change.paris-call.USA"}, ""},
		{"quote", "", "USA", []string{"accordwatch.quote.*.USA"}, ""},
		{"", "", "USA", []string{"accordwatch.*.*.USA"}, ""},
		{"", "paris-call", "", []string{"accordwatch.*.paris-call.*", "accordwatch.article.*"}, "paris-call"},
		{"article", "paris-call", "", []string{"accordwatch.article.*"}, "paris-call"},
		{"article", "", "", []string{"accordwatch.article.*"}, ""},
		{"stance", "odd accord.x", "", []string{"accordwatch.stance.odd_accord_x.*"}, ""},
	} {
		f, err := newTailFilter(tc.kind, tc.accord, tc.actor)
		if err != nil {
			t.Errorf("newTailFilter(%q, %q, %q): %v", tc.kind, tc.accord, tc.actor, err)
			continue
		}
		if !reflect.DeepEqual(f.subjects, tc.subjects) || f.articleAccord != tc.articleAccord {
			t.Errorf("newTailFilter(%q, %q, %q) = %+v, want subjects %q, article accord %q", tc.kind, tc.accord, tc.actor, f, tc.subjects, tc.articleAccord)
		}
	}
}

func TestTailUsage(t *testing.T) {
	for _, args := range [][]string{
		{"tail", "--kind", "digest"},
		{"tail", "--kind", "article", "--actor", "USA"},
		{"tail", "--since", "yesterday"},
		{"tail", "--since", "-5m"},
		{"tail", "extra"},
	} {
		if code, _, errs := runCmd(t, "", args...); code != 2 {
			t.Errorf("%q: exit %d (%s), want 2", args, code, errs)
		}
	}
	// No stream: a clear error, not a hang.
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ns.Shutdown(); ns.WaitForShutdown() }()
	code, _, errs := runCmd(t, "", "tail", "--nats-url", ns.ClientURL())
	if code != 1 || !strings.Contains(errs, "no stream ACCORDWATCH") {
		t.Errorf("tail without a stream: exit %d, %q", code, errs)
	}
}

func TestParseSince(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour, "1h30m": 90 * time.Minute} {
		if got, err := parseSince(in); err != nil || got != want {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "x7d", "0s", "-1h", "3 days"} {
		if _, err := parseSince(in); err == nil {
			t.Errorf("parseSince(%q) succeeded", in)
		}
	}
}

// TestTailLineRetraction prints a retraction as one readable line.
func TestTailLineRetraction(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	data := []byte(`{"id":"o1","observation_id":"o1","article_id":"a1","url":"https://news.example/a","outlet":"news.example","actor":"USA","accord":"paris-call","stance":"signed","historical":false,"reason":"reanalysis","retracted":"2026-11-26T09:00:00Z"}`)
	got := tailLine(at, "accordwatch.retraction.paris-call.USA", data)
	for _, want := range []string{"retraction", "paris-call", "USA", "signed retracted", "(reanalysis)", "news.example"} {
		if !strings.Contains(got, want) {
			t.Errorf("line %q lacks %q", got, want)
		}
	}
}
