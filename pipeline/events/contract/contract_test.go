package contract

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
)

// message returns ev as the bus publishes it: subject, headers (with the
// Nats-Msg-Id) and body.
func message(t *testing.T, subject, msgID string, ev any) (string, nats.Header, []byte) {
	t.Helper()
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	h := nats.Header{}
	bus.SetCloudEventHeaders(h, msgID, events.AttributesOf(subject, ev), time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC))
	h.Set(jetstream.MsgIDHeader, msgID)
	return subject, h, body
}

func TestCheck(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	const id = "0123456789abcdef01234567"
	observed := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	stance := events.Stance{ID: id, ArticleID: id, URL: "https://wire.example/a", Outlet: "Test Wire", Title: "t",
		Actor: "USA", Accord: "paris-call", Stance: "declined", Evidence: "e", Rule: "declined", Confidence: 0.9, Observed: observed}
	article := events.Article{ID: id, URL: "https://wire.example/é 1", FeedURL: "https://wire.example/feed.xml",
		Outlet: "Test Wire", Fetched: observed, Source: "page"}
	digest := map[string]any{"date": "2025-06-02", "zone": "UTC", "generated": observed, "changes": []any{}, "contradictions": []any{},
		"board": map[string]any{"accords": []any{}, "rows": []any{}}, "feed_health": nil}

	for _, m := range []struct {
		subject, msgID string
		v              any
	}{
		{stance.Subject(), events.MsgID(events.KindStance, id), stance},
		{article.Subject(), events.MsgID(events.KindArticle, id), article},
		{events.DigestSubject("2025-06-02"), events.MsgID(events.KindDigest, "2025-06-02"), digest},
	} {
		if err := v.Check(message(t, m.subject, m.msgID, m.v)); err != nil {
			t.Errorf("valid %s: %v", m.subject, err)
		}
	}

	s, h, b := message(t, stance.Subject(), events.MsgID(events.KindStance, id), stance)
	for _, tc := range []struct {
		name    string
		subject string
		mutate  func(h nats.Header) []byte
		want    string
	}{
		{"no specversion", s, func(h nats.Header) []byte { h.Del(bus.HeaderSpecVersion); return b }, "no ce-specversion"},
		{"other specversion", s, func(h nats.Header) []byte { h.Set(bus.HeaderSpecVersion, "0.3"); return b }, "ce-specversion"},
		{"no type", s, func(h nats.Header) []byte { h.Del(bus.HeaderType); return b }, "no ce-type"},
		{"type of another kind", s, func(h nats.Header) []byte { h.Set(bus.HeaderType, events.TypeQuote); return b }, "ce-type"},
		{"id not the message id", s, func(h nats.Header) []byte { h.Set(jetstream.MsgIDHeader, "stance:x"); return b }, "Nats-Msg-Id"},
		{"id not the body's", s, func(h nats.Header) []byte {
			h.Set(bus.HeaderID, "stance:x")
			h.Set(jetstream.MsgIDHeader, "stance:x")
			return b
		}, "ce-id"},
		{"relative source", s, func(h nats.Header) []byte { h.Set(bus.HeaderSource, "Test_Wire"); return b }, "absolute URI"},
		{"source of another outlet", s, func(h nats.Header) []byte { h.Set(bus.HeaderSource, events.OutletSource("Other")); return b }, "ce-source"},
		{"no time", s, func(h nats.Header) []byte { h.Del(bus.HeaderTime); return b }, "no ce-time"},
		{"time not RFC 3339", s, func(h nats.Header) []byte { h.Set(bus.HeaderTime, "Mon Jun 2 10:00:00 2025"); return b }, "ce-time"},
		{"time not the body's", s, func(h nats.Header) []byte { h.Set(bus.HeaderTime, "2025-06-02T11:00:00Z"); return b }, "ce-time"},
		{"other subject", s, func(h nats.Header) []byte { h.Set(bus.HeaderSubject, "paris-call/FRA"); return b }, "ce-subject"},
		{"no content type", s, func(h nats.Header) []byte { h.Del(bus.HeaderContentType); return b }, "no content-type"},
		{"bad percent-encoding", s, func(h nats.Header) []byte { h.Set(bus.HeaderSubject, "paris-call%zz"); return b }, "percent-encoded"},
		{"invalid body", s, func(h nats.Header) []byte { return []byte(strings.Replace(string(b), `"declined"`, `"refused"`, 1)) }, "stance"},
		{"subject with too few tokens", "accordwatch.stance.paris-call", func(h nats.Header) []byte { return b }, "tokens"},
		{"not an event subject", "accordwatch-work.item", func(h nats.Header) []byte { return b }, "not an accordwatch event subject"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hc := nats.Header{}
			for k, vs := range h {
				hc[k] = append([]string(nil), vs...)
			}
			body := tc.mutate(hc)
			err := v.Check(tc.subject, hc, body)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check = %v, want an error about %q", err, tc.want)
			}
		})
	}
}
