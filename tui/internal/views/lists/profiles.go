package lists

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/keys"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// Profiles lists the agent profiles; enter shows one, n, e and D create,
// edit and delete, c adds a cookie.
var Profiles = Def[api.Profile]{
	Info:    pane.Info{Name: "profiles", Aliases: []string{"profile", "prof", "pr"}, Title: "Profiles", Key: "3", KeyHelp: "profiles", Needs: func(c api.Capabilities) bool { return c.Profiles }},
	Heading: "Profiles",
	Empty:   "No agent profiles.",
	Columns: []kit.Column{
		{Title: "NAME", Flex: 1, Min: 14},
		{Title: "PROXY", Width: 16},
		{Title: "CREDENTIALS", Width: 11, Right: true},
		{Title: "COOKIES", Width: 7, Right: true, HideBelow: 70},
		{Title: "OPTIONS", Width: 22, HideBelow: 90},
		{Title: "UPDATED", Width: 8, Right: true},
		{Title: "DESCRIPTION", Flex: 2, Min: 10, HideBelow: 110},
	},
	Source: func(ctx *pane.Context) []api.Profile { return ctx.Catalog.Profiles },
	Text:   func(p api.Profile) string { return p.Name + " " + p.Description + " " + p.ID },
	Sorts: []Sort[api.Profile]{
		{"name", ByText(func(p api.Profile) string { return p.Name })},
		{"updated", ByNewest(func(p api.Profile) time.Time { return p.UpdatedAt })},
		{"credentials", ByMost(func(p api.Profile) int { return len(p.Credentials) })},
	},
	Cells: func(ctx *pane.Context, p api.Profile, sel bool) []string {
		return []string{sanitize.Line(p.Name), proxyText(p), fmt.Sprint(len(p.Credentials)), fmt.Sprint(len(p.Cookies)),
			profileOptions(p), kit.Ago(ctx.Now, p.UpdatedAt), sanitize.Line(p.Description)}
	},
	Open: func(ctx *pane.Context, p api.Profile) tea.Cmd {
		ctx.Host.Open(overlay.NewPage(ctx, "Profile "+sanitize.Line(p.Name), func(w int) []string { return profileLines(ctx, p, w) }))
		return nil
	},
	Act: func(ctx *pane.Context, k tea.KeyPressMsg, p api.Profile, ok bool) tea.Cmd {
		km := ctx.Keys
		switch {
		case key.Matches(k, km.NewProfile.Binding):
			return openProfileForm(ctx, nil)
		case key.Matches(k, km.EditProfile.Binding) && ok:
			return openProfileForm(ctx, &p)
		case key.Matches(k, km.DeleteProfile.Binding) && ok:
			return deleteProfile(ctx, p)
		case key.Matches(k, km.AddCookie.Binding) && ok:
			return openCookieForm(ctx, p)
		}
		ctx.RefuseOff(k.String(), keys.ScopeProfiles)
		return nil
	},
	Help: func(km *keys.KeyMap) []*keys.Action {
		return []*keys.Action{km.NewProfile, km.EditProfile, km.AddCookie, km.DeleteProfile}
	},
	Catalog: true,
}

func proxyText(p api.Profile) string {
	if p.ProxyType == "" && p.ProxyCountry == "" {
		return "—"
	}
	return sanitize.Line(p.ProxyType + " " + p.ProxyCountry)
}

func profileOptions(p api.Profile) string {
	var opts []string
	for _, o := range [...]struct {
		on   bool
		name string
	}{{p.CaptchaSolver, "captcha"}, {p.StickyIP, "sticky-ip"}, {p.ExtraStealth, "stealth"}} {
		if o.on {
			opts = append(opts, o.name)
		}
	}
	return kit.FirstNonEmpty(strings.Join(opts, ","), "—")
}

// profileLines describes a profile. Credential values are never part of a
// Profile; only their names are shown.
func profileLines(ctx *pane.Context, p api.Profile, w int) []string {
	st, now := ctx.Styles, ctx.Now
	out := []string{
		overlay.KV(ctx, "ID", sanitize.Line(p.ID), w),
		overlay.KV(ctx, "Description", sanitize.Line(kit.FirstNonEmpty(p.Description, "—")), w),
		overlay.KV(ctx, "Proxy", proxyText(p), w),
		overlay.KV(ctx, "Options", profileOptions(p), w),
		overlay.KV(ctx, "Created", kit.Ago(now, p.CreatedAt)+" ago", w),
		overlay.KV(ctx, "Updated", kit.Ago(now, p.UpdatedAt)+" ago", w),
		"", " " + st.Accent.Render(fmt.Sprintf("Credentials (%d)", len(p.Credentials))),
	}
	for _, c := range p.Credentials {
		out = append(out, "   "+kit.FitCell(sanitize.Line(c.Name), 30, false)+" "+st.Muted.Render("••••••  added "+kit.Ago(now, c.CreatedAt)+" ago"))
	}
	out = append(out, "", " "+st.Accent.Render(fmt.Sprintf("Cookies (%d)", len(p.Cookies))))
	for _, c := range p.Cookies {
		out = append(out, "   "+kit.FitCell(sanitize.Line(c.Name), 20, false)+" "+sanitize.Line(c.Key+" @ "+c.Domain)+st.Muted.Render("  value hidden"))
	}
	return out
}
