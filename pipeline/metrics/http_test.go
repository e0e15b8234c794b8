package metrics

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestHealthz(t *testing.T) {
	base := serve(t, Handler(New(""), Check{Name: "never", Func: func(context.Context) error { return errors.New("down") }}))
	code, body := get(t, base+"/healthz")
	if code != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\" even while not ready", code, body)
	}
	resp, err := http.Post(base+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", resp.StatusCode)
	}
	if code, _ := get(t, base+"/nothing"); code != http.StatusNotFound {
		t.Errorf("GET /nothing = %d, want 404", code)
	}
}

func TestReadyzFlips(t *testing.T) {
	var natsUp, storeUp atomic.Bool
	check := func(up *atomic.Bool, err string) func(context.Context) error {
		return func(context.Context) error {
			if !up.Load() {
				return errors.New(err)
			}
			return nil
		}
	}
	base := serve(t, Handler(New(""),
		Check{Name: "nats connected", Func: check(&natsUp, "not connected")},
		Check{Name: "store reachable", Func: check(&storeUp, "dial tcp: connection refused")},
	))

	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable {
		t.Errorf("both down: %d, want 503", code)
	}
	for _, want := range []string{"fail nats connected: not connected\n", "fail store reachable: dial tcp: connection refused\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("both down: body %q lacks %q", body, want)
		}
	}

	natsUp.Store(true)
	code, body = get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || body != "ok nats connected\nfail store reachable: dial tcp: connection refused\n" {
		t.Errorf("store down: %d %q", code, body)
	}

	storeUp.Store(true)
	code, body = get(t, base+"/readyz")
	if code != http.StatusOK || body != "ok nats connected\nok store reachable\n" {
		t.Errorf("all up: %d %q, want 200", code, body)
	}

	natsUp.Store(false)
	if code, body = get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "fail nats connected") {
		t.Errorf("NATS down again: %d %q, want 503 naming the check", code, body)
	}
}

func TestReadyzNoChecks(t *testing.T) {
	code, body := get(t, serve(t, Handler(nil))+"/readyz")
	if code != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /readyz without checks = %d %q, want 200 \"ok\\n\"", code, body)
	}
}

func TestReadyzBadChecks(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var sawDeadline atomic.Bool
	base := serve(t, Handler(nil,
		Check{Name: "ignores context", Timeout: 50 * time.Millisecond, Func: func(context.Context) error {
			<-release
			return nil
		}},
		Check{Name: "honours context", Timeout: 50 * time.Millisecond, Func: func(ctx context.Context) error {
			_, ok := ctx.Deadline()
			sawDeadline.Store(ok)
			<-ctx.Done()
			return ctx.Err()
		}},
		Check{Name: "panics", Func: func(context.Context) error { panic("boom") }},
		Check{Name: "no func"},
		Check{Name: "fine", Func: func(context.Context) error { return nil }},
	))
	start := time.Now()
	code, body := get(t, base+"/readyz")
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("/readyz took %s with 50ms timeouts", elapsed)
	}
	if code != http.StatusServiceUnavailable {
		t.Errorf("code %d, want 503", code)
	}
	for _, want := range []string{
		"fail ignores context: no answer within 50ms\n",
		"fail honours context: ",
		"fail panics: panic: boom\n",
		"fail no func: no check function\n",
		"ok fine\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body %q lacks %q", body, want)
		}
	}
	if !sawDeadline.Load() {
		t.Error("check context had no deadline")
	}
}

func TestListenDisabled(t *testing.T) {
	srv, err := Listen("", Handler(nil))
	if err != nil || srv != nil {
		t.Fatalf("Listen(\"\") = %v, %v; want nil, nil", srv, err)
	}
	if srv.Addr() != nil {
		t.Error("disabled server has an address")
	}
	if err := srv.Serve(context.Background()); err != nil {
		t.Errorf("disabled Serve = %v, want nil at once", err)
	}
}

func TestListenBusyAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if srv, err := Listen(ln.Addr().String(), Handler(nil)); err == nil {
		t.Errorf("Listen on a busy address succeeded: %v", srv.Addr())
	}
}

func TestServeGracefulShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		w.Write([]byte("done"))
	})
	srv, err := Listen("127.0.0.1:0", mux)
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr().String()
	if strings.HasSuffix(addr, ":0") {
		t.Fatalf("Addr %s does not report the bound port", addr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()

	type result struct {
		code int
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{code: resp.StatusCode}
	}()
	<-entered
	cancel()
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if r := <-got; r.err != nil || r.code != http.StatusOK {
		t.Errorf("in-flight request: %d %v, want 200", r.code, r.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	case <-time.After(ShutdownTimeout):
		t.Fatal("Serve did not return after shutdown")
	}
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Error("server still accepts connections after Serve returned")
	}
}

func TestHandlerTwice(t *testing.T) {
	m := New("")
	m.FeedPolled()
	Handler(m)
	fams := scrape(t, serve(t, Handler(m)))
	if got := value(t, fams, "accordwatch_feeds_polled_total"); got != 1 {
		t.Errorf("feeds_polled_total = %v, want 1", got)
	}
}
