package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// BenchmarkRecordObservation records stance observations (the store stage:
// one transaction each, deciding the change) in a SQLite file, and reports
// observations/s.
func BenchmarkRecordObservation(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	actors := []string{"USA", "FRA", "DEU", "JPN", "BRA", "IND", "KEN", "CHL"}
	stances := []string{store.StanceSigned, store.StanceDeclined, store.StanceSupports}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		o := store.Observation{
			ID: fmt.Sprint("obs-", i), ArticleID: fmt.Sprint("art-", i/3), URL: fmt.Sprint("https://news.example/", i/3),
			Outlet: fmt.Sprint("outlet-", i%5), Actor: actors[i%len(actors)], Accord: "paris-call",
			Stance: stances[(i/len(actors))%len(stances)], Evidence: "The United States declined to endorse the Paris Call.",
			Rule: "declined-to", Confidence: 0.9, Published: base.Add(time.Duration(i) * time.Hour),
		}
		if _, err := s.RecordObservation(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "observations/s")
}
