// Package bus connects accordwatch to NATS JetStream: it starts the embedded
// server when no external one is configured, declares the event stream and
// publishes events with their deduplication ids and CloudEvents headers.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/events"
)

// StreamName is the JetStream stream that keeps every accordwatch event.
const StreamName = "ACCORDWATCH"

// StreamSubjects are the subjects the stream captures.
var StreamSubjects = []string{"accordwatch.>"}

// DuplicateWindow is how long JetStream remembers message ids: an event
// published again within it is dropped.
const DuplicateWindow = 7 * 24 * time.Hour

// EmbeddedOptions configures the in-process NATS server.
type EmbeddedOptions struct {
	// Listen is the client address, host:port ("127.0.0.1:4222");
	// port 0 picks a free port (tests), "-1" as port disables listening.
	Listen string
	// StoreDir is where JetStream keeps its files.
	StoreDir string
}

// StartEmbedded starts an in-process NATS server with JetStream and waits
// until it accepts connections. Stop it with Shutdown.
func StartEmbedded(opts EmbeddedOptions) (*server.Server, error) {
	host, portStr, err := net.SplitHostPort(opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("bus: embedded NATS listen address %q: %w", opts.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("bus: embedded NATS port %q: %w", portStr, err)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	srv, err := server.NewServer(&server.Options{
		ServerName:             "accordwatch-embedded",
		Host:                   host,
		Port:                   port,
		JetStream:              true,
		StoreDir:               opts.StoreDir,
		NoSigs:                 true,
		NoLog:                  true,
		DisableJetStreamBanner: true,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: configuring embedded NATS: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("bus: embedded NATS on %s did not become ready", opts.Listen)
	}
	return srv, nil
}

// Connect dials NATS at url, reconnecting for ever when the connection drops.
func Connect(url, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond),
		nats.RetryOnFailedConnect(false),
	)
	if err != nil {
		return nil, fmt.Errorf("bus: connecting to NATS at %s: %w", url, err)
	}
	return nc, nil
}

// EnsureStream creates or updates the event stream.
func EnsureStream(ctx context.Context, js jetstream.JetStream) (jetstream.Stream, error) {
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "accordwatch events: articles, quotes, stance observations, stance changes, digests",
		Subjects:    StreamSubjects,
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Duplicates:  DuplicateWindow,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: declaring stream %s: %w", StreamName, err)
	}
	return st, nil
}

// CloudEvents headers. Every event is published in the binary content mode
// of the CloudEvents NATS binding: its attributes are "ce-" headers and
// its body is the event's JSON (see docs/events.md).
const (
	HeaderSpecVersion = "ce-specversion" // events.SpecVersion
	HeaderID          = "ce-id"          // the Nats-Msg-Id
	HeaderType        = "ce-type"        // org.accordwatch.<kind>.v<N>
	HeaderSource      = "ce-source"      // urn:accordwatch:...
	HeaderSubject     = "ce-subject"     // omitted when empty
	HeaderTime        = "ce-time"        // RFC 3339, UTC
	// HeaderContentType carries the datacontenttype attribute,
	// events.DataContentType, as the binding says.
	HeaderContentType = "content-type"
)

// Publisher publishes JSON events to JetStream.
type Publisher struct {
	js jetstream.JetStream
	// now returns the time of publication; time.Now if nil.
	now func() time.Time
}

// NewPublisher returns a Publisher on js.
func NewPublisher(js jetstream.JetStream) *Publisher { return &Publisher{js: js} }

// ErrNotStored is returned when JetStream did not acknowledge a message.
var ErrNotStored = errors.New("bus: message not stored")

// Publish marshals v and publishes it on subject with the Nats-Msg-Id msgID
// and the CloudEvents headers of events.AttributesOf(subject, v), ce-id
// being msgID and ce-time the time of publication when the attributes have
// none. It returns once JetStream has stored the message (or recognised it
// as a duplicate, which reports dup true).
func (p *Publisher) Publish(ctx context.Context, subject, msgID string, v any) (dup bool, err error) {
	body, err := json.Marshal(v)
	if err != nil {
		return false, fmt.Errorf("bus: encoding %s: %w", subject, err)
	}
	msg := nats.NewMsg(subject)
	msg.Data = body
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	SetCloudEventHeaders(msg.Header, msgID, events.AttributesOf(subject, v), now())
	ack, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID))
	if err != nil {
		return false, fmt.Errorf("bus: publishing %s (%s): %w", subject, msgID, err)
	}
	if ack == nil {
		return false, fmt.Errorf("bus: publishing %s (%s): %w", subject, msgID, ErrNotStored)
	}
	return ack.Duplicate, nil
}

// SetCloudEventHeaders sets the CloudEvents headers of an event with id and
// attributes a on h; a zero a.Time becomes now. Values are percent-encoded
// as the binding requires (see EncodeHeaderValue).
func SetCloudEventHeaders(h nats.Header, id string, a events.Attributes, now time.Time) {
	t := a.Time
	if t.IsZero() {
		t = now
	}
	h.Set(HeaderSpecVersion, events.SpecVersion)
	h.Set(HeaderID, EncodeHeaderValue(id))
	h.Set(HeaderType, EncodeHeaderValue(a.Type))
	h.Set(HeaderSource, EncodeHeaderValue(a.Source))
	if a.Subject != "" {
		h.Set(HeaderSubject, EncodeHeaderValue(a.Subject))
	}
	h.Set(HeaderTime, t.UTC().Format(time.RFC3339Nano))
	h.Set(HeaderContentType, events.DataContentType)
}

// EncodeHeaderValue percent-encodes s for a CloudEvents header, as the
// HTTP and NATS bindings require: the UTF-8 bytes of space, '"', '%' and of
// every character outside printable ASCII become %XX. Decode with
// url.PathUnescape.
func EncodeHeaderValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > ' ' && c < 0x7f && c != '"' && c != '%' {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+8), s[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}
