package demo

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/feeds"
)

func TestScratchPoll(t *testing.T) {
	s := NewServer(time.Now().AddDate(0, 0, -2), time.Now().AddDate(0, 0, -1))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	var p feeds.Poller
	etags := map[string]string{}
	for round := 0; round < 3; round++ {
		if round == 2 {
			s.Advance()
		}
		for _, u := range s.FeedURLs(srv.URL) {
			res, err := p.Poll(context.Background(), u, etags[u], "")
			if err != nil {
				t.Fatal(err)
			}
			etags[u] = res.ETag
			if res.NotModified {
				t.Logf("round %d %s: 304", round, u)
				continue
			}
			t.Logf("round %d %s: %q %d items", round, u, res.Feed.Title, len(res.Feed.Items))
			for _, it := range res.Feed.Items {
				t.Logf("   %s | %s | %v | %v", it.Title, it.Link, it.Published, it.Authors)
			}
		}
	}
}
