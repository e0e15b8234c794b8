package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNonPublic(t *testing.T) {
	for _, tc := range []struct {
		addr, want string
	}{
		{"8.8.8.8", ""},
		{"151.101.1.69", ""},
		{"2606:4700:4700::1111", ""},
		{"64:ff9b::808:808", ""}, // NAT64 of 8.8.8.8
		{"2002:808:808::1", ""},  // 6to4 of 8.8.8.8
		{"127.0.0.1", "loopback"},
		{"127.9.9.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private"},
		{"::ffff:192.168.0.1", "private"},
		{"169.254.169.254", "link-local"}, // cloud metadata
		{"fe80::1", "link-local"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"0.1.2.3", "this-network"},
		{"100.64.0.1", "shared (carrier-grade NAT)"},
		{"192.0.2.10", "documentation"},
		{"198.18.0.1", "benchmarking"},
		{"255.255.255.255", "reserved"},
		{"2001:db8::1", "documentation"},
		{"fec0::1", "non-global IPv6"},
		{"64:ff9b::a00:1", "private"},       // NAT64 of 10.0.0.1
		{"2002:7f00:1::1", "loopback"},      // 6to4 of 127.0.0.1
		{"64:ff9b:1::1", "non-global IPv6"}, // local-use NAT64
	} {
		if got := nonPublic(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("nonPublic(%s) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

// countingServer is an httptest server on 127.0.0.1 counting its requests.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if h != nil {
			h(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestPrivateAddressRefusedByDefault(t *testing.T) {
	srv, hits := countingServer(t, nil)
	// The defaults, as in production, but for the delay between requests.
	c := New(Config{Timeout: 5 * time.Second, HostDelay: -1})

	_, err := c.Get(context.Background(), Request{URL: srv.URL + "/feed"})
	fe := wantKind(t, err, KindForbiddenAddress)
	if fe.URL != srv.URL+"/feed" {
		t.Errorf("Error.URL = %q", fe.URL)
	}
	var ae *AddressError
	if !errors.As(err, &ae) || ae.Addr != netip.MustParseAddr("127.0.0.1") || ae.Reason != "loopback" {
		t.Errorf("error %v does not carry the refused address (%+v)", err, ae)
	}
	if !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error %q does not name the address", err)
	}
	// An article page: refused too, not reported as a robots.txt problem.
	_, err = c.Get(context.Background(), Request{URL: srv.URL + "/article", CheckRobots: true})
	wantKind(t, err, KindForbiddenAddress)
	t.Log(err)
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}

	// The switch allows it.
	c = New(Config{Timeout: 5 * time.Second, AllowPrivateAddresses: true, HostDelay: -1})
	if _, err := c.Get(context.Background(), Request{URL: srv.URL + "/feed"}); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}

// TestPrivateAddressRefusedAfterResolution checks that a host name is judged
// by the address it resolves to, at dial time.
func TestPrivateAddressRefusedAfterResolution(t *testing.T) {
	addrs, err := net.DefaultResolver.LookupNetIP(context.Background(), "ip", "localhost")
	if err != nil || len(addrs) == 0 {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	srv, hits := countingServer(t, nil)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	u := "http://localhost:" + port + "/"

	_, err = New(Config{Timeout: 5 * time.Second}).Get(context.Background(), Request{URL: u})
	wantKind(t, err, KindForbiddenAddress)
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

// TestRedirectToPrivateAddressRefused follows a redirect from an allowed
// server to a loopback address. The first server stands in for a public one
// by being the one network exempted from the check (Config.AllowedNetworks,
// 127.0.0.1/32); the redirect target, 127.0.0.2, gets the default
// treatment of a loopback address. Both hops go through the production dial
// path: only the exemption list differs from a real deployment.
func TestRedirectToPrivateAddressRefused(t *testing.T) {
	// A server on 127.0.0.2, where Linux answers for all of 127.0.0.0/8;
	// elsewhere the target has no listener, which changes nothing: the
	// connection is refused before it is attempted.
	target := "127.0.0.2:9"
	var targetHits atomic.Int32
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		inner := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			targetHits.Add(1)
		}))
		inner.Listener.Close()
		inner.Listener = ln
		inner.Start()
		defer inner.Close()
		target = ln.Addr().String()
	}
	outer, outerHits := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+target+"/internal", http.StatusFound)
	})

	c := New(Config{
		Timeout:         5 * time.Second,
		AllowedNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	})
	_, err := c.Get(context.Background(), Request{URL: outer.URL + "/story"})
	wantKind(t, err, KindForbiddenAddress)
	if !strings.Contains(err.Error(), "127.0.0.2") {
		t.Errorf("error %q does not name the refused address", err)
	}
	if outerHits.Load() != 1 || targetHits.Load() != 0 {
		t.Errorf("requests: first hop %d, redirect target %d; want 1, 0", outerHits.Load(), targetHits.Load())
	}
	t.Log(err)
}
