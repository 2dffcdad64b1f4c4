package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/internal/views/executions"
	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// FleetContext is one context of a fleet dashboard (Options.Fleet).
type FleetContext struct {
	Name         string // the context's name
	Platform     string // its platform's name
	Backend      api.Backend
	Organization string
	ReadOnly     bool // no mutating action reaches this context
}

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

// newFleetPolling makes the fleet of opts.Fleet (one poller per context,
// each with opts.Poll's cadences) and points opts at it: the router as
// the Backend, read-only only when every context is.
func newFleetPolling(opts *Options) (*poller.Fleet, error) {
	members := make([]poller.FleetMember, len(opts.Fleet))
	for i, c := range opts.Fleet {
		cfg := opts.Poll
		cfg.Backend, cfg.OrganizationID = c.Backend, c.Organization
		if cfg.Logger == nil {
			cfg.Logger = opts.Logger.With("context", c.Name)
		}
		members[i] = poller.FleetMember{Context: c.Name, Platform: c.Platform, Config: cfg}
	}
	f, err := poller.NewFleet(members)
	if err != nil {
		return nil, err
	}
	opts.fleetDefaults()
	opts.Backend = newRouter(f, opts.Fleet)
	return f, nil
}

// fleetDefaults sets what the single-context options mean for a fleet.
func (o *Options) fleetDefaults() {
	o.Organization, o.BaseURL = "", ""
	o.ReadOnly = !slices.ContainsFunc(o.Fleet, func(c FleetContext) bool { return !c.ReadOnly })
	if o.Context == "" {
		o.Context = "all contexts"
	}
}

// paneContexts is the fleet as the panes see it.
func paneContexts(contexts []FleetContext) []pane.FleetContext {
	out := make([]pane.FleetContext, len(contexts))
	for i, c := range contexts {
		out[i] = pane.FleetContext{Name: c.Name, Platform: c.Platform, Caps: contextCaps(c), ReadOnly: c.ReadOnly}
	}
	return out
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

// contextCatalog is the catalog of one context of the fleet.
func (m *Model) contextCatalog(name string) *pane.Catalog {
	if m.catalogs == nil {
		m.catalogs = map[string]*pane.Catalog{}
	}
	c := m.catalogs[name]
	if c == nil {
		c = &pane.Catalog{}
		m.catalogs[name] = c
	}
	return c
}

// joinCatalogs rebuilds the fleet's catalog from its contexts' (a catalog
// arrives every few minutes per context: its cost is the catalog's, once).
func (m *Model) joinCatalogs() {
	var all pane.Catalog
	for _, fc := range m.ctx.Fleet {
		c := m.catalogs[fc.Name]
		if c == nil {
			continue
		}
		all.Loaded = all.Loaded || c.Loaded
		all.Agents = append(all.Agents, c.Agents...)
		for range c.Agents {
			all.AgentContexts = append(all.AgentContexts, fc.Name)
		}
		all.Profiles = append(all.Profiles, c.Profiles...)
		all.Pools = append(all.Pools, c.Pools...)
	}
	m.ctx.Catalog = all
}

// contextsText is the header's compact state of every context of the
// fleet: its platform's glyph and name, a dot when live, else what is
// wrong ("◐ 40s" degraded with the data's age, "○ offline",
// "✗ unauthorized", "◌" connecting).
func contextsText(st *theme.Styles, fleet []pane.FleetContext, snap *poller.Snapshot, now time.Time) string {
	states := map[string]poller.ContextState{}
	if snap != nil {
		for _, c := range snap.Contexts {
			states[c.Context] = c
		}
	}
	parts := make([]string, 0, len(fleet))
	for _, fc := range fleet {
		name := executions.PlatformGlyph(fc.Platform) + " " + sanitize.Line(fc.Name)
		c, ok := states[fc.Name]
		var mark string
		switch {
		case !ok || c.State == poller.Connecting:
			mark = st.Muted.Render("◌")
		case c.Unauthorized():
			mark = st.Err.Render("✗ unauthorized")
		case c.Now(now) == poller.Live:
			mark = st.Ok.Render("●")
		case c.State == poller.Offline:
			mark = st.Err.Render("○ offline")
		default:
			mark = st.Warn.Render("◐ " + kit.Ago(now, c.LastSuccess))
		}
		if fc.ReadOnly {
			name += st.Muted.Render(" (ro)")
		}
		parts = append(parts, name+" "+mark)
	}
	return strings.Join(parts, st.Muted.Render(" · "))
}

// contextCommand runs ":ctx" (the contexts with their state), ":ctx NAME"
// (the executions of the contexts whose name starts with NAME) and
// ":ctx all" (every context again). ok is false for another command.
func (m *Model) contextCommand(c string) (tea.Cmd, bool) {
	word, arg, _ := strings.Cut(strings.TrimSpace(c), " ")
	if w := strings.ToLower(word); w != "ctx" && w != "context" && w != "contexts" {
		return nil, false
	}
	if m.ctx.Fleet == nil {
		m.Flash(pane.Warn, "One context is shown; start agentop with --all-contexts (-A) to see every context at once.")
		return nil, true
	}
	arg = strings.TrimSpace(arg)
	if arg == "" {
		m.Open(overlay.NewPage(m.ctx, "Contexts", m.contextLines))
		return nil, true
	}
	filter := "ctx:" + arg
	if strings.EqualFold(arg, "all") || arg == "-" {
		filter = ""
	} else if !slices.ContainsFunc(m.ctx.Fleet, func(fc pane.FleetContext) bool {
		return strings.HasPrefix(strings.ToLower(fc.Name), strings.ToLower(arg))
	}) {
		m.Flash(pane.Err, "No context starts with "+sanitize.Line(arg)+": try :ctx to list them.")
		return nil, true
	}
	for i, v := range m.views {
		if f, ok := v.(pane.Filterable); ok && v.About().Name == executions.Name {
			return tea.Batch(m.switchView(i), f.SetFilter(filter)), true
		}
	}
	return nil, true
}

// contextLines are the :ctx page: every context with its platform, state,
// data age and what it contributes.
func (m *Model) contextLines(w int) []string {
	st, now := m.ctx.Styles, m.ctx.Now
	states := map[string]poller.ContextState{}
	if m.ctx.Snap != nil {
		for _, c := range m.ctx.Snap.Contexts {
			states[c.Context] = c
		}
	}
	lines := []string{st.Muted.Render(":ctx NAME shows one context's executions, :ctx all every context's."), ""}
	for _, fc := range m.ctx.Fleet {
		c := states[fc.Name]
		word := "connecting"
		if _, ok := states[fc.Name]; ok {
			word = c.Word(now)
		}
		line := fmt.Sprintf("%s %-16s %-10s %-13s %5d executions  %3d waiting", executions.PlatformGlyph(fc.Platform),
			sanitize.Line(fc.Name), sanitize.Line(fc.Platform), word, c.Executions, c.Waiting)
		if !c.LastSuccess.IsZero() {
			line += "  updated " + kit.Ago(now, c.LastSuccess) + " ago"
		}
		if fc.ReadOnly {
			line += "  read-only"
		}
		if c.Duplicates > 0 {
			line += fmt.Sprintf("  %d duplicates of an earlier context's", c.Duplicates)
		}
		if c.Err != nil && c.State != poller.Live {
			line += "  " + kit.ErrText(c.Err)
		}
		lines = append(lines, ansi.Truncate(line, w, "…"))
	}
	return lines
}
