package moderately_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/internal/fuzzhttp"
	"github.com/agentop/agentop/api/moderately"
)

// The Moderately AI client's decoders fuzzed through its public methods, as
// the other platforms' are (api/internal/fuzzhttp): every read of any 200
// body, and errors that never hold the key. Run longer with
//
//	go test ./api/moderately -run '^$' -fuzz '^FuzzModeratelyResponse$' -fuzztime 5m

const fuzzKey = "mod_live_5f4e3d2c1b0a9988"

func newClient(hc *http.Client) (api.Backend, error) {
	return moderately.New(moderately.Options{BaseURL: "http://127.0.0.1:1", APIKey: fuzzKey, TeamID: "team_1", HTTPClient: hc, Timeout: 5 * time.Second})
}

func FuzzModeratelyResponse(f *testing.F) {
	fuzzhttp.Responses(f, fuzzKey, newClient, "mde_1", "exe_1")
}

func FuzzModeratelyError(f *testing.F) { fuzzhttp.Errors(f, fuzzKey, newClient) }
