package archastrosim_test

import (
	"bufio"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api/archastro/archastrosim"
	"github.com/agentop/agentop/api/sim"
)

// recorded is one request of wire/archastro-requests.txt.
type recorded struct {
	title, method, path, rawQuery, body string
	publishable                         bool
	status                              int
}

// readRecorded parses the log of what the official SDK sent.
func readRecorded(t *testing.T) []recorded {
	t.Helper()
	fh, err := os.Open("../testdata/archastro-requests.txt")
	require.NoError(t, err)
	defer fh.Close()
	var out []recorded
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "=== "):
			out = append(out, recorded{title: line[4:]})
		case len(out) == 0:
		case out[len(out)-1].method == "" && (strings.HasPrefix(line, "GET ") || strings.HasPrefix(line, "POST ")):
			out[len(out)-1].method, out[len(out)-1].path, _ = strings.Cut(line, " ")
		case strings.HasPrefix(trimmed, "raw query: "):
			out[len(out)-1].rawQuery = strings.TrimPrefix(trimmed, "raw query: ")
		case strings.HasPrefix(trimmed, "body: "):
			out[len(out)-1].body = strings.TrimPrefix(trimmed, "body: ")
		case strings.HasPrefix(trimmed, "headers: "):
			out[len(out)-1].publishable = strings.Contains(trimmed, "x-archastro-api-key: pk_")
		case strings.HasPrefix(trimmed, "-> answered "):
			out[len(out)-1].status, _ = strconv.Atoi(strings.Fields(strings.TrimPrefix(trimmed, "-> answered "))[0])
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// The façade answers every request the SDK was recorded sending, as the
// recording's server did, once the fixture ids are the façade's.
func TestFacadeAnswersTheRecordedRequests(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 3}, archastrosim.HandlerOptions{})
	var sessions struct {
		Data []struct {
			ID, Agent, Status, Trajectory string
		} `json:"data"`
	}
	f.do("GET", "/api/v1/agent_sessions?status[]=waiting", nil).json(t, &sessions)
	require.NotEmpty(t, sessions.Data)
	var agents struct{ Data []struct{ ID string } }
	f.do("GET", "/api/v1/agents?page_size=100", nil).json(t, &agents)
	var runs struct {
		Data         []struct{ ID string }
		BeforeCursor string `json:"before_cursor"`
	}
	f.do("GET", "/api/v1/agent_routine_runs?limit=1", nil).json(t, &runs)
	var feed struct {
		BeforeCursor string `json:"before_cursor"`
	}
	f.do("GET", "/api/v1/activity_feed?limit=1", nil).json(t, &feed)
	require.NotEmpty(t, feed.BeforeCursor)
	s := sessions.Data[0]
	ids := strings.NewReplacer("ase_1", s.ID, "agi_1", agents.Data[0].ID, "agi_2", agents.Data[1].ID,
		"arr_1", runs.Data[0].ID, "trj_1", s.Trajectory, "cor_1", "cor_"+strings.TrimPrefix(s.ID, "ase_"))

	reqs := readRecorded(t)
	require.Len(t, reqs, 18, "the recording has 18 requests")
	for _, r := range reqs {
		path := ids.Replace(r.path)
		q := ids.Replace(r.rawQuery)
		if vals, err := url.ParseQuery(q); err == nil && vals.Get("before_cursor") == "c1" {
			vals.Set("before_cursor", feed.BeforeCursor)
			q = vals.Encode()
		}
		if q != "" {
			path += "?" + q
		}
		var body any
		if r.body != "" {
			body = rawJSON(ids.Replace(r.body))
		}
		var header []string
		if r.publishable {
			header = []string{"x-archastro-api-key", archastrosim.PublishableKey(f.key), "Authorization", "Bearer " + archastrosim.JWTFor(f.key)}
		}
		if strings.HasSuffix(r.path, "/stream") {
			header = append(header, "Accept", "text/event-stream")
		}
		got := f.do(r.method, path, body, header...)
		assert.Equal(t, r.status, got.status, "%s\n%s %s\n%s", r.title, r.method, path, got.body)
		if strings.HasSuffix(r.path, "/stream") {
			assert.Contains(t, string(got.body), "event: session_update\ndata: {")
		}
	}
}

// rawJSON is a body sent as is.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }
