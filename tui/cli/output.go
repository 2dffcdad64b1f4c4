package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/agentop/agentop/tui/sanitize"
	"github.com/agentop/agentop/tui/theme"
)

// Output formats (-o).
const (
	formatTable = "table"
	formatJSON  = "json"
)

// jsonOutput reports whether -o json was asked for; an unknown format is a
// usage error.
func (a *app) jsonOutput() (bool, error) {
	switch strings.ToLower(strings.TrimSpace(a.flags.output)) {
	case formatTable, "":
		return false, nil
	case formatJSON:
		return true, nil
	}
	return false, usageErrorf("unknown output format %q (want table or json)", a.flags.output)
}

// emit prints v as indented JSON with -o json, else calls human to print the
// table form.
func (a *app) emit(v any, human func(w io.Writer) error) error {
	asJSON, err := a.jsonOutput()
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(a.io.Out, v, true)
	}
	return human(a.io.Out)
}

// writeJSON encodes v on one line (a stream item) or indented, with every
// character a terminal would act on escaped (see escapeForTerminal).
func writeJSON(w io.Writer, v any, indent bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeForTerminal(buf.Bytes()))
	return err
}

// escapeForTerminal escapes, as \uXXXX, what encoding/json leaves raw but a
// terminal acts on or reorders text by: DEL and the C1 controls
// (U+007F–U+009F; U+009B alone starts a control sequence), the bidi marks,
// embeddings, overrides and isolates and U+FEFF — sanitize.Unsafe, the
// characters sanitize drops from text (the encoder already escapes those
// below U+0020) — and bytes that are not UTF-8, as \ufffd. It is
// safe on any encoder output: outside strings JSON holds only ASCII
// punctuation, letters, digits and white space, so each of these is inside a
// string, where the escape stands for the same character.
func escapeForTerminal(data []byte) []byte {
	var out []byte // allocated at the first escape
	last := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		// A byte that is not UTF-8 (raw JSON the platform sent, kept
		// verbatim) becomes U+FFFD: a lone 0x9b is CSI to an 8-bit terminal.
		if invalid := r == utf8.RuneError && size == 1; invalid || r >= 0x7f && sanitize.Unsafe(r) { // below DEL the encoder escaped already
			if out == nil {
				out = make([]byte, 0, len(data)+16)
			}
			out = append(out, data[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// printLine prints platform text as one sanitised line.
func printLine(w io.Writer, s string) error {
	_, err := fmt.Fprintln(w, sanitize.Line(s))
	return err
}

// styles returns the table styles: coloured by the configured theme when
// colour is allowed, nil for plain output.
func (a *app) styles() *theme.Styles {
	if !a.colour() {
		return nil
	}
	name := a.flags.theme
	if cfg, err := a.config(); err == nil {
		name = cfg.Theme.Value
	}
	t, err := theme.Lookup(name)
	if err != nil {
		return nil
	}
	return theme.New(t)
}

// newTable starts a table that fits the output width, styled when colour is
// allowed.
func (a *app) newTable(cols ...column) *table {
	return &table{cols: cols, width: a.width(), styles: a.styles()}
}

// newDetails starts a details view that fits the output width.
func (a *app) newDetails() *details {
	return &details{width: a.width(), styles: a.styles()}
}
