package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/agentop/agentop/tui/sanitize"
)

// errNotConfirmed is the answer "no" to a confirmation.
var errNotConfirmed = errors.New("not confirmed; nothing was changed")

// confirm asks a yes/no question on the terminal before a destructive
// action; the default is no. --yes skips it. Without a terminal to ask on,
// the action is refused unless --yes was given, so a script never destroys
// anything by accident. question is only built when there is someone to
// ask (it may fetch what it describes).
func (a *app) confirm(yes bool, action string, question func() (string, error)) error {
	if yes {
		return nil
	}
	if !a.io.Term.StdinIsTerminal() {
		return usageErrorf("%s needs confirmation: pass --yes (stdin is not a terminal)", action)
	}
	q, err := question()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "%s [y/N] ", sanitize.Line(q))
	line, _ := a.input().ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return withCode(exitError, failed(errNotConfirmed, "%s", action))
}
