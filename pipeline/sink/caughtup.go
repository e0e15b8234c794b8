package sink

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
)

// CaughtUp reports whether the sink's consumer has acknowledged every
// message in the stream that its filters take in, so that everything
// published so far is stored and its changes published. Pending counts
// alone are not enough: they can read zero for a moment before the
// consumer has taken in messages just published.
func CaughtUp(ctx context.Context, js jetstream.JetStream) (bool, error) {
	cons, err := js.Consumer(ctx, bus.StreamName, ConsumerName)
	if err != nil {
		return false, fmt.Errorf("sink: consumer: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return false, fmt.Errorf("sink: consumer info: %w", err)
	}
	if info.NumPending > 0 || info.NumAckPending > 0 {
		return false, nil
	}
	stream, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		return false, fmt.Errorf("sink: stream: %w", err)
	}
	for _, f := range info.Config.FilterSubjects {
		m, err := stream.GetLastMsgForSubject(ctx, f)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("sink: last message on %s: %w", f, err)
		}
		if m.Sequence > info.AckFloor.Stream {
			return false, nil
		}
	}
	return true, nil
}
