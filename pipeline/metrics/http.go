package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultAddr is the suggested address of the metrics server.
const DefaultAddr = ":9464"

// DefaultCheckTimeout is how long a readiness check may take when its
// Timeout is zero.
const DefaultCheckTimeout = 2 * time.Second

// ShutdownTimeout is how long Server.Serve waits for in-flight requests
// once its context ends.
const ShutdownTimeout = 5 * time.Second

// Check is a named readiness check, such as "nats connected" or "store
// reachable".
type Check struct {
	// Name names the check in the /readyz body.
	Name string
	// Func reports whether the dependency is usable: nil if it is.
	Func func(ctx context.Context) error
	// Timeout bounds Func; zero means DefaultCheckTimeout. A check that
	// does not answer in time fails.
	Timeout time.Duration
}

// Handler returns the HTTP handler of the metrics server:
//
//   - /metrics serves m's registry in the Prometheus exposition format
//     (not served if m is nil);
//   - /healthz answers 200 as long as the process serves HTTP;
//   - /readyz runs every check concurrently and answers 200 if all pass,
//     503 otherwise. The plain-text body has one line per check, "ok NAME"
//     or "fail NAME: ERROR".
func Handler(m *Metrics, checks ...Check) http.Handler {
	mux := http.NewServeMux()
	if m != nil {
		h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
			// A failing callback must not hide the other metrics.
			ErrorHandling: promhttp.ContinueOnError,
			// Count errors in promhttp_metric_handler_errors_total.
			Registry: m.reg,
		})
		mux.Handle("GET /metrics", promhttp.InstrumentMetricHandler(m.reg, h))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	checks = append([]Check(nil), checks...)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		errs := runChecks(r.Context(), checks)
		var b strings.Builder
		ready := true
		for i, c := range checks {
			if errs[i] != nil {
				ready = false
				fmt.Fprintf(&b, "fail %s: %v\n", c.Name, errs[i])
			} else {
				fmt.Fprintf(&b, "ok %s\n", c.Name)
			}
		}
		if len(checks) == 0 {
			b.WriteString("ok\n")
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte(b.String()))
	})
	return mux
}

// runChecks runs checks concurrently and returns their errors, in order.
func runChecks(ctx context.Context, checks []Check) []error {
	errs := make([]error, len(checks))
	done := make(chan struct{}, len(checks))
	for i, c := range checks {
		go func() {
			errs[i] = runCheck(ctx, c)
			done <- struct{}{}
		}()
	}
	for range checks {
		<-done
	}
	return errs
}

// runCheck runs c within its timeout. It returns at the timeout even if
// c.Func ignores its context, and turns a panic into an error.
func runCheck(ctx context.Context, c Check) error {
	if c.Func == nil {
		return errors.New("no check function")
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				res <- fmt.Errorf("panic: %v", r)
			}
		}()
		res <- c.Func(ctx)
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %s", timeout)
	}
}

// Server is an HTTP server bound to an address. Create it with Listen and
// run it with Serve.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Listen binds addr (host:port; port 0 picks a free port) for serving h.
// An empty addr disables the server: Listen returns a nil *Server, whose
// Serve returns nil at once and whose Addr is nil.
func Listen(addr string, h http.Handler) (*Server, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       60 * time.Second,
		},
	}, nil
}

// Addr returns the address the server is bound to, with the actual port
// when Listen was given port 0.
func (s *Server) Addr() net.Addr {
	if s == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve serves HTTP until ctx ends, then shuts down gracefully: it stops
// accepting connections and waits up to ShutdownTimeout for in-flight
// requests. It returns nil after a clean shutdown and the error otherwise,
// including when serving fails before ctx ends. Serve may be called once.
func (s *Server) Serve(ctx context.Context) error {
	if s == nil {
		return nil
	}
	served := make(chan error, 1)
	go func() { served <- s.srv.Serve(s.ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("metrics: serving: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err := s.srv.Shutdown(shutdown)
	if err != nil {
		s.srv.Close()
		err = fmt.Errorf("metrics: shutting down: %w", err)
	}
	<-served
	return err
}
