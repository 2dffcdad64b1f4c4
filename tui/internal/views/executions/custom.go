package executions

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"text/template"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/internal/kit"
	"github.com/agentop/agentop/tui/internal/pane"
	"github.com/agentop/agentop/tui/sanitize"
)

// commandTimeout bounds a custom command that runs in the background.
const commandTimeout = time.Minute

// commandData is what a custom command's templates see.
type commandData struct {
	ID, URL, Agent, AgentID, Status string
	Context                         string // the execution's context (in a fleet, its own)
}

// customCommand runs the config command whose key k is, on e: the
// arguments are templates, each one argument (no shell unless the command
// names one). In the background its first line of output comes back as a
// flash; an interactive one has the terminal while it runs.
func (v *View) customCommand(k tea.KeyPressMsg) (tea.Cmd, bool) {
	for _, c := range v.ctx.Commands {
		if !key.Matches(k, c.Action.Binding) {
			continue
		}
		e, ok := v.actionTarget()
		if !ok {
			return nil, true
		}
		args, err := expand(c.Run, e, kit.FirstNonEmpty(e.Context, v.ctx.ContextName))
		if err != nil {
			v.ctx.Flash(pane.Err, c.Name+": "+err.Error())
			return nil, true
		}
		name := c.Name
		if c.Interactive {
			return tea.ExecProcess(exec.Command(args[0], args[1:]...), func(err error) tea.Msg {
				return kit.Done{What: "run " + name, Err: err, Done: name + " finished."}
			}), true
		}
		v.ctx.Flash(pane.Note, "Running "+name+"…")
		parent := v.ctx.Ctx
		return func() tea.Msg { return runBackground(parent, name, args) }, true
	}
	return nil, false
}

// expand fills the templates with e's values (sanitised: one argument
// each, free of control characters).
func expand(run []string, e api.Execution, context string) ([]string, error) {
	url, _ := executionURL(e)
	data := commandData{ID: e.ID, URL: url, Agent: sanitize.Line(e.AgentName), AgentID: e.AgentID, Status: string(e.Status),
		Context: sanitize.Line(context)}
	out := make([]string, len(run))
	for i, arg := range run {
		t, err := template.New("arg").Option("missingkey=error").Parse(arg)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		if err := t.Execute(&b, data); err != nil {
			return nil, err
		}
		out[i] = b.String()
	}
	return out, nil
}

// runBackground runs a command to its end (or the timeout) and reports its
// first line of output.
func runBackground(parent context.Context, name string, args []string) tea.Msg {
	c, cancel := context.WithTimeout(parent, commandTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(c, args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = &limited{b: &out, n: 4096}, &limited{b: &out, n: 4096}
	err := cmd.Run()
	first := strings.TrimSpace(strings.SplitN(out.String(), "\n", 2)[0])
	if err != nil {
		if first != "" {
			err = fmt.Errorf("%w: %s", err, sanitize.Line(first))
		}
		return kit.Done{What: "run " + name, Err: err}
	}
	done := name + " done."
	if first != "" {
		done = name + ": " + sanitize.Line(first)
	}
	return kit.Done{Done: done}
}

// limited keeps the first n bytes written.
type limited struct {
	b *bytes.Buffer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
