// Package fuzzhttp serves platform clients fuzzed responses without a
// network, for their fuzz targets: a RoundTripper that answers every request
// with one canned response, and the spellings of a key a careless server
// might echo back in an error.
package fuzzhttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
)

// Canned answers every request with one response. A nil Header means
// Content-Type: application/json.
type Canned struct {
	Status int
	Header http.Header
	Body   []byte
}

// RoundTrip implements http.RoundTripper.
func (c Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	return &http.Response{
		StatusCode: c.Status, Status: fmt.Sprint(c.Status), Header: h,
		Body: io.NopCloser(bytes.NewReader(c.Body)), ContentLength: int64(len(c.Body)),
		Request: r, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}, nil
}

// Client is an *http.Client over c.
func (c Canned) Client() *http.Client { return &http.Client{Transport: c} }

// PlantKey spells key the ways a server might echo it (mode cycles through
// them): as is, every character JSON-escaped, half escaped, inside markup,
// or not at all.
func PlantKey(key string, mode uint8) string {
	switch mode % 5 {
	case 0:
		return key
	case 1:
		var b strings.Builder
		for _, r := range key {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		return b.String()
	case 2:
		var b strings.Builder
		for i, r := range key {
			if i%2 == 0 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	case 3:
		return "<b>" + key + "</b>"
	}
	return ""
}

// CheckErr fails t unless err is nil or an *api.Error whose text does not
// hold key.
func CheckErr(t testing.TB, err error, key string) {
	t.Helper()
	if err == nil {
		return
	}
	var ae *api.Error
	if !errors.As(err, &ae) {
		t.Fatalf("not an *api.Error: %T %v", err, err)
	}
	if strings.Contains(err.Error(), key) {
		t.Fatalf("the API key survived in the error: %q", err)
	}
}

// Drive calls every read of b once — executions (listed, and each of ids
// got, its activities read and, for an api.Asker, its question derived),
// agents and the user context — and fails t if any failure is not an
// *api.Error without key, or an activity has no kind. It is the body of a
// platform's response fuzz target: b answers everything with one fuzzed
// response.
func Drive(t testing.TB, b api.Backend, key string, ids ...string) {
	t.Helper()
	ctx := context.Background()
	_, err := b.ListExecutions(ctx, api.ExecutionQuery{})
	CheckErr(t, err, key)
	for _, id := range ids {
		e, err := b.GetExecution(ctx, id)
		CheckErr(t, err, key)
		acts, err := b.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
		CheckErr(t, err, key)
		for _, a := range acts {
			if a.Kind == "" {
				t.Fatalf("an activity without a kind: %+v", a)
			}
		}
		if asker, ok := b.(api.Asker); ok {
			if e.ID == "" {
				e = api.Execution{ID: id, Status: api.StatusPausedByAgent}
			}
			_, err := asker.Interaction(ctx, e, time.Now())
			CheckErr(t, err, key)
		}
	}
	_, err = b.ListAgents(ctx, api.AgentQuery{})
	CheckErr(t, err, key)
	_, err = b.UserContext(ctx)
	CheckErr(t, err, key)
}

// ErrorAnswer checks the outcome of a call answered with HTTP code: a 4xx or
// 5xx is an *api.Error of one line without key (a 3xx without Location may
// be handed back as is).
func ErrorAnswer(t testing.TB, code int, err error, key string) {
	t.Helper()
	if err == nil {
		if code < 400 {
			return
		}
		t.Fatalf("HTTP %d was not an error", code)
	}
	CheckErr(t, err, key)
	var ae *api.Error
	errors.As(err, &ae)
	if strings.ContainsAny(ae.Message, "\n\r") {
		t.Fatalf("a message of several lines: %q", ae.Message)
	}
}

// ErrorBody is the body of an error fuzz target's answer: before, the key
// spelled as mode says (PlantKey), after.
func ErrorBody(before []byte, key string, mode uint8, after []byte) []byte {
	return append(append(append([]byte{}, before...), PlantKey(key, mode)...), after...)
}

// NewClient builds a platform's client over hc, with key as its secret.
type NewClient func(hc *http.Client) (api.Backend, error)

// Responses is a whole response fuzz target: every 200 body goes through
// Drive against a client from newClient.
func Responses(f *testing.F, key string, newClient NewClient, ids ...string) {
	f.Add([]byte(`{"data":[{"id":"x","status":"running"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		Drive(t, mustClient(t, newClient, Canned{Status: 200, Body: body}), key, ids...)
	})
}

// Errors is a whole error fuzz target: an answer of any non-2xx status and
// content type whose body holds the key (ErrorBody) makes GetExecution fail
// as ErrorAnswer wants.
func Errors(f *testing.F, key string, newClient NewClient) {
	f.Add(uint16(104), "application/json", []byte(`{"error":{"message":"not found: `), uint8(0), []byte(`"}}`))
	f.Fuzz(func(t *testing.T, status uint16, contentType string, before []byte, mode uint8, after []byte) {
		code := 300 + int(status)%300
		c := mustClient(t, newClient, Canned{Status: code, Header: http.Header{"Content-Type": {contentType}}, Body: ErrorBody(before, key, mode, after)})
		_, err := c.GetExecution(context.Background(), "x_1")
		ErrorAnswer(t, code, err, key)
	})
}

func mustClient(t *testing.T, newClient NewClient, c Canned) api.Backend {
	t.Helper()
	b, err := newClient(c.Client())
	if err != nil {
		t.Fatal(err)
	}
	return b
}
