package fetch

import (
	"errors"
	"fmt"
	"time"
)

// ErrorKind classifies a failed fetch.
type ErrorKind string

// Kinds of fetch failure.
const (
	// KindNetwork is a connection, protocol or body-decoding failure, or
	// the caller's context being canceled (the error then wraps
	// context.Canceled).
	KindNetwork ErrorKind = "network"
	// KindTimeout is a connect, TLS handshake or response header timeout,
	// the overall Config.Timeout, or a deadline on the caller's context
	// expiring.
	KindTimeout ErrorKind = "timeout"
	// KindStatus is a response other than 2xx or 304, including a redirect
	// that could not be followed because of Config.MaxRedirects. A 429 or
	// 503 response carries the server's Retry-After in Error.RetryAfter.
	KindStatus ErrorKind = "status"
	// KindTooLarge is a body larger than Config.MaxBodyBytes once decoded.
	KindTooLarge ErrorKind = "too_large"
	// KindInvalid is a malformed URL or a scheme other than http/https,
	// including on a redirect target.
	KindInvalid ErrorKind = "invalid"
	// KindRobots is a URL, or a redirect target, that the site's
	// robots.txt disallows for Config.RobotsAgent. Only requests with
	// Request.CheckRobots set are checked. The error wraps
	// ErrRobotsDisallowed.
	KindRobots ErrorKind = "robots"
	// KindForbiddenAddress is a connection refused because the host, or a
	// redirect target, resolved to a loopback, private, link-local,
	// multicast or otherwise non-public address and
	// Config.AllowPrivateAddresses is off. The error wraps an
	// *AddressError naming the address.
	KindForbiddenAddress ErrorKind = "forbidden_address"
	// KindBackoff is a request not sent because the host answered an
	// earlier request with 429 or 503 and a Retry-After further away than
	// Config.MaxRetryWait (or than the caller's deadline). Error.RetryAfter
	// is the time left until the host may be requested again.
	KindBackoff ErrorKind = "backoff"
)

// ErrRobotsDisallowed is wrapped by errors of KindRobots.
var ErrRobotsDisallowed = errors.New("disallowed by robots.txt")

// ErrForbiddenAddress is wrapped by errors of KindForbiddenAddress, through
// an *AddressError.
var ErrForbiddenAddress = errors.New("forbidden address")

// Error is the error returned by Client.Get. Use errors.As to inspect it.
type Error struct {
	// URL is the requested URL.
	URL string
	// Kind classifies the failure.
	Kind ErrorKind
	// Status is the HTTP status code for KindStatus errors, 0 otherwise.
	Status int
	// RetryAfter is the server's Retry-After delay on a KindStatus error,
	// 0 if absent or unparsable; on a KindBackoff error it is the time
	// left before the host may be requested again.
	RetryAfter time.Duration
	// Err is the underlying cause, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	msg := fmt.Sprintf("fetch %s: %s", e.URL, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" %d", e.Status)
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }
