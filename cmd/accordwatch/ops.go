package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/work"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// cmdFeeds runs the feeds subcommands: list, add, remove, import and
// export.
func cmdFeeds(ctx context.Context, args []string, stdout io.Writer) error {
	const want = `want "feeds list|add URL|remove URL|import FILE.opml|export"`
	if len(args) == 0 {
		return fmt.Errorf("%w: feeds: %s", errUsage, want)
	}
	switch args[0] {
	case "list":
		return cmdFeedsList(ctx, args[1:], stdout)
	case "add":
		return cmdFeedsAdd(ctx, args[1:], stdout)
	case "remove":
		return cmdFeedsRemove(ctx, args[1:], stdout)
	case "import":
		return cmdFeedsImport(ctx, args[1:], stdout)
	case "export":
		return cmdFeedsExport(ctx, args[1:], stdout)
	}
	return fmt.Errorf("%w: feeds %s: %s", errUsage, args[0], want)
}

// Sources of the feeds that feeds list shows.
const (
	feedConfigured = "config" // listed in the configuration file
	feedAdded      = "added"  // added with feeds add or import
	feedFormer     = "former" // polled before, neither configured nor added now
)

// cmdFeedsList lists the configured and added feeds, and those polled
// before that are neither any more, with their polling health from the
// store.
func cmdFeedsList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("feeds list")
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := sf.load("")
	if err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	states, err := st.FeedStates(ctx)
	if err != nil {
		return err
	}
	added, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	type row struct {
		URL                 string    `json:"url"`
		Source              string    `json:"source"`
		Title               string    `json:"title,omitempty"`
		Added               time.Time `json:"added,omitzero"`
		LastPolled          time.Time `json:"last_polled,omitzero"`
		LastSuccess         time.Time `json:"last_success,omitzero"`
		LastError           string    `json:"last_error,omitempty"`
		ConsecutiveFailures int       `json:"consecutive_failures"`
		NextPoll            time.Time `json:"next_poll,omitzero"`
		Interval            string    `json:"interval,omitempty"`
	}
	// Configured feeds in the file's order, then added ones, then former
	// ones, each by URL.
	var rows []row
	listed := map[string]bool{}
	for _, f := range cfg.Feeds {
		rows = append(rows, row{URL: f.URL, Source: feedConfigured, Title: f.Name})
		listed[f.URL] = true
	}
	for _, f := range added {
		if !listed[f.URL] {
			rows = append(rows, row{URL: f.URL, Source: feedAdded, Title: f.Title, Added: f.Added})
			listed[f.URL] = true
		}
	}
	health := map[string]store.FeedState{}
	for _, s := range states {
		health[s.URL] = s
		if !listed[s.URL] {
			rows = append(rows, row{URL: s.URL, Source: feedFormer})
		}
	}
	for i := range rows {
		r := &rows[i]
		s, ok := health[r.URL]
		if !ok {
			continue // never polled
		}
		r.LastPolled, r.LastSuccess, r.LastError = s.LastPolled, s.LastSuccess, s.LastError
		r.ConsecutiveFailures, r.NextPoll = s.Failures, s.NextPoll
		if s.Interval > 0 {
			r.Interval = s.Interval.String()
		}
	}
	if *asJSON {
		if rows == nil {
			rows = []row{}
		}
		return writeJSON(stdout, rows)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "FEED\tSOURCE\tLAST SUCCESS\tFAILURES\tNEXT POLL\tINTERVAL\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.URL, r.Source, stamp(r.LastSuccess), r.ConsecutiveFailures, stamp(r.NextPoll), r.Interval, clip(r.LastError, 80))
	}
	return w.Flush()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// cmdDead lists the jobs that failed too often (the dead letters) from the
// NATS server the daemons use.
func cmdDead(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("dead")
	cfgPath := fs.String("config", DefaultConfig, "configuration file")
	natsURL := fs.String("nats-url", "", "NATS server URL (default: the configured one, else the embedded server's listen address)")
	stage := fs.String("stage", "", "only this stage: feed or item")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(*cfgPath, *natsURL, "", "")
	if err != nil {
		return err
	}
	nc, js, err := connectDaemon(ctx, cfg, "dead", false)
	if err != nil {
		return err
	}
	defer nc.Close()
	dls, err := work.DeadLetters(ctx, js, *stage)
	if err != nil {
		return err
	}
	if *asJSON {
		if dls == nil {
			dls = []work.DeadLetter{}
		}
		return writeJSON(stdout, dls)
	}
	if len(dls) == 0 {
		fmt.Fprintln(stdout, "no dead letters")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "FAILED\tSTAGE\tATTEMPTS\tERROR\tJOB")
	for _, dl := range dls {
		job, _ := json.Marshal(dl.Job)
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", stamp(dl.Failed), dl.Stage, dl.Attempts, clip(dl.Error, 60), clip(string(job), 100))
	}
	return w.Flush()
}
