package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

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

// writeJSON encodes v on one line (a stream item) or indented.
func writeJSON(w io.Writer, v any, indent bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(v)
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
