package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/accordwatch/accordwatch/pipeline/config"
)

// StoreFeedsInterval is how often a running daemon lists the feeds added
// to the store (accordwatch feeds add and import) to schedule the new ones
// and stop scheduling the removed ones. It is read when Run starts; tests
// shorten it.
var StoreFeedsInterval = 30 * time.Second

// scheduleStoreFeeds schedules the feeds added to the store, besides the
// configured ones that Run schedules itself, until ctx is done; then it
// waits for the schedulers it started. Every StoreFeedsInterval it lists
// the store's feeds, starts d.schedule for each one not yet scheduled and
// stops the schedulers of the feeds removed since. A feed that is also in
// the configuration is left to Run.
func (d *Daemon) scheduleStoreFeeds(ctx context.Context) {
	every := StoreFeedsInterval
	configured := make(map[string]bool, len(d.Config.Feeds))
	for _, f := range d.Config.Feeds {
		configured[f.URL] = true
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	running := map[string]context.CancelFunc{} // by URL
	defer func() {
		for _, cancel := range running {
			cancel()
		}
	}()
	for {
		list, err := d.Store.Feeds(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			d.Log.Warn("listing the store's feeds failed; retrying", "err", err, "retry_in", every)
		default:
			listed := make(map[string]bool, len(list))
			for _, f := range list {
				listed[f.URL] = true
				if configured[f.URL] || running[f.URL] != nil {
					continue
				}
				fctx, cancel := context.WithCancel(ctx)
				running[f.URL] = cancel
				d.Log.Info("scheduling added feed", "feed", f.URL, "title", f.Title)
				wg.Go(func() { d.schedule(fctx, config.Feed{URL: f.URL, Name: f.Title}) })
			}
			for url, cancel := range running {
				if !listed[url] {
					d.Log.Info("feed removed; no longer scheduled", "feed", url)
					cancel()
					delete(running, url)
				}
			}
		}
		if !sleep(ctx, every) {
			return
		}
	}
}
