package moderatelysim

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/moderately"
	"github.com/agentop/agentop/api/sim/simhttp"
)

func query(t *testing.T, raw string) url.Values {
	q, err := url.ParseQuery(raw)
	require.NoError(t, err)
	return q
}

// TestTheFaçadeAnswersEveryRecordedRequest replays each request the
// vendor's Python SDK sent (../testdata/wire/moderately-requests.txt) —
// its snake_case parameters and bodies included — with the recording's
// ids replaced by the fleet's, and expects the status it was answered
// with.
func TestTheFaçadeAnswersEveryRecordedRequest(t *testing.T) {
	f := newFixture(t, simhttp.Faults{})
	active, err := f.c.ListExecutions(ctx, api.ExecutionQuery{Kind: moderately.KindAgent, Statuses: []api.Status{api.StatusRunning}, PageSize: 100})
	require.NoError(t, err)
	require.NotEmpty(t, active.Items)
	swap := strings.NewReplacer("team_1", f.team, "agt_1", active.Items[0].AgentID, "aexec_1", active.Items[0].ID)

	file, err := os.Open("../testdata/wire/moderately-requests.txt")
	require.NoError(t, err)
	defer file.Close()
	type rec struct{ call, method, path, query, body, status string }
	var recs []rec
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "=== "):
			recs = append(recs, rec{call: line[4:]})
		case len(recs) == 0:
		case recs[len(recs)-1].method == "" && (strings.HasPrefix(line, "GET ") || strings.HasPrefix(line, "POST ")):
			r := &recs[len(recs)-1]
			r.method, r.path, _ = strings.Cut(line, " ")
		case strings.HasPrefix(line, "  raw query: "):
			recs[len(recs)-1].query = strings.TrimPrefix(line, "  raw query: ")
		case strings.HasPrefix(line, "  body: "):
			recs[len(recs)-1].body = strings.TrimPrefix(line, "  body: ")
		case strings.HasPrefix(line, "  -> answered "):
			recs[len(recs)-1].status = strings.TrimPrefix(line, "  -> answered ")
		}
	}
	require.NoError(t, sc.Err())
	require.Len(t, recs, 11)
	for _, r := range recs {
		t.Run(r.call, func(t *testing.T) {
			var body io.Reader
			if r.body != "" {
				body = strings.NewReader(swap.Replace(r.body))
			}
			req, err := http.NewRequest(r.method, f.srv.URL+swap.Replace(r.path)+"?"+swap.Replace(r.query), body)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+f.key)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", "moderatelyai-python/0.1.0")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			want, _ := strconv.Atoi(r.status)
			require.Equal(t, want, resp.StatusCode, "%s", data)
			var got map[string]any
			if json.Unmarshal(data, &got) != nil {
				var arr []any
				require.NoError(t, json.Unmarshal(data, &arr), "%s", data)
				return
			}
			switch {
			case resp.StatusCode >= 400:
				e, _ := got["error"].(map[string]any)
				require.NotNil(t, e, "the nested error shape: %s", data)
				assert.NotEmpty(t, e["code"])
				assert.NotEmpty(t, e["message"])
				assert.NotEmpty(t, e["timestamp"])
			case strings.HasSuffix(r.path, "-executions") && r.method == "GET":
				items, _ := got["items"].([]any)
				p, _ := got["pagination"].(map[string]any)
				require.NotNil(t, p)
				assert.NotEmpty(t, items, "the SDK's filters select something: %s", r.query)
				for _, it := range items {
					m := it.(map[string]any)
					if s := query(t, r.query).Get("status"); s != "" {
						assert.Equal(t, s, m["status"])
					}
				}
			case r.method == "POST" && strings.HasSuffix(r.path, "/cancel"):
				assert.Equal(t, "cancelled", got["status"])
			case r.method == "POST":
				assert.Equal(t, "pending", got["status"])
				in, _ := got["agentInput"].(map[string]any)
				assert.Equal(t, "hi", in["message"], "the SDK's input_data is the input")
				assert.Equal(t, "hi", got["agentInputSummary"])
			}
		})
	}
}
