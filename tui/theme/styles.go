package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/agentop/agentop/api"
)

// Styles holds one style per element the dashboard draws.
type Styles struct {
	Theme Theme

	Base, Muted, Bold, Accent   lipgloss.Style
	Ok, Warn, Err, Info         lipgloss.Style
	Title, TitleFocused         lipgloss.Style // pane titles
	Border, BorderFocused       lipgloss.Style // pane frames
	TableHeader, Selected, Cell lipgloss.Style
	Match                       lipgloss.Style // search hits
	DemoBadge, WaitBadge        lipgloss.Style
	ReadOnlyBadge, PausedBadge  lipgloss.Style
	Key, KeyDesc                lipgloss.Style // help
	FlashInfo, FlashWarn        lipgloss.Style
	FlashErr                    lipgloss.Style
	Button, ButtonFocused       lipgloss.Style
	Danger, DangerFocused       lipgloss.Style
	Dialog                      lipgloss.Style
	ActorAgent, ActorUser       lipgloss.Style
	ActorSystem                 lipgloss.Style
	Question                    lipgloss.Style // the agent's question
	Input                       lipgloss.Style // a text input's frame

	status map[api.Status]lipgloss.Style
}

// Glyphs mark statuses so they read without colour.
var glyphs = map[api.Status]string{
	api.StatusStarting:             "◌",
	api.StatusRunning:              "●",
	api.StatusPaused:               "‖",
	api.StatusPausedByAgent:        "?",
	api.StatusAwaitingConfirmation: "!",
	api.StatusCompleted:            "✓",
	api.StatusFailed:               "✗",
	api.StatusCancelled:            "⊘",
}

// Glyph returns the one-cell mark of a status ("·" for unknown ones).
func Glyph(s api.Status) string {
	if g, ok := glyphs[s]; ok {
		return g
	}
	return "·"
}

// New builds the styles of a theme.
func New(t Theme) *Styles {
	p := t.Palette
	fg := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle()
		if !t.NoColor && c != nil {
			s = s.Foreground(c)
		}
		return s
	}
	badge := func(bg color.Color) lipgloss.Style {
		s := lipgloss.NewStyle().Bold(true).Padding(0, 1)
		if t.NoColor || bg == nil {
			return s.Reverse(true)
		}
		return s.Background(bg).Foreground(p.BadgeFg)
	}
	s := &Styles{
		Theme:  t,
		Base:   lipgloss.NewStyle(),
		Muted:  fg(p.Muted),
		Bold:   lipgloss.NewStyle().Bold(true),
		Accent: fg(p.Accent).Bold(true),
		Ok:     fg(p.Ok),
		Warn:   fg(p.Warn),
		Err:    fg(p.Err),
		Info:   fg(p.Info),
	}
	if t.NoColor {
		s.Muted = lipgloss.NewStyle().Faint(true)
		s.Err = lipgloss.NewStyle().Bold(true)
		s.Warn = lipgloss.NewStyle().Bold(true)
	}
	s.Title = s.Muted.Bold(true)
	s.TitleFocused = s.Accent
	s.Border = fg(p.Border)
	s.BorderFocused = fg(p.Focus)
	s.TableHeader = s.Muted.Bold(true)
	s.Cell = lipgloss.NewStyle()
	s.Selected = lipgloss.NewStyle().Bold(true)
	if t.NoColor || p.SelBg == nil {
		s.Selected = s.Selected.Reverse(true)
	} else {
		s.Selected = s.Selected.Background(p.SelBg).Foreground(p.SelFg)
	}
	s.Match = lipgloss.NewStyle().Underline(true).Bold(true)
	if !t.NoColor {
		s.Match = s.Match.Foreground(p.Warn)
	}
	s.DemoBadge = badge(p.Warn)
	s.WaitBadge = badge(p.Wait)
	s.ReadOnlyBadge = badge(p.Info)
	s.PausedBadge = badge(p.Warn)
	s.Key = s.Accent.Bold(false)
	s.KeyDesc = s.Muted
	s.FlashInfo = s.Ok
	s.FlashWarn = s.Warn
	s.FlashErr = s.Err.Bold(true)
	s.Button = lipgloss.NewStyle().Padding(0, 2)
	s.ButtonFocused = s.Selected.Padding(0, 2)
	s.Danger = s.Err.Padding(0, 2)
	s.DangerFocused = badge(p.Err).Padding(0, 2)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(1, 2)
	if !t.NoColor {
		s.Dialog = s.Dialog.BorderForeground(p.Focus)
	}
	s.ActorAgent = fg(p.Accent)
	s.ActorUser = fg(p.Wait).Bold(true)
	s.ActorSystem = s.Muted
	s.Question = lipgloss.NewStyle().Bold(true)
	s.Input = lipgloss.NewStyle()

	s.status = map[api.Status]lipgloss.Style{
		api.StatusStarting:             fg(p.Info),
		api.StatusRunning:              fg(p.Accent),
		api.StatusPaused:               fg(p.Warn),
		api.StatusPausedByAgent:        fg(p.Wait).Bold(true),
		api.StatusAwaitingConfirmation: fg(p.Wait).Bold(true),
		api.StatusCompleted:            fg(p.Ok),
		api.StatusFailed:               fg(p.Err),
		api.StatusCancelled:            s.Muted,
	}
	return s
}

// Status returns the style of a status (plain for unknown ones).
func (s *Styles) Status(st api.Status) lipgloss.Style {
	if x, ok := s.status[st]; ok {
		return x
	}
	return s.Base
}

// Actor returns the style of an activity's actor.
func (s *Styles) Actor(a api.Actor) lipgloss.Style {
	switch a {
	case api.ActorUser:
		return s.ActorUser
	case api.ActorAgent:
		return s.ActorAgent
	}
	return s.ActorSystem
}
