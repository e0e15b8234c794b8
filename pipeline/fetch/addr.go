package fetch

import (
	"fmt"
	"net/netip"
	"syscall"
)

// AddressError reports a connection refused because the address it was about
// to be made to is not a public one. It wraps ErrForbiddenAddress.
type AddressError struct {
	// Addr is the resolved address that was refused.
	Addr netip.Addr
	// Reason says why, for example "loopback" or "private".
	Reason string
}

// Error implements error.
func (e *AddressError) Error() string {
	return fmt.Sprintf("refusing to connect to %s: %s address, not public", e.Addr, e.Reason)
}

// Unwrap returns ErrForbiddenAddress.
func (e *AddressError) Unwrap() error { return ErrForbiddenAddress }

// addressPolicy decides which addresses the client may connect to.
type addressPolicy struct {
	allowPrivate bool
	allowed      []netip.Prefix
}

// control is a net.Dialer Control function. It runs for every connection
// attempt, after name resolution and before connecting, with the address
// actually dialed: a name that resolves to a private address (including by
// DNS rebinding) and a redirect to one are refused alike.
func (p addressPolicy) control(network, address string, _ syscall.RawConn) error {
	if p.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable dial address %q: %v", ErrForbiddenAddress, address, err)
	}
	return p.check(ap.Addr())
}

// check returns an *AddressError if a may not be connected to.
func (p addressPolicy) check(a netip.Addr) error {
	a = a.Unmap()
	for _, pfx := range p.allowed {
		if pfx.Contains(a) {
			return nil
		}
	}
	if reason := nonPublic(a); reason != "" {
		return &AddressError{Addr: a, Reason: reason}
	}
	return nil
}

// specialPrefixes are the special-purpose ranges (IANA IPv4 and IPv6
// Special-Purpose Address Registries) that netip's predicates do not cover
// and that are not reachable on the public Internet.
var specialPrefixes = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"}, // includes 255.255.255.255
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignment"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
}

var (
	// globalUnicast6 is the only IPv6 range allocated for global unicast.
	globalUnicast6 = netip.MustParsePrefix("2000::/3")
	// nat64 and sixToFour embed an IPv4 address, which decides.
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// nonPublic returns why a is not a public unicast address, or "" if it is.
func nonPublic(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast():
		return "multicast"
	}
	for _, s := range specialPrefixes {
		if s.prefix.Contains(a) {
			return s.reason
		}
	}
	if a.Is6() {
		b := a.As16()
		switch {
		case nat64.Contains(a):
			return nonPublic(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(a):
			return nonPublic(netip.AddrFrom4([4]byte(b[2:6])))
		case !globalUnicast6.Contains(a):
			return "non-global IPv6"
		}
	}
	return ""
}
