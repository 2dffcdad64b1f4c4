package tui

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
)

// router is the dashboard's Backend over a fleet: every call about an
// execution goes to the backend of the execution's context (by the fleet's
// merged snapshot), a call about an agent, profile or pool to the context
// whose catalog lists it, and anything else to the first context. A
// read-only context refuses every mutating call before it leaves the
// machine.
type router struct {
	// contextOf is the context of an execution; agentOf, profileOf and
	// poolOf that of a catalog item ("" when unknown).
	contextOf, agentOf, profileOf, poolOf func(id string) string
	contexts                              []FleetContext
	byName                                map[string]FleetContext
	caps                                  api.Capabilities

	mu    sync.Mutex
	acted []string // contexts a mutating call went to since the last Nudge
}

// takeActed returns and forgets the contexts acted on.
func (r *router) takeActed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.acted
	r.acted = nil
	return out
}

// fleetSource is the fleet as the dashboard drives it: Nudge, which the
// dashboard calls after an action, hurries only the contexts the actions
// went to (every context when it cannot tell).
type fleetSource struct {
	*poller.Fleet
	r *router
}

func (s fleetSource) Nudge() {
	acted := s.r.takeActed()
	if len(acted) == 0 {
		s.Fleet.Nudge()
		return
	}
	for _, c := range acted {
		s.Fleet.NudgeContext(c)
	}
}

// newRouter routes by what the fleet knows.
func newRouter(f *poller.Fleet, contexts []FleetContext) *router {
	r := routeBy(contexts, f.ContextOf)
	r.agentOf, r.profileOf, r.poolOf = f.ContextOfAgent, f.ContextOfProfile, f.ContextOfPool
	return r
}

// routeBy routes executions by contextOf, catalog items to the first context.
func routeBy(contexts []FleetContext, contextOf func(string) string) *router {
	none := func(string) string { return "" }
	r := &router{contextOf: contextOf, agentOf: none, profileOf: none, poolOf: none, contexts: contexts, byName: map[string]FleetContext{}}
	for _, c := range contexts {
		r.byName[c.Name] = c
		r.caps = unionCaps(r.caps, contextCaps(c))
	}
	return r
}

// contextCaps is what a context may do: its platform's capabilities, none
// that mutate when it is read-only.
func contextCaps(c FleetContext) api.Capabilities {
	caps := c.Backend.Capabilities()
	if c.ReadOnly {
		caps = caps.ReadOnly()
	}
	return caps
}

// unionCaps is what at least one of a and b can do: the keys the fleet
// dashboard offers; each execution's own are its context's (CapsFor).
func unionCaps(a, b api.Capabilities) api.Capabilities {
	a.Execute = a.Execute || b.Execute
	a.Pause = a.Pause || b.Pause
	a.Resume = a.Resume || b.Resume
	a.Cancel = a.Cancel || b.Cancel
	a.Reply = a.Reply || b.Reply
	a.Files = a.Files || b.Files
	a.UploadFiles = a.UploadFiles || b.UploadFiles
	a.Recording = a.Recording || b.Recording
	a.Profiles = a.Profiles || b.Profiles
	a.ManageProfiles = a.ManageProfiles || b.ManageProfiles
	a.Pools = a.Pools || b.Pools
	a.ManagePools = a.ManagePools || b.ManagePools
	a.Download = a.Download || b.Download
	a.UserContext = a.UserContext || b.UserContext
	a.Instructions = a.Instructions || b.Instructions
	a.CancelReason = max(a.CancelReason, b.CancelReason)
	for _, k := range b.Kinds {
		if !slices.ContainsFunc(a.Kinds, func(x api.KindCapabilities) bool { return x.Kind == k.Kind }) {
			a.Kinds = append(a.Kinds, k)
		}
	}
	return a
}

// of returns the context called name, or an error.
func (r *router) of(name, what string) (FleetContext, error) {
	if c, ok := r.byName[name]; ok {
		return c, nil
	}
	return FleetContext{}, &api.Error{Kind: api.KindNotFound, Message: "no context of the fleet has " + what}
}

// exec is the context of an execution.
func (r *router) exec(id string) (FleetContext, error) {
	return r.of(r.contextOf(id), "execution "+id)
}

// mutable is the context of an execution, refused when it is read-only.
func (r *router) mutable(c FleetContext, err error) (api.Backend, error) {
	if err != nil {
		return nil, err
	}
	if c.ReadOnly {
		return nil, &api.Error{Kind: api.KindForbidden, Message: fmt.Sprintf("context %s is read-only", c.Name)}
	}
	r.mu.Lock()
	if !slices.Contains(r.acted, c.Name) {
		r.acted = append(r.acted, c.Name)
	}
	r.mu.Unlock()
	return c.Backend, nil
}

func (r *router) first() FleetContext { return r.contexts[0] }

func (r *router) Platform() string               { return "fleet" }
func (r *router) Capabilities() api.Capabilities { return r.caps }
func (r *router) UserContext(ctx context.Context) (api.UserContext, error) {
	return r.first().Backend.UserContext(ctx)
}

func (r *router) ListAgents(ctx context.Context, q api.AgentQuery) (api.Page[api.Agent], error) {
	return r.first().Backend.ListAgents(ctx, q)
}

func (r *router) ListExecutions(ctx context.Context, q api.ExecutionQuery) (api.Page[api.Execution], error) {
	return r.first().Backend.ListExecutions(ctx, q)
}

func (r *router) GetExecution(ctx context.Context, id string) (api.Execution, error) {
	c, err := r.exec(id)
	if err != nil {
		return api.Execution{}, err
	}
	e, err := c.Backend.GetExecution(ctx, id)
	e.Context = c.Name
	return e, err
}

func (r *router) Activities(ctx context.Context, id string, q api.ActivityQuery) ([]api.Activity, error) {
	c, err := r.exec(id)
	if err != nil {
		return nil, err
	}
	return c.Backend.Activities(ctx, id, q)
}

func (r *router) Execute(ctx context.Context, agentID string, req api.ExecuteRequest) (string, error) {
	b, err := r.mutable(r.of(r.agentOf(agentID), "agent "+agentID))
	if err != nil {
		return "", err
	}
	return b.Execute(ctx, agentID, req)
}

// onExec runs a mutating call on an execution's context.
func (r *router) onExec(id string, call func(api.Backend) error) error {
	b, err := r.mutable(r.exec(id))
	if err != nil {
		return err
	}
	return call(b)
}

func (r *router) Pause(ctx context.Context, id string) error {
	return r.onExec(id, func(b api.Backend) error { return b.Pause(ctx, id) })
}

func (r *router) Resume(ctx context.Context, id string) error {
	return r.onExec(id, func(b api.Backend) error { return b.Resume(ctx, id) })
}

func (r *router) Cancel(ctx context.Context, id string) error {
	return r.onExec(id, func(b api.Backend) error { return b.Cancel(ctx, id) })
}

// CancelWithReason cancels with a reason where the context's platform takes one.
func (r *router) CancelWithReason(ctx context.Context, id, reason string) error {
	return r.onExec(id, func(b api.Backend) error { return api.CancelExecution(ctx, b, id, reason) })
}

func (r *router) Reply(ctx context.Context, id, message string) error {
	return r.onExec(id, func(b api.Backend) error { return b.Reply(ctx, id, message) })
}

func (r *router) StageFiles(ctx context.Context, org string, files []api.Upload) ([]api.TempFile, error) {
	b, err := r.mutable(r.first(), nil)
	if err != nil {
		return nil, err
	}
	return b.StageFiles(ctx, org, files)
}

func (r *router) AddFiles(ctx context.Context, id string, files []api.Upload) error {
	return r.onExec(id, func(b api.Backend) error { return b.AddFiles(ctx, id, files) })
}

func (r *router) Files(ctx context.Context, id string) ([]api.File, error) {
	c, err := r.exec(id)
	if err != nil {
		return nil, err
	}
	return c.Backend.Files(ctx, id)
}

func (r *router) Recording(ctx context.Context, id string) (string, error) {
	c, err := r.exec(id)
	if err != nil {
		return "", err
	}
	return c.Backend.Recording(ctx, id)
}

func (r *router) ListProfiles(ctx context.Context, q api.ProfileQuery) ([]api.Profile, error) {
	return r.first().Backend.ListProfiles(ctx, q)
}

// profile is the context of a profile (the first context for one no
// catalog lists).
func (r *router) profile(id string) FleetContext {
	if c, ok := r.byName[r.profileOf(id)]; ok {
		return c
	}
	return r.first()
}

func (r *router) GetProfile(ctx context.Context, id string) (api.Profile, error) {
	return r.profile(id).Backend.GetProfile(ctx, id)
}

func (r *router) CreateProfile(ctx context.Context, in api.ProfileInput) (api.Profile, error) {
	b, err := r.mutable(r.first(), nil)
	if err != nil {
		return api.Profile{}, err
	}
	return b.CreateProfile(ctx, in)
}

func (r *router) UpdateProfile(ctx context.Context, id string, up api.ProfileUpdate) (api.Profile, error) {
	b, err := r.mutable(r.profile(id), nil)
	if err != nil {
		return api.Profile{}, err
	}
	return b.UpdateProfile(ctx, id, up)
}

func (r *router) DeleteProfile(ctx context.Context, id string) error {
	b, err := r.mutable(r.profile(id), nil)
	if err != nil {
		return err
	}
	return b.DeleteProfile(ctx, id)
}

func (r *router) ListPools(ctx context.Context, q api.PoolQuery) (api.Page[api.ProfilePool], error) {
	return r.first().Backend.ListPools(ctx, q)
}

func (r *router) GetPool(ctx context.Context, id string) (api.ProfilePool, error) {
	if c, ok := r.byName[r.poolOf(id)]; ok {
		return c.Backend.GetPool(ctx, id)
	}
	return r.first().Backend.GetPool(ctx, id)
}

var (
	_ api.Backend        = (*router)(nil)
	_ api.ReasonCanceler = (*router)(nil)
)
