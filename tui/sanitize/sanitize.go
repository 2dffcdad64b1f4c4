// Package sanitize makes untrusted text (agent messages, names, results, error
// bodies) safe to print on a terminal: no escape sequences, no control
// characters, no bidirectional overrides. Every string that came from a
// platform goes through Line or Text before it is rendered.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Text returns s with escape sequences and control characters removed,
// keeping line breaks. Carriage returns become line breaks (a bare CR could
// otherwise overwrite what is already on the line) and tabs become spaces.
func Text(s string) string { return clean(s, false) }

// Line returns s as one line: like Text, with every run of white space
// (line breaks included) collapsed to one space, and trimmed.
func Line(s string) string { return clean(s, true) }

// IsSafe reports whether s would pass through Text unchanged.
func IsSafe(s string) bool { return Text(s) == s }

func clean(s string, oneLine bool) string {
	if s == "" {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if needsStrip(s) {
		s = ansi.Strip(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a pending collapsed space (oneLine)
	prevCR := false
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n':
			if r == '\n' && prevCR {
				prevCR = false
				continue // CRLF is one break
			}
			prevCR = r == '\r'
			if oneLine {
				space = true
			} else {
				b.WriteByte('\n')
			}
			continue
		case r == '\t':
			if oneLine {
				space = true
			} else {
				b.WriteString("    ")
			}
			prevCR = false
			continue
		case oneLine && unicode.IsSpace(r): // ' ', NBSP, the Unicode spaces and separators
			space = true
			prevCR = false
			continue
		case Unsafe(r):
			prevCR = false
			continue
		}
		prevCR = false
		if space {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// needsStrip reports whether s may hold an escape sequence.
func needsStrip(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0x1b || c == 0xc2 { // ESC, or the lead byte of a UTF-8 C1 control
			return true
		}
	}
	return false
}

// Unsafe reports whether a rune must never reach the terminal as itself: C0
// and C1 controls, DEL, bidirectional embedding/override/isolate controls
// and marks, the byte-order mark and invisible zero-width characters. Text
// drops them; JSON output escapes them.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0xfeff:
		return true
	case r == 0x200b, r >= 0x2060 && r <= 0x2064, r == 0x180e:
		// Invisible characters with no use on a terminal (zero-width space,
		// word joiner, invisible operators, the Mongolian vowel separator)
		// that hide text from the reader. ZWJ and ZWNJ stay: emoji and
		// several scripts need them.
		return true
	}
	return false
}
