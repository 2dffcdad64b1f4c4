package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrorKind classifies a failure so callers can react without parsing text.
type ErrorKind int

// Error kinds.
const (
	KindUnknown      ErrorKind = iota
	KindInvalid                // 400/409/422: bad request or an illegal state transition
	KindUnauthorized           // 401: missing or wrong credentials
	KindForbidden              // 403: credentials lack access
	KindNotFound               // 404
	KindRateLimited            // 429; RetryAfter set when the server said
	KindServer                 // 5xx
	KindNetwork                // connection refused/reset, DNS, TLS …
	KindTimeout                // the request or its context deadline expired
	KindDecode                 // a success response the client could not read
	KindUnsupported            // the platform cannot do this
	KindInsecure               // refused: plain http to a non-loopback host
	KindCanceled               // the caller cancelled the context
)

var kindNames = map[ErrorKind]string{
	KindUnknown:      "error",
	KindInvalid:      "invalid request",
	KindUnauthorized: "unauthorized",
	KindForbidden:    "forbidden",
	KindNotFound:     "not found",
	KindRateLimited:  "rate limited",
	KindServer:       "server error",
	KindNetwork:      "network error",
	KindTimeout:      "timeout",
	KindDecode:       "unreadable response",
	KindUnsupported:  "not supported",
	KindInsecure:     "insecure connection refused",
	KindCanceled:     "canceled",
}

func (k ErrorKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("error kind %d", int(k))
}

// Sentinels for errors.Is: errors.Is(err, api.ErrNotFound) holds for any
// *Error of kind KindNotFound.
var (
	ErrInvalid      = &Error{Kind: KindInvalid}
	ErrUnauthorized = &Error{Kind: KindUnauthorized}
	ErrForbidden    = &Error{Kind: KindForbidden}
	ErrNotFound     = &Error{Kind: KindNotFound}
	ErrRateLimited  = &Error{Kind: KindRateLimited}
	ErrServer       = &Error{Kind: KindServer}
	ErrNetwork      = &Error{Kind: KindNetwork}
	ErrTimeout      = &Error{Kind: KindTimeout}
	ErrDecode       = &Error{Kind: KindDecode}
	ErrUnsupported  = &Error{Kind: KindUnsupported}
	ErrInsecure     = &Error{Kind: KindInsecure}
	ErrCanceled     = &Error{Kind: KindCanceled}
)

// Error is a failed platform call. It never holds credentials.
type Error struct {
	Kind       ErrorKind
	Op         string        // what was attempted, e.g. "GET /executions/{id}" or "pause execution"
	StatusCode int           // HTTP status; 0 when no response arrived
	Message    string        // the server's message, or a description of the failure
	RetryAfter time.Duration // for KindRateLimited (and 503) when the server sent Retry-After
	Err        error         // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if msg != "" && !strings.EqualFold(msg, e.Kind.String()) {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the kind sentinels (ErrNotFound, …).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	// A sentinel has only Kind set.
	return t.Op == "" && t.StatusCode == 0 && t.Message == "" && t.Err == nil && t.Kind == e.Kind
}

// KindOf returns the kind of err: the Kind of the first *Error in its chain,
// KindUnknown for any other non-nil error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// RetryAfterOf returns the Retry-After carried by err, or 0.
func RetryAfterOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// IsTemporary reports whether retrying later may succeed: rate limits,
// server errors, network failures and timeouts.
func IsTemporary(err error) bool {
	switch KindOf(err) {
	case KindRateLimited, KindServer, KindNetwork, KindTimeout:
		return true
	}
	return false
}

// Unsupported returns the error a backend gives for a capability it lacks.
func Unsupported(platform, op string) error {
	return &Error{Kind: KindUnsupported, Op: op, Message: platform + " does not support this"}
}
