package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/work"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// cmdFeeds lists the feeds' polling health from the store.
func cmdFeeds(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("%w: feeds: want \"feeds list\"", errUsage)
	}
	fs := newFlags("feeds list")
	cfgPath := fs.String("config", DefaultConfig, "configuration file")
	dsn := fs.String("db", "", "store DSN (default: SQLite file in the data dir)")
	dataDir := fs.String("data-dir", "", "data directory (default ./data)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(*cfgPath, "", *dsn, *dataDir)
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
	polled := map[string]bool{}
	for _, s := range states {
		polled[s.URL] = true
	}
	type row struct {
		URL                 string    `json:"url"`
		LastPolled          time.Time `json:"last_polled,omitzero"`
		LastSuccess         time.Time `json:"last_success,omitzero"`
		LastError           string    `json:"last_error,omitempty"`
		ConsecutiveFailures int       `json:"consecutive_failures"`
		NextPoll            time.Time `json:"next_poll,omitzero"`
		Interval            string    `json:"interval,omitempty"`
	}
	var rows []row
	for _, s := range states {
		r := row{URL: s.URL, LastPolled: s.LastPolled, LastSuccess: s.LastSuccess, LastError: s.LastError,
			ConsecutiveFailures: s.Failures, NextPoll: s.NextPoll}
		if s.Interval > 0 {
			r.Interval = s.Interval.String()
		}
		rows = append(rows, r)
	}
	for _, f := range cfg.Feeds { // configured but never polled
		if !polled[f.URL] {
			rows = append(rows, row{URL: f.URL})
		}
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "FEED\tLAST SUCCESS\tFAILURES\tNEXT POLL\tINTERVAL\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\t%s\n", r.URL, stamp(r.LastSuccess), r.ConsecutiveFailures, stamp(r.NextPoll), r.Interval, clip(r.LastError, 80))
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
	url := cfg.NATS.URL
	if url == "" {
		url = "nats://" + cfg.NATS.Listen
	}
	nc, err := nats.Connect(url, nats.Name("accordwatch dead"), nats.Timeout(5*time.Second))
	if err != nil {
		return fmt.Errorf("connecting to NATS at %s (is the daemon running?): %w", url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("JetStream: %w", err)
	}
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
