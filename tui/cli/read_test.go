package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

func TestAgentsList(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	var agents []AgentOutput
	decode(t, i.run(t, "agents", "list", "-o", "json"), &agents)
	require.Len(t, agents, 10)
	for _, a := range agents {
		assert.NotEmpty(t, a.ID)
		assert.NotEmpty(t, a.Name)
		assert.NotEmpty(t, a.OrganizationID)
		assert.False(t, a.CreatedAt.IsZero())
	}
	assert.True(t, strings.Compare(agents[0].Name, agents[1].Name) < 0, "sorted by name")

	decode(t, i.run(t, "agents", "list", "--search", "invoice", "-o", "json"), &agents)
	require.Len(t, agents, 1)
	assert.Equal(t, "Invoice Downloader — Northwind Supply", agents[0].Name)

	decode(t, i.run(t, "agents", "ls", "--limit", "3", "-o", "json"), &agents)
	assert.Len(t, agents, 3)

	r := i.run(t, "agents", "list")
	require.Equal(t, 0, r.code, r)
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	assert.Len(t, lines, 11)
	assert.Regexp(t, `^ID\s+NAME\s+CREATED\s+DESCRIPTION$`, lines[0])
	assert.Contains(t, r.out, "Home Insurance Quote Filler")

	r = i.run(t, "agents", "list", "--search", "zzz-nothing")
	assert.Equal(t, 0, r.code, r)
	assert.Empty(t, r.out)
	assert.Equal(t, "agentop: no agents found\n", r.err)

	r = i.run(t, "agents", "list", "--limit", "0")
	assert.Equal(t, exitUsage, r.code, r)
}

func TestExecutionsList(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	var all []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--limit", "500", "-o", "json"), &all)
	require.Greater(t, len(all), 50, "more than the default limit exist")
	for k := 1; k < len(all); k++ {
		assert.False(t, all[k].CreatedAt.After(all[k-1].CreatedAt), "newest first")
	}
	e := all[0]
	assert.NotEmpty(t, e.ID)
	assert.NotEmpty(t, e.AgentID)
	assert.NotEmpty(t, e.AgentName)
	assert.NotNil(t, e.Metadata)
	assert.NotNil(t, e.Labels)

	var page []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "-o", "json"), &page)
	assert.Len(t, page, defaultLimit)

	// Statuses: repeatable and comma-separated.
	decode(t, i.run(t, "executions", "list", "--status", "paused_by_agent", "--status", "running,STARTING", "-o", "json"), &page)
	require.NotEmpty(t, page)
	for _, e := range page {
		assert.Contains(t, []string{"paused_by_agent", "running", "starting"}, e.Status)
	}

	// Agent by exact name (case-insensitive) and by id.
	decode(t, i.run(t, "executions", "list", "--agent", "permit status tracker", "-o", "json"), &page)
	require.NotEmpty(t, page)
	for _, e := range page {
		assert.Equal(t, "Permit Status Tracker", e.AgentName)
	}
	var byID []ExecutionOutput
	decode(t, i.run(t, "executions", "list", "--agent", page[0].AgentID, "-o", "json"), &byID)
	assert.Equal(t, len(page), len(byID))

	// --since, relative to the wall clock: the simulated fleet is in 2026-03,
	// so an RFC 3339 time before it keeps all and "1h" keeps none.
	decode(t, i.run(t, "executions", "list", "--since", "2026-03-02T08:30:00Z", "--limit", "500", "-o", "json"), &page)
	require.NotEmpty(t, page)
	for _, e := range page {
		assert.True(t, e.CreatedAt.After(time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)))
	}
	assert.Less(t, len(page), len(all))

	r := i.run(t, "executions", "list", "--status", "paused_by_agent")
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^ID\s+AGENT\s+STATUS\s+CREATED\s+DURATION\s+OUTCOME$`, r.out)
	assert.Contains(t, r.out, "paused_by_agent")

	for _, bad := range [][]string{
		{"--status", "not a status"}, {"--since", "yesterday"}, {"--limit", "-1"}, {"--since", "-5m"},
	} {
		r := i.run(t, append([]string{"executions", "list"}, bad...)...)
		assert.Equal(t, exitUsage, r.code, r)
		assert.True(t, strings.HasPrefix(r.err, "agentop: "), r.err)
		assert.Contains(t, r.err, "(see 'agentop executions list --help')")
		assert.Equal(t, 1, strings.Count(r.err, "\n"), "one line")
	}

	r = i.run(t, "executions", "list", "--agent", "Nobody Agent")
	assert.Equal(t, exitNotFound, r.code, r)
	assert.Equal(t, "agentop: find agent \"Nobody Agent\": not found: no agent has this ID or name\n", r.err)
}

func TestExecutionsGet(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}
	done := f.execution(t, api.StatusCompleted)

	var e ExecutionOutput
	decode(t, i.run(t, "executions", "get", done.ID, "-o", "json"), &e)
	assert.Equal(t, done.ID, e.ID)
	assert.Equal(t, "completed", e.Status)
	assert.True(t, e.Terminal)
	require.NotNil(t, e.Result)
	assert.NotEmpty(t, e.Result.Outcome)
	assert.Greater(t, e.DurationSeconds, 0.0)
	assert.False(t, e.TerminalAt.IsZero())

	// The raw JSON has the documented field names.
	r := i.run(t, "executions", "get", done.ID, "-o", "json")
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.out), &raw))
	for _, k := range []string{"id", "agentId", "agentName", "status", "terminal", "createdAt", "result", "metadata", "labels"} {
		assert.Contains(t, raw, k)
	}

	r = i.run(t, "executions", "get", done.ID)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^ID:\s+`+done.ID+`$`, r.out)
	assert.Regexp(t, `(?m)^Status:\s+completed$`, r.out)
	assert.Regexp(t, `(?m)^Outcome:\s+`, r.out)

	running := f.execution(t, api.StatusRunning)
	var re ExecutionOutput
	decode(t, i.run(t, "executions", "get", running.ID, "-o", "json"), &re)
	assert.Nil(t, re.Result)
	assert.Zero(t, re.DurationSeconds)
	assert.False(t, re.Terminal)

	r = i.run(t, "executions", "get", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitNotFound, r.code, r)
	assert.True(t, strings.HasPrefix(r.err, "agentop: get execution 00000000-0000-4000-8000-000000000000: not found (HTTP 404)"), r.err)

	r = i.run(t, "executions", "get")
	assert.Equal(t, exitUsage, r.code)
	assert.Equal(t, "agentop: missing ID (see 'agentop executions get --help')\n", r.err)
	r = i.run(t, "executions", "get", "a", "b")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.err, `unexpected argument "b"`)
}

func TestActivities(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}
	done := f.execution(t, api.StatusCompleted)

	var acts []ActivityOutput
	decode(t, i.run(t, "activities", done.ID, "-o", "json"), &acts)
	require.NotEmpty(t, acts)
	for k, a := range acts {
		assert.NotEmpty(t, a.ID)
		assert.Equal(t, done.ID, a.ExecutionID)
		assert.NotEmpty(t, a.Kind)
		assert.Contains(t, []string{"agent", "user", "system"}, a.Actor)
		if k > 0 {
			assert.False(t, a.Time.Before(acts[k-1].Time), "oldest first")
		}
	}
	last := acts[len(acts)-1]
	assert.Equal(t, "status_changed", last.Kind)
	assert.Equal(t, "completed", last.Status)

	var few []ActivityOutput
	decode(t, i.run(t, "activities", done.ID, "-n", "3", "-o", "json"), &few)
	require.Len(t, few, 3)
	assert.Equal(t, acts[len(acts)-3:], few, "the newest three, oldest first")

	r := i.run(t, "activities", done.ID, "-n", "3")
	require.Equal(t, 0, r.code, r)
	lines := strings.Split(strings.TrimSpace(r.out), "\n")
	require.Len(t, lines, 4)
	assert.Regexp(t, `^TIME\s+ACTOR\s+KIND\s+TEXT$`, lines[0])
	assert.Contains(t, lines[3], "status_changed")

	r = i.run(t, "activities", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitNotFound, r.code, r)
	r = i.run(t, "activities", done.ID, "-n", "0")
	assert.Equal(t, exitUsage, r.code, r)
}

func TestFilesAndRecording(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	// An ended execution that downloaded files and was recorded.
	page, err := f.e.Executions(api.ExecutionQuery{Statuses: []api.Status{api.StatusCompleted}, PageSize: 100})
	require.NoError(t, err)
	var withFiles, recorded string
	for _, x := range page.Items {
		if len(x.Files) > 0 && withFiles == "" {
			withFiles = x.ID
		}
		if x.RecordingURL != "" && recorded == "" {
			recorded = x.ID
		}
	}
	require.NotEmpty(t, withFiles)
	require.NotEmpty(t, recorded)

	var files []FileOutput
	decode(t, i.run(t, "files", withFiles, "-o", "json"), &files)
	require.NotEmpty(t, files)
	for _, fl := range files {
		assert.NotEmpty(t, fl.Name)
		assert.NotEmpty(t, fl.URL)
		assert.NotEmpty(t, fl.Directory)
	}
	r := i.run(t, "files", withFiles)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `^NAME\s+DIRECTORY\s+SIZE\s+TYPE\s+CREATED\n`, r.out)
	assert.Contains(t, r.out, files[0].Name)

	var rec RecordingOutput
	decode(t, i.run(t, "recording", recorded, "-o", "json"), &rec)
	assert.Equal(t, recorded, rec.ExecutionID)
	assert.True(t, strings.HasPrefix(rec.URL, "https://"), rec.URL)
	r = i.run(t, "recording", recorded)
	assert.Equal(t, rec.URL+"\n", r.out)

	running := f.execution(t, api.StatusRunning)
	r = i.run(t, "recording", running.ID)
	assert.Equal(t, exitNotFound, r.code, r)
}

func TestPools(t *testing.T) {
	f := newFleet(t)
	i := inv{env: f.env(t)}

	var pools []PoolOutput
	decode(t, i.run(t, "pools", "list", "-o", "json"), &pools)
	require.Len(t, pools, 2)
	assert.Equal(t, "eu-finance", pools[0].Name)
	assert.Equal(t, "least_recently_used", pools[0].SelectionStrategy)
	assert.True(t, pools[1].AllowConcurrentUse)

	decode(t, i.run(t, "pools", "list", "--search", "us", "-o", "json"), &pools)
	require.Len(t, pools, 1)

	var p PoolOutput
	decode(t, i.run(t, "pools", "get", pools[0].ID, "-o", "json"), &p)
	assert.Equal(t, pools[0], p)

	r := i.run(t, "pools", "get", pools[0].ID)
	require.Equal(t, 0, r.code, r)
	assert.Regexp(t, `(?m)^Concurrent use:\s+yes$`, r.out)
	r = i.run(t, "pools", "list")
	assert.Regexp(t, `^ID\s+NAME\s+STRATEGY\s+CONCURRENT\s+UPDATED\n`, r.out)

	r = i.run(t, "pools", "get", "00000000-0000-4000-8000-000000000000")
	assert.Equal(t, exitNotFound, r.code, r)
}
