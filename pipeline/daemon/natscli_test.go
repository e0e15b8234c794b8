package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/accordwatch/accordwatch/pipeline/bus"
	"github.com/accordwatch/accordwatch/pipeline/events"
	"github.com/accordwatch/accordwatch/pipeline/events/contract"
)

// natsCLIInstall is how to install the nats CLI that the tests run.
const natsCLIInstall = "go install github.com/nats-io/natscli/nats@v0.5.0 and put $(go env GOPATH)/bin on PATH (.ci/run does)"

// natsCLI returns the path of the nats CLI, skipping the test when it is
// not installed.
func natsCLI(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("nats")
	if err != nil {
		t.Skip("the nats CLI is not on PATH; to run this test, " + natsCLIInstall)
	}
	return path
}

// natsCommand returns the nats CLI running args against the server at url,
// with a home of its own so that no user context applies.
func natsCommand(ctx context.Context, t *testing.T, path, url string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, path, append([]string{"--server", url, "--no-context"}, args...)...)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(k, "NATS_") && k != "HOME" && k != "XDG_CONFIG_HOME" {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// cliMsg is a message as `nats sub` prints it.
type cliMsg struct {
	subject string
	header  nats.Header
	body    []byte
}

var (
	cliCoreLine = regexp.MustCompile(`^\[#\d+\] Received on "([^"]+)"`)
	cliJSLine   = regexp.MustCompile(`^\[#\d+\] Received JetStream message: .*\bsubject: (\S+) /`)
)

// parseSub parses the output of `nats sub`: for each message, a line
// "[#n] Received ...", its headers ("name: value"), a blank line, the body
// (JSON without blank lines) and a blank line.
func parseSub(out string) ([]cliMsg, error) {
	var msgs []cliMsg
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 4<<20)
	state := 0 // 0 between messages, 1 in headers, 2 expecting the body
	for sc.Scan() {
		line := sc.Text()
		m := cliCoreLine.FindStringSubmatch(line)
		if m == nil {
			m = cliJSLine.FindStringSubmatch(line)
		}
		switch {
		case m != nil:
			if state != 0 {
				return msgs, fmt.Errorf("message %d has no body", len(msgs))
			}
			msgs = append(msgs, cliMsg{subject: m[1], header: nats.Header{}})
			state = 1
		case state == 1 && line == "":
			state = 2
		case state == 1:
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				return msgs, fmt.Errorf("message %d: header line %q", len(msgs), line)
			}
			msgs[len(msgs)-1].header.Add(k, v)
		case state == 2 && line == "":
			if len(msgs[len(msgs)-1].body) > 0 {
				state = 0
			}
		case state == 2:
			msgs[len(msgs)-1].body = append(msgs[len(msgs)-1].body, line...)
		}
	}
	if state != 0 {
		return msgs, fmt.Errorf("message %d is incomplete", len(msgs))
	}
	return msgs, sc.Err()
}

// TestNATSCLI proves the contract with the real nats CLI (v0.5.0): a
// `nats sub` on an accord wildcard, started before the daemon processes a
// fixture article about the Paris Call, prints every event about the Paris
// Call with its CloudEvents headers and JSON body; then `nats sub --stream
// ACCORDWATCH --all` replays every stored event, as many as the stream
// holds, each keeping the contract.
func TestNATSCLI(t *testing.T) {
	cli := natsCLI(t)
	if out, err := exec.Command(cli, "--version").CombinedOutput(); err == nil {
		t.Logf("nats CLI %s: %s", cli, strings.TrimSpace(string(out)))
	}
	site := newFixtureSite(t)
	cfg := contractConfig(t, site.srv.URL+"/feeds/good.xml")
	logs := &syncBuffer{}
	ctx := context.Background()
	d, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	url := d.Server.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("embedded NATS at %s, want loopback", url)
	}
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}

	// A live subscription on the accord wildcard, before anything is
	// published.
	const wildcard = "accordwatch.*.paris-call.>"
	subCtx, stopSub := context.WithCancel(ctx)
	defer stopSub()
	sub := natsCommand(subCtx, t, cli, url, "sub", wildcard)
	subOut, subErr := &syncBuffer{}, &syncBuffer{}
	sub.Stdout, sub.Stderr = subOut, subErr
	if err := sub.Start(); err != nil {
		t.Fatal(err)
	}
	subDone := make(chan error, 1)
	go func() { subDone <- sub.Wait() }()
	waitFor(t, "the nats CLI's subscription", 15*time.Second, func() bool {
		cz, err := d.Server.Connz(&server.ConnzOptions{Subscriptions: true})
		if err != nil {
			return false
		}
		for _, c := range cz.Conns {
			if slices.Contains(c.Subs, wildcard) {
				return true
			}
		}
		return false
	})

	runCtx, stop := context.WithCancel(ctx)
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(runCtx) }()
	waitIdle(t, d, 4)
	waitFor(t, "the change of USA on the Paris Call", 20*time.Second, func() bool { return d.Stats.Get("published_change") >= 1 })
	stop()
	if err := <-runDone; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Run: %v", err)
	}

	// What the stream holds about the Paris Call is what the CLI printed.
	stored := streamMessages(t, d.JS)
	var want []string
	for _, m := range stored {
		if strings.Split(m.Subject, ".")[2] == "paris-call" {
			want = append(want, m.Subject+" "+m.Header.Get(bus.HeaderID))
		}
	}
	slices.Sort(want)
	var live []cliMsg
	deadline := time.Now().Add(15 * time.Second)
	for {
		live, err = parseSub(subOut.String())
		if err == nil && len(live) >= len(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	stopSub()
	<-subDone
	if err != nil {
		t.Fatalf("parsing the output of nats sub: %v\n%s", err, subOut.String())
	}
	if !strings.Contains(subErr.String(), "Subscribing on "+wildcard) {
		t.Errorf("nats sub did not say what it subscribes to; stderr:\n%s", subErr.String())
	}
	var got []string
	kinds := map[string]int{}
	for _, m := range live {
		got = append(got, m.subject+" "+m.header.Get(bus.HeaderID))
		kinds[strings.Split(m.subject, ".")[1]]++
		// The ce-* headers and the JSON body, as printed, keep the contract.
		if err := v.Check(m.subject, m.header, m.body); err != nil {
			t.Errorf("nats sub printed a message that does not keep the contract: %v\nheaders: %v\nbody: %s", err, m.header, m.body)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("nats sub %s printed\n%s\nwant the stream's\n%s", wildcard, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, kind := range []string{events.KindQuote, events.KindStance, events.KindChange} {
		if kinds[kind] == 0 {
			t.Errorf("nats sub %s printed no %s event:\n%s", wildcard, kind, subOut.String())
		}
	}
	// The stance event, as printed: the USA declined the Paris Call.
	for _, m := range live {
		if m.subject != "accordwatch.stance.paris-call.USA" {
			continue
		}
		var s events.Stance
		if err := json.Unmarshal(m.body, &s); err != nil || s.Stance != "declined" || s.Outlet != "Test Wire" {
			t.Errorf("stance printed by nats sub: %+v, %v; want USA declined, from Test Wire", s, err)
		}
		for k, want := range map[string]string{"ce-specversion": "1.0", "ce-type": "org.accordwatch.stance.v1",
			"ce-source": "urn:accordwatch:outlet:Test_Wire", "ce-subject": "paris-call/USA", "content-type": "application/json"} {
			if got := m.header.Get(k); got != want {
				t.Errorf("stance printed by nats sub: %s: %q, want %q", k, got, want)
			}
		}
	}
	t.Logf("nats sub %s printed %d events: %v", wildcard, len(live), kinds)

	// Replay: every stored event, from the start, as the CLI reads it.
	replayCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	replay := natsCommand(replayCtx, t, cli, url, "sub", "--stream", bus.StreamName, "--all", "--terminate-at-end", "accordwatch.>")
	out, err := replay.Output()
	if err != nil {
		t.Fatalf("nats sub --stream %s --all: %v\n%s", bus.StreamName, err, out)
	}
	all, err := parseSub(string(out))
	if err != nil {
		t.Fatalf("parsing the output of nats sub --stream: %v\n%s", err, out)
	}
	info := streamInfo(ctx, t, cli, url)
	if len(all) != len(stored) || uint64(len(all)) != info.State.Msgs {
		t.Errorf("nats sub --stream %s --all printed %d events; the stream holds %d (nats stream info: %d)",
			bus.StreamName, len(all), len(stored), info.State.Msgs)
	}
	for i, m := range all {
		if i < len(stored) && (m.subject != stored[i].Subject || string(m.body) != string(stored[i].Data)) {
			t.Errorf("replayed event %d: %s, want %s", i+1, m.subject, stored[i].Subject)
		}
		if err := v.Check(m.subject, m.header, m.body); err != nil {
			t.Errorf("replayed event %d does not keep the contract: %v", i+1, err)
		}
	}
	t.Logf("nats sub --stream %s --all replayed %d events", bus.StreamName, len(all))
}

// streamInfo returns the stream's info as `nats stream info --json` gives
// it.
func streamInfo(ctx context.Context, t *testing.T, cli, url string) (info struct {
	State struct {
		Msgs uint64 `json:"messages"`
	} `json:"state"`
}) {
	t.Helper()
	out, err := natsCommand(ctx, t, cli, url, "stream", "info", bus.StreamName, "--json").Output()
	if err != nil {
		t.Fatalf("nats stream info: %v\n%s", err, out)
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("nats stream info --json: %v\n%s", err, out)
	}
	return info
}
