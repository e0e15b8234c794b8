package bus

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/events"
)

// TestPublishSetsCloudEventHeaders publishes events of several kinds on an
// embedded server and reads them back from the stream with their headers.
func TestPublishSetsCloudEventHeaders(t *testing.T) {
	srv, err := StartEmbedded(EmbeddedOptions{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	nc, err := Connect(srv.ClientURL(), "bus-test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := EnsureStream(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 2, 12, 0, 0, 123456789, time.FixedZone("CEST", 2*3600))
	p := NewPublisher(js)
	p.now = func() time.Time { return now }

	observed := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	stance := events.Stance{ID: "s1", Outlet: "Test Wire", Accord: "paris-call", Actor: "USA", Stance: "declined", Observed: observed}
	quote := events.Quote{ID: "q1", Outlet: "Test Wire", Accord: "paris-call", Actor: "USA", Text: "x"}
	article := events.Article{ID: "a1", Outlet: "Test Wire", URL: "https://wire.example/a b?q=100%", Fetched: observed}
	digest := map[string]any{"date": "2025-06-02"} // not an events.Event
	for _, tc := range []struct {
		subject, msgID string
		v              any
		want           map[string]string
	}{
		{stance.Subject(), events.MsgID(events.KindStance, stance.ID), stance, map[string]string{
			"ce-type": "org.accordwatch.stance.v1", "ce-source": "urn:accordwatch:outlet:Test_Wire",
			"ce-subject": "paris-call/USA", "ce-time": "2025-06-02T10:00:00Z", "ce-id": "stance:s1",
		}},
		{quote.Subject(), events.MsgID(events.KindQuote, quote.ID), quote, map[string]string{
			"ce-type": "org.accordwatch.quote.v1", "ce-source": "urn:accordwatch:outlet:Test_Wire",
			"ce-subject": "paris-call/USA", "ce-time": "2025-06-02T10:00:00.123456789Z", "ce-id": "quote:q1",
		}},
		{article.Subject(), events.MsgID(events.KindArticle, article.ID), article, map[string]string{
			"ce-type": "org.accordwatch.article.v1", "ce-source": "urn:accordwatch:outlet:Test_Wire",
			"ce-subject": "https://wire.example/a%20b?q=100%25", "ce-time": "2025-06-02T10:00:00Z", "ce-id": "article:a1",
		}},
		{events.DigestSubject("2025-06-02"), events.MsgID(events.KindDigest, "2025-06-02"), digest, map[string]string{
			"ce-type": "org.accordwatch.digest.v1", "ce-source": "urn:accordwatch:digest",
			"ce-subject": "2025-06-02", "ce-time": "2025-06-02T10:00:00.123456789Z", "ce-id": "digest:2025-06-02",
		}},
	} {
		if dup, err := p.Publish(ctx, tc.subject, tc.msgID, tc.v); err != nil || dup {
			t.Fatalf("Publish %s: dup %v, %v", tc.subject, dup, err)
		}
		m, err := st.GetLastMsgForSubject(ctx, tc.subject)
		if err != nil {
			t.Fatal(err)
		}
		tc.want["ce-specversion"] = "1.0"
		tc.want["content-type"] = "application/json"
		tc.want[jetstream.MsgIDHeader] = tc.msgID
		for k, want := range tc.want {
			if got := m.Header.Get(k); got != want {
				t.Errorf("%s: header %s = %q, want %q", tc.subject, k, got, want)
			}
		}
		if len(m.Header) != len(tc.want) {
			t.Errorf("%s: headers %v, want only %v", tc.subject, m.Header, tc.want)
		}
		// Published again, the event is a duplicate.
		if dup, err := p.Publish(ctx, tc.subject, tc.msgID, tc.v); err != nil || !dup {
			t.Errorf("Publish %s again: dup %v, %v; want a duplicate", tc.subject, dup, err)
		}
	}
}

func TestEncodeHeaderValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"paris-call/USA", "paris-call/USA"},
		{"urn:accordwatch:outlet:Test_Wire", "urn:accordwatch:outlet:Test_Wire"},
		{"https://wire.example/a?b=c&d=e#f", "https://wire.example/a?b=c&d=e#f"},
		{"a b", "a%20b"},
		{`say "hi"`, "say%20%22hi%22"},
		{"100%", "100%25"},
		{"Brasília", "Bras%C3%ADlia"},
		{"line\r\nbreak\x7f", "line%0D%0Abreak%7F"},
	} {
		got := EncodeHeaderValue(tc.in)
		if got != tc.want {
			t.Errorf("EncodeHeaderValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back, err := url.PathUnescape(got); err != nil || back != tc.in {
			t.Errorf("PathUnescape(%q) = %q, %v; want %q", got, back, err, tc.in)
		}
	}
}

// TestSetCloudEventHeaders checks that an empty subject is left out.
func TestSetCloudEventHeaders(t *testing.T) {
	h := nats.Header{}
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	SetCloudEventHeaders(h, "article:a1", events.Attributes{Type: events.TypeArticle, Source: "urn:accordwatch:outlet:unknown"}, now)
	if _, ok := h[HeaderSubject]; ok {
		t.Errorf("ce-subject set for an empty subject: %v", h)
	}
	if h.Get(HeaderTime) != "2025-06-02T12:00:00Z" {
		t.Errorf("ce-time = %q", h.Get(HeaderTime))
	}
}
