// Command accordwatch watches the news for what governments, organisations
// and officials say and do about international cyber accords.
//
// Usage:
//
//	accordwatch run     [--config FILE] [--nats-url URL] [--db DSN] [--data-dir DIR]
//	accordwatch analyze [--html] [--url U] [--published YYYY-MM-DD] FILE|-
//	accordwatch extract [--url U] FILE|-
//	accordwatch eval    [--gold FILE] [--json]
//	accordwatch digest  --date YYYY-MM-DD [--format md|json|csv|html] [--out FILE]
//	accordwatch feeds list [--json]
//	accordwatch feeds add URL | remove URL | import FILE.opml | export [--out FILE]
//	accordwatch tail    [--accord ID] [--actor ID] [--kind K] [--since 24h] [--nats-url URL]
//	accordwatch stances [--accord ID] [--as-of YYYY-MM-DD] [--format table|json|csv] [--db DSN]
//	accordwatch reanalyze [--since DATE] [--db DSN] [--nats-url URL] [--config FILE] [--quiet] [--json]
//	accordwatch dead    [--stage feed|item] [--json]
//	accordwatch demo
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `accordwatch: international cyber accords in the news.

Commands:
  run       the daemon: poll feeds, analyse articles, publish on NATS, store records
  analyze   run extraction (--html) and NLP on one article; prints JSON
  extract   extract title, authors, date and text from an HTML page; prints JSON
  extract-eval  score article extraction on ../shared/extraction (main text F1, title, date, authors)
  eval      score the NLP against a gold file (default ../shared/corpus/gold.jsonl)
  digest    export the stance changes recorded on a day
  feeds     "feeds list": each feed's polling health (last success, failures, next poll);
            "feeds add URL" (a feed or a page advertising one), "feeds remove URL",
            "feeds import FILE.opml", "feeds export [--out FILE]" (OPML 2.0)
  tail      print the events as they are published, filtered by accord, actor, kind; --since replays
  stances   the stance matrix (actors × accords) now or at the end of a day (--as-of)
  reanalyze run the NLP again on the stored articles (--since DATE) and publish the corrections
  dead      list the jobs that failed too often (dead letters)
  bench     measure throughput: NLP against prose's full pipeline; with --feeds, the whole daemon
  demo      an offline walkthrough with built-in feeds and articles

Run "accordwatch <command> -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// errUsage marks errors caused by wrong arguments.
var errUsage = errors.New("usage")

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch args[0] {
	case "run":
		err = cmdRun(ctx, args[1:], stderr)
	case "analyze":
		err = cmdAnalyze(ctx, args[1:], stdin, stdout)
	case "extract":
		err = cmdExtract(ctx, args[1:], stdin, stdout)
	case "extract-eval":
		err = cmdExtractEval(ctx, args[1:], stdout)
	case "eval":
		err = cmdEval(ctx, args[1:], stdout)
	case "digest":
		err = cmdDigest(ctx, args[1:], stdout)
	case "feeds":
		err = cmdFeeds(ctx, args[1:], stdout)
	case "tail":
		err = cmdTail(ctx, args[1:], stdout, stderr)
	case "stances":
		err = cmdStances(ctx, args[1:], stdout)
	case "reanalyze":
		err = cmdReanalyze(ctx, args[1:], stdout, stderr)
	case "dead":
		err = cmdDead(ctx, args[1:], stdout)
	case "bench":
		err = cmdBench(ctx, args[1:], stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "accordwatch: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintln(stderr, "accordwatch:", err)
			return 2
		}
		fmt.Fprintln(stderr, "accordwatch:", err)
		return 1
	}
	return 0
}

// newLogger returns a slog logger writing text to w.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
