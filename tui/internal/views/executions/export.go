package executions

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/poller"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/overlay"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// openExport asks where to write what the focused pane shows: the feed's
// activities (JSON lines) from the feed, else the listed executions (CSV
// or JSON lines), in the table's order.
func (v *View) openExport() tea.Cmd {
	stamp := v.ctx.Now.Format("20060102-150405")
	var write func(w io.Writer, format string) (int, error)
	title, name, formats := "", "", []overlay.Option{{Value: "csv", Label: "CSV"}, {Value: "jsonl", Label: "JSON lines"}}
	if f := v.currentFeed(); v.focus == areaFeed && f != nil {
		acts := f.Activities() // a copy: the Cmd must not read the live feed
		title, name = "Export the feed of "+kit.ShortID(v.focusID), "agentop-feed-"+kit.ShortID(v.focusID)+"-"+stamp
		formats = formats[1:]
		write = func(w io.Writer, _ string) (int, error) { return len(acts), writeJSONLines(w, acts) }
	} else {
		l := &v.rows
		if l.snap == nil || len(l.rows) == 0 {
			v.ctx.Flash(pane.Warn, "Nothing listed to export.")
			return nil
		}
		rows, snap, now := l.rows, l.snap, v.ctx.Now // immutable: the Cmd reads them off the loop
		title, name = fmt.Sprintf("Export %d executions", len(rows)), "agentop-executions-"+stamp
		write = func(w io.Writer, format string) (int, error) {
			return len(rows), writeExecutions(w, format, snap, rows, now)
		}
	}
	f := overlay.NewForm(v.ctx, title, "Export")
	f.Choice("format", "Format", "", formats, formats[0].Value)
	f.Text("path", "File", "Written there (.csv or .jsonl is added); an existing file is kept", name)
	ctx := v.ctx
	f.Submit = func(f *overlay.Form) (tea.Cmd, error) {
		format := f.Get("format").Value()
		path := strings.TrimSpace(f.Get("path").Value())
		if path == "" {
			return nil, errors.New("where should it go? a file name is needed")
		}
		if filepath.Ext(path) == "" {
			path += "." + format
		}
		return func() tea.Msg {
			n, err := exportTo(path, func(w io.Writer) (int, error) { return write(w, format) })
			abs, _ := filepath.Abs(path)
			return overlay.Done{Form: f, Err: err, OK: fmt.Sprintf("Exported %d to %s.", n, sanitize.Line(kit.FirstNonEmpty(abs, path)))}
		}, nil
	}
	ctx.Host.Open(f)
	return f.FocusField(0)
}

// exportTo writes a new file atomically: a temporary file renamed into
// place, never over an existing one.
func exportTo(path string, write func(io.Writer) (int, error)) (int, error) {
	if _, err := os.Lstat(path); err == nil {
		return 0, fmt.Errorf("%s exists; choose another name", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".agentop-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	n, err := write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	// A link fails if the file appeared meanwhile; where links are not
	// supported, a rename after a last look.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, fmt.Errorf("%s exists; choose another name", path)
		}
		if _, serr := os.Lstat(path); serr == nil {
			return 0, fmt.Errorf("%s exists; choose another name", path)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// writeJSONLines writes one JSON object per line.
func writeJSONLines[T any](w io.Writer, items []T) error {
	enc := json.NewEncoder(w)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// exportRow is an execution as exported.
type exportRow struct {
	ID        string            `json:"id"`
	Agent     string            `json:"agent"`
	AgentID   string            `json:"agentId"`
	Status    string            `json:"status"`
	Outcome   string            `json:"outcome,omitempty"`
	Started   time.Time         `json:"started"`
	Ended     *time.Time        `json:"ended,omitempty"`
	Seconds   int64             `json:"seconds"`
	Profile   string            `json:"profile,omitempty"`
	Metadata  map[string]string `json:"metadata,omitempty"`
	LiveView  string            `json:"liveViewUrl,omitempty"`
	Recording string            `json:"recordingUrl,omitempty"`
}

func toExportRow(e api.Execution, now time.Time) exportRow {
	r := exportRow{ID: e.ID, Agent: e.AgentName, AgentID: e.AgentID, Status: e.StatusWord(), Started: e.CreatedAt,
		Seconds: int64(e.Elapsed(now) / time.Second), Profile: e.ProfileName, Metadata: e.Metadata,
		LiveView: e.LiveViewURL, Recording: e.RecordingURL}
	if e.Result != nil {
		r.Outcome = e.Result.Outcome
	}
	if !e.TerminalAt.IsZero() {
		t := e.TerminalAt
		r.Ended = &t
	}
	return r
}

// writeExecutions writes the listed executions in the table's order.
func writeExecutions(w io.Writer, format string, snap *poller.Snapshot, rows []int, now time.Time) error {
	out := make([]exportRow, len(rows))
	for i, r := range rows {
		out[i] = toExportRow(snap.Executions[r], now)
	}
	if format == "jsonl" {
		return writeJSONLines(w, out)
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "agent", "agent_id", "status", "outcome", "started", "ended", "seconds", "profile"})
	for _, r := range out {
		ended := ""
		if r.Ended != nil {
			ended = r.Ended.UTC().Format(time.RFC3339)
		}
		_ = cw.Write([]string{r.ID, csvSafe(r.Agent), r.AgentID, r.Status, csvSafe(r.Outcome), r.Started.UTC().Format(time.RFC3339), ended,
			fmt.Sprint(r.Seconds), csvSafe(r.Profile)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from taking platform text for a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
