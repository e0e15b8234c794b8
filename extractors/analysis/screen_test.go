package analysis

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/prosemodel"
)

// shared returns the path of a file or directory of ../shared, skipping
// tb if it is absent.
func sharedPath(tb testing.TB, parts ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s not found (the shared data sits beside the repository)", p)
	}
	return p
}

// goldStanceTexts returns the corpus texts whose gold has stances.
func goldStanceTexts(tb testing.TB) (related, none []string) {
	tb.Helper()
	dir := sharedPath(tb, "corpus")
	b, err := os.ReadFile(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var g struct {
			Text    string
			Stances []json.RawMessage
		}
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			tb.Fatal(err)
		}
		t, err := os.ReadFile(filepath.Join(dir, g.Text))
		if err != nil {
			tb.Fatal(err)
		}
		if len(g.Stances) > 0 {
			related = append(related, string(t))
		} else {
			none = append(none, string(t))
		}
	}
	return related, none
}

// newsTexts returns the main texts of the extraction benchmark's pages
// (ground truth): world news with nothing to do with cyber accords.
func newsTexts(tb testing.TB) []string {
	tb.Helper()
	var out []string
	b, err := os.ReadFile(filepath.Join(sharedPath(tb, "extraction", "scrapinghub"), "ground-truth.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var gt map[string]struct{ ArticleBody string }
	if err := json.Unmarshal(b, &gt); err != nil {
		tb.Fatal(err)
	}
	for _, v := range gt {
		out = append(out, v.ArticleBody)
	}
	files, _ := filepath.Glob(filepath.Join(sharedPath(tb, "extraction", "fundus-publishers"), "*", "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var versions map[string]struct {
			Title string
			Body  json.RawMessage
		}
		if json.Unmarshal(b, &versions) != nil {
			continue
		}
		for _, v := range versions {
			var sb strings.Builder
			sb.WriteString(v.Title + "\n\n")
			collectStrings(v.Body, &sb)
			out = append(out, sb.String())
		}
	}
	return out
}

func collectStrings(raw json.RawMessage, sb *strings.Builder) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
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
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

// TestScreenKeepsRelated checks the cheap screen: every corpus article
// with a gold stance is kept (recall 1 is the floor), and most general
// news is screened out.
func TestScreenKeepsRelated(t *testing.T) {
	related, none := goldStanceTexts(t)
	news := newsTexts(t)
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, text := range related {
		if isRelated(cat, text) {
			kept++
		} else {
			t.Errorf("screened out an article with stances: %.80q", text)
		}
	}
	var keptNone, keptNews int
	for _, text := range none {
		if isRelated(cat, text) {
			keptNone++
		}
	}
	for _, text := range news {
		if isRelated(cat, text) {
			keptNews++
		}
	}
	t.Logf("screen: kept %d/%d corpus articles with stances, %d/%d corpus distractors, %d/%d general news texts",
		kept, len(related), keptNone, len(none), keptNews, len(news))
	if float64(keptNews) > 0.05*float64(len(news)) {
		t.Errorf("the screen keeps %d of %d general news texts", keptNews, len(news))
	}
}

func isRelated(cat *catalog.Catalog, text string) bool {
	return related(text, cat.Find(text))
}

// mixedStream is the corpus plus general news: over 90% unrelated.
func mixedStream(b *testing.B) []string {
	related, none := goldStanceTexts(b)
	texts := append(append(newsTexts(b), related...), none...)
	if len(related)*10 > len(texts) {
		b.Fatalf("only %d of %d texts unrelated", len(texts)-len(related), len(texts))
	}
	return texts
}

// BenchmarkMixedProseBaseline runs prose's full pipeline over the mixed
// stream: the baseline of issue 7's 20× target.
func BenchmarkMixedProseBaseline(b *testing.B) {
	texts := mixedStream(b)
	prosemodel.Model()
	benchTexts(b, texts, func(t string) {
		if _, err := prosemodel.Document(t, true); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkMixedScreened analyses the mixed stream as the daemon does:
// screening first.
func BenchmarkMixedScreened(b *testing.B) {
	texts := mixedStream(b)
	a := New(mustCatalog(b))
	prosemodel.Model()
	benchTexts(b, texts, func(t string) {
		if _, err := a.Analyze(context.Background(), Document{Text: t, Screen: true}); err != nil {
			b.Fatal(err)
		}
	})
}

func benchTexts(b *testing.B, texts []string, f func(string)) {
	var n int64
	for _, t := range texts {
		n += int64(len(t))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			f(t)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "articles/s")
}
