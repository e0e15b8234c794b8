package analysis

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/accordwatch/accordwatch/extractors/catalog"
	"github.com/accordwatch/accordwatch/extractors/prosemodel"
)

// corpusTexts returns the texts of the development corpus.
func corpusTexts(b *testing.B) []string {
	b.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "articles", "*.txt"))
	if len(paths) == 0 {
		b.Skip("../shared/corpus not found")
	}
	var out []string
	for _, p := range paths {
		t, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, string(t))
	}
	return out
}

// BenchmarkProseBaseline is the baseline of issue 7: prose's full pipeline
// (tokenise, tag, NER) with a shared model over the corpus texts.
func BenchmarkProseBaseline(b *testing.B) {
	texts := corpusTexts(b)
	prosemodel.Model()
	benchTexts(b, texts, func(t string) {
		if _, err := prosemodel.Document(t, true); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkAnalyzeCorpus is accordwatch's whole analysis over the same texts.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	texts := corpusTexts(b)
	a := New(mustCatalog(b))
	prosemodel.Model()
	benchTexts(b, texts, func(t string) {
		if _, err := a.Analyze(context.Background(), Document{Text: t}); err != nil {
			b.Fatal(err)
		}
	})
}

func mustCatalog(b *testing.B) *catalog.Catalog {
	b.Helper()
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	return cat
}
