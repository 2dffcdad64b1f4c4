package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

// control describes an operator action on one execution.
type control struct {
	use, short, long, example string
	done                      string // "Paused", for the confirmation line
	act                       func(be api.Backend, ctx context.Context, id string) error
	confirm                   bool // ask first (cancel)
	reason                    bool // takes --reason where the platform does (cancel)
}

func (a *app) pauseCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "pause",
		short: "Pause a running execution",
		long: `Pause a running execution (status paused) until an operator resumes it with
'agentop resume'. Only a running execution can be paused.`,
		example: "  agentop pause 5f0c2a8e-…",
		done:    "Paused",
		act:     api.Backend.Pause,
	})
}

func (a *app) resumeCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "resume",
		short: "Resume a paused execution, or approve one awaiting confirmation",
		long: `Resume an execution an operator paused, or approve one awaiting
confirmation (status awaiting_confirmation); it goes back to running.

An agent that asked a question (paused_by_agent) is resumed by answering it:
use 'agentop reply'.`,
		example: "  agentop resume 5f0c2a8e-…",
		done:    "Resumed",
		act:     api.Backend.Resume,
	})
}

func (a *app) cancelCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "cancel",
		short: "Cancel an execution for good",
		long: `Cancel an execution: it ends with status cancelled and cannot be resumed.

On a terminal, agentop shows the execution and asks first (the default answer
is no). Without a terminal, --yes is required. --reason gives the reason, on a
platform whose cancel takes one (required by some).`,
		example: "  agentop cancel 5f0c2a8e-…\n  agentop cancel 5f0c2a8e-… --yes --reason \"wrong input files\"",
		done:    "Cancelled",
		act:     api.Backend.Cancel,
		confirm: true,
		reason:  true,
	})
}

// controlCmd builds pause, resume or cancel.
func (a *app) controlCmd(c control) *cobra.Command {
	var (
		yes    bool
		reason string
	)
	cmd := &cobra.Command{
		Use:     c.use + " ID",
		Short:   c.short,
		Long:    c.long,
		Example: c.example,
		Args:    args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, id := cmd.Context(), args[0]
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			action := c.use + " execution " + id
			act := c.act
			if c.reason {
				if err := checkReason(be, cmd.Flags().Changed("reason"), reason); err != nil {
					return err
				}
				act = func(be api.Backend, ctx context.Context, id string) error {
					return api.CancelExecution(ctx, be, id, strings.TrimSpace(reason))
				}
			}
			if c.confirm {
				err := a.confirm(yes, action, func() (string, error) {
					e, err := be.GetExecution(ctx, id)
					if err != nil {
						return "", failed(err, "get execution %s", id)
					}
					return fmt.Sprintf("%s execution %s (%s, %s)?", upperFirst(c.use), id, e.AgentName, e.Status), nil
				})
				if err != nil {
					return err
				}
			}
			if err := act(be, ctx, id); err != nil {
				return failed(err, "%s", action)
			}
			return a.emit(ActionOutput{Action: c.use, Target: "execution", ID: id}, func(w io.Writer) error {
				return printLine(w, fmt.Sprintf("%s execution %s.", c.done, id))
			})
		},
	}
	if c.confirm {
		cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	}
	if c.reason {
		cmd.Flags().StringVar(&reason, "reason", "", "why (`TEXT`), where the platform's cancel takes a reason")
	}
	return mutating(cmd)
}

// checkReason refuses a --reason the platform cannot carry, and a missing
// one it requires.
func checkReason(be api.Backend, given bool, reason string) error {
	switch be.Capabilities().CancelReason {
	case api.NotTaken:
		if given {
			return usageErrorf("--reason: %s does not take a cancel reason", be.Platform())
		}
	case api.Required:
		if strings.TrimSpace(reason) == "" {
			return usageErrorf("--reason is required: %s cancels only with a reason", be.Platform())
		}
	}
	return nil
}

// upperFirst capitalises the first letter of an ASCII word.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
