package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/article"
	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/eval"
	"github.com/accordwatch/accordwatch/pipeline/config"
	"github.com/accordwatch/accordwatch/pipeline/daemon"
	"github.com/accordwatch/accordwatch/pipeline/digest"
	"github.com/accordwatch/accordwatch/store"
	"github.com/accordwatch/accordwatch/store/sqlstore"
)

// DefaultConfig is the configuration file used when --config is not given.
const DefaultConfig = "configs/accordwatch.yaml"

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("accordwatch "+name, flag.ContinueOnError)
	return fs
}

// loadConfig reads the configuration and applies environment variables and
// flags, in that order of precedence (flags win).
func loadConfig(path string, natsURL, dsn, dataDir string) (config.Config, error) {
	cfg := config.Default()
	if path != "" {
		c, err := config.Load(path)
		if err != nil {
			if !(errors.Is(err, os.ErrNotExist) && path == DefaultConfig) {
				return config.Config{}, err
			}
		} else {
			cfg = c
		}
	}
	cfg.ApplyEnv(os.Getenv)
	if natsURL != "" {
		cfg.NATS.URL = natsURL
	}
	if dsn != "" {
		cfg.Store.DSN = dsn
	}
	if dataDir != "" {
		cfg.DataDir = dataDir
	}
	return cfg, nil
}

// storeFlags are the flags of the commands that read the configuration and
// open the store: --config, --db and --data-dir.
type storeFlags struct{ config, dsn, dataDir *string }

// addStoreFlags defines the store flags on fs.
func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		config:  fs.String("config", DefaultConfig, "configuration file"),
		dsn:     fs.String("db", "", "store DSN (default: SQLite file in the data dir)"),
		dataDir: fs.String("data-dir", "", "data directory (default ./data)"),
	}
}

// load reads the configuration with the flags applied; natsURL, from a
// --nats-url flag, may be empty.
func (sf storeFlags) load(natsURL string) (config.Config, error) {
	return loadConfig(*sf.config, natsURL, *sf.dsn, *sf.dataDir)
}

func cmdRun(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("run")
	sf := addStoreFlags(fs)
	natsURL := fs.String("nats-url", "", "external NATS server URL (default: embedded server)")
	listen := fs.String("nats-listen", "", "client address of the embedded NATS server (default 127.0.0.1:4222)")
	metricsAddr := fs.String("metrics-addr", "", `address of /metrics, /healthz and /readyz (default from the config; "-" disables)`)
	verbose := fs.Bool("v", false, "debug logging (same as --log-level debug)")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (default $ACCORDWATCH_LOG_LEVEL or info)")
	logFormat := fs.String("log-format", "", "text, json or auto: JSON unless standard error is a terminal (default $ACCORDWATCH_LOG_FORMAT or auto)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *verbose && *logLevel == "" {
		*logLevel = "debug"
	}
	log, err := setupLogger(stderr, *logLevel, *logFormat, os.Getenv)
	if err != nil {
		return err
	}
	cfg, err := sf.load(*natsURL)
	if err != nil {
		return err
	}
	if *listen != "" {
		cfg.NATS.Listen = *listen
	}
	switch *metricsAddr {
	case "":
	case "-":
		cfg.Metrics.Addr = ""
	default:
		cfg.Metrics.Addr = *metricsAddr
	}
	d, err := daemon.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	runErr := d.Run(ctx)
	closeErr := d.Close()
	log.Info("stopped", "counters", d.Stats.Snapshot())
	return errors.Join(runErr, closeErr)
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return b, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func cmdAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("analyze")
	html := fs.Bool("html", false, "the input is an HTML page: extract the article first")
	pageURL := fs.String("url", "", "the page's URL (with --html and one file)")
	published := fs.String("published", "", "publication date YYYY-MM-DD (overrides the page's)")
	screen := fs.Bool("screen", false, "stop early on texts that name no tracked accord, as the daemon does")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: analyze takes FILE..., a directory or -", errUsage)
	}
	var pub time.Time
	if *published != "" {
		t, err := time.Parse("2006-01-02", *published)
		if err != nil {
			return fmt.Errorf("%w: --published %q: want YYYY-MM-DD", errUsage, *published)
		}
		pub = t
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	an := analysis.New(cat)
	analyze := func(name string, body []byte, url string) (*analysis.Result, error) {
		doc := analysis.Document{Screen: *screen}
		if *html {
			art, err := article.Extract(body, "", url)
			if err != nil {
				return nil, fmt.Errorf("extracting %s: %w", name, err)
			}
			doc.Title = art.Title
			doc.Text = art.Title + "\n\n" + art.Text
			doc.Published = art.Published
		} else {
			doc.Text = string(body)
		}
		if strings.TrimSpace(doc.Text) == "" {
			return nil, fmt.Errorf("%s: no text to analyse", name)
		}
		if !pub.IsZero() {
			doc.Published = pub
		}
		return an.Analyze(ctx, doc)
	}
	// One input: one JSON document, as before.
	if fs.NArg() == 1 {
		if fi, err := os.Stat(fs.Arg(0)); fs.Arg(0) == "-" || err != nil || !fi.IsDir() {
			body, err := readInput(fs.Arg(0), stdin)
			if err != nil {
				return err
			}
			res, err := analyze(fs.Arg(0), body, *pageURL)
			if err != nil {
				return err
			}
			return writeJSON(stdout, res)
		}
	}
	// Many files or a directory: one JSON object per line, with the file's
	// name; a file that fails is reported on its line and the rest go on.
	files, err := inputFiles(fs.Args())
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	failed := 0
	for _, name := range files {
		line := struct {
			File  string `json:"file"`
			Error string `json:"error,omitempty"`
			*analysis.Result
		}{File: name}
		body, err := os.ReadFile(name)
		if err == nil {
			line.Result, err = analyze(name, body, "")
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			line.Error = err.Error()
			failed++
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be analysed", failed, len(files))
	}
	return nil
}

// inputFiles expands the arguments of analyze: files as given, directories
// to their regular files (sorted, not recursive, hidden files left out).
func inputFiles(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", a, err)
		}
		if !fi.IsDir() {
			out = append(out, a)
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", a, err)
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
	}
	return out, nil
}

func cmdExtract(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := newFlags("extract")
	pageURL := fs.String("url", "", "the page's URL")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: extract takes one FILE or -", errUsage)
	}
	body, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	art, err := article.Extract(body, "", *pageURL)
	if err != nil {
		return fmt.Errorf("extracting %s: %w", fs.Arg(0), err)
	}
	out := struct {
		Title     string   `json:"title"`
		Authors   []string `json:"authors"`
		Published string   `json:"published,omitempty"`
		Site      string   `json:"site,omitempty"`
		Text      string   `json:"text"`
	}{Title: art.Title, Authors: art.Authors, Site: art.SiteName, Text: art.Text}
	if out.Authors == nil {
		out.Authors = []string{}
	}
	if !art.Published.IsZero() {
		out.Published = art.Published.Format(time.RFC3339)
	}
	return writeJSON(stdout, out)
}

func cmdEval(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("eval")
	gold := fs.String("gold", filepath.Join("..", "shared", "corpus", "gold.jsonl"), "gold file")
	asJSON := fs.Bool("json", false, "print the scores as one JSON object")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return err
	}
	scores, reports, err := eval.Run(ctx, analysis.New(cat), *gold)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(scores)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, r := range reports {
		if len(r.MissedStances)+len(r.SpuriousStance)+len(r.MissedQuotes)+len(r.SpuriousQuotes)+len(r.WrongSpeakers) == 0 {
			fmt.Fprintf(w, "== %s: all correct\n", r.ID)
			continue
		}
		fmt.Fprintf(w, "== %s\n", r.ID)
		for _, t := range r.MissedStances {
			fmt.Fprintf(w, "  missed stance:   %s\n", t)
		}
		for _, s := range r.SpuriousStance {
			fmt.Fprintf(w, "  spurious stance: %s %s %s [%s] %q\n", s.Actor, s.Accord, s.Stance, s.Rule, clip(s.Evidence, 110))
		}
		for _, q := range r.MissedQuotes {
			fmt.Fprintf(w, "  missed quote:    %q (%s)\n", q.StartsWith, q.Speaker)
		}
		for _, q := range r.SpuriousQuotes {
			fmt.Fprintf(w, "  spurious quote:  %q (%s)\n", clip(q.Text, 70), q.Speaker)
		}
		for _, s := range r.WrongSpeakers {
			fmt.Fprintf(w, "  wrong speaker:   %s\n", s)
		}
	}
	fmt.Fprintf(w, "\nstances  P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d)   polarity F1 %.3f\n",
		scores.StancePrecision, scores.StanceRecall, scores.StanceF1, scores.StanceTP, scores.StanceFP, scores.StanceFN, scores.PolarityF1)
	fmt.Fprintf(w, "quotes   P %.3f  R %.3f  speaker accuracy %.3f  (tp %d fp %d fn %d)\n",
		scores.QuotePrecision, scores.QuoteRecall, scores.SpeakerAccuracy, scores.QuoteTP, scores.QuoteFP, scores.QuoteFN)
	return nil
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func cmdDigest(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("digest")
	sf := addStoreFlags(fs)
	date := fs.String("date", "", "the day, YYYY-MM-DD, in the digest time zone (default today)")
	format := fs.String("format", "md", strings.Join(digest.Formats, ", "))
	out := fs.String("out", "", "write to FILE instead of standard output")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if !slices.Contains(digest.Formats, *format) {
		return fmt.Errorf("%w: --format %q: want one of %s", errUsage, *format, strings.Join(digest.Formats, ", "))
	}
	cfg, err := sf.load("")
	if err != nil {
		return err
	}
	loc := cfg.DigestLocation()
	if *date == "" {
		*date = time.Now().In(loc).Format("2006-01-02")
	}
	st, err := sqlstore.Open(ctx, cfg.StoreDSN())
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := buildDigestOf(ctx, st, *date, loc, cfg.Feeds)
	if err != nil {
		return err
	}
	return writeDigest(d, *format, *out, stdout)
}

func writeDigest(d digest.Digest, format, out string, stdout io.Writer) error {
	if out == "" {
		return digest.Write(stdout, d, format)
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	if err := digest.Write(f, d, format); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// buildDigest builds the digest of date (in loc) from st, with the health
// of every feed that st knows.
func buildDigest(ctx context.Context, st store.Store, date string, loc *time.Location) (digest.Digest, error) {
	return buildDigestOf(ctx, st, date, loc, nil)
}

// buildDigestOf builds the digest of date (in loc) from st: the changes and
// contradictions recorded that day, the stance board at its end and the
// health of feeds (of every feed that st knows if feeds is empty).
func buildDigestOf(ctx context.Context, st store.Store, date string, loc *time.Location, feeds []config.Feed) (digest.Digest, error) {
	if _, _, err := digest.Day(date, loc); err != nil {
		return digest.Digest{}, fmt.Errorf("%w: --date: %v", errUsage, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return digest.Digest{}, err
	}
	r := digest.Records{Names: catalogNames(cat, feeds)}
	for _, f := range feeds {
		r.Feeds = append(r.Feeds, f.URL)
	}
	return digest.Load(ctx, st, date, loc, r, time.Now())
}

// catalogNames returns a lookup of display names for the digest: actors
// and accords from cat, feeds from feeds.
func catalogNames(cat *catalog.Catalog, feeds []config.Feed) func(kind, id string) string {
	return func(kind, id string) string {
		switch kind {
		case digest.KindFeed:
			for _, f := range feeds {
				if f.URL == id {
					return f.Name
				}
			}
			return ""
		case digest.KindActor:
			if a, ok := cat.Actor(id); ok {
				return a.Name
			}
		case digest.KindAccord:
			if a, ok := cat.Accord(id); ok {
				return a.Name
			}
		}
		return id
	}
}
