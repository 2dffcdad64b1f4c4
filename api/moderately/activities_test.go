package moderately

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
)

const execWithThoughts = `{"agentExecutionId":"aexec_1","agentConfigurationVersionId":"acv_1","status":"running",
 "createdAt":"2024-01-19T09:59:50Z","thoughts":[
  {"text":"I should search first","createdAt":"2024-01-19T10:00:01Z"},
  {"text":"Only in thoughts","createdAt":"2024-01-19T10:00:02Z"}]}`

const bothCasings = `{"execution":{"agentExecutionId":"aexec_1","status":"running"},"steps":[
 {"stepType":"task","task":"Find the FDA rules","startedAt":"2024-01-19T10:00:00Z"},
 {"step_type":"thought","thought":"I should search first","started_at":"2024-01-19T10:00:01Z"},
 {"stepType":"code","code":"search('fda class II')","startedAt":"2024-01-19T10:00:03Z","endedAt":"2024-01-19T10:00:04Z"},
 {"step_type":"observation","observation":{"text":"3 results"},"started_at":"2024-01-19T10:00:04Z"},
 {"stepType":"plan","plan":"1. read 2. summarise","summary":"Two-step plan","startedAt":"2024-01-19T10:00:05Z"},
 {"step_type":"fact","facts":["Class II needs 510(k)","Deadline 2025"],"started_at":"2024-01-19T10:00:06Z"},
 {"stepType":"system","system":"Memory compacted","startedAt":"2024-01-19T10:00:07Z"},
 {"step_type":"final_answer","final_answer":{"type":"final_answer","output":"Use the 510(k) route"},"started_at":"2024-01-19T10:00:08Z"}
]}`

func feedFake(t *testing.T, exec, tail string) *fake {
	f := newFake(t)
	f.json("GET /agent-executions/aexec_1", 200, exec)
	f.json("GET /agent-executions/aexec_1/live-tail", 200, tail)
	f.json("GET /agent-configuration-versions", 200, `[]`)
	return f
}

func TestFeedReadsBothCasingsEveryStepTypeAndThoughtsOnce(t *testing.T) {
	f := feedFake(t, execWithThoughts, bothCasings)
	acts, err := f.client(t).Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	var lines []string
	var kinds []api.ActivityKind
	for _, a := range acts {
		lines = append(lines, a.Text)
		kinds = append(kinds, a.Kind)
		assert.Equal(t, "aexec_1", a.ExecutionID)
		assert.False(t, a.Time.IsZero(), a.Text)
	}
	assert.Equal(t, []string{
		"Task: Find the FDA rules",
		"I should search first",
		"Only in thoughts",
		"Code: search('fda class II')",
		"Observation: 3 results",
		"Plan: Two-step plan",
		"Facts: Class II needs 510(k) Deadline 2025",
		"System: Memory compacted",
		"Final answer: Use the 510(k) route",
	}, lines, "the thought that is also a step is shown once")
	assert.Equal(t, []api.ActivityKind{api.KindGeneric, api.KindReasoning, api.KindReasoning, api.KindActionStarted,
		api.KindActionCompleted, api.KindReasoning, api.KindReasoning, api.KindGeneric, api.KindTerminal}, kinds)
	assert.Equal(t, "1. read 2. summarise", acts[5].Message, "the full payload stays in Message")
}

func TestStepIDsAreStableAcrossReadsAndGrowth(t *testing.T) {
	f := feedFake(t, execWithThoughts, bothCasings)
	c := f.client(t)
	first, err := c.Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	grown := bothCasings[:len(bothCasings)-2] + `,{"stepType":"system","system":"Memory compacted","startedAt":"2024-01-19T10:00:09Z"}]}`
	f.json("GET /agent-executions/aexec_1/live-tail", 200, grown)
	second, err := c.Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, second, len(first)+1)
	ids := map[string]bool{}
	for _, a := range second {
		assert.False(t, ids[a.ID], "duplicate id %s", a.ID)
		ids[a.ID] = true
	}
	for _, a := range first {
		assert.True(t, ids[a.ID], "%q got a new id on the second read", a.Text)
	}
}

func TestIdenticalStepsGetDistinctIDs(t *testing.T) {
	tail := `{"steps":[{"stepType":"code","code":"x()"},{"stepType":"code","code":"x()"}]}`
	f := feedFake(t, `{"agentExecutionId":"aexec_1","status":"running","createdAt":"2024-01-19T09:59:50Z"}`, tail)
	acts, err := f.client(t).Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, acts, 2)
	assert.NotEqual(t, acts[0].ID, acts[1].ID)
	assert.False(t, acts[1].Time.IsZero(), "a step without times takes the one before's")
}

func TestTheSpecsExampleShapeIsReadToo(t *testing.T) {
	f := feedFake(t, `{"agentExecutionId":"aexec_1","status":"running"}`, spec(t, "live-tail.json"))
	acts, err := f.client(t).Activities(context.Background(), "aexec_1", api.ActivityQuery{Order: api.SortDesc, Limit: 1})
	require.NoError(t, err)
	require.Len(t, acts, 1, "newest first, limited")
	assert.Equal(t, "Tool call: web_search", acts[0].Text)
	assert.Contains(t, acts[0].Message, "Result 1")
}

func TestAnEndedExecutionEndsItsFeed(t *testing.T) {
	exec := `{"agentExecutionId":"aexec_1","status":"failed","createdAt":"2024-01-19T09:59:50Z","failedAt":"2024-01-19T10:01:00Z","failureReason":"portal down"}`
	f := feedFake(t, exec, `{"steps":[]}`)
	acts, err := f.client(t).Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, acts, 1)
	assert.Equal(t, api.KindStatusChanged, acts[0].Kind)
	assert.Equal(t, api.StatusFailed, acts[0].Status)
	assert.Equal(t, "Execution failed: portal down", acts[0].Text)
}

func TestPipelineFeedFollowsProgress(t *testing.T) {
	f := newFake(t)
	f.json("GET /agent-executions/p1", 404, `{"error":{"message":"not found"}}`)
	f.json("GET /pipeline-executions/p1", 200, `{"pipelineExecutionId":"p1","status":"running","currentStep":2,"totalSteps":5,
		"createdAt":"2024-01-15T10:45:00Z","startedAt":"2024-01-15T10:45:01Z","updatedAt":"2024-01-15T10:46:00Z"}`)
	acts, err := f.client(t).Activities(context.Background(), "p1", api.ActivityQuery{})
	require.NoError(t, err)
	require.Len(t, acts, 2)
	assert.Equal(t, "Pipeline started", acts[0].Text)
	assert.Equal(t, "Step 2 of 5", acts[1].Text)
}

func TestARereadStepKeepsItsIDAndAChangedOneIsNew(t *testing.T) {
	tail := `{"steps":[{"stepType":"code","code":"x()"},{"stepType":"code","code":"x()"},{"stepType":"observation","observation":"ok","startedAt":"2024-01-19T10:00:04Z"}]}`
	f := feedFake(t, `{"agentExecutionId":"aexec_1","status":"running","createdAt":"2024-01-19T09:59:50Z"}`, tail)
	c := f.client(t)
	first, err := c.Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	again, err := c.Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	assert.Equal(t, first, again, "read from what was parsed before, the same")
	require.Len(t, again, 3)
	assert.NotEqual(t, again[0].ID, again[1].ID, "identical steps stay apart")

	f.json("GET /agent-executions/aexec_1/live-tail", 200, strings.Replace(tail, `"observation":"ok"`, `"observation":"ok, 3 rows"`, 1))
	changed, err := c.Activities(context.Background(), "aexec_1", api.ActivityQuery{})
	require.NoError(t, err)
	assert.Equal(t, first[:2], changed[:2])
	assert.NotEqual(t, first[2].ID, changed[2].ID)
	assert.Equal(t, "Observation: ok, 3 rows", changed[2].Text)
}
