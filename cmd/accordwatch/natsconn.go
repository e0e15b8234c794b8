package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/config"
)

// connectDaemon connects to the NATS server of the configured daemon (its
// URL, else its embedded server's listen address) as the command name. With
// needStream it also checks that the event stream exists there.
func connectDaemon(ctx context.Context, cfg config.Config, name string, needStream bool, opts ...nats.Option) (*nats.Conn, jetstream.JetStream, error) {
	url := cfg.NATS.URL
	if url == "" {
		url = "nats://" + cfg.NATS.Listen
	}
	opts = append([]nats.Option{nats.Name("accordwatch " + name), nats.Timeout(5 * time.Second)}, opts...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("connecting to NATS at %s (is the daemon running?): %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("JetStream: %w", err)
	}
	if needStream {
		if _, err := js.Stream(ctx, bus.StreamName); err != nil {
			nc.Close()
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				return nil, nil, fmt.Errorf("no stream %s on %s: has a daemon run there?", bus.StreamName, url)
			}
			return nil, nil, fmt.Errorf("stream %s: %w", bus.StreamName, err)
		}
	}
	return nc, js, nil
}
