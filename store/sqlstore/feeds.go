package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

// AddFeed adds the feed f.URL unless it was added before, and reports
// whether it was new. A zero f.Added is set to the time of the call.
func (s *Store) AddFeed(ctx context.Context, f store.Feed) (bool, error) {
	if f.URL == "" {
		return false, errors.New("sqlstore: add feed: empty URL")
	}
	if f.Added.IsZero() {
		f.Added = time.Now()
	}
	res, err := s.db.ExecContext(ctx, s.dialect.rebind(`
INSERT INTO feeds (url, title, added) VALUES (?, ?, ?)
ON CONFLICT (url) DO NOTHING`), f.URL, f.Title, f.Added.UnixMicro())
	if err != nil {
		return false, fmt.Errorf("sqlstore: add feed %q: %w", f.URL, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlstore: add feed %q: %w", f.URL, err)
	}
	return n == 1, nil
}

// RemoveFeed removes the feed added with the given URL, or returns an
// error wrapping store.ErrNotFound. Its polling state is kept.
func (s *Store) RemoveFeed(ctx context.Context, url string) error {
	res, err := s.db.ExecContext(ctx, s.dialect.rebind(`DELETE FROM feeds WHERE url = ?`), url)
	if err != nil {
		return fmt.Errorf("sqlstore: remove feed %q: %w", url, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlstore: remove feed %q: %w", url, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlstore: remove feed %q: %w", url, store.ErrNotFound)
	}
	return nil
}

// Feeds returns the feeds added so far, ordered by URL.
func (s *Store) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, title, added FROM feeds ORDER BY `+s.dialect.bytewise("url"))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feeds: %w", err)
	}
	defer rows.Close()
	var fs []store.Feed
	for rows.Next() {
		var (
			f     store.Feed
			added int64
		)
		if err := rows.Scan(&f.URL, &f.Title, &added); err != nil {
			return nil, fmt.Errorf("sqlstore: feeds: %w", err)
		}
		f.Added = time.UnixMicro(added).UTC()
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: feeds: %w", err)
	}
	return fs, nil
}
