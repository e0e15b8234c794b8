package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/process"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// cmdReanalyze runs the NLP again on the stored texts of the articles
// published since --since (fetched since, for those whose publication date
// is unknown; default all), after the rules improved, and publishes the
// corrections on NATS for the daemons' sink to store (see reanalyzer).
// Running it again with the same rules publishes nothing.
func cmdReanalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("reanalyze")
	sf := addStoreFlags(fs)
	natsURL := fs.String("nats-url", "", "NATS server URL (default: the configured one, else the embedded server's listen address)")
	sinceFlag := fs.String("since", "", "only the articles published since DATE: YYYY-MM-DD (UTC) or RFC 3339 (default: all)")
	quiet := fs.Bool("quiet", false, "no progress bar (there is none either when standard error is not a terminal)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: reanalyze takes no arguments", errUsage)
	}
	var since time.Time
	if *sinceFlag != "" {
		var err error
		if since, err = parseDate(*sinceFlag); err != nil {
			return fmt.Errorf("%w: --since: %v", errUsage, err)
		}
	}
	cfg, err := sf.load(*natsURL)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("loading catalogs: %w", err)
	}
	st, err := sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	nc, js, err := connectDaemon(ctx, cfg, "reanalyze", true)
	if err != nil {
		return err
	}
	defer nc.Close()

	ids, err := st.ArticleIDs(ctx, since)
	if err != nil {
		return err
	}
	r := &reanalyzer{
		store:     st,
		analyzer:  analysis.New(cat),
		publisher: bus.NewPublisher(js),
		// To the microsecond, as the store keeps times: a correction is
		// detected exactly when the retraction that caused it says.
		now:   time.Now().UTC().Truncate(time.Microsecond),
		rules: rulesVersion(),
	}
	visible := !*quiet && isTerminal(stderr)
	barOut := stderr
	if !visible {
		barOut = io.Discard
	}
	bar := progressbar.NewOptions(len(ids),
		progressbar.OptionSetWriter(barOut),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionSetDescription("reanalysing"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	for _, id := range ids {
		if err := r.article(ctx, id); err != nil {
			bar.Exit()
			return err
		}
		bar.Add(1)
	}
	bar.Finish()

	sum := r.summary
	sum.Articles, sum.Rules = len(ids), r.rules
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	fmt.Fprintf(stdout, "reanalysed %d articles: published %d new stances, %d reinstated, %d new quotes, %d retractions",
		sum.Articles, sum.Stances, sum.Reinstated, sum.Quotes, sum.Retractions)
	if sum.Duplicates > 0 {
		fmt.Fprintf(stdout, " (%d more already on the stream)", sum.Duplicates)
	}
	fmt.Fprintln(stdout)
	return nil
}

// parseDate parses a --since date: YYYY-MM-DD, midnight UTC, or RFC 3339.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD nor an RFC 3339 time", s)
	}
	return t, nil
}

// reanalyzeSummary is what a reanalyze run published. Events JetStream
// already had (from a run whose events the sink has not stored yet) are
// counted as duplicates only.
type reanalyzeSummary struct {
	Articles    int    `json:"articles"`    // articles reanalysed
	Stances     int    `json:"stances"`     // stance events of new observations
	Reinstated  int    `json:"reinstated"`  // stance events of retracted observations found again
	Quotes      int    `json:"quotes"`      // quote events of new quotes
	Retractions int    `json:"retractions"` // retraction events
	Duplicates  int    `json:"duplicates"`  // events dropped by JetStream as duplicates
	Rules       string `json:"rules,omitempty"`
}

// reanalyzer analyses stored articles again and publishes what the
// analysis finds that the store lacks, and what the store has that it no
// longer finds. It only reads the store: the sink writes what is published,
// as it does for the daemon's events.
//
// For each article, the analysis is that of the daemon (process.Document
// and process.Events on the stored text, headline included), so that it
// gives the same event ids as processing the article would; then
//
//   - a stance whose observation is not stored is published; one stored
//     but retracted is published again, which reinstates it (see
//     store.Store.RecordObservation);
//   - a quote not stored is published (quotes the analysis no longer finds
//     are kept: nothing rests on them);
//   - a retraction (events.Retraction) is published for each observation
//     stored for the article, and not retracted, that the analysis no
//     longer finds. The sink retracts it in the store, which corrects the
//     current stance if it rested on it.
//
// New stances go first, so that a stance the rules now read differently
// in an article is recorded before the old reading is retracted, and the
// current stance moves once. What the store already has is not published
// again, so a second run with the same rules publishes nothing; and if it
// comes before the sink has stored the first run's events, JetStream drops
// them as duplicates by their message ids.
//
// New stances are observed at the time of the run, so that the changes
// they cause are dated when they are made, and an article whose
// publication time is unknown lends its fetch time as their Published
// time: their Effective time is the one the article's first analysis gave
// its stances.
//
// A reinstating stance event has the message id of the stance's first
// publication: if that was within bus.DuplicateWindow, JetStream drops it
// (counted as a duplicate), and a run after the window reinstates it.
type reanalyzer struct {
	store     store.Store
	analyzer  *analysis.Analyzer
	publisher *bus.Publisher
	now       time.Time // when the run started
	rules     string    // rulesVersion
	summary   reanalyzeSummary
}

// article reanalyses the stored article id.
func (r *reanalyzer) article(ctx context.Context, id string) error {
	a, err := r.store.Article(ctx, id)
	if err != nil {
		return err
	}
	ev := events.Article{
		ID: a.ID, URL: a.URL, FeedURL: a.FeedURL, Outlet: a.Outlet, Title: a.Title, Authors: a.Authors,
		Published: a.Published, Fetched: a.Fetched, Source: a.Source, FetchError: a.FetchError, Text: a.Text,
	}
	res, err := r.analyzer.Analyze(ctx, process.Document(ev))
	if err != nil {
		return fmt.Errorf("reanalysing %s: %w", a.URL, err)
	}
	out := process.Events(ev, res, r.now)
	stored, err := r.store.Observations(ctx, id)
	if err != nil {
		return err
	}
	quotes, err := r.store.Quotes(ctx, id)
	if err != nil {
		return err
	}

	byID := make(map[string]store.Observation, len(stored))
	for _, o := range stored {
		byID[o.ID] = o
	}
	found := make(map[string]bool, len(out.Stances))
	for _, s := range out.Stances {
		found[s.ID] = true
		o, ok := byID[s.ID]
		if ok && !o.Retracted {
			continue
		}
		if s.Published.IsZero() {
			s.Published = a.Fetched
		}
		dup, err := r.publisher.Publish(ctx, s.Subject(), events.MsgID(events.KindStance, s.ID), s)
		if err != nil {
			return err
		}
		switch {
		case dup:
			r.summary.Duplicates++
		case ok:
			r.summary.Reinstated++
		default:
			r.summary.Stances++
		}
	}
	have := make(map[string]bool, len(quotes))
	for _, q := range quotes {
		have[q.ID] = true
	}
	for _, q := range out.Quotes {
		if have[q.ID] {
			continue
		}
		if err := r.publish(ctx, q.Subject(), events.MsgID(events.KindQuote, q.ID), q, &r.summary.Quotes); err != nil {
			return err
		}
	}
	for _, o := range stored {
		if o.Retracted || found[o.ID] {
			continue
		}
		// A reinstated observation has been retracted before: this is
		// another retraction.
		ret := events.Retraction{
			ID: events.RetractionID(o.ID, o.Corrected), ObservationID: o.ID, ArticleID: o.ArticleID,
			URL: o.URL, Outlet: o.Outlet, Actor: o.Actor, Accord: o.Accord, Stance: o.Stance, Historical: o.Historical,
			Reason: events.ReasonReanalysis, Rules: r.rules, Retracted: r.now,
		}
		if err := r.publish(ctx, ret.Subject(), events.MsgID(events.KindRetraction, ret.ID), ret, &r.summary.Retractions); err != nil {
			return err
		}
	}
	return nil
}

// publish publishes v and counts it in *n, or as a duplicate.
func (r *reanalyzer) publish(ctx context.Context, subject, msgID string, v any, n *int) error {
	dup, err := r.publisher.Publish(ctx, subject, msgID, v)
	if err != nil {
		return err
	}
	if dup {
		r.summary.Duplicates++
	} else {
		*n++
	}
	return nil
}

// rulesVersion returns the version of the running build, of which the
// rules are part: its module version, else its VCS revision ("+dirty"
// when modified), else "".
func rulesVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" && modified == "true" {
		rev += "+dirty"
	}
	return rev
}
