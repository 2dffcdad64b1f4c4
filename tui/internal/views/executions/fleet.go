package executions

import (
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// contextCol is a fleet table's column naming each execution's context,
// after its platform's glyph.
var contextCol = column{kit.Column{Title: "CONTEXT", Width: 14, HideBelow: 80}, (*View).contextCell, muted,
	func(ctx *pane.Context) bool { return ctx.Fleet != nil }}

// platformGlyphs mark a context's platform in the CONTEXT column.
var platformGlyphs = map[string]string{
	"asteroid": "✦", "archastro": "◈", "moderately": "◇", "prefactor": "▣",
}

// PlatformGlyph is the mark of a platform ("•" for one without its own).
func PlatformGlyph(platform string) string {
	if g, ok := platformGlyphs[platform]; ok {
		return g
	}
	return "•"
}

// contextCell is an execution's CONTEXT cell: its platform's glyph and its
// context's name.
func (v *View) contextCell(e api.Execution) string {
	fc, _ := v.ctx.ContextNamed(e.Context)
	return PlatformGlyph(fc.Platform) + " " + sanitize.Line(e.Context)
}

// contextNames lists the fleet's contexts in order (nil outside a fleet).
func (v *View) contextNames() []string {
	if v.ctx.Fleet == nil {
		return nil
	}
	out := make([]string, len(v.ctx.Fleet))
	for i, fc := range v.ctx.Fleet {
		out[i] = fc.Name
	}
	return out
}

// contextOrder ranks a context by its place in the fleet; an unknown one
// (or outside a fleet, every one) comes last, all equal.
func contextOrder(contexts []string) func(string) int {
	return func(name string) int {
		for i, c := range contexts {
			if c == name {
				return i
			}
		}
		return len(contexts)
	}
}

// contextFilter splits a filter's ctx:NAME words off the rest: an
// execution is kept when its context starts with one of the NAMEs (case
// folded; none: every context), and the rest is matched fuzzily.
func contextFilter(filter string) (keep func(context string) bool, rest string) {
	var names, words []string
	for _, w := range strings.Fields(filter) {
		if len(w) > 4 && strings.EqualFold(w[:4], "ctx:") {
			names = append(names, strings.ToLower(w[4:]))
			continue
		}
		words = append(words, w)
	}
	if len(names) == 0 {
		return func(string) bool { return true }, filter
	}
	return func(context string) bool {
		c := strings.ToLower(context)
		for _, n := range names {
			if strings.HasPrefix(c, n) {
				return true
			}
		}
		return false
	}, strings.Join(words, " ")
}
