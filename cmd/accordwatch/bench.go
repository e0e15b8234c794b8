package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/extractors/analysis"
	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/prosemodel"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/loadgen"
)

// benchReport is what bench measures.
type benchReport struct {
	NLP *nlpReport `json:"nlp,omitempty"`
	E2E *e2eReport `json:"end_to_end,omitempty"`
}

// throughput is one timed pass over texts.
type throughput struct {
	Articles    int     `json:"articles"`
	Bytes       int64   `json:"bytes"`
	Seconds     float64 `json:"seconds"`
	ArticlesSec float64 `json:"articles_per_s"`
	MBSec       float64 `json:"mb_per_s"`
}

type nlpReport struct {
	Corpus         throughput `json:"corpus_analyze"`
	CorpusBaseline throughput `json:"corpus_prose_baseline"`
	CorpusRatio    float64    `json:"corpus_ratio"`
	Mixed          throughput `json:"mixed_screened"`
	MixedBaseline  throughput `json:"mixed_prose_baseline"`
	MixedRatio     float64    `json:"mixed_ratio"`
	MixedUnrelated float64    `json:"mixed_unrelated_share"`
	// ScreenRecall is the share of corpus texts with stances (by the full
	// analysis) that the screen keeps.
	ScreenRecall float64 `json:"screen_recall"`
}

type e2eReport struct {
	Feeds          int     `json:"feeds"`
	Cadence        string  `json:"cadence"`
	ItemEvery      string  `json:"item_every"`
	BurstArticles  int     `json:"burst_articles"`
	BurstSeconds   float64 `json:"burst_seconds"`
	SteadySeconds  float64 `json:"steady_seconds"`
	SteadyArticles int     `json:"steady_articles"`
	SteadyStances  int     `json:"steady_stances"`
	SteadyCPU      float64 `json:"steady_cpu_cores"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	RSSStartMB     float64 `json:"steady_rss_start_mb"`
	RSSEndMB       float64 `json:"steady_rss_end_mb"`
	ArticleP50     float64 `json:"article_latency_p50_s"`
	ArticleP95     float64 `json:"article_latency_p95_s"`
	StanceP50      float64 `json:"stance_latency_p50_s"`
	StanceP95      float64 `json:"stance_latency_p95_s"`
	FeedGets       int64   `json:"feed_requests"`
	NotModified    int64   `json:"not_modified"`
	PageGets       int64   `json:"page_requests"`
}

// cmdBench measures throughput: the NLP against prose's full pipeline on
// the corpus and on a mixed stream, and, with --feeds, the whole daemon (a
// child process) against a loopback site of many feeds.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	corpus := fs.String("corpus", filepath.Join("..", "shared", "corpus", "articles"), "directory of accord-related texts")
	news := fs.String("news", filepath.Join("..", "shared", "extraction"), "directory of the extraction benchmark pages (their ground-truth texts are the unrelated news)")
	feedsN := fs.Int("feeds", 0, "run the end-to-end measurement with this many feeds (0: skip)")
	duration := fs.Duration("duration", 3*time.Minute, "steady-state measurement time of the end-to-end run")
	cadence := fs.Duration("cadence", 15*time.Minute, "polling interval of every feed in the end-to-end run")
	itemEvery := fs.Duration("item-every", time.Hour, "time between new items of one feed in the end-to-end run")
	related := fs.Float64("related", 0.1, "share of new items about a tracked accord in the end-to-end run")
	nlp := fs.Bool("nlp", true, "run the NLP measurement")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	var rep benchReport
	if *nlp {
		r, err := benchNLP(ctx, *corpus, *news, stderr)
		if err != nil {
			return err
		}
		rep.NLP = r
	}
	if *feedsN > 0 {
		r, err := benchE2E(ctx, *feedsN, *duration, *cadence, *itemEvery, *related, stderr)
		if err != nil {
			return err
		}
		rep.E2E = r
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	if r := rep.NLP; r != nil {
		fmt.Fprintf(w, "NLP, one core, same run:\n")
		fmt.Fprintf(w, "  corpus (%d texts): accordwatch %.1f articles/s (%.2f MB/s), prose full pipeline %.1f articles/s: %.2fx\n",
			r.Corpus.Articles, r.Corpus.ArticlesSec, r.Corpus.MBSec, r.CorpusBaseline.ArticlesSec, r.CorpusRatio)
		fmt.Fprintf(w, "  mixed stream (%d texts, %.0f%% unrelated): screened %.1f articles/s (%.2f MB/s), prose %.1f articles/s: %.1fx; screen keeps %.0f%% of the corpus texts with stances\n",
			r.Mixed.Articles, 100*r.MixedUnrelated, r.Mixed.ArticlesSec, r.Mixed.MBSec, r.MixedBaseline.ArticlesSec, r.MixedRatio, 100*r.ScreenRecall)
	}
	if r := rep.E2E; r != nil {
		fmt.Fprintf(w, "End to end: %d feeds every %s, a new item per feed every %s:\n", r.Feeds, r.Cadence, r.ItemEvery)
		fmt.Fprintf(w, "  first poll: %d articles in %.1f s\n", r.BurstArticles, r.BurstSeconds)
		fmt.Fprintf(w, "  steady state (%.0f s): %d articles, %d stances; CPU %.3f cores; RSS %.0f → %.0f MB, peak %.0f MB\n",
			r.SteadySeconds, r.SteadyArticles, r.SteadyStances, r.SteadyCPU, r.RSSStartMB, r.RSSEndMB, r.PeakRSSMB)
		fmt.Fprintf(w, "  poll → article event p50 %.2f s, p95 %.2f s; poll → stance event p50 %.2f s, p95 %.2f s\n",
			r.ArticleP50, r.ArticleP95, r.StanceP50, r.StanceP95)
		fmt.Fprintf(w, "  site: %d feed requests (%d answered 304), %d pages\n", r.FeedGets, r.NotModified, r.PageGets)
	}
	return nil
}

// benchNLP times the analysis and prose's full pipeline over the same texts.
func benchNLP(ctx context.Context, corpusDir, newsDir string, stderr io.Writer) (*nlpReport, error) {
	corpus, err := readTexts(corpusDir)
	if err != nil {
		return nil, err
	}
	if len(corpus) == 0 {
		return nil, fmt.Errorf("bench: no texts in %s", corpusDir)
	}
	news, err := newsTexts(newsDir)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	an := analysis.New(cat)
	prosemodel.Model()
	timeIt := func(texts []string, f func(string) error) (throughput, error) {
		t := throughput{Articles: len(texts)}
		for _, s := range texts {
			t.Bytes += int64(len(s))
		}
		start := time.Now()
		for _, s := range texts {
			if err := f(s); err != nil {
				return t, err
			}
			if ctx.Err() != nil {
				return t, ctx.Err()
			}
		}
		t.Seconds = time.Since(start).Seconds()
		t.ArticlesSec = float64(t.Articles) / t.Seconds
		t.MBSec = float64(t.Bytes) / 1e6 / t.Seconds
		return t, nil
	}
	prose := func(s string) error { _, err := prosemodel.Document(s, true); return err }
	var withStances int
	full := func(s string) error {
		res, err := an.Analyze(ctx, analysis.Document{Text: s})
		if err == nil && len(res.Stances) > 0 {
			withStances++
		}
		return err
	}
	screened := func(s string) error {
		_, err := an.Analyze(ctx, analysis.Document{Text: s, Screen: true})
		return err
	}
	r := &nlpReport{}
	fmt.Fprintln(stderr, "bench: NLP on the corpus…")
	if r.CorpusBaseline, err = timeIt(corpus, prose); err != nil {
		return nil, err
	}
	if r.Corpus, err = timeIt(corpus, full); err != nil {
		return nil, err
	}
	r.CorpusRatio = r.Corpus.ArticlesSec / r.CorpusBaseline.ArticlesSec
	// screen recall: corpus texts with stances that the screen keeps.
	kept := 0
	for _, s := range corpus {
		full, _ := an.Analyze(ctx, analysis.Document{Text: s})
		if len(full.Stances) == 0 {
			continue
		}
		sc, _ := an.Analyze(ctx, analysis.Document{Text: s, Screen: true})
		if sc.Related {
			kept++
		}
	}
	if withStances > 0 {
		r.ScreenRecall = float64(kept) / float64(withStances)
	}
	mixed := append(append([]string(nil), news...), corpus...)
	r.MixedUnrelated = float64(len(news)) / float64(len(mixed))
	fmt.Fprintf(stderr, "bench: NLP on a mixed stream of %d texts…\n", len(mixed))
	if r.MixedBaseline, err = timeIt(mixed, prose); err != nil {
		return nil, err
	}
	if r.Mixed, err = timeIt(mixed, screened); err != nil {
		return nil, err
	}
	r.MixedRatio = r.Mixed.ArticlesSec / r.MixedBaseline.ArticlesSec
	return r, nil
}

// readTexts reads the regular files of dir.
func readTexts(dir string) ([]string, error) {
	files, err := inputFiles([]string{dir})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	return out, nil
}

// newsTexts returns the ground-truth texts of the extraction benchmark
// pages under dir: world news unrelated to cyber accords.
func newsTexts(dir string) ([]string, error) {
	var out []string
	if b, err := os.ReadFile(filepath.Join(dir, "scrapinghub", "ground-truth.json")); err == nil {
		var gt map[string]struct {
			ArticleBody string `json:"articleBody"`
		}
		if err := json.Unmarshal(b, &gt); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", dir, err)
		}
		keys := make([]string, 0, len(gt))
		for k := range gt {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			out = append(out, gt[k].ArticleBody)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "fundus-publishers", "*", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var versions map[string]json.RawMessage
		if json.Unmarshal(b, &versions) != nil {
			continue
		}
		for _, raw := range versions {
			var v any
			if json.Unmarshal(raw, &v) != nil {
				continue
			}
			var sb strings.Builder
			var walk func(any)
			walk = func(v any) {
				switch x := v.(type) {
				case string:
					sb.WriteString(x + "\n\n")
				case []any:
					for _, e := range x {
						walk(e)
					}
				case map[string]any:
					if t, ok := x["title"].(string); ok {
						sb.WriteString(t + "\n\n")
					}
					if body, ok := x["body"]; ok {
						walk(body)
						return
					}
					for k, e := range x {
						if k != "title" && k != "images" && k != "authors" && k != "publishing_date" && k != "topics" {
							walk(e)
						}
					}
				}
			}
			walk(v)
			if sb.Len() > 0 {
				out = append(out, sb.String())
			}
		}
	}
	return out, nil
}

// benchE2E runs "accordwatch run" as a child process against a loopback
// site of n feeds and measures it.
func benchE2E(ctx context.Context, n int, duration, cadence, itemEvery time.Duration, related float64, stderr io.Writer) (*e2eReport, error) {
	site := loadgen.New(n, itemEvery, related)
	site.Initial = 1
	base, err := site.Start()
	if err != nil {
		return nil, err
	}
	defer site.Close()
	dir, err := os.MkdirTemp("", "accordwatch-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	port, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "data_dir: %q\nnats: {listen: %q}\n", dir, port)
	// One loopback host stands for thousands of sites: no per-host limit.
	cfg.WriteString("http: {allow_private_addresses: true, host_delay: -1s, host_concurrency: 256}\n")
	fmt.Fprintf(&cfg, "poll_interval: %s\nschedule: {min_interval: %s, max_interval: %s}\nworkers: 8\nmetrics: {addr: \"\"}\ndigest: {schedule: \"\"}\nfeeds:\n", cadence, cadence, cadence)
	for _, u := range site.FeedURLs(base) {
		fmt.Fprintf(&cfg, "  - url: %q\n", u)
	}
	cfgFile := filepath.Join(dir, "bench.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfg.String()), 0o644); err != nil {
		return nil, err
	}
	child, err := benchChild("run", "--config", cfgFile)
	if err != nil {
		return nil, err
	}
	if child.Env == nil {
		child.Env = os.Environ()
	}
	child.Env = append(child.Env, "ACCORDWATCH_LOG_LEVEL=warn", "ACCORDWATCH_LOG_FORMAT=text")
	logFile, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	child.Stdout, child.Stderr = logFile, logFile
	if err := child.Start(); err != nil {
		return nil, fmt.Errorf("bench: starting the daemon: %w", err)
	}
	defer func() {
		child.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { child.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(40 * time.Second):
			child.Process.Kill()
			<-done
		}
	}()
	var nc *nats.Conn
	for i := 0; ; i++ {
		nc, err = nats.Connect("nats://"+port, nats.Name("accordwatch bench"))
		if err == nil {
			break
		}
		if i > 300 || ctx.Err() != nil {
			log, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("bench: the daemon's NATS server did not come up: %w; its log:\n%s", err, clip(string(log), 2000))
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer nc.Close()

	var mu sync.Mutex
	var articleLat, stanceLat []float64
	articles, stances := 0, 0
	steady := false
	record := func(m *nats.Msg, stance bool) {
		now := time.Now()
		var ev struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(m.Data, &ev) != nil {
			return
		}
		first, ok := site.FirstServed(ev.URL)
		mu.Lock()
		defer mu.Unlock()
		if stance {
			stances++
		} else {
			articles++
		}
		if !steady || !ok {
			return
		}
		if stance {
			stanceLat = append(stanceLat, now.Sub(first).Seconds())
		} else {
			articleLat = append(articleLat, now.Sub(first).Seconds())
		}
	}
	if _, err := nc.Subscribe(events.Prefix+"."+events.KindArticle+".>", func(m *nats.Msg) { record(m, false) }); err != nil {
		return nil, err
	}
	if _, err := nc.Subscribe(events.Prefix+"."+events.KindStance+".>", func(m *nats.Msg) { record(m, true) }); err != nil {
		return nil, err
	}
	pid := child.Process.Pid
	rep := &e2eReport{Feeds: n, Cadence: cadence.String(), ItemEvery: itemEvery.String()}

	// The first poll of every feed: one item each.
	fmt.Fprintf(stderr, "bench: daemon pid %d polling %d feeds for the first time…\n", pid, n)
	start := time.Now()
	for {
		mu.Lock()
		a := articles
		mu.Unlock()
		if a >= n {
			break
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if time.Since(start) > 30*time.Minute {
			return nil, fmt.Errorf("bench: only %d of %d first articles after 30 minutes (log in %s)", a, n, logFile.Name())
		}
		time.Sleep(200 * time.Millisecond)
	}
	rep.BurstSeconds = time.Since(start).Seconds()
	mu.Lock()
	rep.BurstArticles = articles
	steady, articles, stances = true, 0, 0
	mu.Unlock()

	fmt.Fprintf(stderr, "bench: steady state for %s…\n", duration)
	cpu0, err := procCPU(pid)
	if err != nil {
		return nil, err
	}
	rss0, _, _ := procRSS(pid)
	t0 := time.Now()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(duration):
	}
	cpu1, err := procCPU(pid)
	if err != nil {
		return nil, err
	}
	rss1, peak, _ := procRSS(pid)
	rep.SteadySeconds = time.Since(t0).Seconds()
	rep.SteadyCPU = (cpu1 - cpu0) / rep.SteadySeconds
	rep.RSSStartMB, rep.RSSEndMB, rep.PeakRSSMB = rss0, rss1, peak
	mu.Lock()
	rep.SteadyArticles, rep.SteadyStances = articles, stances
	rep.ArticleP50, rep.ArticleP95 = percentile(articleLat, 0.5), percentile(articleLat, 0.95)
	rep.StanceP50, rep.StanceP95 = percentile(stanceLat, 0.5), percentile(stanceLat, 0.95)
	mu.Unlock()
	rep.FeedGets, rep.NotModified, rep.PageGets = site.Counts()
	return rep, nil
}

// benchChild returns the command that runs "accordwatch args...": this
// executable. Tests replace it.
var benchChild = func(args ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return exec.Command(exe, args...), nil
}

func freeLoopbackPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// procCPU returns the CPU seconds (user + system) used by process pid.
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("bench: reading the daemon's CPU time: %w", err)
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("bench: unexpected /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100, nil // USER_HZ is 100 on Linux
}

// procRSS returns the resident and peak resident memory of pid in MB.
func procRSS(pid int) (rss, peak float64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak, nil
}

// percentile returns the p-quantile of xs (0 for none).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}
