package prefactor_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/fuzzhttp"
	"github.com/agentop/agentop/api/prefactor"
)

// The Prefactor client's decoders fuzzed through its public methods, as the
// other platforms' are (api/internal/fuzzhttp): every read of any 200 body
// (instances, span trees, approvals), and errors that never hold the token.
// Run longer with
//
//	go test ./api/prefactor -run '^$' -fuzz '^FuzzPrefactorResponse$' -fuzztime 5m

const fuzzKey = "pf_live_5f4e3d2c1b0a9988"

func newClient(hc *http.Client) (api.Backend, error) {
	return prefactor.New(prefactor.Options{BaseURL: "http://127.0.0.1:1", Token: fuzzKey, HTTPClient: hc, Timeout: 5 * time.Second})
}

func FuzzPrefactorResponse(f *testing.F) {
	fuzzhttp.Responses(f, fuzzKey, newClient, "ins_1", "inst_2")
}

func FuzzPrefactorError(f *testing.F) { fuzzhttp.Errors(f, fuzzKey, newClient) }
