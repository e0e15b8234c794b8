// Package events defines the messages accordwatch publishes on NATS: their
// JSON bodies, their subjects and their stable message ids.
//
// Subjects have the form
//
//	accordwatch.article.<outlet>
//	accordwatch.quote.<accord>.<actor>
//	accordwatch.stance.<accord>.<actor>
//	accordwatch.change.<accord>.<actor>
//	accordwatch.contradiction.<accord>.<actor>
//	accordwatch.retraction.<accord>.<actor>
//	accordwatch.digest.<date>
//
// so that "accordwatch.*.paris-call.>" selects every quote, stance, change,
// contradiction and retraction about one accord and "accordwatch.*.*.USA"
// every one about one actor.
// A quote's accord is the accord its article is mainly about, or "none";
// an unknown actor is "unknown".
package events

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Prefix is the first token of every accordwatch subject.
const Prefix = "accordwatch"

// Kinds of events; each is the second token of its subjects.
const (
	KindArticle       = "article"
	KindQuote         = "quote"
	KindStance        = "stance"
	KindChange        = "change"
	KindContradiction = "contradiction"
	KindRetraction    = "retraction"
	KindDigest        = "digest"
)

// Article says that an article was processed; it carries the analysed text
// (headline, blank line, body) to which quote and evidence offsets refer.
type Article struct {
	ID         string    `json:"id"`
	URL        string    `json:"url"`
	FeedURL    string    `json:"feed_url"`
	Outlet     string    `json:"outlet"`
	Title      string    `json:"title"`
	Authors    []string  `json:"authors,omitempty"`
	Published  time.Time `json:"published,omitzero"`
	Fetched    time.Time `json:"fetched"`
	Source     string    `json:"source"` // "page" or "feed"
	FetchError string    `json:"fetch_error,omitempty"`
	Accords    []string  `json:"accords,omitempty"`
	Quotes     int       `json:"quotes"`
	Stances    int       `json:"stances"`
	Text       string    `json:"text"`
}

// Quote is a direct quotation with its speaker.
type Quote struct {
	ID        string    `json:"id"`
	ArticleID string    `json:"article_id"`
	URL       string    `json:"url"`
	Outlet    string    `json:"outlet"`
	Accord    string    `json:"accord,omitempty"`
	Text      string    `json:"text"`
	Speaker   string    `json:"speaker"`
	Actor     string    `json:"actor,omitempty"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	Published time.Time `json:"published,omitzero"`
}

// Stance is one observation of an actor's stance toward an accord in one
// article.
type Stance struct {
	ID            string    `json:"id"`
	ArticleID     string    `json:"article_id"`
	URL           string    `json:"url"`
	Outlet        string    `json:"outlet"`
	Title         string    `json:"title"`
	Actor         string    `json:"actor"`
	Accord        string    `json:"accord"`
	Stance        string    `json:"stance"`
	Historical    bool      `json:"historical"`
	Evidence      string    `json:"evidence"`
	EvidenceStart int       `json:"evidence_start"`
	EvidenceEnd   int       `json:"evidence_end"`
	Speaker       string    `json:"speaker,omitempty"`
	Rule          string    `json:"rule"`
	Confidence    float64   `json:"confidence"`
	Published     time.Time `json:"published,omitzero"`
	Observed      time.Time `json:"observed"`
}

// Change says that an actor's current stance toward an accord changed.
type Change struct {
	ID            string    `json:"id"`
	Actor         string    `json:"actor"`
	Accord        string    `json:"accord"`
	Previous      string    `json:"previous"`
	PreviousSince time.Time `json:"previous_since,omitzero"`
	Stance        string    `json:"stance"`
	Since         time.Time `json:"since"`
	// Sources is the number of distinct outlets (or articles, when the
	// outlet is unknown) that had reported the new stance when it became
	// current: more than one when reports that had been flagged as
	// contradictions were confirmed.
	Sources       int       `json:"sources"`
	Detected      time.Time `json:"detected"`
	ObservationID string    `json:"observation_id"`
	Evidence      string    `json:"evidence"`
	Speaker       string    `json:"speaker,omitempty"`
	URL           string    `json:"url"`
	Outlet        string    `json:"outlet"`
	Title         string    `json:"title"`
	// Corrects is set on a correction: the change follows the retraction
	// (or the reinstatement) of the observation with this id, and the
	// stance is the one the remaining reports support, ObservationID the
	// report that made it current. Stance "" means that no report is
	// left: the actor no longer has a recorded stance.
	Corrects string `json:"corrects,omitempty"`
}

// Contradiction says that an article reported a stance of an actor toward
// an accord that contradicts its current stance: another polarity, close in
// time to when the current stance took effect, from an outlet that had not
// reported the current stance. The report is stored but the current stance
// is kept until the reported stance is confirmed (then a Change follows).
type Contradiction struct {
	ID           string    `json:"id"`
	Actor        string    `json:"actor"`
	Accord       string    `json:"accord"`
	Current      string    `json:"current"` // the current stance, which stays
	CurrentSince time.Time `json:"current_since,omitzero"`
	Stance       string    `json:"stance"` // the contradicting stance reported
	// Since is when the contradicting report speaks for (its publication
	// time, or when it was observed).
	Since         time.Time `json:"since"`
	Detected      time.Time `json:"detected"`
	ObservationID string    `json:"observation_id"`
	Evidence      string    `json:"evidence"`
	Speaker       string    `json:"speaker,omitempty"`
	URL           string    `json:"url"`
	Outlet        string    `json:"outlet"`
	Title         string    `json:"title"`
}

// Retraction says that a stance observation published before was
// withdrawn: a later analysis of its article, with improved rules, no
// longer finds it (Reason ReasonReanalysis). The sink flags it as
// retracted in the store, where it stays in the history; if the actor's
// current stance rested on it, the stance is recomputed from the reports
// that remain and a Change with Corrects set follows when it changes.
// Publishing the stance event again (a later analysis finds it again)
// reinstates the observation.
type Retraction struct {
	// ID is the id of the retraction: ObservationID for its first
	// retraction, followed by "-" and the time of its reinstatement in
	// Unix microseconds if it was retracted and reinstated before (see
	// RetractionID).
	ID            string `json:"id"`
	ObservationID string `json:"observation_id"`
	ArticleID     string `json:"article_id"`
	URL           string `json:"url"`
	Outlet        string `json:"outlet"`
	Actor         string `json:"actor"`
	Accord        string `json:"accord"`
	Stance        string `json:"stance"` // the stance the observation reported
	Historical    bool   `json:"historical"`
	Reason        string `json:"reason"` // ReasonReanalysis
	// Rules is the version of the rules that no longer find the
	// observation (the accordwatch build), "" if unknown.
	Rules string `json:"rules,omitempty"`
	// Retracted is when the analysis that no longer finds it ran.
	Retracted time.Time `json:"retracted"`
}

// Reasons of retractions.
const (
	// ReasonReanalysis means a new analysis of the stored article text no
	// longer finds the observation.
	ReasonReanalysis = "reanalysis"
)

// RetractionID returns the id of the retraction of the observation with
// the given id. reinstated is when the observation was last reinstated
// after being retracted (zero if never): retracting it again is another
// event, which JetStream must not drop as a duplicate of the first.
func RetractionID(observationID string, reinstated time.Time) string {
	if reinstated.IsZero() {
		return observationID
	}
	return observationID + "-" + strconv.FormatInt(reinstated.UnixMicro(), 10)
}

// Token makes s usable as one subject token: characters other than letters,
// digits, '-' and '_' become '_'; an empty s becomes def.
func Token(s, def string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return def
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func subject(kind string, tokens ...string) string {
	return Prefix + "." + kind + "." + strings.Join(tokens, ".")
}

// Subject returns the subject of an article event.
func (a Article) Subject() string { return subject(KindArticle, Token(a.Outlet, "unknown")) }

// Subject returns the subject of a quote event.
func (q Quote) Subject() string {
	return subject(KindQuote, Token(q.Accord, "none"), Token(q.Actor, "unknown"))
}

// Subject returns the subject of a stance event.
func (s Stance) Subject() string {
	return subject(KindStance, Token(s.Accord, "none"), Token(s.Actor, "unknown"))
}

// Subject returns the subject of a change event.
func (c Change) Subject() string {
	return subject(KindChange, Token(c.Accord, "none"), Token(c.Actor, "unknown"))
}

// Subject returns the subject of a contradiction event.
func (c Contradiction) Subject() string {
	return subject(KindContradiction, Token(c.Accord, "none"), Token(c.Actor, "unknown"))
}

// Subject returns the subject of a retraction event.
func (r Retraction) Subject() string {
	return subject(KindRetraction, Token(r.Accord, "none"), Token(r.Actor, "unknown"))
}

// DigestSubject returns the subject of the digest of date (YYYY-MM-DD).
func DigestSubject(date string) string { return subject(KindDigest, Token(date, "none")) }

// MsgID returns the Nats-Msg-Id of an event: its kind and id, so that a
// re-run publishing the same event is dropped by JetStream.
func MsgID(kind, id string) string { return kind + ":" + id }

// Hash returns a short stable hex id of its parts.
func Hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
