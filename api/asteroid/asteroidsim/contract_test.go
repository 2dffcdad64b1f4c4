package asteroidsim

// Contract tests: agentop's own Asteroid client against the simulator, over
// HTTP. Every api.Backend method and filter, both activity payload
// generations, and every fault kind surfacing as the right api.ErrorKind.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid"
	"github.com/agentop/agentop/api/asteroid/wire"
	"github.com/agentop/agentop/api/sim"
)

// client returns agentop's client for the fixture.
func (f *fixture) client(opts ...func(*asteroid.Options)) *asteroid.Client {
	f.t.Helper()
	o := asteroid.Options{BaseURL: f.srv.URL, APIKey: f.key}
	for _, fn := range opts {
		fn(&o)
	}
	c, err := asteroid.New(o)
	require.NoError(f.t, err)
	return c
}

// allPages lists every execution matching q through the client.
func allPages(t *testing.T, c *asteroid.Client, q api.ExecutionQuery) []api.Execution {
	t.Helper()
	var out []api.Execution
	for q.Page, q.PageSize = 1, 40; ; q.Page++ {
		p, err := c.ListExecutions(context.Background(), q)
		require.NoError(t, err)
		out = append(out, p.Items...)
		if !p.HasMore() {
			return out
		}
	}
}

// jsonOrNull compacts JSON for comparison; absent and null are the same.
func jsonOrNull(raw json.RawMessage) string {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil {
		return "null"
	}
	return b.String()
}

func ids(xs []api.Execution) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.ID
	}
	return out
}

func TestContractIdentityAndAgents(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	c := f.client()
	ctx := context.Background()
	var b api.Backend = c
	assert.Equal(t, "asteroid", b.Platform())

	uc, err := c.UserContext(ctx)
	require.NoError(t, err)
	assert.Equal(t, f.e.User().ID, uc.UserID)
	assert.Equal(t, f.e.User().Email, uc.Email)
	require.Len(t, uc.Organizations, 1)
	assert.Equal(t, f.e.Organization(), sim.Organization{ID: uc.Organizations[0].ID, Name: uc.Organizations[0].Name})

	p, err := c.ListAgents(ctx, api.AgentQuery{PageSize: 4, Page: 3, SortField: "name", SortDirection: api.SortAsc})
	require.NoError(t, err)
	assert.Equal(t, 10, p.Total)
	assert.Len(t, p.Items, 2)
	assert.False(t, p.HasMore())
	want, err := f.e.Agents(api.AgentQuery{PageSize: 4, Page: 3, SortField: "name", SortDirection: api.SortAsc})
	require.NoError(t, err)
	for i, a := range p.Items {
		assert.Equal(t, want.Items[i].ID, a.ID)
		assert.Equal(t, want.Items[i].Name, a.Name)
		assert.Equal(t, want.Items[i].Description, a.Description)
		assert.True(t, want.Items[i].CreatedAt.Equal(a.CreatedAt))
	}
	p, err = c.ListAgents(ctx, api.AgentQuery{Search: "freight", OrganizationID: f.e.Organization().ID})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	assert.Equal(t, "Freight Rate Shopper", p.Items[0].Name)

	_, err = c.ListAgents(ctx, api.AgentQuery{OrganizationID: "not-ours"})
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
	_, err = c.ListExecutions(ctx, api.ExecutionQuery{OrganizationID: "not-ours"})
	assert.Equal(t, api.KindForbidden, api.KindOf(err), "%v", err)

	bad := f.client(func(o *asteroid.Options) { o.APIKey = "sim_demo_wrong" })
	_, err = bad.ListAgents(ctx, api.AgentQuery{})
	assert.Equal(t, api.KindUnauthorized, api.KindOf(err), "%v", err)
	assert.NotContains(t, err.Error(), "sim_demo_wrong")
}

func TestContractExecutionFilters(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 21}, HandlerOptions{})
	c := f.client()
	all := allPages(t, c, api.ExecutionQuery{})
	total, err := f.e.Executions(api.ExecutionQuery{})
	require.NoError(t, err)
	require.Len(t, all, total.Total)
	sample := all[len(all)/3]
	var labelled, batched api.Execution
	for _, x := range all {
		if labelled.ID == "" && len(x.Labels) > 0 {
			labelled = x
		}
		if batched.ID == "" && x.Metadata["batch"] != "" {
			batched = x
		}
	}
	require.NotEmpty(t, labelled.ID)
	require.NotEmpty(t, batched.ID)

	for _, tc := range []struct {
		name string
		q    api.ExecutionQuery
		want func(api.Execution) bool
	}{
		{"statuses", api.ExecutionQuery{Statuses: []api.Status{api.StatusFailed, api.StatusRunning}},
			func(x api.Execution) bool { return x.Status == api.StatusFailed || x.Status == api.StatusRunning }},
		{"agent", api.ExecutionQuery{AgentID: sample.AgentID}, func(x api.Execution) bool { return x.AgentID == sample.AgentID }},
		{"execution id, partial", api.ExecutionQuery{ExecutionID: strings.ToUpper(sample.ID[:6])},
			func(x api.Execution) bool {
				return strings.HasPrefix(x.ID, sample.ID[:6]) || strings.Contains(x.ID, sample.ID[:6])
			}},
		{"agent version", api.ExecutionQuery{AgentVersion: sample.AgentVersion}, func(x api.Execution) bool { return x.AgentVersion == sample.AgentVersion }},
		{"created after", api.ExecutionQuery{CreatedAfter: sample.CreatedAt}, func(x api.Execution) bool { return x.CreatedAt.After(sample.CreatedAt) }},
		{"created before", api.ExecutionQuery{CreatedBefore: sample.CreatedAt}, func(x api.Execution) bool { return x.CreatedAt.Before(sample.CreatedAt) }},
		{"labels", api.ExecutionQuery{LabelIDs: []string{labelled.Labels[0].ID}},
			func(x api.Execution) bool {
				return slices.ContainsFunc(x.Labels, func(l api.Label) bool { return l.ID == labelled.Labels[0].ID })
			}},
		{"outcome", api.ExecutionQuery{Outcome: "FAIL"}, func(x api.Execution) bool { return x.Result != nil && x.Result.Outcome == "failure" }},
		{"metadata", api.ExecutionQuery{MetadataKey: "batch", MetadataValue: batched.Metadata["batch"]},
			func(x api.Execution) bool { return x.Metadata["batch"] == batched.Metadata["batch"] }},
		{"organization", api.ExecutionQuery{OrganizationID: f.e.Organization().ID}, func(api.Execution) bool { return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, x := range all {
				if tc.want(x) {
					want = append(want, x.ID)
				}
			}
			require.NotEmpty(t, want)
			assert.Equal(t, want, ids(allPages(t, c, tc.q)))
		})
	}

	t.Run("sort", func(t *testing.T) {
		asc := allPages(t, c, api.ExecutionQuery{SortField: "created_at", SortDirection: api.SortAsc})
		rev := ids(all)
		slices.Reverse(rev)
		assert.Equal(t, rev, ids(asc))
		byStatus := allPages(t, c, api.ExecutionQuery{SortField: "status", SortDirection: api.SortDesc})
		assert.True(t, slices.IsSortedFunc(byStatus, func(a, b api.Execution) int { return strings.Compare(string(b.Status), string(a.Status)) }))
	})
	t.Run("invalid", func(t *testing.T) {
		_, err := c.ListExecutions(context.Background(), api.ExecutionQuery{Statuses: []api.Status{"asleep"}})
		assert.Equal(t, api.KindInvalid, api.KindOf(err), "%v", err)
		_, err = c.ListExecutions(context.Background(), api.ExecutionQuery{SortField: "agent"})
		assert.Equal(t, api.KindInvalid, api.KindOf(err), "%v", err)
	})
}

func TestContractGetExecution(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 2}, HandlerOptions{})
	c := f.client()
	ctx := context.Background()
	for _, s := range []api.Status{api.StatusRunning, api.StatusPausedByAgent, api.StatusCompleted, api.StatusFailed} {
		t.Run(string(s), func(t *testing.T) {
			want, err := f.e.Execution(f.find(s))
			require.NoError(t, err)
			got, err := c.GetExecution(ctx, want.ID)
			require.NoError(t, err)
			assert.Equal(t, want.ID, got.ID)
			assert.Equal(t, want.AgentID, got.AgentID)
			assert.Equal(t, want.AgentName, got.AgentName)
			assert.Equal(t, want.AgentVersion, got.AgentVersion)
			assert.Equal(t, want.Status, got.Status)
			assert.Equal(t, want.OrganizationID, got.OrganizationID)
			assert.Equal(t, want.WorkflowID, got.WorkflowID)
			assert.Equal(t, want.ProfileID, got.ProfileID)
			assert.Equal(t, want.ProfileName, got.ProfileName)
			assert.True(t, want.CreatedAt.Equal(got.CreatedAt))
			assert.True(t, want.TerminalAt.Equal(got.TerminalAt))
			assert.Equal(t, want.LiveViewURL, got.LiveViewURL)
			assert.Equal(t, want.RecordingURL, got.RecordingURL)
			assert.Equal(t, want.Metadata, got.Metadata)
			assert.Equal(t, len(want.Labels), len(got.Labels))
			assert.Equal(t, len(want.Comments), len(got.Comments))
			assert.NotEmpty(t, got.Inputs)
			assert.NotEmpty(t, got.Raw)
			if s.IsTerminal() {
				assert.InDelta(t, want.Duration().Seconds(), got.Duration.Seconds(), 0.001)
				require.NotNil(t, got.Result)
				assert.Equal(t, want.Result.Outcome, got.Result.Outcome)
				assert.Equal(t, want.Result.Reasoning, got.Result.Reasoning)
				assert.Equal(t, jsonOrNull(want.Result.Data), jsonOrNull(got.Result.Data))
			} else {
				assert.Nil(t, got.Result)
				assert.Zero(t, got.Duration)
			}
		})
	}
	_, err := c.GetExecution(ctx, "nope")
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
}

func TestContractActivitiesBothShapes(t *testing.T) {
	for _, shape := range []wire.PayloadShape{wire.ShapeFlat, wire.ShapeEnvelope} {
		t.Run(fmt.Sprint(shape), func(t *testing.T) {
			f := newFixture(t, sim.Config{Seed: 8}, HandlerOptions{Shape: shape})
			c := f.client()
			ctx := context.Background()

			id := f.find(api.StatusPausedByAgent)
			want, err := f.e.Activities(id, api.ActivityQuery{})
			require.NoError(t, err)
			got, err := c.Activities(ctx, id, api.ActivityQuery{})
			require.NoError(t, err)
			require.Len(t, got, len(want))
			for i, a := range got {
				w := want[i]
				assert.Equal(t, w.ID, a.ID)
				assert.Equal(t, w.Kind, a.Kind)
				assert.True(t, w.Time.Equal(a.Time))
				assert.NotEmpty(t, a.Text, "%s has readable text", a.Kind)
				if w.Action != nil {
					assert.Equal(t, w.Message, a.Message)
					assert.Equal(t, w.Action.Name == sim.ActionSendUserMessage, a.AgentMessage)
				}
				if w.Change != nil {
					assert.Equal(t, w.Change.Status, a.Status)
					assert.Equal(t, w.Change.Reason, a.Reason)
				}
			}

			// The dashboard finds the agent's question the way it will in production.
			x, err := c.GetExecution(ctx, id)
			require.NoError(t, err)
			recent, err := c.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: 20})
			require.NoError(t, err)
			require.Len(t, recent, 20)
			assert.Equal(t, got[len(got)-1].ID, recent[0].ID)
			q := api.DeriveInteraction(x, recent, time.Now())
			assert.False(t, q.Fallback)
			var asked string
			for _, a := range want {
				if a.Action != nil && a.Action.Name == sim.ActionSendUserMessage {
					asked = a.Message
				}
			}
			assert.Equal(t, asked, q.Question)

			// Reply: the answer is echoed, the agent resumes, and the question is
			// no longer pending.
			require.NoError(t, c.Reply(ctx, id, "Go with the second option"))
			recent, err = c.Activities(ctx, id, api.ActivityQuery{Order: api.SortDesc, Limit: 2})
			require.NoError(t, err)
			assert.Equal(t, api.KindUserMessage, recent[1].Kind)
			assert.Equal(t, "Go with the second option", recent[1].Message)
			assert.Equal(t, api.ActorUser, recent[1].Actor)
			assert.Equal(t, api.StatusRunning, recent[0].Status)
			x, err = c.GetExecution(ctx, id)
			require.NoError(t, err)
			assert.Equal(t, api.StatusRunning, x.Status)

			_, err = c.Activities(ctx, "nope", api.ActivityQuery{})
			assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
		})
	}
}

func TestContractOperatorActions(t *testing.T) {
	f := newFixture(t, sim.Config{Seed: 4}, HandlerOptions{})
	c := f.client()
	ctx := context.Background()
	waiting, id := f.find(api.StatusPausedByAgent), f.find(api.StatusRunning)
	require.NoError(t, c.Pause(ctx, id))
	assert.Equal(t, api.KindInvalid, api.KindOf(c.Pause(ctx, id)))
	f.clk.Advance(time.Hour)
	x, err := c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusPaused, x.Status, "an operator pause holds")
	require.NoError(t, c.Resume(ctx, id))
	require.NoError(t, c.Cancel(ctx, id))
	x, err = c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusCancelled, x.Status)
	assert.Nil(t, x.Result)
	for name, err := range map[string]error{
		"resume cancelled":      c.Resume(ctx, id),
		"cancel cancelled":      c.Cancel(ctx, id),
		"reply to cancelled":    c.Reply(ctx, id, "hello?"),
		"resume waiting agent":  c.Resume(ctx, waiting),
		"pause a waiting agent": c.Pause(ctx, waiting),
	} {
		assert.Equal(t, api.KindInvalid, api.KindOf(err), "%s: %v", name, err)
	}
	for name, err := range map[string]error{
		"pause": c.Pause(ctx, "nope"), "resume": c.Resume(ctx, "nope"), "cancel": c.Cancel(ctx, "nope"), "reply": c.Reply(ctx, "nope", "hi"),
	} {
		assert.Equal(t, api.KindNotFound, api.KindOf(err), "%s: %v", name, err)
	}

	// The waiting agent was left alone for an hour: it timed out. A message to
	// an execution that is not waiting is recorded.
	x, err = c.GetExecution(ctx, waiting)
	require.NoError(t, err)
	assert.Equal(t, api.StatusFailed, x.Status)
	require.NotNil(t, x.Result)
	agents, err := c.ListAgents(ctx, api.AgentQuery{})
	require.NoError(t, err)
	fresh, err := c.Execute(ctx, agents.Items[0].ID, api.ExecuteRequest{})
	require.NoError(t, err)
	f.clk.Advance(10 * time.Second)
	require.NoError(t, c.Reply(ctx, fresh, "FYI the portal is slow today"))
	acts, err := c.Activities(ctx, fresh, api.ActivityQuery{Order: api.SortDesc, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, api.KindUserMessage, acts[0].Kind)
}

func TestContractExecuteAndFiles(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	c := f.client(func(o *asteroid.Options) { o.OrganizationID = f.e.Organization().ID })
	ctx := context.Background()
	agents, err := c.ListAgents(ctx, api.AgentQuery{Search: "vendor"})
	require.NoError(t, err)
	agent := agents.Items[0].ID
	profiles, err := c.ListProfiles(ctx, api.ProfileQuery{})
	require.NoError(t, err)
	pools, err := c.ListPools(ctx, api.PoolQuery{})
	require.NoError(t, err)

	staged, err := c.StageFiles(ctx, "", []api.Upload{{Name: "w9-brightline.pdf", Data: []byte("%PDF-1.7 w9")}, {Name: "letter.txt", Data: []byte("bank")}})
	require.NoError(t, err)
	require.Len(t, staged, 2)
	id, err := c.Execute(ctx, agent, api.ExecuteRequest{
		ProfileID: profiles[0].ID, Inputs: map[string]any{"vendor": "Brightline Logistics"}, Metadata: map[string]string{"ticket": "VEN-12"},
		TempFiles: staged, Version: 2, SharedStorageKey: "vendors", SoftTimeoutMins: 45,
	})
	require.NoError(t, err)
	x, err := c.GetExecution(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, api.StatusStarting, x.Status)
	assert.Equal(t, 2, x.AgentVersion)
	assert.Equal(t, profiles[0].Name, x.ProfileName)
	assert.Equal(t, "VEN-12", x.Metadata["ticket"])
	assert.JSONEq(t, `"Brightline Logistics"`, string(mustField(t, x.Inputs, "vendor")))

	require.NoError(t, c.AddFiles(ctx, id, []api.Upload{{Name: "notes.md", Data: []byte("# notes")}}))
	files, err := c.Files(ctx, id)
	require.NoError(t, err)
	var names []string
	for _, fl := range files {
		names = append(names, fl.Name)
		assert.Positive(t, fl.Size)
		var buf bytes.Buffer
		n, err := c.Download(ctx, fl, &buf)
		require.NoError(t, err, "download %s", fl.Name)
		assert.Equal(t, fl.Size, n)
		assert.Equal(t, int(fl.Size), buf.Len())
		if fl.Name == "notes.md" {
			assert.Equal(t, "# notes", buf.String(), "the uploaded bytes come back")
		}
	}
	assert.ElementsMatch(t, []string{"w9-brightline.pdf", "letter.txt", "notes.md"}, names)

	_, err = c.Recording(ctx, id)
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "no recording while running: %v", err)
	f.clk.Advance(15 * time.Minute)
	x, err = c.GetExecution(ctx, id)
	require.NoError(t, err)
	require.True(t, x.Status.IsTerminal(), "%s", x.Status)
	if x.Status != api.StatusFailed || x.RecordingURL != "" {
		url, err := c.Recording(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, x.RecordingURL, url)
	}

	poolRun, err := c.Execute(ctx, agent, api.ExecuteRequest{PoolID: pools.Items[0].ID})
	require.NoError(t, err)
	x, err = c.GetExecution(ctx, poolRun)
	require.NoError(t, err)
	assert.NotEmpty(t, x.ProfileID, "a pool lends one of its profiles")

	_, err = c.Execute(ctx, "nope", api.ExecuteRequest{})
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
	_, err = c.Execute(ctx, agent, api.ExecuteRequest{Version: 99})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "%v", err)
	_, err = c.Execute(ctx, agent, api.ExecuteRequest{TempFiles: staged})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "staged files are used once: %v", err)
	_, err = c.StageFiles(ctx, "not-ours", []api.Upload{{Name: "a.txt", Data: []byte("a")}})
	assert.Equal(t, api.KindForbidden, api.KindOf(err), "%v", err)
	_, err = c.Files(ctx, "nope")
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
	assert.Equal(t, api.KindNotFound, api.KindOf(c.AddFiles(ctx, "nope", []api.Upload{{Name: "a.txt", Data: []byte("a")}})))
}

func TestContractProfiles(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	c := f.client()
	ctx := context.Background()
	list, err := c.ListProfiles(ctx, api.ProfileQuery{OrganizationID: f.e.Organization().ID})
	require.NoError(t, err)
	seeded, _ := f.e.Profiles("")
	require.Len(t, list, len(seeded))

	p, err := c.CreateProfile(ctx, api.ProfileInput{
		Name: "claims-eu", Description: "Claims portals", ProxyCountry: "fr", ProxyType: "residential", CaptchaSolver: true, ExtraStealth: true,
		Credentials: []api.Secret{{Name: "claims_password", Value: "s3cr3t-Ünïcode"}},
		Cookies:     []api.CookieInput{{Name: "Consent", Key: "cc", Value: "yes", Domain: ".claims.example", Secure: true, SameSite: "Strict"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "claims-eu", p.Name)
	assert.True(t, p.ExtraStealth)
	require.Len(t, p.Credentials, 1)
	require.Len(t, p.Cookies, 1)
	stored, err := f.e.Profile(p.ID)
	require.NoError(t, err)
	plain, err := f.e.DecryptCredential(stored.Credentials[0].Data)
	require.NoError(t, err)
	assert.Equal(t, "s3cr3t-Ünïcode", plain, "the client's encryption decrypts with the simulator's key")

	got, err := c.GetProfile(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, p.Credentials, got.Credentials)

	desc := "Claims portals (EU)"
	up, err := c.UpdateProfile(ctx, p.ID, api.ProfileUpdate{Description: &desc,
		AddCredentials: []api.Secret{{Name: "claims_totp", Value: "JBSWY3DPEHPK3PXP"}}, DeleteCredentials: []string{p.Credentials[0].ID},
		DeleteCookies: []string{p.Cookies[0].ID}})
	require.NoError(t, err)
	assert.Equal(t, desc, up.Description)
	require.Len(t, up.Credentials, 1)
	assert.Equal(t, "claims_totp", up.Credentials[0].Name)
	assert.Empty(t, up.Cookies)

	_, err = c.CreateProfile(ctx, api.ProfileInput{Name: "claims-eu"})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "%v", err)
	require.NoError(t, c.DeleteProfile(ctx, p.ID))
	_, err = c.GetProfile(ctx, p.ID)
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
	assert.Equal(t, api.KindNotFound, api.KindOf(c.DeleteProfile(ctx, p.ID)))
}

func TestContractPools(t *testing.T) {
	f := newFixture(t, sim.Config{Scenario: sim.Scenario{Kind: sim.ScenarioIdle}}, HandlerOptions{})
	c := f.client()
	ctx := context.Background()
	for i := range 3 {
		_, err := f.e.CreatePool(sim.PoolInput{Name: fmt.Sprintf("shift-%d", i)})
		require.NoError(t, err)
	}
	p, err := c.ListPools(ctx, api.PoolQuery{PageSize: 2, Page: 2, SortField: "name", SortDirection: api.SortAsc})
	require.NoError(t, err)
	assert.Equal(t, 5, p.Total)
	require.Len(t, p.Items, 2)
	assert.Equal(t, []string{"shift-1", "shift-2"}, []string{p.Items[0].Name, p.Items[1].Name}, "eu-finance, shift-0 | shift-1, shift-2 | us-ops")
	assert.True(t, p.HasMore())

	p, err = c.ListPools(ctx, api.PoolQuery{Search: "EU"})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	want, _ := f.e.Pool(p.Items[0].ID)
	got, err := c.GetPool(ctx, want.ID)
	require.NoError(t, err)
	assert.Equal(t, want.Name, got.Name)
	assert.Equal(t, want.SelectionStrategy, got.SelectionStrategy)
	assert.Equal(t, want.AllowConcurrentUse, got.AllowConcurrentUse)
	assert.Equal(t, want.OrganizationID, got.OrganizationID)
	assert.True(t, want.UpdatedAt.Equal(got.UpdatedAt))

	_, err = c.GetPool(ctx, "nope")
	assert.Equal(t, api.KindNotFound, api.KindOf(err), "%v", err)
	_, err = c.ListPools(ctx, api.PoolQuery{SortField: "size"})
	assert.Equal(t, api.KindInvalid, api.KindOf(err), "%v", err)

	created, err := c.CreatePool(ctx, api.PoolInput{Name: "night-shift"})
	require.NoError(t, err)
	assert.Equal(t, api.LeastRecentlyUsed, created.SelectionStrategy, "the documented default")
	assert.False(t, created.AllowConcurrentUse)
	assert.Equal(t, f.e.Organization().ID, created.OrganizationID)
	mru, yes := api.MostRecentlyUsed, true
	updated, err := c.UpdatePool(ctx, created.ID, api.PoolUpdate{SelectionStrategy: &mru, AllowConcurrentUse: &yes})
	require.NoError(t, err)
	assert.Equal(t, "night-shift", updated.Name, "untouched fields stay")
	assert.Equal(t, api.MostRecentlyUsed, updated.SelectionStrategy)
	assert.True(t, updated.AllowConcurrentUse)
	stored, _ := f.e.Pool(created.ID)
	assert.Equal(t, api.MostRecentlyUsed, stored.SelectionStrategy)

	for in, msg := range map[string]string{
		"NIGHT-SHIFT":            `a pool named "NIGHT-SHIFT" already exists`,
		strings.Repeat("n", 256): "name must be 1 to 255 characters",
	} {
		_, err = c.CreatePool(ctx, api.PoolInput{Name: in})
		require.ErrorIs(t, err, api.ErrInvalid)
		assert.Contains(t, err.Error(), msg)
	}
	_, err = c.CreatePool(ctx, api.PoolInput{Name: "odd", SelectionStrategy: "random"})
	require.ErrorIs(t, err, api.ErrInvalid)
	assert.Contains(t, err.Error(), "selectionStrategy must be least_recently_used or most_recently_used")
	taken := "eu-finance"
	_, err = c.UpdatePool(ctx, created.ID, api.PoolUpdate{Name: &taken})
	require.ErrorIs(t, err, api.ErrInvalid)
	_, err = c.UpdatePool(ctx, "nope", api.PoolUpdate{Name: &taken})
	assert.ErrorIs(t, err, api.ErrNotFound)
}

func TestContractFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		faults  Faults
		timeout time.Duration
		kind    api.ErrorKind
	}{
		{"server error", Faults{ErrorRate: 1}, 0, api.KindServer},
		{"rate limited", Faults{RateLimitRate: 1, RetryAfter: 2 * time.Second}, 0, api.KindRateLimited},
		{"timeout", Faults{TimeoutRate: 1}, 100 * time.Millisecond, api.KindTimeout},
		{"malformed body", Faults{MalformedRate: 1}, 0, api.KindDecode},
		{"connection reset", Faults{ResetRate: 1}, 0, api.KindNetwork},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := idleWith(t, tc.faults)
			c := f.client(func(o *asteroid.Options) { o.Timeout = tc.timeout })
			ctx := context.Background()
			id := f.find(api.StatusPausedByAgent)
			calls := map[string]func() error{
				"ListAgents":     func() error { _, err := c.ListAgents(ctx, api.AgentQuery{}); return err },
				"ListExecutions": func() error { _, err := c.ListExecutions(ctx, api.ExecutionQuery{}); return err },
				"GetExecution":   func() error { _, err := c.GetExecution(ctx, id); return err },
				"Activities":     func() error { _, err := c.Activities(ctx, id, api.ActivityQuery{}); return err },
				"ListProfiles":   func() error { _, err := c.ListProfiles(ctx, api.ProfileQuery{}); return err },
				"ListPools":      func() error { _, err := c.ListPools(ctx, api.PoolQuery{}); return err },
				"UserContext":    func() error { _, err := c.UserContext(ctx); return err },
			}
			if tc.kind != api.KindDecode { // these answer a bare string, which a cut cannot make unreadable
				calls["Reply"] = func() error { return c.Reply(ctx, id, "x") }
				calls["Pause"] = func() error { return c.Pause(ctx, id) }
			}
			for name, call := range calls {
				err := call()
				require.Error(t, err, name)
				assert.Equal(t, tc.kind, api.KindOf(err), "%s: %v", name, err)
				assert.True(t, api.IsTemporary(err) || tc.kind == api.KindDecode, "%s: %v", name, err)
				assert.NotContains(t, err.Error(), f.key)
				if tc.kind == api.KindRateLimited {
					assert.Equal(t, 2*time.Second, api.RetryAfterOf(err), name)
				}
			}
		})
	}
	t.Run("latency", func(t *testing.T) {
		t.Parallel()
		f := idleWith(t, Faults{Latency: 100 * time.Millisecond})
		start := time.Now()
		_, err := f.client().ListAgents(context.Background(), api.AgentQuery{})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	})
}
