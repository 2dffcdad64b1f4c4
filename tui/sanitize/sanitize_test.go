package sanitize

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHostileSequencesRenderInert(t *testing.T) {
	cases := map[string]string{
		"csi colour":         "\x1b[31mred\x1b[0m",
		"clear screen":       "\x1b[2J\x1b[Hgotcha",
		"osc title":          "\x1b]0;pwned\x07title",
		"osc 52 clipboard":   "\x1b]52;c;cm0gLXJmIC8=\x1b\\copy",
		"osc 8 hyperlink":    "\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\",
		"dcs":                "\x1bP+q544e\x1b\\dcs",
		"8-bit csi":          "\u009b31mred",
		"lone esc":           "a\x1bb",
		"bell and backspace": "ding\x07\x08\x08xx",
		"bidi override":      "invoice\u202egpj.exe",
		"bidi isolate":       "a\u2066b\u2069c",
		"nul and del":        "a\x00b\x7fc",
		"bom":                "\ufeffhello",
		"invalid utf8":       "ok\xffok",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			for _, out := range []string{Text(in), Line(in)} {
				for _, r := range out {
					assert.False(t, Unsafe(r), "control %U survived in %q", r, out)
				}
				assert.NotContains(t, out, "\x1b")
				assert.NotContains(t, out, "\u009b")
			}
		})
	}
	assert.Equal(t, "red", Text("\x1b[31mred\x1b[0m"))
	assert.Equal(t, "invoicegpj.exe", Line("invoice\u202egpj.exe"))
	assert.Equal(t, "ok\uFFFDok", Text("ok\xffok"))
}

func TestTextKeepsLinesAndLineCollapsesThem(t *testing.T) {
	in := "Which account?\r\n\n  1. Main\tEUR\roverwrite"
	assert.Equal(t, "Which account?\n\n  1. Main    EUR\noverwrite", Text(in))
	assert.Equal(t, "Which account? 1. Main EUR overwrite", Line(in))
	assert.Equal(t, "", Line(" \n\t "))
	assert.True(t, IsSafe("plain text, ünïcode, 日本語, emoji 👩‍💻"))
	assert.Equal(t, "👩‍💻", Line("👩‍💻"), "zero-width joiners in emoji are kept")
}

func TestLargeInputIsLinear(t *testing.T) {
	big := strings.Repeat("line \x1b[1mbold\x1b[0m\n", 10000)
	out := Text(big)
	assert.Equal(t, 10000, strings.Count(out, "\n"))
}
