package peerbench

import (
	"testing"

	"github.com/accordwatch/accordwatch/extractors/article"
	"github.com/accordwatch/accordwatch/extractors/extracteval"
)

func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := extracteval.FindDir()
	if err != nil {
		tb.Skipf("shared extraction data not available: %v", err)
	}
	return dir
}

// TestPeerScores prints the scores of both extractors, computed the same
// way, for the report; it checks nothing.
func TestPeerScores(t *testing.T) {
	dir := sharedDir(t)
	text, err := extracteval.LoadScrapinghub(dir)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := extracteval.LoadFundus(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		name   string
		text   extracteval.TextExtractor
		sniffs extracteval.TextExtractor // for pages without a header
		meta   extracteval.MetaExtractor
	}{
		{"accordwatch", extracteval.ArticleText, extracteval.ArticleTextSniffed, extracteval.ArticleMetadata},
		{"go-readability/v2", PeerText, PeerText, PeerMetadata},
	} {
		tr := extracteval.ScoreText(extracteval.Scrapinghub, text, x.text)
		fr := extracteval.ScoreText(extracteval.Fundus, extracteval.FundusText(meta), x.sniffs)
		mr := extracteval.ScoreMetadata(meta, x.meta)
		t.Logf("%-18s scrapinghub P %.4f R %.4f F1 %.4f | fundus text P %.4f R %.4f F1 %.4f | fundus title %.3f date %.3f authors %.3f",
			x.name, tr.Precision, tr.Recall, tr.F1, fr.Precision, fr.Recall, fr.F1, mr.Title, mr.Date, mr.AuthorsRecall)
	}
}

// BenchmarkExtract runs both extractors over the same 181 scrapinghub
// pages in the same run. Run with -cpu 1: both are single-threaded, and
// MB/s is HTML bytes per second.
func BenchmarkExtract(b *testing.B) {
	pages, err := extracteval.LoadScrapinghub(sharedDir(b))
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	for _, p := range pages {
		total += int64(len(p.HTML))
	}
	b.Run("accordwatch", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pages {
				if _, err := article.Extract(p.HTML, "text/html; charset=utf-8", p.URL); err != nil {
					b.Fatalf("extract %s: %v", p.ID, err)
				}
			}
		}
	})
	b.Run("go-readability", func(b *testing.B) {
		b.SetBytes(total)
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pages {
				_, _ = PeerText(p.HTML, p.URL) // a page it cannot parse costs what it cost
			}
		}
	})
}
