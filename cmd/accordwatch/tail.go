package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
)

// tailKinds are the kinds of events tail --kind accepts.
var tailKinds = []string{events.KindStance, events.KindQuote, events.KindChange, events.KindContradiction, events.KindRetraction, events.KindArticle}

// cmdTail prints the events published on NATS as they come, one line
// each, from the JetStream stream: with --since, first those stored since
// then. It ends when ctx is done.
func cmdTail(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tail")
	cfgPath := fs.String("config", DefaultConfig, "configuration file")
	natsURL := fs.String("nats-url", "", "NATS server URL (default: the configured one, else the embedded server's listen address)")
	accord := fs.String("accord", "", "only events about this accord (ID, e.g. paris-call)")
	actor := fs.String("actor", "", "only events about this actor (ID, e.g. USA)")
	kind := fs.String("kind", "", "only this kind: "+strings.Join(tailKinds, ", "))
	since := fs.String("since", "", "first replay the events stored in the last DURATION (e.g. 30m, 24h, 7d)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: tail takes no arguments", errUsage)
	}
	filter, err := newTailFilter(*kind, *accord, *actor)
	if err != nil {
		return err
	}
	var start time.Time
	if *since != "" {
		d, err := parseSince(*since)
		if err != nil {
			return fmt.Errorf("%w: --since: %v", errUsage, err)
		}
		start = time.Now().Add(-d)
	}
	cfg, err := loadConfig(*cfgPath, *natsURL, "", "")
	if err != nil {
		return err
	}
	nc, js, err := connectDaemon(ctx, cfg, "tail", true, nats.MaxReconnects(-1))
	if err != nil {
		return err
	}
	defer nc.Close()
	occ := jetstream.OrderedConsumerConfig{FilterSubjects: filter.subjects, DeliverPolicy: jetstream.DeliverNewPolicy}
	if !start.IsZero() {
		occ.DeliverPolicy, occ.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
	}
	cons, err := js.OrderedConsumer(ctx, bus.StreamName, occ)
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	loc := cfg.Location()
	var mu sync.Mutex // handler calls are sequential; the lock orders them with the error handler's
	cc, err := cons.Consume(func(m jetstream.Msg) {
		if !filter.match(m.Subject(), m.Data()) {
			return
		}
		var at time.Time
		if md, err := m.Metadata(); err == nil {
			at = md.Timestamp
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(stdout, tailLine(at.In(loc), m.Subject(), m.Data()))
	}, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(stderr, "accordwatch tail:", err)
	}))
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	defer cc.Stop()
	from := "new events"
	if !start.IsZero() {
		from = "events since " + start.In(loc).Format("2006-01-02 15:04:05 MST")
	}
	mu.Lock()
	fmt.Fprintf(stderr, "accordwatch tail: %s on %s, %s\n", strings.Join(filter.subjects, " "), nc.ConnectedUrl(), from)
	mu.Unlock()
	<-ctx.Done()
	return nil
}

// parseSince parses a --since duration: a Go duration (90m, 24h) or a
// number of days (7d).
func parseSince(s string) (time.Duration, error) {
	var d time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return 0, fmt.Errorf("%q: want a duration such as 30m, 24h or 7d", s)
		}
		d = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q: want a duration such as 30m, 24h or 7d", s)
		}
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q: want a positive duration", s)
	}
	return d, nil
}

// tailFilter selects the events tail prints: the subjects it subscribes
// to, and for articles, whose subject names the outlet only, the accord
// they are about.
type tailFilter struct {
	subjects []string
	// articleAccord, if set, keeps the articles about that accord only.
	articleAccord string
}

// newTailFilter builds the filter of the --kind, --accord and --actor
// flags. Subjects are accordwatch.<kind>.<accord>.<actor>, except for
// articles (accordwatch.article.<outlet>), so:
//
//   - --kind K: accordwatch.K.<accord or *>.<actor or *>;
//   - --kind article: accordwatch.article.*, filtered by accord here;
//     articles have no actor;
//   - no --kind but --accord or --actor: accordwatch.*.<accord or *>.<actor
//     or *>, the four kinds about an accord and actor, and with --accord
//     alone the articles about that accord too;
//   - nothing: accordwatch.>, every event.
func newTailFilter(kind, accord, actor string) (tailFilter, error) {
	if kind != "" && !slices.Contains(tailKinds, kind) {
		return tailFilter{}, fmt.Errorf("%w: --kind %q: want one of %s", errUsage, kind, strings.Join(tailKinds, ", "))
	}
	// IDs become subject tokens as the publisher makes them.
	token := func(id string) string { return events.Token(id, "*") }
	accordTok, actorTok := token(accord), token(actor)
	switch {
	case kind == events.KindArticle && actor != "":
		return tailFilter{}, fmt.Errorf("%w: --actor: articles are not about one actor", errUsage)
	case kind == events.KindArticle:
		return tailFilter{subjects: []string{events.Prefix + ".article.*"}, articleAccord: accord}, nil
	case kind != "":
		return tailFilter{subjects: []string{events.Prefix + "." + kind + "." + accordTok + "." + actorTok}}, nil
	case accord == "" && actor == "":
		return tailFilter{subjects: []string{events.Prefix + ".>"}}, nil
	}
	f := tailFilter{subjects: []string{events.Prefix + ".*." + accordTok + "." + actorTok}}
	if actor == "" {
		f.subjects = append(f.subjects, events.Prefix+".article.*")
		f.articleAccord = accord
	}
	return f, nil
}

// match reports whether the event on subject with body data passes the
// filter beyond what its subjects select.
func (f tailFilter) match(subject string, data []byte) bool {
	if f.articleAccord == "" || !strings.HasPrefix(subject, events.Prefix+"."+events.KindArticle+".") {
		return true
	}
	var a events.Article
	if err := json.Unmarshal(data, &a); err != nil {
		return false
	}
	return slices.Contains(a.Accords, f.articleAccord)
}

// tailLine formats one event as a line: time, kind, accord, actor, what
// happened, the words behind it and the outlet.
func tailLine(at time.Time, subject string, data []byte) string {
	parts := strings.Split(subject, ".")
	kind := ""
	if len(parts) > 1 {
		kind = parts[1]
	}
	var accord, actor, what, detail, outlet string
	snippet := func(evidence, speaker string) string {
		var s string
		if evidence = strings.Join(strings.Fields(evidence), " "); evidence != "" {
			s = "“" + clip(evidence, 100) + "”"
		}
		if speaker != "" {
			s = strings.TrimSpace(s + " — " + speaker)
		}
		return s
	}
	bad := func(err error) string {
		return fmt.Sprintf("%s %-13s (unreadable event on %s: %v)", at.Format(time.DateTime), kind, subject, err)
	}
	switch kind {
	case events.KindStance:
		var e events.Stance
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		accord, actor, what, detail, outlet = e.Accord, e.Actor, e.Stance, snippet(e.Evidence, e.Speaker), e.Outlet
		if e.Historical {
			what += " (historical)"
		}
	case events.KindChange:
		var e events.Change
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		prev := e.Previous
		if prev == "" {
			prev = "(none)"
		}
		accord, actor, what, detail, outlet = e.Accord, e.Actor, prev+" → "+e.Stance, snippet(e.Evidence, e.Speaker), e.Outlet
		if e.Sources > 1 {
			what += fmt.Sprintf(" (%d sources)", e.Sources)
		}
	case events.KindContradiction:
		var e events.Contradiction
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		accord, actor, detail, outlet = e.Accord, e.Actor, snippet(e.Evidence, e.Speaker), e.Outlet
		what = e.Stance + " reported, " + e.Current + " kept"
	case events.KindRetraction:
		var e events.Retraction
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		accord, actor, outlet = e.Accord, e.Actor, e.Outlet
		what = e.Stance + " retracted"
		detail = "(" + e.Reason + ")"
	case events.KindQuote:
		var e events.Quote
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		accord, actor, what, detail, outlet = e.Accord, e.Actor, e.Speaker, snippet(e.Text, ""), e.Outlet
	case events.KindArticle:
		var e events.Article
		if err := json.Unmarshal(data, &e); err != nil {
			return bad(err)
		}
		accord, actor, outlet = strings.Join(e.Accords, ","), "-", e.Outlet
		what = "“" + clip(e.Title, 100) + "”"
		detail = plural(e.Quotes, "quote") + ", " + plural(e.Stances, "stance")
	default:
		return fmt.Sprintf("%s %-13s %s %s", at.Format(time.DateTime), kind, subject, clip(string(data), 100))
	}
	if accord == "" {
		accord = "-"
	}
	if actor == "" {
		actor = "-"
	}
	line := fmt.Sprintf("%s %-13s %-20s %-8s %s", at.Format(time.DateTime), kind, accord, actor, what)
	if detail != "" {
		line += "  " + detail
	}
	if outlet != "" {
		line += "  [" + outlet + "]"
	}
	return line
}

// plural returns n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
