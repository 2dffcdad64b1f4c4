// Package theme maps the dashboard's semantic elements (a status, an actor, a
// badge, a focused border …) to lipgloss styles. Themes name colours by role,
// never by element, and every element the dashboard draws has a style here,
// so a theme covers the whole screen. The "none" theme uses no colour at all
// (bold, reverse and underline only) and is chosen whenever NO_COLOR is set.
package theme

import (
	"fmt"
	"image/color"
	"os"
	"sort"

	"charm.land/lipgloss/v2"
)

// Palette names colours by role. A nil colour means "terminal default".
type Palette struct {
	Fg, Muted, Accent, Border, Focus color.Color
	SelBg, SelFg                     color.Color
	Ok, Warn, Err, Info, Wait        color.Color
	BadgeFg                          color.Color
}

// Theme is a named palette.
type Theme struct {
	Name    string
	Palette Palette
	NoColor bool // draw with attributes only
}

var ansi = lipgloss.Color

// Built-in themes.
var themes = map[string]Theme{
	// ANSI-16 colours follow the user's terminal palette.
	"default": {Name: "default", Palette: Palette{
		Muted: ansi("8"), Accent: ansi("6"), Border: ansi("8"), Focus: ansi("6"),
		SelBg: ansi("4"), SelFg: ansi("15"),
		Ok: ansi("2"), Warn: ansi("3"), Err: ansi("1"), Info: ansi("4"), Wait: ansi("5"),
		BadgeFg: ansi("0"),
	}},
	// 256-colour variant with softer tones.
	"dusk": {Name: "dusk", Palette: Palette{
		Muted: ansi("245"), Accent: ansi("110"), Border: ansi("240"), Focus: ansi("110"),
		SelBg: ansi("237"), SelFg: ansi("255"),
		Ok: ansi("108"), Warn: ansi("179"), Err: ansi("167"), Info: ansi("67"), Wait: ansi("176"),
		BadgeFg: ansi("235"),
	}},
	"none": {Name: "none", NoColor: true},
}

// Names lists the built-in theme names.
func Names() []string {
	out := make([]string, 0, len(themes))
	for n := range themes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Lookup returns a built-in theme by name ("" is "default").
func Lookup(name string) (Theme, error) {
	if name == "" {
		name = "default"
	}
	t, ok := themes[name]
	if !ok {
		return Theme{}, fmt.Errorf("unknown theme %q (have %v)", name, Names())
	}
	return t, nil
}

// Choose returns the theme to use: "none" when NO_COLOR is set to anything
// non-empty (no-color.org), else the named one.
func Choose(name string) (Theme, error) {
	if os.Getenv("NO_COLOR") != "" {
		return themes["none"], nil
	}
	return Lookup(name)
}
