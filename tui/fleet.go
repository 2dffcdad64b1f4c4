package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/drafts"
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

// newFleetPolling makes the fleet of opts.Fleet (one poller per context,
// each with opts.Poll's cadences) and points opts at it: the router as
// the Backend, read-only only when every context is.
func newFleetPolling(opts *Options) (polling, error) {
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
	r := newRouter(f, opts.Fleet)
	opts.Backend = r
	return fleetSource{Fleet: f, r: r}, nil
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

// fleetDrafts keeps each draft in its context's own drafts file.
func fleetDrafts(opts Options) *drafts.Store {
	names := make([]string, len(opts.Fleet))
	for i, c := range opts.Fleet {
		names[i] = c.Name
	}
	contextOf := func(string) string { return "" }
	if r, ok := opts.Backend.(*router); ok {
		contextOf = r.contextOf
	}
	return drafts.OpenFleet(opts.StateDir, names, contextOf)
}

// of is the catalog of one context of the fleet.
func (cs *catalogSet) of(name string) *pane.Catalog {
	if *cs == nil {
		*cs = catalogSet{}
	}
	c := (*cs)[name]
	if c == nil {
		c = &pane.Catalog{}
		(*cs)[name] = c
	}
	return c
}

// catalogSet is each context's own catalog in a fleet, by context name.
type catalogSet map[string]*pane.Catalog

// join builds the fleet's catalog from its contexts' (a catalog
// arrives every few minutes per context: its cost is the catalog's, once).
func (cs catalogSet) join(fleet []pane.FleetContext) pane.Catalog {
	var all pane.Catalog
	for _, fc := range fleet {
		c := cs[fc.Name]
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
		all.Environments = append(all.Environments, c.Environments...)
		all.Deployments = append(all.Deployments, c.Deployments...)
	}
	return all
}

// contextsText is the header's compact state of every context of the
// fleet: its platform's glyph and name, a dot when live, else what is
// wrong ("◐ 40s" degraded with the data's age, "○ offline",
// "✗ unauthorized", "◌" connecting). When that is wider than room, a live
// context is only its glyph and dot, so what is wrong stays readable.
func contextsText(st *theme.Styles, fleet []pane.FleetContext, snap *poller.Snapshot, now time.Time, room int) string {
	states := map[string]poller.ContextState{}
	if snap != nil {
		for _, c := range snap.Contexts {
			states[c.Context] = c
		}
	}
	full := make([]string, 0, len(fleet))
	short := make([]string, 0, len(fleet))
	for _, fc := range fleet {
		glyph := executions.PlatformGlyph(fc.Platform)
		name := glyph + " " + sanitize.Line(fc.Name)
		if fc.ReadOnly {
			name += st.Muted.Render(" (ro)")
		}
		c, ok := states[fc.Name]
		var mark string
		live := false
		switch {
		case !ok || c.State == poller.Connecting:
			mark = st.Muted.Render("◌")
		case c.Unauthorized():
			mark = st.Err.Render("✗ unauthorized")
		case c.Now(now) == poller.Live:
			mark, live = st.Ok.Render("●"), true
		case c.State == poller.Offline:
			mark = st.Err.Render("○ offline")
		default:
			mark = st.Warn.Render("◐ " + kit.Ago(now, c.LastSuccess))
		}
		full = append(full, name+" "+mark)
		if live {
			short = append(short, glyph+mark)
		} else {
			short = append(short, name+" "+mark)
		}
	}
	sep := st.Muted.Render(" · ")
	if text := strings.Join(full, sep); lipgloss.Width(text) <= room {
		return text
	}
	return strings.Join(short, " ")
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
		ctx := m.ctx
		m.Open(overlay.NewPage(m.ctx, "Contexts", func(w int) []string { return contextLines(ctx, w) }))
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
func contextLines(ctx *pane.Context, w int) []string {
	st, now := ctx.Styles, ctx.Now
	states := map[string]poller.ContextState{}
	if ctx.Snap != nil {
		for _, c := range ctx.Snap.Contexts {
			states[c.Context] = c
		}
	}
	lines := []string{st.Muted.Render(":ctx NAME shows one context's executions, :ctx all every context's."), ""}
	for _, fc := range ctx.Fleet {
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
