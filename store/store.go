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

// Polarities of stances: which side of an accord a stance puts an actor on.
const (
	PolarityPositive = "positive" // signed, ratified, supports
	PolarityNegative = "negative" // declined, opposes, withdrew
	PolarityNeutral  = "neutral"  // undecided
)

// Polarity returns the polarity of stance, or "" if stance is not one of
// the Stance constants.
func Polarity(stance string) string {
	switch stance {
	case StanceSigned, StanceRatified, StanceSupports:
		return PolarityPositive
	case StanceDeclined, StanceOpposes, StanceWithdrew:
		return PolarityNegative
	case StanceUndecided:
		return PolarityNeutral
	}
	return ""
}

// SamePolarity reports whether stances a and b have the same known
// polarity. A stance of unknown polarity has the same polarity only as
// itself.
func SamePolarity(a, b string) bool {
	if a == b {
		return true
	}
	p := Polarity(a)
	return p != "" && p == Polarity(b)
}

// ContradictionWindow is how close to the time the current stance took
// effect (Current.Since) a report of a stance of another polarity must be
// for RecordObservation to treat it as contradicting the current stance
// rather than as a change: reports with Effective in
// [Since-ContradictionWindow, Since+ContradictionWindow) are the same
// story. It also bounds the corroborating reports counted in Sources:
// those older than Since-ContradictionWindow are not counted.
//
// 72 hours covers an outlet that reports a story a day or two after the
// others. A genuine reversal inside the window is delayed, not lost: see
// RecordObservation.
const ContradictionWindow = 72 * time.Hour

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
	// Contradicts is set by the store: the observation contradicted the
	// current stance when it was recorded and was flagged instead of
	// applied (see Store.RecordObservation). It is ignored on input.
	Contradicts bool
	// Retracted is set by the store: the observation was withdrawn, a
	// later analysis of its article no longer finding it (see
	// Store.RetractObservation). It stays in the history but no longer
	// counts toward any stance. It is ignored on input.
	Retracted bool
	// Corrected is set by the store: when the observation was last
	// retracted or reinstated (zero if never). It is ignored on input.
	Corrected time.Time
}

// Effective returns the time the observation speaks for: Published, or
// Observed when Published is zero.
func (o Observation) Effective() time.Time {
	if o.Published.IsZero() {
		return o.Observed
	}
	return o.Published
}

// Source returns the key that tells independent reports apart when
// corroborating reports are counted: the outlet, or the article when the
// outlet is unknown (then the URL, then the observation itself). Two
// articles from the same outlet are one source.
func (o Observation) Source() string {
	switch {
	case o.Outlet != "":
		return "outlet:" + o.Outlet
	case o.ArticleID != "":
		return "article:" + o.ArticleID
	case o.URL != "":
		return "url:" + o.URL
	}
	return "observation:" + o.ID
}

// Current is the stance an actor currently holds on an accord.
type Current struct {
	Actor  string
	Accord string
	Stance string
	// Since is when the stance took effect: the earliest Effective time of
	// the reports of it that made it current (see Change.Since).
	Since         time.Time
	ObservationID string // the observation that set it
	// Sources is the number of distinct sources (see Observation.Source)
	// that have reported Stance since it became current, the reports that
	// made it current included.
	Sources int
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
	// Since is when the new stance took effect: the Effective time of the
	// observation, or of an earlier report of the same stance that had been
	// flagged as a contradiction and that the observation corroborated, if
	// that report is not older than PreviousSince.
	Since time.Time
	// Sources is the number of distinct sources (see Observation.Source)
	// that reported the new stance. RecordObservation returns the count at
	// the time of the change (the observation and the contradictions it
	// confirmed); Changes returns it as it stands now, corroborating
	// reports recorded since included.
	Sources       int
	Detected      time.Time // the observation's Observed time
	ObservationID string    // the observation that caused the change
	Evidence      string
	Speaker       string
	URL           string
	Outlet        string
	Title         string
	// Corrects is the ID of the observation whose retraction or
	// reinstatement caused the change (see Store.RetractObservation), or
	// "" for a change caused by recording ObservationID. A correction
	// sets Stance from the reports that remain, ObservationID being the
	// one that made it current; Stance "" (and ObservationID "") means
	// that none remains: the actor no longer has a recorded stance.
	Corrects string
}

// ChangeID returns the ID of the Change caused by the observation with the
// given ID.
func ChangeID(observationID string) string { return "chg-" + observationID }

// Contradiction records that an observation contradicted an actor's
// current stance on an accord: it reported a stance of another polarity,
// close in time to when the current one took effect, from a source that
// had not reported the current one (see Store.RecordObservation). The
// observation is kept (with Observation.Contradicts set) but does not
// change the current stance.
type Contradiction struct {
	ID     string // "con-" + ObservationID
	Actor  string
	Accord string
	// Current is the current stance the observation contradicts, which
	// took effect at CurrentSince and was set by CurrentObservationID.
	Current              string
	CurrentSince         time.Time
	CurrentObservationID string
	Stance               string    // the contradicting stance
	Since                time.Time // the observation's Effective time
	Detected             time.Time // the observation's Observed time
	ObservationID        string
	Evidence             string
	Speaker              string
	URL                  string
	Outlet               string
	Title                string
	// ConfirmedBy is the ID of the Change that later replaced Current with
	// Stance, or "" if none has. RecordObservation always returns "";
	// Contradictions returns it as it stands now.
	ConfirmedBy string
}

// ContradictionID returns the ID of the Contradiction flagged for the
// observation with the given ID.
func ContradictionID(observationID string) string { return "con-" + observationID }

// Outcome is what RecordObservation did with an observation. At most one
// of its fields is set; both are nil when the observation only joined the
// history, possibly corroborating the current stance.
type Outcome struct {
	Change        *Change        // the observation changed the current stance
	Contradiction *Contradiction // the observation was flagged as a contradiction
}

// FeedState is the polling state of one feed.
type FeedState struct {
	URL          string
	ETag         string
	LastModified string
	LastPolled   time.Time
	LastSuccess  time.Time
	LastError    string
	Failures     int // consecutive failures
	// NextPoll is when the feed is due again (zero: at once). Daemons
	// sharing the store queue that poll once.
	NextPoll time.Time
	// Interval is the polling interval in use, adapted to the feed's
	// publishing rate (zero: the configured one).
	Interval time.Duration
	// PublishGap is the feed's observed time between publications (zero:
	// not known yet) and LastPublished its newest item's time.
	PublishGap    time.Duration
	LastPublished time.Time
}

// Feed is a feed added at run time (accordwatch feeds add or import), as
// opposed to one listed in the configuration file. Running daemons poll
// the store's feeds as well as the configured ones.
type Feed struct {
	URL   string
	Title string    // "" if unknown
	Added time.Time // when it was added
}

// Store persists articles, quotes, observations and the stances derived
// from them. Implementations must be safe for concurrent use.
type Store interface {
	// PutArticle inserts a, or replaces the article with the same ID.
	PutArticle(ctx context.Context, a Article) error
	// Article returns the article with the given ID, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)
	// ArticleIDs returns the IDs of the articles published at or after
	// since, or fetched at or after it when their publication time is
	// unknown, oldest first by that time (ties by ID). A zero since means
	// every article.
	ArticleIDs(ctx context.Context, since time.Time) ([]string, error)

	// PutQuote inserts q, or replaces the quote with the same ID.
	PutQuote(ctx context.Context, q Quote) error
	// Quotes returns the quotes of an article ordered by Start.
	Quotes(ctx context.Context, articleID string) ([]Quote, error)

	// RecordObservation stores o (idempotent by ID) and applies it to the
	// current stance of (o.Actor, o.Accord), all in one transaction. It
	// returns the Change or the Contradiction the observation caused, if
	// any. Calling it again with the same ID writes nothing and returns
	// the same Outcome as the first call.
	//
	// Rules, with W = ContradictionWindow and the current stance C, which
	// took effect at T:
	//
	//   - Historical observations are history only: they never change,
	//     corroborate or contradict the current stance.
	//   - With no current stance yet, the observation causes a change with
	//     Previous "".
	//   - The same stance as C corroborates it: no change, and the
	//     observation's source (see Observation.Source) is counted in
	//     C's Sources unless o.Effective() is before T-W.
	//   - A different stance of the same polarity (supports → signed,
	//     declined → opposes) causes a change if o.Effective() >= T, and
	//     is history only if older.
	//   - A stance of another polarity is a contradiction if o.Effective()
	//     is in [T-W, T+W) and its source is not one that reported C: the
	//     observation is kept with Contradicts set and C stays current.
	//     Once reports of that same stance contradicting C come from two
	//     distinct sources, the one completing the pair causes the change
	//     instead of being flagged (provided one of the reports is not
	//     older than T).
	//   - Otherwise, a stance of another polarity is applied as before: a
	//     change if o.Effective() >= T, history only if older. That covers
	//     a report after the window, and a source that reported C and now
	//     reports another stance: an outlet does not contradict itself, it
	//     updates its own story.
	//
	// A change's Sources counts the distinct sources of the observation
	// and of the contradictions of the same stance it confirms, and its
	// Since is the earliest Effective time among those reports that is not
	// before T.
	//
	// Why: the same statement reported by several outlets must be one
	// change, and a report from another outlet that disagrees with a
	// stance which took effect shortly before is more often a misreading
	// or a stale account than a reversal, so it is flagged for a person
	// rather than applied. A genuine reversal soon after the previous
	// stance (Brazil declines one day and signs the next, as in the demo)
	// still becomes current: at once if an outlet that reported the
	// previous stance reports it, as soon as a second outlet reports it,
	// or with the first report after the window. A window short enough to
	// let next-day reversals through unflagged (24 hours or less) would
	// let next-day stale or misread reports through too, and would depend
	// on publication hours and daylight saving time.
	//
	// If o.Observed is zero it is set to the time of the call.
	//
	// Recording the ID of a retracted observation reinstates it (a later
	// analysis found it again): it counts again, its stored content kept
	// (the other fields of o are not read), and the current stance of its
	// pair is recomputed as RetractObservation does, at o.Observed, if the
	// observation counts toward the stance the replay makes current. The
	// Outcome holds the correction Change, if any. Once an observation has
	// been retracted or reinstated, recording its ID again (while it is
	// not retracted) writes nothing and returns what the last of those
	// corrections caused.
	RecordObservation(ctx context.Context, o Observation) (Outcome, error)
	// RetractObservation withdraws the observation with the given ID, or
	// returns ErrNotFound: a later analysis of its article no longer
	// finds it. at is when (zero: the time of the call). The observation
	// stays in the history, with Retracted set and Corrected at, but no
	// longer counts toward any stance: it is not counted among the sources
	// of any change (another report of the same stance from the same
	// source takes its place where there is one) and cannot confirm a
	// contradiction.
	//
	// If the current stance of its actor and accord rested on it (the
	// observation set it or is counted among its sources, or the
	// observation that set it was retracted before), the current stance is
	// recomputed: the pair's observations that still count (neither
	// historical nor retracted) are replayed through RecordObservation's
	// rules in the order they were recorded (by Observed, then Effective,
	// then ID). If the replay ends with the same stance, the current stance
	// is kept as it is (Since, and the observation named as having set it,
	// unchanged), its sources being those still counted plus those the
	// replay counts for it. If it ends with another stance, or none, the
	// correction is recorded as a Change with Corrects set, detected at at:
	// from the current stance to the replayed one, set by the observation
	// that made it current in the replay, with the sources that reported it
	// there; with no stance left, Stance is "", Sources 0 and the current
	// stance is removed. A correction never moves the pair's timeline back: its
	// Since, and the new current stance's, is the later of the time the
	// replayed stance took effect and the Since of the pair's last change,
	// so that the pair's changes ordered by Since still follow one another
	// (see CurrentAsOf).
	//
	// It returns the correction, or nil if the current stance did not
	// change. Retracting a retracted observation again writes nothing and
	// returns the same as the first time.
	RetractObservation(ctx context.Context, id string, at time.Time) (*Change, error)
	// Current returns the current stance of actor on accord, or ErrNotFound.
	Current(ctx context.Context, actor, accord string) (Current, error)
	// CurrentAll returns every current stance, ordered by actor and accord.
	CurrentAll(ctx context.Context) ([]Current, error)
	// History returns every observation of actor on accord, historical ones
	// included, oldest first by Effective (ties by Observed, then ID).
	History(ctx context.Context, actor, accord string) ([]Observation, error)
	// Observations returns the observations found in an article, retracted
	// ones included, ordered by EvidenceStart (ties by ID).
	Observations(ctx context.Context, articleID string) ([]Observation, error)
	// Changes returns the changes detected in [from, to), ordered by
	// Detected (ties by ID), with their Sources as they stand now.
	Changes(ctx context.Context, from, to time.Time) ([]Change, error)
	// Contradictions returns the contradictions detected in [from, to),
	// ordered by Detected (ties by ID), with ConfirmedBy as it stands now.
	Contradictions(ctx context.Context, from, to time.Time) ([]Contradiction, error)
	// CurrentAsOf returns the current stance of every pair as it stood at
	// t, ordered by actor and accord: for each pair, the stance set by the
	// last change in its history whose Since is not after t, in the order
	// the changes replaced one another (by Since, ties by Detected, then
	// ID). Pairs with no stance in effect at t, not yet or no longer (a
	// correction to Stance ""), are left out. Since and ObservationID are
	// the change's; Sources counts the sources of the change whose reports
	// took effect (Observation.Effective) by t.
	// Observations are considered by their effective times, not by when
	// they were recorded: a report published before t but recorded after
	// it counts, as do contradictions later confirmed by a change. With t
	// after every recorded time, CurrentAsOf returns what CurrentAll does.
	CurrentAsOf(ctx context.Context, t time.Time) ([]Current, error)

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
	// FeedStates returns the state of every feed polled so far, by URL.
	FeedStates(ctx context.Context) ([]FeedState, error)

	// AddFeed adds the feed f.URL, with f.Added set to the time of the
	// call if zero, and reports whether it was new: a feed already added
	// is left as it was.
	AddFeed(ctx context.Context, f Feed) (added bool, err error)
	// RemoveFeed removes the feed added with the given URL, or returns
	// ErrNotFound. Its polling state is kept.
	RemoveFeed(ctx context.Context, url string) error
	// Feeds returns the feeds added so far, ordered by URL.
	Feeds(ctx context.Context) ([]Feed, error)

	// Close releases the store's resources.
	Close() error
}
