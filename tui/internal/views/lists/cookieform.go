package lists

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// openCookieForm adds a cookie to profile p. Its value is typed masked,
// goes only into the update request, and is never shown (the profile page
// lists cookies by name and domain).
func openCookieForm(ctx *pane.Context, p api.Profile) tea.Cmd {
	if !ctx.Keys.AddCookie.Binding.Enabled() {
		return nil
	}
	sites := []overlay.Option{{Value: "", Label: "(not set)"}}
	for _, s := range api.SameSites {
		sites = append(sites, overlay.Option{Value: s, Label: s})
	}
	f := overlay.NewForm(ctx, "Add a cookie to "+sanitize.Line(p.Name), "Add cookie")
	f.Text("name", "Name", "What the cookie is for (shown in lists)", "")
	f.Text("key", "Cookie key", "The cookie's name as the site sets it", "")
	f.Secret("value", "Value", "Sent to the platform only; never shown")
	f.Text("domain", "Domain", "e.g. .example.com", "")
	f.Toggle("secure", "Secure", "space toggles: HTTPS only", true)
	f.Toggle("httponly", "HTTP only", "not readable by the page's scripts", true)
	f.Choice("samesite", "SameSite", "", sites, "")
	f.Text("expiry", "Expires", "YYYY-MM-DD or RFC 3339; empty: a session cookie", "")
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) { return submitCookie(ctx, f, p) }
	ctx.Host.Open(f)
	return f.FocusField(0)
}

func submitCookie(ctx *pane.Context, f *overlay.Form, p api.Profile) (tea.Cmd, error) {
	in := api.CookieInput{
		Name:     strings.TrimSpace(f.Get("name").Value()),
		Key:      strings.TrimSpace(f.Get("key").Value()),
		Value:    f.Get("value").Value(),
		Domain:   strings.TrimSpace(f.Get("domain").Value()),
		Secure:   f.Get("secure").Value() != "",
		HTTPOnly: f.Get("httponly").Value() != "",
		SameSite: f.Get("samesite").Value(),
	}
	switch {
	case in.Key == "":
		return nil, errors.New("a cookie needs its key")
	case in.Value == "":
		return nil, errors.New("a cookie needs a value")
	case in.Domain == "":
		return nil, errors.New("a cookie needs a domain")
	}
	if in.Name == "" {
		in.Name = in.Key
	}
	if s := strings.TrimSpace(f.Get("expiry").Value()); s != "" {
		t, err := parseExpiry(s)
		if err != nil {
			return nil, err
		}
		in.Expiry = t
	}
	id, profile, what := p.ID, sanitize.Line(p.Name), sanitize.Line(in.Name)
	up := api.ProfileUpdate{AddCookies: []api.CookieInput{in}}
	return kit.Call(ctx.Ctx, ctx.Backend, kit.Timeout, func(c context.Context, b api.Backend) tea.Msg {
		_, err := b.UpdateProfile(c, id, up)
		return overlay.Done{Form: f, Err: err, OK: fmt.Sprintf("Added cookie %s to %s.", what, profile),
			Then: func() tea.Cmd { return kit.Refresh(ctx.Source) }}
	}), nil
}

// parseExpiry reads a date or an RFC 3339 time.
func parseExpiry(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("expires: want YYYY-MM-DD or an RFC 3339 time, not %q", sanitize.Line(s))
}
