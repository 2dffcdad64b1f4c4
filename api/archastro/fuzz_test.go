package archastro_test

import (
	"context"
	"net/http"
	"testing"
	"time"

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
			fuzzhttp.Drive(t, c, fuzzKey, "ase_1", "arr_1")
			n := 0
			err := c.Watch(ctx, "ase_1", func(api.Execution) bool { n++; return n < 100 })
			fuzzhttp.CheckErr(t, err, fuzzKey)
		}
	})
}

// FuzzArchastroError: a non-2xx answer with the key planted in it is an
// *api.Error of one line without the key.
func FuzzArchastroError(f *testing.F) {
	fuzzhttp.Errors(f, fuzzKey, func(hc *http.Client) (api.Backend, error) {
		return archastro.New(archastro.Options{BaseURL: "http://127.0.0.1:1", APIKey: fuzzKey, HTTPClient: hc, Timeout: 5 * time.Second})
	})
}
