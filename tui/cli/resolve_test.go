package cli

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/asteroidsim"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// requestLog records the requests a server got, "METHOD path?query".
type requestLog struct {
	mu   sync.Mutex
	list []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.list = append(l.list, r.Method+" "+r.URL.RequestURI())
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.list)
}

// recorded serves the fleet again, recording the requests.
func (f *fleet) recorded(t *testing.T) (map[string]string, *requestLog) {
	log := &requestLog{}
	srv := httptest.NewServer(log.wrap(asteroidsim.NewHandler(f.e, asteroidsim.HandlerOptions{APIKey: testKey})))
	t.Cleanup(srv.Close)
	env := f.env(t)
	env[envBaseURL] = srv.URL
	return env, log
}

// sharedPrefix finds two executions whose ids start alike, and that start.
func (f *fleet) sharedPrefix(t *testing.T) (string, []string) {
	t.Helper()
	page, err := f.e.Executions(api.ExecutionQuery{PageSize: 100})
	require.NoError(t, err)
	by := map[string][]string{}
	for _, x := range page.Items {
		by[x.ID[:2]] = append(by[x.ID[:2]], x.ID)
	}
	for p, ids := range by {
		if len(ids) >= 2 {
			return p, ids
		}
	}
	t.Fatal("no two ids share a prefix")
	return "", nil
}

func TestExecutionIDPrefixes(t *testing.T) {
	f := newFleet(t)
	waiting := f.execution(t, api.StatusPausedByAgent)
	env, log := f.recorded(t)
	i := inv{env: env}
	short := waiting.ID[:8] // as the dashboard shows it

	// Every command that takes an execution accepts a unique start of its id.
	var got ExecutionOutput
	decode(t, i.run(t, "executions", "get", short, "-o", "json"), &got)
	assert.Equal(t, waiting.ID, got.ID)
	for _, args := range [][]string{
		{"activities", short, "-n", "3"},
		{"wait", strings.ToUpper(short), "--for", "interaction"},
		{"files", short},
		{"executions", "get", short + "…"},
		{"reply", short, "Use the payroll account"},
	} {
		r := i.run(t, args...)
		assert.Equal(t, 0, r.code, "%v: %s", args, r)
	}
	acts, err := f.e.Activities(waiting.ID, api.ActivityQuery{Order: api.SortDesc, Limit: 5})
	require.NoError(t, err)
	assert.True(t, hasMessage(acts, "Use the payroll account"), "the reply reached the execution the prefix names")

	// Resolved on the server, by its partial id filter: never a listing of
	// the whole fleet.
	for _, req := range log.all() {
		if strings.HasPrefix(req, "GET /agents/v2/executions?") {
			assert.Contains(t, strings.ToLower(req), "executionid="+short, "a listing of executions without the id filter: %s", req)
		}
	}

	// A full id needs no look-up.
	before := len(log.all())
	r := i.run(t, "executions", "get", waiting.ID)
	require.Equal(t, 0, r.code, r)
	assert.Len(t, log.all(), before+1)

	// Ambiguous: exit 2, listing the matches with their agents.
	prefix, ids := f.sharedPrefix(t)
	r = i.run(t, "executions", "get", prefix)
	assert.Equal(t, exitUsage, r.code, r)
	for _, id := range ids {
		assert.Contains(t, r.err, id)
	}
	assert.Contains(t, r.err, "give more of the id")
	assert.Empty(t, r.out)
	r = i.run(t, "pause", prefix)
	assert.Equal(t, exitUsage, r.code, r)

	// None: not found.
	r = i.run(t, "executions", "get", "zzzz")
	assert.Equal(t, exitNotFound, r.code, r)
	r = i.run(t, "cancel", "zzzz", "--yes")
	assert.Equal(t, exitNotFound, r.code, r)
}

func TestAmbiguousMatchesAreSanitised(t *testing.T) {
	var mu sync.Mutex
	var filters []string
	url := stub(t, map[string]http.HandlerFunc{
		"GET /executions": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			filters = append(filters, r.URL.Query().Get("executionId"))
			mu.Unlock()
			jsonReply(w, http.StatusOK, wire.Page[wire.Execution]{Items: []wire.Execution{
				{ID: "ab12", AgentName: wire.String("Evil\x1b[31m red\x1b]0;pwned\x07"), Status: "running"},
				{ID: "ab34", AgentName: wire.String("Other\u202eagent"), Status: "paused"},
				{ID: "cab5", AgentName: "contains ab, does not start with it", Status: "running"},
			}, Page: 1, PageSize: 100, Total: 3})
		},
	})
	r := inv{env: map[string]string{"HOME": t.TempDir(), envBaseURL: url, envAPIKey: testKey}}.run(t, "executions", "get", "ab")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, `"ab" names 2 executions: ab12 (Evil`)
	assert.Contains(t, r.err, "ab34 (Other")
	assert.NotContains(t, r.err, "cab5")
	assert.NotContains(t, r.err, "\x1b")
	assert.NotContains(t, r.err, "\u202e")
	assert.NotContains(t, r.err, "\x07")
	assert.Equal(t, []string{"ab"}, filters)
}

func TestNamesOfAgentsProfilesAndPools(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}
	permit := f.agentNamed(t, "Permit Status Tracker")

	// An agent by the unique start of its name; ambiguous ones listed.
	var started ExecuteOutput
	decode(t, i.run(t, "execute", "permit", "--profile", "ops-general", "-o", "json"), &started)
	assert.Equal(t, permit.ID, started.AgentID)
	x, err := f.e.Execution(started.ExecutionID)
	require.NoError(t, err)
	assert.Equal(t, "ops-general", x.ProfileName, "the profile by name")
	decode(t, i.run(t, "execute", "permit", "--pool", "eu-fin", "-o", "json"), &started)
	x, err = f.e.Execution(started.ExecutionID)
	require.NoError(t, err)
	assert.NotEmpty(t, x.ProfileID, "a profile drawn from the pool named by the start of its name")

	r := i.run(t, "executions", "list", "--agent", "B", "-o", "json")
	assert.Equal(t, exitUsage, r.code, r)
	assert.Contains(t, r.err, "(Bank Statement Exporter)")
	assert.Contains(t, r.err, "(Benefits Eligibility")
	r = i.run(t, "execute", "Nobody")
	assert.Equal(t, exitNotFound, r.code, r)

	// Profiles by name or a unique start of id or name.
	profiles, err := f.e.Profiles("")
	require.NoError(t, err)
	var p ProfileOutput
	for _, ref := range []string{"ops-general", "OPS-GEN", profileNamed(t, profiles, "ops-general").ID[:6]} {
		decode(t, i.run(t, "profiles", "get", ref, "-o", "json"), &p)
		assert.Equal(t, "ops-general", p.Name, ref)
	}
	r = i.run(t, "profiles", "get", "ap-team-eu", "-o", "json")
	require.Equal(t, 0, r.code, r)
	r = inv{env: f.env(t)}.run(t, "profiles", "delete", "broker", "--yes")
	require.Equal(t, 0, r.code, r)
	_, err = f.e.Profile(profileNamed(t, profiles, "broker-uk-residential").ID)
	assert.Error(t, err, "deleted by the start of its name")

	// Pools by name; two pools end in -finance / -ops, both contain "ops".
	var pool PoolOutput
	decode(t, i.run(t, "pools", "get", "us-ops", "-o", "json"), &pool)
	assert.Equal(t, "us-ops", pool.Name)
	decode(t, i.run(t, "pools", "get", "eu", "-o", "json"), &pool)
	assert.Equal(t, "eu-finance", pool.Name)
}

func profileNamed(t *testing.T, ps []sim.Profile, name string) sim.Profile {
	t.Helper()
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no profile %q", name)
	return sim.Profile{}
}
