package executions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// OpenExecute opens the execute form, with agentID preselected. On success
// the new execution is shown (if the form is still open).
func OpenExecute(ctx *pane.Context, agentID string) tea.Cmd {
	if !ctx.Keys.Execute.Binding.Enabled() {
		return nil
	}
	if len(ctx.Agents) == 0 {
		ctx.Flash(pane.Warn, "No agents to execute yet.")
		return nil
	}
	agents := make([]overlay.Option, 0, len(ctx.Agents))
	about := make(map[string]string, len(ctx.Agents))
	for _, a := range ctx.Agents {
		agents = append(agents, overlay.Option{Value: a.ID, Label: a.Label()}) // in a fleet, with its context
		about[a.ID] = a.Description
	}
	profiles := []overlay.Option{{Value: "", Label: "(the agent's default)"}}
	for _, p := range ctx.Catalog.Profiles {
		profiles = append(profiles, overlay.Option{Value: p.ID, Label: p.Name})
	}
	pools := []overlay.Option{{Value: "", Label: "(none)"}}
	for _, p := range ctx.Catalog.Pools {
		pools = append(pools, overlay.Option{Value: p.ID, Label: p.Name})
	}
	f := overlay.NewForm(ctx, "Execute an agent", "Execute")
	// The platform lists no input schema for an agent (Asteroid's list
	// object has none): what it says of the agent is its description.
	agent := f.Choice("agent", "Agent", "type to filter · ←/→ to choose", agents, agentID)
	agent.Describe = func(o overlay.Option) string {
		if d := about[o.Value]; d != "" {
			return d + " · type to filter, ←/→"
		}
		return ""
	}
	if ctx.Caps.Profiles {
		f.Choice("profile", "Profile", "Run with this agent profile", profiles, "")
	}
	if ctx.Caps.Pools {
		f.Choice("pool", "Profile pool", "…or draw a profile from a pool (not both)", pools, "")
	}
	caps := ctx.Caps
	switch {
	case caps.Instructions && caps.InstructionsOptional: // free text, or inputs
		f.TextArea("instructions", "Instructions", "What the agent should do (optional)", "")
	case caps.Instructions: // the platform starts runs from free text
		f.TextArea("instructions", "Instructions", "What the agent should do (required)", "")
		f.Text("name", "Name", "A name for the run (optional)", "")
	}
	if !caps.Instructions || caps.InstructionsOptional {
		f.TextArea("inputs", "Inputs", "key=value per line, or a JSON object", "")
	}
	f.TextArea("metadata", "Metadata", "key=value per line (filterable later)", "")
	if !caps.Instructions || caps.InstructionsOptional {
		f.Text("version", "Version", "Agent version; empty for the latest", "")
	}
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) { return submitExecute(ctx, f, agent) }
	ctx.Host.Open(f)
	return f.FocusField(0)
}

func submitExecute(ctx *pane.Context, f *overlay.Form, agent *overlay.Choice) (tea.Cmd, error) {
	agentID := agent.Value()
	var req api.ExecuteRequest
	if p := f.Get("profile"); p != nil {
		req.ProfileID = p.Value()
	}
	if p := f.Get("pool"); p != nil {
		req.PoolID = p.Value()
	}
	if req.ProfileID != "" && req.PoolID != "" {
		return nil, errors.New("choose a profile or a pool, not both")
	}
	if in := f.Get("instructions"); in != nil {
		req.Instructions = strings.TrimSpace(in.Value())
		if req.Instructions == "" && !ctx.Caps.InstructionsOptional {
			return nil, errors.New("instructions are required: say what the agent should do")
		}
		if name := f.Get("name"); name != nil {
			req.Name = strings.TrimSpace(name.Value())
		}
	}
	if in := f.Get("inputs"); in != nil {
		inputs, err := parseInputs(in.Value())
		if err != nil {
			return nil, err
		}
		req.Inputs = inputs
	}
	meta, err := parsePairs(f.Get("metadata").Value())
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	req.Metadata = meta
	if ver := f.Get("version"); ver != nil && strings.TrimSpace(ver.Value()) != "" {
		v := strings.TrimSpace(ver.Value())
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("version must be a positive whole number, not %q", v)
		}
		req.Version = n
	}
	name, host := agent.Label(), ctx.Host
	return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
		id, err := b.Execute(c, agentID, req)
		return overlay.Done{Form: f, Err: err, OK: fmt.Sprintf("Started %s: execution %s.", sanitize.Line(name), kit.ShortID(id)),
			Then: func() tea.Cmd { return host.Show(pane.Target{Execution: id}) }}
	}), nil
}

// parseInputs reads a JSON object or key=value lines.
func parseInputs(s string) (map[string]any, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "{") {
		var out map[string]any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return nil, fmt.Errorf("inputs: not a JSON object: %w", err)
		}
		return out, nil
	}
	pairs, err := parsePairs(s)
	if err != nil {
		return nil, fmt.Errorf("inputs: %w", err)
	}
	out := make(map[string]any, len(pairs))
	for k, v := range pairs {
		out[k] = v
	}
	return out, nil
}

// parsePairs reads key=value lines (blank lines ignored).
func parsePairs(s string) (map[string]string, error) {
	var out map[string]string
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("line %d: want key=value, got %q", n+1, line)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}
