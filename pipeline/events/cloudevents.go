package events

import (
	"strings"
	"time"
)

// The CloudEvents attributes of accordwatch's events travel as NATS headers
// (see package bus and docs/events.md); this file says what they are for
// each event type.

// SpecVersion is the CloudEvents version of the attributes (ce-specversion).
const SpecVersion = "1.0"

// DataContentType is the media type of every event body.
const DataContentType = "application/json"

// TypePrefix starts every event type (ce-type).
const TypePrefix = "org.accordwatch."

// Event types (ce-type): "org.accordwatch.<kind>.v<N>". N is bumped when a
// field is removed or renamed, changes its type or its meaning; adding a
// field keeps it. Each type has its JSON Schema, Schema(type).
const (
	TypeArticle       = TypePrefix + KindArticle + ".v1"
	TypeQuote         = TypePrefix + KindQuote + ".v1"
	TypeStance        = TypePrefix + KindStance + ".v1"
	TypeChange        = TypePrefix + KindChange + ".v1"
	TypeContradiction = TypePrefix + KindContradiction + ".v1"
	TypeRetraction    = TypePrefix + KindRetraction + ".v1"
	TypeDigest        = TypePrefix + KindDigest + ".v1"
)

// Types lists the event types published, in the order of the kinds.
var Types = []string{TypeArticle, TypeQuote, TypeStance, TypeChange, TypeContradiction, TypeRetraction, TypeDigest}

// TypeOf returns the current event type of kind ("stance" gives
// "org.accordwatch.stance.v1"); a kind not listed gets version 1.
func TypeOf(kind string) string {
	for _, t := range Types {
		if k, _ := splitType(t); k == kind {
			return t
		}
	}
	return TypePrefix + kind + ".v1"
}

// splitType splits "org.accordwatch.stance.v1" into "stance" and "v1".
func splitType(t string) (kind, version string) {
	rest, ok := strings.CutPrefix(t, TypePrefix)
	if !ok {
		return "", ""
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return rest, ""
	}
	return rest[:i], rest[i+1:]
}

// SourcePrefix starts every event source (ce-source), a URN.
const SourcePrefix = "urn:accordwatch:"

// OutletSource returns the source of the events that come from an article
// of outlet: "urn:accordwatch:outlet:<outlet>", with the outlet made a
// subject token as in the article subject ("Test Wire" gives
// "urn:accordwatch:outlet:Test_Wire").
func OutletSource(outlet string) string {
	return SourcePrefix + "outlet:" + Token(outlet, "unknown")
}

// DigestSource is the source of digest events, which have no Go type of
// this package: their attributes are derived from the subject (see
// AttributesOf).
const DigestSource = SourcePrefix + KindDigest

// Attributes are the CloudEvents context attributes of an event besides
// specversion, id (its message id, MsgID) and datacontenttype, which are
// the same for every event type.
type Attributes struct {
	// Type is the event type, one of Types (ce-type).
	Type string
	// Source is where the event comes from: OutletSource of the outlet
	// whose article it was derived from, or DigestSource (ce-source).
	Source string
	// Subject is what the event is about within its source: the article
	// URL for an article, "<accord>/<actor>" (the tokens of its NATS
	// subject) for quotes, stances, changes, contradictions and
	// retractions, the date for a digest (ce-subject).
	Subject string
	// Time is when the occurrence happened, as accordwatch saw it (ce-time):
	// when an article was fetched, when a stance was observed, when a change
	// or contradiction was detected, when the analysis that retracted an
	// observation ran. Zero means the time of publication: a quote's (the
	// quote does not carry its article's fetch time) and a digest's.
	Time time.Time
}

// Event is implemented by the event types: it gives the CloudEvents
// attributes with which the event is published.
type Event interface {
	CloudEvent() Attributes
}

// CloudEvent returns the attributes of an article event.
func (a Article) CloudEvent() Attributes {
	return Attributes{Type: TypeArticle, Source: OutletSource(a.Outlet), Subject: a.URL, Time: a.Fetched}
}

// CloudEvent returns the attributes of a quote event. Their time is zero:
// the time of publication.
func (q Quote) CloudEvent() Attributes {
	return Attributes{Type: TypeQuote, Source: OutletSource(q.Outlet), Subject: pairSubject(q.Accord, q.Actor)}
}

// CloudEvent returns the attributes of a stance event.
func (s Stance) CloudEvent() Attributes {
	return Attributes{Type: TypeStance, Source: OutletSource(s.Outlet), Subject: pairSubject(s.Accord, s.Actor), Time: s.Observed}
}

// CloudEvent returns the attributes of a change event; its source is the
// outlet of the report that made the new stance current ("unknown" for a
// correction that leaves no stance).
func (c Change) CloudEvent() Attributes {
	return Attributes{Type: TypeChange, Source: OutletSource(c.Outlet), Subject: pairSubject(c.Accord, c.Actor), Time: c.Detected}
}

// CloudEvent returns the attributes of a contradiction event; its source is
// the outlet of the contradicting report.
func (c Contradiction) CloudEvent() Attributes {
	return Attributes{Type: TypeContradiction, Source: OutletSource(c.Outlet), Subject: pairSubject(c.Accord, c.Actor), Time: c.Detected}
}

// CloudEvent returns the attributes of a retraction event; its source is
// the outlet of the retracted observation's article.
func (r Retraction) CloudEvent() Attributes {
	return Attributes{Type: TypeRetraction, Source: OutletSource(r.Outlet), Subject: pairSubject(r.Accord, r.Actor), Time: r.Retracted}
}

// pairSubject is the ce-subject of an event about an actor and an accord.
func pairSubject(accord, actor string) string {
	return Token(accord, "none") + "/" + Token(actor, "unknown")
}

// AttributesOf returns the attributes of v published on subject: v's own
// if it is an Event, else derived from the subject, so that any message
// published under "accordwatch.<kind>.<tokens...>" has them. The derived
// attributes are the type TypeOf(kind), the source "urn:accordwatch:<kind>"
// (DigestSource for a digest), the remaining tokens joined by "/" as the
// subject and a zero time.
func AttributesOf(subject string, v any) Attributes {
	if e, ok := v.(Event); ok {
		return e.CloudEvent()
	}
	tokens := strings.Split(subject, ".")
	kind := "unknown"
	if len(tokens) >= 2 && tokens[0] == Prefix {
		kind = tokens[1]
		tokens = tokens[2:]
	} else {
		tokens = nil
	}
	return Attributes{Type: TypeOf(kind), Source: SourcePrefix + kind, Subject: strings.Join(tokens, "/")}
}
