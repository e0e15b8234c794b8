// Package store defines the records accordwatch keeps and the Store
// interface through which the pipeline's sink writes and reads them.
//
// The package holds plain data types only; implementations live in
// subpackages (see store/sqlstore) and are checked against the shared
// behaviour suite in store/storetest.
//
// Times are kept to the microsecond and come back in UTC. A zero time.Time
// means "unknown" and round-trips as zero.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned (possibly wrapped) when a requested record does
// not exist. Test for it with errors.Is.
var ErrNotFound = errors.New("store: not found")

// Stances an Observation or Current may carry.
const (
	StanceSigned    = "signed"
	StanceRatified  = "ratified"
	StanceSupports  = "supports"
	StanceUndecided = "undecided"
	StanceDeclined  = "declined"
	StanceOpposes   = "opposes"
	StanceWithdrew  = "withdrew"
)

// Article sources.
const (
	// SourcePage means Text was extracted from the fetched article page.
	SourcePage = "page"
	// SourceFeed means the page could not be used and Text comes from the
	// feed item; FetchError says why.
	SourceFeed = "feed"
)

// Article is a news article the pipeline processed.
type Article struct {
	ID         string // stable, caller-provided (hash of the URL)
	URL        string
	FeedURL    string
	Outlet     string
	Title      string
	Authors    []string  // empty comes back as nil
	Published  time.Time // zero = unknown
	Fetched    time.Time
	Text       string
	Source     string // SourcePage or SourceFeed
	FetchError string // why the page was not used, if Source == SourceFeed
}

// Quote is a quotation found in an article, with its character offsets in
// the article text.
type Quote struct {
	ID        string
	ArticleID string
	URL       string
	Text      string
	Speaker   string
	Actor     string
	Start     int
	End       int
	Published time.Time
}

// Observation is one stance of an actor (a government) on an accord, as
// found in one article.
type Observation struct {
	ID            string // stable, caller-provided
	ArticleID     string
	URL           string
	Outlet        string
	Title         string
	Actor         string
	Accord        string
	Stance        string // one of the Stance constants
	Historical    bool   // the text reports a past stance, not a current one
	Evidence      string
	EvidenceStart int
	EvidenceEnd   int
	Speaker       string
	Rule          string
	Confidence    float64
	Published     time.Time // article publication time (zero = unknown)
	Observed      time.Time // when the pipeline produced the observation
}

// Effective returns the time the observation speaks for: Published, or
// Observed when Published is zero.
func (o Observation) Effective() time.Time {
	if o.Published.IsZero() {
		return o.Observed
	}
	return o.Published
}

// Current is the stance an actor currently holds on an accord.
type Current struct {
	Actor         string
	Accord        string
	Stance        string
	Since         time.Time // effective time of the observation that set it
	ObservationID string    // the observation that set it
}

// Change records that an observation changed an actor's current stance on
// an accord.
type Change struct {
	ID            string // "chg-" + ObservationID
	Actor         string
	Accord        string
	Previous      string    // "" when the actor had no recorded stance
	PreviousSince time.Time // when the previous stance took effect
	Stance        string
	Since         time.Time // effective time of the new stance
	Detected      time.Time // the observation's Observed time
	ObservationID string
	Evidence      string
	Speaker       string
	URL           string
	Outlet        string
	Title         string
}

// ChangeID returns the ID of the Change caused by the observation with the
// given ID.
func ChangeID(observationID string) string { return "chg-" + observationID }

// FeedState is the polling state of one feed.
type FeedState struct {
	URL          string
	ETag         string
	LastModified string
	LastPolled   time.Time
	LastSuccess  time.Time
	LastError    string
	Failures     int
}

// Store persists articles, quotes, observations and the stances derived
// from them. Implementations must be safe for concurrent use.
type Store interface {
	// PutArticle inserts a, or replaces the article with the same ID.
	PutArticle(ctx context.Context, a Article) error
	// Article returns the article with the given ID, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)

	// PutQuote inserts q, or replaces the quote with the same ID.
	PutQuote(ctx context.Context, q Quote) error
	// Quotes returns the quotes of an article ordered by Start.
	Quotes(ctx context.Context, articleID string) ([]Quote, error)

	// RecordObservation stores o (idempotent by ID) and applies it to the
	// current stance of (o.Actor, o.Accord), all in one transaction. It
	// returns the Change the observation caused, or nil. Calling it again
	// with the same ID writes nothing and returns the same Change as the
	// first call (or nil).
	//
	// Rules: historical observations never change the current stance. With
	// no current stance yet, the observation causes a change with Previous
	// "". The same stance as the current one causes no change. A different
	// stance with o.Effective() >= current Since causes a change and
	// becomes current. A different stance older than current Since is kept
	// in the history only.
	//
	// If o.Observed is zero it is set to the time of the call.
	RecordObservation(ctx context.Context, o Observation) (*Change, error)
	// Current returns the current stance of actor on accord, or ErrNotFound.
	Current(ctx context.Context, actor, accord string) (Current, error)
	// CurrentAll returns every current stance, ordered by actor and accord.
	CurrentAll(ctx context.Context) ([]Current, error)
	// History returns every observation of actor on accord, historical ones
	// included, oldest first by Effective (ties by Observed, then ID).
	History(ctx context.Context, actor, accord string) ([]Observation, error)
	// Changes returns the changes detected in [from, to), ordered by
	// Detected (ties by ID).
	Changes(ctx context.Context, from, to time.Time) ([]Change, error)

	// Seen reports whether the feed item key (GUID or link) was marked seen.
	Seen(ctx context.Context, key string) (bool, error)
	// MarkSeen records that the feed item key of feedURL was processed.
	// Marking a key again is a no-op.
	MarkSeen(ctx context.Context, feedURL, key string) error

	// FeedState returns the polling state of the feed at url, or
	// FeedState{URL: url} with no error if the feed is unknown.
	FeedState(ctx context.Context, url string) (FeedState, error)
	// PutFeedState inserts or replaces the state of feed s.URL.
	PutFeedState(ctx context.Context, s FeedState) error

	// Close releases the store's resources.
	Close() error
}
