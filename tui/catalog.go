package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// inboxItems is what the inbox list's rows index into.
func (m *Model) inboxItems() []api.InteractionRequest {
	if d, ok := m.lists[viewInbox].data.([]api.InteractionRequest); ok {
		return d
	}
	return nil
}

// onViewActionKey handles the list views' own actions.
func (m *Model) onViewActionKey(k tea.KeyPressMsg) tea.Cmd {
	km := m.keys
	lp := m.lists[m.view]
	i, ok := lp.selectedIndex()
	switch m.view {
	case viewAgents:
		if key.Matches(k, km.Execute.Binding) {
			agentID := ""
			if ok {
				agentID = lp.data.([]agentRow)[i].ID
			}
			return m.openExecute(agentID)
		}
	case viewProfiles:
		switch {
		case key.Matches(k, km.NewProfile.Binding):
			return m.openProfileForm(nil)
		case key.Matches(k, km.EditProfile.Binding) && ok:
			p := lp.data.([]api.Profile)[i]
			return m.openProfileForm(&p)
		case key.Matches(k, km.DeleteProfile.Binding) && ok:
			return m.deleteProfile(lp.data.([]api.Profile)[i])
		}
	}
	return nil
}

// openCatalogItem shows a profile's or pool's details.
func (m *Model) openCatalogItem(i int) tea.Cmd {
	lp := m.lists[m.view]
	switch m.view {
	case viewProfiles:
		p := lp.data.([]api.Profile)[i]
		m.overlay = &pageOverlay{title: "Profile " + sanitize.Line(p.Name), lines: func(m *Model, w int) []string { return profileLines(m, p, w) }}
	case viewPools:
		p := lp.data.([]api.ProfilePool)[i]
		m.overlay = &pageOverlay{title: "Pool " + sanitize.Line(p.Name), lines: func(m *Model, w int) []string { return poolLines(m, p) }}
	}
	return nil
}

// pageOverlay is a read-only, scrollable page.
type pageOverlay struct {
	scroller
	title string
	lines func(m *Model, w int) []string
}

func (p *pageOverlay) update(m *Model, msg tea.Msg) (overlay, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if key.Matches(k, m.keys.Back.Binding, m.keys.Open.Binding, m.keys.Quit.Binding) {
		return nil, nil
	}
	p.key(m, k)
	return p, nil
}

func (p *pageOverlay) view(m *Model, w, h int) string {
	return frame(m.st, p.title+" · esc back", padAll(p.window(p.lines(m, w-4), h-2), w-2), w, h, true)
}

func kvLine(m *Model, k, v string, w int) string {
	return " " + m.st.Muted.Render(fitCell(k, 14, false)) + " " + ansi.Truncate(v, max(w-16, 10), "…")
}

// profileLines describes a profile. Credential values are never part of a
// Profile; only their names are shown.
func profileLines(m *Model, p api.Profile, w int) []string {
	out := []string{
		kvLine(m, "ID", sanitize.Line(p.ID), w),
		kvLine(m, "Description", sanitize.Line(firstNonEmpty(p.Description, "—")), w),
		kvLine(m, "Proxy", proxyText(p), w),
		kvLine(m, "Options", profileOptions(p), w),
		kvLine(m, "Created", ago(m.now, p.CreatedAt)+" ago", w),
		kvLine(m, "Updated", ago(m.now, p.UpdatedAt)+" ago", w),
		"", " " + m.st.Accent.Render(fmt.Sprintf("Credentials (%d)", len(p.Credentials))),
	}
	for _, c := range p.Credentials {
		out = append(out, "   "+fitCell(sanitize.Line(c.Name), 30, false)+" "+m.st.Muted.Render("••••••  added "+ago(m.now, c.CreatedAt)+" ago"))
	}
	out = append(out, "", " "+m.st.Accent.Render(fmt.Sprintf("Cookies (%d)", len(p.Cookies))))
	for _, c := range p.Cookies {
		out = append(out, "   "+fitCell(sanitize.Line(c.Name), 20, false)+" "+sanitize.Line(c.Key+" @ "+c.Domain)+m.st.Muted.Render("  value hidden"))
	}
	return out
}

func poolLines(m *Model, p api.ProfilePool) []string {
	concurrent := "no"
	if p.AllowConcurrentUse {
		concurrent = "yes"
	}
	return []string{
		kvLine(m, "ID", sanitize.Line(p.ID), 80),
		kvLine(m, "Strategy", sanitize.Line(p.SelectionStrategy), 80),
		kvLine(m, "Concurrent use", concurrent, 80),
		kvLine(m, "Created", ago(m.now, p.CreatedAt)+" ago", 80),
		kvLine(m, "Updated", ago(m.now, p.UpdatedAt)+" ago", 80),
	}
}

// --- execute ---------------------------------------------------------------

// openExecute opens the execute form, with agentID preselected.
func (m *Model) openExecute(agentID string) tea.Cmd {
	if !m.keys.Execute.Binding.Enabled() {
		return nil
	}
	if len(m.execs.agents) == 0 {
		m.setFlash(flashWarn, "No agents to execute yet.")
		return nil
	}
	agents := make([]option, 0, len(m.execs.agents))
	for _, a := range m.execs.agents {
		agents = append(agents, option{Value: a.ID, Label: a.Name})
	}
	profiles := []option{{Value: "", Label: "(the agent's default)"}}
	for _, p := range m.profiles {
		profiles = append(profiles, option{Value: p.ID, Label: p.Name})
	}
	pools := []option{{Value: "", Label: "(none)"}}
	for _, p := range m.pools {
		pools = append(pools, option{Value: p.ID, Label: p.Name})
	}
	f := newForm(m.st, "Execute an agent", "Execute")
	f.choice("agent", "Agent", "←/→ to choose", agents, agentID)
	if m.caps.Profiles {
		f.choice("profile", "Profile", "Run with this agent profile", profiles, "")
	}
	if m.caps.Pools {
		f.choice("pool", "Profile pool", "…or draw a profile from a pool (not both)", pools, "")
	}
	f.textArea("inputs", "Inputs", "key=value per line, or a JSON object", "")
	f.textArea("metadata", "Metadata", "key=value per line (filterable later)", "")
	f.text("version", "Version", "Agent version; empty for the latest", "")
	f.submit = submitExecute
	f.setWidth(m.w)
	m.overlay = f
	return f.focusField(0)
}

func submitExecute(m *Model, f *form) (tea.Cmd, error) {
	agentID := f.get("agent").value()
	var req api.ExecuteRequest
	if p := f.get("profile"); p != nil {
		req.ProfileID = p.value()
	}
	if p := f.get("pool"); p != nil {
		req.PoolID = p.value()
	}
	if req.ProfileID != "" && req.PoolID != "" {
		return nil, errors.New("choose a profile or a pool, not both")
	}
	inputs, err := parseInputs(f.get("inputs").value())
	if err != nil {
		return nil, err
	}
	req.Inputs = inputs
	meta, err := parsePairs(f.get("metadata").value())
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	req.Metadata = meta
	if v := strings.TrimSpace(f.get("version").value()); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("version must be a positive whole number, not %q", v)
		}
		req.Version = n
	}
	backend, ctx, name := m.opts.Backend, m.ctx, f.get("agent").options[f.get("agent").sel].Label
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		id, err := backend.Execute(c, agentID, req)
		return formDoneMsg{form: f, err: err, ok: fmt.Sprintf("Started %s: execution %s.", sanitize.Line(name), shortID(id)),
			then: func(m *Model) tea.Cmd { return m.selectExecution(id, false) }}
	}, nil
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

// --- profiles --------------------------------------------------------------

// openProfileForm creates a profile (p == nil) or edits one. Secrets are
// typed into a masked field and exist in clear only until the backend
// encrypts them on the way out.
func (m *Model) openProfileForm(p *api.Profile) tea.Cmd {
	if !m.keys.NewProfile.Binding.Enabled() {
		return nil
	}
	title, submit := "New agent profile", "Create"
	cur := api.Profile{}
	if p != nil {
		title, submit, cur = "Edit profile "+sanitize.Line(p.Name), "Save", *p
	}
	countries := []option{{Value: "", Label: "(none)"}}
	for _, c := range api.ProxyCountries {
		countries = append(countries, option{Value: c, Label: strings.ToUpper(c)})
	}
	types := []option{{Value: "", Label: "(none)"}}
	for _, t := range api.ProxyTypes {
		types = append(types, option{Value: t, Label: t})
	}
	f := newForm(m.st, title, submit)
	f.text("name", "Name", "Unique in the organization", cur.Name)
	f.text("description", "Description", "", cur.Description)
	f.choice("country", "Proxy country", "", countries, cur.ProxyCountry)
	f.choice("proxy", "Proxy type", "", types, cur.ProxyType)
	f.toggle("captcha", "Captcha solver", "space toggles", cur.CaptchaSolver)
	f.toggle("sticky", "Sticky IP", "", cur.StickyIP)
	f.toggle("stealth", "Extra stealth", "", cur.ExtraStealth)
	for _, c := range cur.Credentials {
		f.toggle("delete:"+c.ID, "Delete "+ansi.Truncate(sanitize.Line(c.Name), 9, "…"), "Remove the stored credential "+sanitize.Line(c.Name), false)
	}
	f.text("credName", "New credential", "Name of a credential to add (optional)", "")
	f.secret("credValue", "Its value", "Encrypted with the platform's public key before it is sent; never shown")
	f.submit = func(m *Model, f *form) (tea.Cmd, error) { return submitProfile(m, f, p) }
	f.setWidth(m.w)
	m.overlay = f
	return f.focusField(0)
}

func submitProfile(m *Model, f *form, existing *api.Profile) (tea.Cmd, error) {
	name := strings.TrimSpace(f.get("name").value())
	if name == "" {
		return nil, errors.New("a profile needs a name")
	}
	credName, credValue := strings.TrimSpace(f.get("credName").value()), f.get("credValue").value()
	if (credName == "") != (credValue == "") {
		return nil, errors.New("a new credential needs both a name and a value")
	}
	var secrets []api.Secret
	if credName != "" {
		secrets = []api.Secret{{Name: credName, Value: credValue}}
	}
	desc := f.get("description").value()
	country, proxy := f.get("country").value(), f.get("proxy").value()
	captcha, sticky, stealth := f.get("captcha").on, f.get("sticky").on, f.get("stealth").on
	backend, ctx := m.opts.Backend, m.ctx
	if existing == nil {
		in := api.ProfileInput{Name: name, Description: desc, OrganizationID: m.opts.Organization, ProxyCountry: country,
			ProxyType: proxy, CaptchaSolver: captcha, StickyIP: sticky, ExtraStealth: stealth, Credentials: secrets}
		return func() tea.Msg {
			c, cancel := context.WithTimeout(ctx, actionTimeout)
			defer cancel()
			_, err := backend.CreateProfile(c, in)
			return formDoneMsg{form: f, err: err, ok: "Created profile " + sanitize.Line(name) + ".", then: refreshCatalog}
		}, nil
	}
	up := api.ProfileUpdate{AddCredentials: secrets}
	setIf := func(dst **string, old, cur string) {
		if old != cur {
			v := cur
			*dst = &v
		}
	}
	setIf(&up.Name, existing.Name, name)
	setIf(&up.Description, existing.Description, desc)
	setIf(&up.ProxyCountry, existing.ProxyCountry, country)
	setIf(&up.ProxyType, existing.ProxyType, proxy)
	setBool := func(dst **bool, old, cur bool) {
		if old != cur {
			v := cur
			*dst = &v
		}
	}
	setBool(&up.CaptchaSolver, existing.CaptchaSolver, captcha)
	setBool(&up.StickyIP, existing.StickyIP, sticky)
	setBool(&up.ExtraStealth, existing.ExtraStealth, stealth)
	for _, c := range existing.Credentials {
		if fld := f.get("delete:" + c.ID); fld != nil && fld.on {
			up.DeleteCredentials = append(up.DeleteCredentials, c.ID)
		}
	}
	id := existing.ID
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		_, err := backend.UpdateProfile(c, id, up)
		return formDoneMsg{form: f, err: err, ok: "Saved profile " + sanitize.Line(name) + ".", then: refreshCatalog}
	}, nil
}

// deleteProfile asks, then deletes.
func (m *Model) deleteProfile(p api.Profile) tea.Cmd {
	id, name := p.ID, sanitize.Line(p.Name)
	m.overlay = &confirmDialog{
		title: "Delete profile " + name + "?",
		body:  "Executions can no longer run with it, and its stored credentials and cookies are deleted. This cannot be undone.",
		yes:   "Delete profile",
		no:    "Keep it",
		onYes: func(m *Model) tea.Cmd {
			run := m.run("delete profile "+name, "Deleted profile "+name+".", func(ctx context.Context, b api.Backend) error {
				return b.DeleteProfile(ctx, id)
			})
			return func() tea.Msg {
				done := run().(actionDoneMsg)
				done.catalog = true
				return done
			}
		},
	}
	return nil
}

// refreshCatalog asks the poller for new listings (after a profile change).
func refreshCatalog(m *Model) tea.Cmd {
	src := m.src
	if src == nil {
		return nil
	}
	return func() tea.Msg { src.Refresh(); return nil }
}
