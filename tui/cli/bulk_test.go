package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
)

// executions returns the ids of the engine's executions in status s.
func (f *fleet) ids(t *testing.T, s api.Status) []string {
	t.Helper()
	page, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{s}, PageSize: 100})
	require.NoError(t, err)
	var out []string
	for _, x := range page.Items {
		out = append(out, x.ID)
	}
	return out
}

func TestBulkByIDs(t *testing.T) {
	f := newFleet(t)
	running := f.ids(t, api.StatusRunning)
	require.GreaterOrEqual(t, len(running), 2)
	done := f.execution(t, api.StatusCompleted)
	i := inv{env: f.env(t)}

	// Without a terminal, several executions need --yes; nothing changes.
	r := i.run(t, "pause", running[0][:8], running[1][:8])
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "pause 2 executions needs confirmation: pass --yes")
	assert.Equal(t, api.StatusRunning, f.status(t, running[0]))

	// A line per execution and a summary.
	r = i.run(t, "pause", running[0][:8], running[1], "--yes")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "Paused execution "+running[0]+".\n")
	assert.Contains(t, r.out, "Paused execution "+running[1]+".\n")
	assert.True(t, strings.HasSuffix(r.out, "Paused 2 executions.\n"), r.out)
	assert.Equal(t, api.StatusPaused, f.status(t, running[0]))
	assert.Equal(t, api.StatusPaused, f.status(t, running[1]))

	// One fails: its line on stderr, the others done, exit non-zero.
	r = i.run(t, "resume", running[0], done.ID, running[1], "--yes", "-o", "json")
	assert.Equal(t, exitError, r.code, r)
	var out []ActionOutput
	require.NoError(t, decodeJSON(r.out, &out), r.String())
	require.Len(t, out, 3)
	assert.Equal(t, ActionOutput{Action: "resume", Target: "execution", ID: running[0]}, out[0], "in the order given")
	assert.Equal(t, done.ID, out[1].ID)
	assert.Contains(t, out[1].Error, "resume execution "+done.ID)
	assert.Empty(t, out[2].Error)
	assert.Contains(t, r.err, "agentop: resumed 2 of 3 executions; 1 failed\n")
	assert.Equal(t, api.StatusRunning, f.status(t, running[0]))
	assert.Equal(t, api.StatusRunning, f.status(t, running[1]))

	r = i.run(t, "pause", running[0], "zz", "--yes")
	assert.Equal(t, exitNotFound, r.code, "a prefix that names nothing is tried as an id, and is not found: %s", r)
	assert.Contains(t, r.err, "agentop: paused 1 of 2 executions; 1 failed\n")
	assert.Equal(t, api.StatusPaused, f.status(t, running[0]))

	// An ambiguous prefix stops everything before anything changes.
	prefix, _ := f.sharedPrefix(t)
	r = i.run(t, "resume", running[0], prefix, "--yes")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Equal(t, api.StatusPaused, f.status(t, running[0]))

	for _, bad := range [][]string{
		{"pause"}, {"pause", running[0], "--status", "running"}, {"cancel", running[0], running[1], "--limit", "3"},
		{"pause", "--agent", "Permit", "--limit", "0"},
	} {
		r := i.run(t, bad...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", bad, r)
	}
}

func TestBulkConfirmsOnATerminal(t *testing.T) {
	f := newFleet(t)
	waiting := f.execution(t, api.StatusPausedByAgent)
	running := f.ids(t, api.StatusRunning)

	// The question lists how many and which; "no" changes nothing.
	r := inv{env: f.env(t), term: &fakeTerm{stdin: true}, stdin: "n\n"}.run(t, "cancel", waiting.ID[:8], running[0][:8])
	assert.Equal(t, exitError, r.code, r)
	assert.Contains(t, r.err, waiting.ID)
	assert.Contains(t, r.err, waiting.AgentName)
	assert.Contains(t, r.err, "paused_by_agent")
	assert.Contains(t, r.err, running[0])
	assert.Contains(t, r.err, "Cancel 2 executions? [y/N]")
	assert.Equal(t, api.StatusPausedByAgent, f.status(t, waiting.ID))

	r = inv{env: f.env(t), term: &fakeTerm{stdin: true}, stdin: "y\n"}.run(t, "cancel", waiting.ID[:8], running[0][:8])
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, api.StatusCancelled, f.status(t, waiting.ID))
	assert.Equal(t, api.StatusCancelled, f.status(t, running[0]))
}

func TestBulkBySelectors(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}
	running := f.ids(t, api.StatusRunning)
	x, err := f.e.Execution(running[0])
	require.NoError(t, err)

	// --agent alone selects what the action applies to: running ones to pause.
	r := i.run(t, "pause", "--agent", x.AgentName, "--yes")
	require.Equal(t, 0, r.code, r)
	assert.Contains(t, r.out, "Paused execution "+x.ID+".")
	assert.Equal(t, api.StatusPaused, f.status(t, x.ID))
	for _, id := range running[1:] {
		if y, _ := f.e.Execution(id); y.AgentID != x.AgentID {
			assert.Equal(t, api.StatusRunning, y.Status, "another agent's execution is left alone")
		}
	}

	// Nothing selected: said, and nothing to do.
	r = i.run(t, "pause", "--agent", x.AgentName, "--yes")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, "agentop: no executions to pause\n", r.err)

	// --status, paged on the server, at most --limit: the newest first.
	r = i.run(t, "resume", "--status", "paused", "--yes")
	require.Equal(t, 0, r.code, r)
	assert.Equal(t, api.StatusRunning, f.status(t, x.ID))
	r = i.run(t, "cancel", "--status", "running", "--limit", "1", "--yes", "-o", "json")
	require.Equal(t, 0, r.code, r)
	var out []ActionOutput
	require.NoError(t, decodeJSON(r.out, &out))
	assert.Len(t, out, 1)
	assert.Contains(t, r.err, "more than 1 executions match")
}

func TestBulkIsBoundedAndPaged(t *testing.T) {
	f := newFleet(t)
	var (
		mu             sync.Mutex
		inFlight, most int
		lists          []string
	)
	inner := asteroidsim.NewHandler(f.e, asteroidsim.HandlerOptions{APIKey: testKey})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/executions") {
			mu.Lock()
			lists = append(lists, r.URL.RawQuery)
			mu.Unlock()
		}
		if r.Method == http.MethodPost {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	env := f.env(t)
	env[envBaseURL] = srv.URL

	// Cancelling what has ended is refused for each: all fail alike.
	r := inv{env: env}.run(t, "cancel", "--status", "completed", "--limit", "150", "--yes")
	assert.NotEqual(t, 0, r.code, r)
	assert.Contains(t, r.err, "cancelled 0 of 68 executions; 68 failed")
	assert.Equal(t, 68, strings.Count(r.err, "agentop: cancel execution "))
	assert.LessOrEqual(t, most, bulkConcurrency)
	require.NotEmpty(t, lists)
	for _, q := range lists {
		assert.Contains(t, q, "status=completed", "selected on the server")
	}
}

func decodeJSON(s string, v any) error { return json.Unmarshal([]byte(s), v) }
