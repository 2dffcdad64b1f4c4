package sanitize_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/agentop/agentop/tui/sanitize"
)

// Seeds (testdata/fuzz/…): hostile terminal input (OSC 52/8/0, CSI, DCS,
// 8-bit C1, bidi overrides, zero-width characters, invalid UTF-8) and the
// text of the recorded wire examples. Run longer with
//
//	go test ./tui/sanitize -run '^$' -fuzz '^FuzzText$' -fuzztime 5m

// FuzzText: Text and Line leave valid UTF-8 without ESC, C0/C1 controls
// (Text keeps line breaks), DEL or bidi controls; nothing the terminal would
// parse as a sequence remains, so the width measured is the width drawn and
// cutting to a width fits it; a second pass changes nothing.
func FuzzText(f *testing.F) {
	f.Add("plain text")
	f.Add("\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b31m\u202egnp.exe\u200b\xff")
	f.Fuzz(func(t *testing.T, s string) {
		for _, oneLine := range []bool{false, true} {
			out := sanitize.Text(s)
			if oneLine {
				out = sanitize.Line(s)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			for _, r := range out {
				if r == '\n' && !oneLine {
					continue
				}
				if sanitize.Unsafe(r) {
					t.Fatalf("unsafe rune %U out of %q: %q", r, s, out)
				}
			}
			if strings.ContainsRune(out, '\x1b') {
				t.Fatalf("ESC out of %q", s)
			}
			if ansi.Strip(out) != out {
				t.Fatalf("a terminal sequence survives in %q", out)
			}
			if oneLine && out != strings.TrimSpace(out) {
				t.Fatalf("Line left surrounding space: %q", out)
			}
			again := sanitize.Text(out)
			if oneLine {
				again = sanitize.Line(out)
			}
			if again != out {
				t.Fatalf("not idempotent: %q → %q", out, again)
			}
			if !sanitize.IsSafe(out) {
				t.Fatalf("IsSafe denies its own output %q", out)
			}
			for _, line := range strings.Split(out, "\n") {
				w := ansi.StringWidth(line)
				if w < 0 || w > 2*utf8.RuneCountInString(line) {
					t.Fatalf("width %d for %d runes: %q", w, utf8.RuneCountInString(line), line)
				}
				for _, max := range []int{1, 5, 20} {
					if cut := ansi.Truncate(line, max, "…"); ansi.StringWidth(cut) > max {
						t.Fatalf("cut to %d it is %d wide: %q", max, ansi.StringWidth(cut), cut)
					}
				}
			}
		}
	})
}
