// Package contract checks messages against accordwatch's event contract
// (docs/events.md): the JSON Schema of their event type, from
// events.Schemas, and their CloudEvents headers. Tests use it on every
// message a running daemon publishes; tools can use it on a stream.
package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
)

// Validator validates event bodies and messages. It is safe for concurrent
// use.
type Validator struct {
	schemas map[string]*jsonschema.Schema // by event type
}

// New compiles the schema of every event type in events.Types. Formats
// (date-time, uri, ...) are asserted, not only annotations.
func New() (*Validator, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	v := &Validator{schemas: make(map[string]*jsonschema.Schema)}
	for _, t := range events.Types {
		raw, err := events.Schema(t)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("contract: schema of %s: %w", t, err)
		}
		id, err := events.SchemaID(t)
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("contract: schema of %s: %w", t, err)
		}
		sch, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("contract: compiling the schema of %s: %w", t, err)
		}
		v.schemas[t] = sch
	}
	return v, nil
}

// ValidateBody validates the JSON body of an event of type t against its
// schema.
func (v *Validator) ValidateBody(t string, body []byte) error {
	sch, ok := v.schemas[t]
	if !ok {
		return fmt.Errorf("contract: unknown event type %q", t)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("contract: %s body is not JSON: %w", t, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("contract: %s body: %w", t, err)
	}
	return nil
}

// Check validates an event message as stored in the ACCORDWATCH stream:
//
//   - the subject is accordwatch.<kind>.<tokens> with the tokens of its kind;
//   - the CloudEvents headers are there: ce-specversion 1.0; ce-id equal to
//     the Nats-Msg-Id (when the header is given, as it is on a message
//     read from the stream) and, but for a digest, to "<kind>:<id>" of the
//     body's id; ce-type the current type of the kind; ce-source an
//     absolute URI (the outlet of the body, but for a digest); ce-subject
//     as documented (the article URL, "<accord>/<actor>" from the subject
//     tokens, the date); ce-time in RFC 3339, equal to the body's time
//     where the contract says so; content-type application/json;
//   - the body validates against the schema of ce-type.
//
// It returns every problem found, joined.
func (v *Validator) Check(subject string, h nats.Header, body []byte) error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{subject}, args...)...))
	}
	tokens := strings.Split(subject, ".")
	if len(tokens) < 3 || tokens[0] != events.Prefix {
		fail("not an accordwatch event subject")
		return errors.Join(errs...)
	}
	kind, rest := tokens[1], tokens[2:]
	want := 2
	if kind == events.KindArticle || kind == events.KindDigest {
		want = 1
	}
	if len(rest) != want {
		fail("%d tokens after the kind, want %d", len(rest), want)
	}
	// header returns the percent-decoded value of a header.
	header := func(name string, required bool) string {
		raw := h.Get(name)
		if raw == "" {
			if required {
				fail("no %s header", name)
			}
			return ""
		}
		s, err := url.PathUnescape(raw)
		if err != nil {
			fail("%s %q is not percent-encoded properly: %v", name, raw, err)
		}
		return s
	}

	if s := header(bus.HeaderSpecVersion, true); s != "" && s != events.SpecVersion {
		fail("%s = %q, want %q", bus.HeaderSpecVersion, s, events.SpecVersion)
	}
	if s := header(bus.HeaderContentType, true); s != "" && s != events.DataContentType {
		fail("%s = %q, want %q", bus.HeaderContentType, s, events.DataContentType)
	}
	if s := header(bus.HeaderType, true); s != "" && s != events.TypeOf(kind) {
		fail("%s = %q, want %q", bus.HeaderType, s, events.TypeOf(kind))
	}
	id := header(bus.HeaderID, true)
	if msgID := h.Get(jetstream.MsgIDHeader); msgID != "" && id != msgID {
		fail("%s = %q, but %s = %q", bus.HeaderID, id, jetstream.MsgIDHeader, msgID)
	}
	source := header(bus.HeaderSource, true)
	if u, err := url.Parse(source); source != "" && (err != nil || !u.IsAbs()) {
		fail("%s %q is not an absolute URI", bus.HeaderSource, source)
	}
	var ceTime time.Time
	if s := header(bus.HeaderTime, true); s != "" {
		var err error
		if ceTime, err = time.Parse(time.RFC3339Nano, s); err != nil {
			fail("%s: %v", bus.HeaderTime, err)
		}
	}
	ceSubject := header(bus.HeaderSubject, false)

	if err := v.ValidateBody(events.TypeOf(kind), body); err != nil {
		fail("%v", err)
		return errors.Join(errs...)
	}
	var b struct {
		ID        string    `json:"id"`
		URL       string    `json:"url"`
		Outlet    string    `json:"outlet"`
		Fetched   time.Time `json:"fetched"`
		Observed  time.Time `json:"observed"`
		Detected  time.Time `json:"detected"`
		Retracted time.Time `json:"retracted"`
		Date      string    `json:"date"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		fail("decoding the body: %v", err)
		return errors.Join(errs...)
	}
	var wantTime time.Time
	switch kind {
	case events.KindArticle:
		if ceSubject != b.URL {
			fail("%s = %q, want the article URL %q", bus.HeaderSubject, ceSubject, b.URL)
		}
		wantTime = b.Fetched
	case events.KindDigest:
		if ceSubject != rest[0] || (b.Date != "" && ceSubject != b.Date) {
			fail("%s = %q, want the date %q", bus.HeaderSubject, ceSubject, b.Date)
		}
		if source != events.DigestSource {
			fail("%s = %q, want %q", bus.HeaderSource, source, events.DigestSource)
		}
	default:
		if len(rest) == 2 && ceSubject != rest[0]+"/"+rest[1] {
			fail("%s = %q, want %q", bus.HeaderSubject, ceSubject, rest[0]+"/"+rest[1])
		}
		switch kind {
		case events.KindStance:
			wantTime = b.Observed
		case events.KindChange, events.KindContradiction:
			wantTime = b.Detected
		case events.KindRetraction:
			wantTime = b.Retracted
		}
	}
	if kind != events.KindDigest {
		if want := events.MsgID(kind, b.ID); id != want {
			fail("%s = %q, want %q", bus.HeaderID, id, want)
		}
		if want := events.OutletSource(b.Outlet); source != want {
			fail("%s = %q, want %q", bus.HeaderSource, source, want)
		}
	}
	if !wantTime.IsZero() && !ceTime.Equal(wantTime) {
		fail("%s = %s, want %s", bus.HeaderTime, ceTime.Format(time.RFC3339Nano), wantTime.Format(time.RFC3339Nano))
	}
	return errors.Join(errs...)
}
