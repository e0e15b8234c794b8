package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/accordwatch/accordwatch/extractors/extracteval"
)

// cmdExtractEval scores article extraction on the shared extraction pages:
// the main text on the scrapinghub benchmark (its shingle metric), and the
// main text (same metric), title, date and authors on the Fundus
// publisher pages.
func cmdExtractEval(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("extract-eval")
	set := fs.String("set", "", `score one set only: "scrapinghub" (main text) or "fundus" (main text and metadata); default both`)
	dir := fs.String("data", extracteval.DefaultDir, "the shared extraction directory")
	asJSON := fs.Bool("json", false, "print the scores and per-page results as one JSON object")
	worst := fs.Int("worst", 15, "in human mode, how many of the worst pages to list per set")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: extract-eval takes no arguments", errUsage)
	}
	switch *set {
	case "", extracteval.Scrapinghub, extracteval.Fundus:
	default:
		return fmt.Errorf("%w: --set must be %q or %q", errUsage, extracteval.Scrapinghub, extracteval.Fundus)
	}
	if _, err := os.Stat(*dir); err != nil {
		return fmt.Errorf("extraction data: %w", err)
	}

	var out struct {
		Scrapinghub *extracteval.TextReport `json:"scrapinghub,omitempty"`
		FundusText  *extracteval.TextReport `json:"fundus_text,omitempty"`
		Fundus      *extracteval.MetaReport `json:"fundus,omitempty"`
	}
	if *set == "" || *set == extracteval.Scrapinghub {
		pages, err := extracteval.LoadScrapinghub(*dir)
		if err != nil {
			return err
		}
		rep := extracteval.ScoreText(extracteval.Scrapinghub, pages, extracteval.ArticleText)
		out.Scrapinghub = &rep
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if *set == "" || *set == extracteval.Fundus {
		pages, err := extracteval.LoadFundus(*dir)
		if err != nil {
			return err
		}
		text := extracteval.ScoreText(extracteval.Fundus, extracteval.FundusText(pages), extracteval.ArticleTextSniffed)
		out.FundusText = &text
		rep := extracteval.ScoreMetadata(pages, extracteval.ArticleMetadata)
		out.Fundus = &rep
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	if out.Scrapinghub != nil {
		if err := out.Scrapinghub.WriteText(stdout, *worst); err != nil {
			return err
		}
	}
	if out.Fundus != nil {
		if out.Scrapinghub != nil {
			fmt.Fprintln(stdout)
		}
		if err := out.FundusText.WriteText(stdout, *worst); err != nil {
			return err
		}
		fmt.Fprintln(stdout)
		if err := out.Fundus.WriteText(stdout, *worst); err != nil {
			return err
		}
	}
	return nil
}
