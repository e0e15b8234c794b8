package digest

import (
	"context"
	"fmt"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// Source is what Load reads a digest from; a store.Store is one.
type Source interface {
	Changes(ctx context.Context, from, to time.Time) ([]store.Change, error)
	Contradictions(ctx context.Context, from, to time.Time) ([]store.Contradiction, error)
	CurrentAll(ctx context.Context) ([]store.Current, error)
	FeedStates(ctx context.Context) ([]store.FeedState, error)
}

// Load reads the records of date (YYYY-MM-DD) in loc (nil is UTC) from src
// into r (the changes and contradictions detected on the day, the current
// stances, the changes detected since and the feed states; r's Names and
// Feeds are kept) and builds the digest with BuildFrom. now is recorded as
// the digest's generation time.
func Load(ctx context.Context, src Source, date string, loc *time.Location, r Records, now time.Time) (Digest, error) {
	from, to, err := Day(date, loc)
	if err != nil {
		return Digest{}, err
	}
	if r.Changes, err = src.Changes(ctx, from, to); err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	if r.Contradictions, err = src.Contradictions(ctx, from, to); err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	if r.Current, err = src.CurrentAll(ctx); err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	// Every change since the end of the day, however far in the future
	// its detection time.
	if r.Later, err = src.Changes(ctx, to, to.AddDate(100, 0, 0)); err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	if r.FeedStates, err = src.FeedStates(ctx); err != nil {
		return Digest{}, fmt.Errorf("digest: %w", err)
	}
	if r.FeedStates == nil {
		r.FeedStates = []store.FeedState{} // known: no feed polled yet
	}
	return BuildFrom(date, loc, r, now), nil
}
