package fetch

import (
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
	// KindTimeout is a connect timeout or the overall Config.Timeout (or a
	// deadline on the caller's context) expiring.
	KindTimeout ErrorKind = "timeout"
	// KindStatus is a response other than 2xx or 304, including a redirect
	// that could not be followed because of Config.MaxRedirects.
	KindStatus ErrorKind = "status"
	// KindTooLarge is a body larger than Config.MaxBodyBytes once decoded.
	KindTooLarge ErrorKind = "too_large"
	// KindInvalid is a malformed URL or a scheme other than http/https,
	// including on a redirect target.
	KindInvalid ErrorKind = "invalid"
)

// Error is the error returned by Client.Get. Use errors.As to inspect it.
type Error struct {
	// URL is the requested URL.
	URL string
	// Kind classifies the failure.
	Kind ErrorKind
	// Status is the HTTP status code for KindStatus errors, 0 otherwise.
	Status int
	// RetryAfter is the server's Retry-After delay on a KindStatus error,
	// 0 if absent or unparsable.
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
