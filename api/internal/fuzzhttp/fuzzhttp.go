// Package fuzzhttp serves platform clients fuzzed responses without a
// network, for their fuzz targets: a RoundTripper that answers every request
// with one canned response, and the spellings of a key a careless server
// might echo back in an error.
package fuzzhttp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

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
