package lists

import (
	"context"
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// openProfileForm creates a profile (p == nil) or edits one. Secrets are
// typed into a masked field and exist in clear only until the backend
// encrypts them on the way out.
func openProfileForm(ctx *pane.Context, p *api.Profile) tea.Cmd {
	if !ctx.Keys.NewProfile.Binding.Enabled() {
		return nil
	}
	title, submit := "New agent profile", "Create"
	cur := api.Profile{}
	if p != nil {
		title, submit, cur = "Edit profile "+sanitize.Line(p.Name), "Save", *p
	}
	countries := []overlay.Option{{Value: "", Label: "(none)"}}
	for _, c := range api.ProxyCountries {
		countries = append(countries, overlay.Option{Value: c, Label: strings.ToUpper(c)})
	}
	types := []overlay.Option{{Value: "", Label: "(none)"}}
	for _, t := range api.ProxyTypes {
		types = append(types, overlay.Option{Value: t, Label: t})
	}
	f := overlay.NewForm(ctx, title, submit)
	f.Text("name", "Name", "Unique in the organization", cur.Name)
	f.Text("description", "Description", "", cur.Description)
	f.Choice("country", "Proxy country", "", countries, cur.ProxyCountry)
	f.Choice("proxy", "Proxy type", "", types, cur.ProxyType)
	f.Toggle("captcha", "Captcha solver", "space toggles", cur.CaptchaSolver)
	f.Toggle("sticky", "Sticky IP", "", cur.StickyIP)
	f.Toggle("stealth", "Extra stealth", "", cur.ExtraStealth)
	for _, c := range cur.Credentials {
		f.Toggle("delete:"+c.ID, "Delete "+ansi.Truncate(sanitize.Line(c.Name), 9, "…"), "Remove the stored credential "+sanitize.Line(c.Name), false)
	}
	for _, c := range cur.Cookies {
		f.Toggle("delete-cookie:"+c.ID, "Drop "+ansi.Truncate(sanitize.Line(c.Name), 11, "…"), "Remove the cookie "+sanitize.Line(c.Name+" ("+c.Domain+")"), false)
	}
	f.Text("credName", "New credential", "Name of a credential to add (optional)", "")
	f.Secret("credValue", "Its value", "Encrypted with the platform's public key before it is sent; never shown")
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) { return submitProfile(ctx, f, p) }
	ctx.Host.Open(f)
	return f.FocusField(0)
}

func submitProfile(ctx *pane.Context, f *overlay.Form, existing *api.Profile) (tea.Cmd, error) {
	name := strings.TrimSpace(f.Get("name").Value())
	if name == "" {
		return nil, errors.New("a profile needs a name")
	}
	credName, credValue := strings.TrimSpace(f.Get("credName").Value()), f.Get("credValue").Value()
	if (credName == "") != (credValue == "") {
		return nil, errors.New("a new credential needs both a name and a value")
	}
	var secrets []api.Secret
	if credName != "" {
		secrets = []api.Secret{{Name: credName, Value: credValue}}
	}
	desc := f.Get("description").Value()
	country, proxy := f.Get("country").Value(), f.Get("proxy").Value()
	on := func(name string) bool { fld := f.Get(name); return fld != nil && fld.Value() != "" }
	captcha, sticky, stealth := on("captcha"), on("sticky"), on("stealth")
	refresh := func() tea.Cmd { return kit.Refresh(ctx.Source) }
	if existing == nil {
		in := api.ProfileInput{Name: name, Description: desc, OrganizationID: ctx.Organization, ProxyCountry: country,
			ProxyType: proxy, CaptchaSolver: captcha, StickyIP: sticky, ExtraStealth: stealth, Credentials: secrets}
		return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
			_, err := b.CreateProfile(c, in)
			return overlay.Done{Form: f, Err: err, OK: "Created profile " + sanitize.Line(name) + ".", Then: refresh}
		}), nil
	}
	up := api.ProfileUpdate{AddCredentials: secrets}
	changed(&up.Name, existing.Name, name)
	changed(&up.Description, existing.Description, desc)
	changed(&up.ProxyCountry, existing.ProxyCountry, country)
	changed(&up.ProxyType, existing.ProxyType, proxy)
	changed(&up.CaptchaSolver, existing.CaptchaSolver, captcha)
	changed(&up.StickyIP, existing.StickyIP, sticky)
	changed(&up.ExtraStealth, existing.ExtraStealth, stealth)
	for _, c := range existing.Credentials {
		if on("delete:" + c.ID) {
			up.DeleteCredentials = append(up.DeleteCredentials, c.ID)
		}
	}
	for _, c := range existing.Cookies {
		if on("delete-cookie:" + c.ID) {
			up.DeleteCookies = append(up.DeleteCookies, c.ID)
		}
	}
	id := existing.ID
	return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
		_, err := b.UpdateProfile(c, id, up)
		return overlay.Done{Form: f, Err: err, OK: "Saved profile " + sanitize.Line(name) + ".", Then: refresh}
	}), nil
}

// changed sets *dst to cur when it differs from old (a profile update
// sends only what changed).
func changed[T comparable](dst **T, old, cur T) {
	if old != cur {
		*dst = &cur
	}
}

// deleteProfile asks, then deletes.
func deleteProfile(ctx *pane.Context, p api.Profile) tea.Cmd {
	id, name := p.ID, sanitize.Line(p.Name)
	ctx.Host.Open(overlay.NewConfirm(ctx, "Delete profile "+name+"?",
		"Executions can no longer run with it, and its stored credentials and cookies are deleted. This cannot be undone.",
		"Delete profile", "Keep it",
		func() tea.Cmd {
			return kit.Act(ctx.Ctx, ctx.Backend, "delete profile "+name, "Deleted profile "+name+".", true, func(c context.Context, b api.Backend) error {
				return b.DeleteProfile(c, id)
			})
		}))
	return nil
}
