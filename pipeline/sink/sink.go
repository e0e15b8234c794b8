// Package sink writes events from JetStream into the store: a durable
// consumer receives articles, quotes, stance observations and retractions,
// stores them and acknowledges each message only once it is stored. A
// stance observation that changes an actor's current stance produces a
// change event; one that contradicts it (see store.Store.RecordObservation)
// produces a contradiction event. A retraction flags its observation as
// retracted, and produces a change event if the current stance rested on
// it and changes (see store.Store.RetractObservation).
package sink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/metrics"
	"github.com/accordwatch/accordwatch/pipeline/stats"
	"github.com/accordwatch/accordwatch/store"
)

// ConsumerName is the durable consumer of the sink.
const ConsumerName = "sink"

// Sink stores events.
type Sink struct {
	Store     store.Store
	Publisher *bus.Publisher
	Log       *slog.Logger
	Stats     *stats.Counters
	// Metrics, if set, counts changes and contradictions and times the
	// store.
	Metrics *metrics.Metrics
}

// Consumer creates or updates the sink's durable consumer on the stream.
func Consumer(ctx context.Context, js jetstream.JetStream) (jetstream.Consumer, error) {
	c, err := js.CreateOrUpdateConsumer(ctx, bus.StreamName, jetstream.ConsumerConfig{
		Durable:    ConsumerName,
		AckPolicy:  jetstream.AckExplicitPolicy,
		AckWait:    30 * time.Second,
		MaxDeliver: -1,
		BackOff:    nil,
		FilterSubjects: []string{
			events.Prefix + "." + events.KindArticle + ".>",
			events.Prefix + "." + events.KindQuote + ".>",
			events.Prefix + "." + events.KindStance + ".>",
			events.Prefix + "." + events.KindRetraction + ".>",
		},
	})
	if err != nil {
		return nil, fmt.Errorf("sink: declaring consumer: %w", err)
	}
	return c, nil
}

// Run consumes until ctx is done. Messages being handled when ctx ends are
// finished; those not yet acknowledged are redelivered later.
func (s *Sink) Run(ctx context.Context, c jetstream.Consumer) error {
	cc, err := c.Consume(func(msg jetstream.Msg) {
		// Handling uses its own context so that a message started is finished.
		hctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Handle(hctx, msg.Subject(), msg.Data()); err != nil {
			s.logger().Error("storing event failed; it will be redelivered", "subject", msg.Subject(), "err", err)
			s.Stats.Inc("sink_errors")
			_ = msg.NakWithDelay(2 * time.Second)
			return
		}
		if err := msg.Ack(); err != nil {
			s.logger().Warn("ack failed", "subject", msg.Subject(), "err", err)
		}
	}, jetstream.PullMaxMessages(64))
	if err != nil {
		return fmt.Errorf("sink: consuming: %w", err)
	}
	<-ctx.Done()
	cc.Drain()
	<-cc.Closed()
	return nil
}

// ErrBadEvent is wrapped by Handle's error for a message that cannot be decoded.
var ErrBadEvent = errors.New("sink: undecodable event")

// Handle stores one event given its subject and JSON body. It is idempotent.
func (s *Sink) Handle(ctx context.Context, subject string, data []byte) error {
	kind := ""
	if parts := strings.SplitN(subject, ".", 3); len(parts) >= 2 {
		kind = parts[1]
	}
	switch kind {
	case events.KindArticle:
		var a events.Article
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadEvent, subject, err)
		}
		s.Stats.Inc("stored_articles")
		return s.Store.PutArticle(ctx, store.Article{
			ID: a.ID, URL: a.URL, FeedURL: a.FeedURL, Outlet: a.Outlet, Title: a.Title,
			Authors: a.Authors, Published: a.Published, Fetched: a.Fetched, Text: a.Text,
			Source: a.Source, FetchError: a.FetchError,
		})
	case events.KindQuote:
		var q events.Quote
		if err := json.Unmarshal(data, &q); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadEvent, subject, err)
		}
		s.Stats.Inc("stored_quotes")
		return s.Store.PutQuote(ctx, store.Quote{
			ID: q.ID, ArticleID: q.ArticleID, URL: q.URL, Text: q.Text, Speaker: q.Speaker,
			Actor: q.Actor, Start: q.Start, End: q.End, Published: q.Published,
		})
	case events.KindStance:
		var o events.Stance
		if err := json.Unmarshal(data, &o); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadEvent, subject, err)
		}
		stop := s.Metrics.StartStage(metrics.StageStore)
		out, err := s.Store.RecordObservation(ctx, store.Observation{
			ID: o.ID, ArticleID: o.ArticleID, URL: o.URL, Outlet: o.Outlet, Title: o.Title,
			Actor: o.Actor, Accord: o.Accord, Stance: o.Stance, Historical: o.Historical,
			Evidence: o.Evidence, EvidenceStart: o.EvidenceStart, EvidenceEnd: o.EvidenceEnd,
			Speaker: o.Speaker, Rule: o.Rule, Confidence: o.Confidence,
			Published: o.Published, Observed: o.Observed,
		})
		stop()
		if err != nil {
			return err
		}
		s.Stats.Inc("stored_observations")
		// Published again on redelivery: the message id makes it a no-op.
		if err := s.publishChange(ctx, out.Change); err != nil {
			return err
		}
		if k := out.Contradiction; k != nil {
			ev := ContradictionEvent(*k)
			dup, err := s.Publisher.Publish(ctx, ev.Subject(), events.MsgID(events.KindContradiction, ev.ID), ev)
			if err != nil {
				return err
			}
			if !dup {
				s.Stats.Inc("published_contradiction")
				s.Metrics.Contradiction()
				s.logger().Info("stance contradiction", "actor", k.Actor, "accord", k.Accord, "current", k.Current,
					"reported", k.Stance, "outlet", k.Outlet, "url", k.URL)
			}
		}
		return nil
	case events.KindRetraction:
		var r events.Retraction
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadEvent, subject, err)
		}
		stop := s.Metrics.StartStage(metrics.StageStore)
		ch, err := s.Store.RetractObservation(ctx, r.ObservationID, r.Retracted)
		stop()
		if errors.Is(err, store.ErrNotFound) {
			// Retractions are published for stored observations only: the
			// store was reset, or is not the one the retraction was made
			// from. Nothing to do.
			s.logger().Warn("ignoring the retraction of an unknown observation", "observation", r.ObservationID, "subject", subject)
			return nil
		}
		if err != nil {
			return err
		}
		s.Stats.Inc("stored_retractions")
		return s.publishChange(ctx, ch)
	default:
		s.logger().Warn("ignoring event of unknown kind", "subject", subject)
		return nil
	}
}

// publishChange publishes the change event of ch, if not nil.
func (s *Sink) publishChange(ctx context.Context, ch *store.Change) error {
	if ch == nil {
		return nil
	}
	ev := ChangeEvent(*ch)
	dup, err := s.Publisher.Publish(ctx, ev.Subject(), events.MsgID(events.KindChange, ev.ID), ev)
	if err != nil {
		return err
	}
	if !dup {
		s.Stats.Inc("published_change")
		s.Metrics.Change()
		log := s.logger().With("actor", ch.Actor, "accord", ch.Accord, "from", ch.Previous, "to", ch.Stance,
			"sources", ch.Sources, "url", ch.URL)
		if ch.Corrects != "" {
			log.Info("stance corrected", "corrects", ch.Corrects)
		} else {
			log.Info("stance change")
		}
	}
	return nil
}

// ChangeEvent converts a stored change into its event.
func ChangeEvent(c store.Change) events.Change {
	return events.Change{
		ID: c.ID, Actor: c.Actor, Accord: c.Accord, Previous: c.Previous, PreviousSince: c.PreviousSince,
		Stance: c.Stance, Since: c.Since, Sources: c.Sources, Detected: c.Detected, ObservationID: c.ObservationID,
		Evidence: c.Evidence, Speaker: c.Speaker, URL: c.URL, Outlet: c.Outlet, Title: c.Title, Corrects: c.Corrects,
	}
}

// ContradictionEvent converts a stored contradiction into its event.
func ContradictionEvent(k store.Contradiction) events.Contradiction {
	return events.Contradiction{
		ID: k.ID, Actor: k.Actor, Accord: k.Accord, Current: k.Current, CurrentSince: k.CurrentSince,
		Stance: k.Stance, Since: k.Since, Detected: k.Detected, ObservationID: k.ObservationID,
		Evidence: k.Evidence, Speaker: k.Speaker, URL: k.URL, Outlet: k.Outlet, Title: k.Title,
	}
}

func (s *Sink) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
