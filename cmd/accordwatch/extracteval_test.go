package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/accordwatch/accordwatch/extractors/extracteval"
)

// TestExtractEval runs extract-eval on the shared extraction pages. The
// figures themselves are held to floors in extractors/article.
func TestExtractEval(t *testing.T) {
	dir := shared(t, "extraction")
	var out struct {
		Scrapinghub *extracteval.TextReport `json:"scrapinghub"`
		FundusText  *extracteval.TextReport `json:"fundus_text"`
		Fundus      *extracteval.MetaReport `json:"fundus"`
	}
	runJSON(t, &out, "extract-eval", "--json", "--data", dir, "--set", "scrapinghub")
	if out.Scrapinghub == nil || out.Scrapinghub.Pages != 181 || out.Fundus != nil || out.FundusText != nil {
		t.Fatalf("--set scrapinghub: got %+v", out)
	}
	if f1 := out.Scrapinghub.F1; f1 <= 0.9 || f1 > 1 {
		t.Errorf("scrapinghub F1 = %v", f1)
	}

	code, text, _ := runCmd(t, "", "extract-eval", "--data", dir, "--set", "fundus", "--worst", "3")
	if code != 0 || !strings.Contains(text, "fundus main text: 258 pages, precision") || !strings.Contains(text, "fundus metadata: 258 pages, title exact") || !strings.Contains(text, "pages with wrong fields:") {
		t.Errorf("human output (exit %d) lacks the figures or the worst pages:\n%.500s", code, text)
	}

	if code, _, _ := runCmd(t, "", "extract-eval", "--set", "nope", "--data", dir); code != 2 {
		t.Errorf("unknown set: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "", "extract-eval", "--data", filepath.Join(t.TempDir(), "missing")); code != 1 {
		t.Errorf("missing data directory: exit %d, want 1", code)
	}
}
