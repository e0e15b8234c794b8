package feeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkParseSuite parses every well-formed RSS and Atom file of the
// Universal Feed Parser suite (the feed-parse stage), reporting MB/s and
// feeds/s.
func BenchmarkParseSuite(b *testing.B) {
	root := filepath.Join("..", "..", "..", "shared", "feeds", "feedparser", "tests", "wellformed")
	var bodies [][]byte
	var n int64
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") {
			return nil
		}
		if !strings.Contains(p, string(filepath.Separator)+"rss"+string(filepath.Separator)) &&
			!strings.Contains(p, string(filepath.Separator)+"atom"+string(filepath.Separator)) {
			return nil
		}
		body, err := os.ReadFile(p)
		if err == nil {
			bodies = append(bodies, body)
			n += int64(len(body))
		}
		return nil
	})
	if len(bodies) == 0 {
		b.Skip("../shared/feeds not found")
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			Parse("https://news.example/feed", body)
		}
	}
	b.ReportMetric(float64(b.N*len(bodies))/b.Elapsed().Seconds(), "feeds/s")
}
