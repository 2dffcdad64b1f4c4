package archastro_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/archastro"
	"github.com/agentop/agentop/api/internal/fuzzhttp"
)

// The ArchAstro client's decoders fuzzed through its public methods, as the
// Asteroid client's are (api/asteroid/fuzz_test.go). Seeds
// (testdata/fuzz/…) are the JSON the client tests serve. Run longer with
//
//	go test ./api/archastro -run '^$' -fuzz '^FuzzArchastroResponse$' -fuzztime 5m

const fuzzKey = "sk_live_7e6d5c4b3a29180f"

func fuzzClient(t *testing.T, rt fuzzhttp.Canned) *archastro.Client {
	t.Helper()
	c, err := archastro.New(archastro.Options{BaseURL: "http://127.0.0.1:1", APIKey: fuzzKey, HTTPClient: rt.Client(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzArchastroResponse: any 200 body of the sessions, runs, agents, feed,
// inbox and context endpoints — and of the session stream, read as
// server-sent events — decodes or fails with an *api.Error, never a panic.
func FuzzArchastroResponse(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"ase_1","agent":"agi_1","status":"waiting","created_at":"2026-12-01T09:00:00Z"}]}`))
	f.Add([]byte("event: session_update\ndata: {\"id\":\"ase_1\",\"status\":\"running\"}\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		ctx := context.Background()
		for _, ct := range []string{"application/json", "text/event-stream"} {
			c := fuzzClient(t, fuzzhttp.Canned{Status: 200, Header: http.Header{"Content-Type": {ct}}, Body: body})
			_, err := c.ListExecutions(ctx, api.ExecutionQuery{})
			fuzzhttp.CheckErr(t, err, fuzzKey)
			for _, id := range []string{"ase_1", "arr_1"} {
				e, err := c.GetExecution(ctx, id)
				fuzzhttp.CheckErr(t, err, fuzzKey)
				acts, err := c.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: 50})
				fuzzhttp.CheckErr(t, err, fuzzKey)
				for _, a := range acts {
					if a.Kind == "" {
						t.Fatalf("an activity without a kind: %+v", a)
					}
				}
				if e.ID == "" {
					e = api.Execution{ID: id, Status: api.StatusPausedByAgent}
				}
				q, err := c.Interaction(ctx, e, time.Now())
				fuzzhttp.CheckErr(t, err, fuzzKey)
				if err == nil && !utf8.ValidString(q.ExecutionID) {
					t.Fatalf("a question for an invalid id %q", q.ExecutionID)
				}
			}
			_, err = c.ListAgents(ctx, api.AgentQuery{})
			fuzzhttp.CheckErr(t, err, fuzzKey)
			_, err = c.UserContext(ctx)
			fuzzhttp.CheckErr(t, err, fuzzKey)
			n := 0
			err = c.Watch(ctx, "ase_1", func(api.Execution) bool { n++; return n < 100 })
			fuzzhttp.CheckErr(t, err, fuzzKey)
		}
	})
}

// FuzzArchastroError: a non-2xx answer of any status, content type and body
// with the key planted in it is an *api.Error of one line without the key.
func FuzzArchastroError(f *testing.F) {
	f.Add(uint16(104), "application/json", []byte(`{"error":{"code":"not_found","message":"no session for `), uint8(0), []byte(`"}}`))
	f.Fuzz(func(t *testing.T, status uint16, contentType string, before []byte, mode uint8, after []byte) {
		code := 300 + int(status)%300
		body := append(append(append([]byte{}, before...), fuzzhttp.PlantKey(fuzzKey, mode)...), after...)
		c := fuzzClient(t, fuzzhttp.Canned{Status: code, Header: http.Header{"Content-Type": {contentType}}, Body: body})
		_, err := c.GetExecution(context.Background(), "ase_1")
		if err == nil {
			if code < 400 {
				return // a 3xx without Location is handed back as is
			}
			t.Fatalf("HTTP %d was not an error", code)
		}
		fuzzhttp.CheckErr(t, err, fuzzKey)
		var ae *api.Error
		errors.As(err, &ae)
		if strings.ContainsAny(ae.Message, "\n\r") {
			t.Fatalf("a message of several lines: %q", ae.Message)
		}
	})
}
