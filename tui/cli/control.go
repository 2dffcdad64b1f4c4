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
	// reason adds --reason: the operator's reason, sent where the
	// platform takes one (Capabilities.CancelReason) and required where
	// it must be given. act is then not used.
	reason bool
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
is no). Without a terminal, --yes is required.

--reason says why; it is sent to platforms that take one, and some require it
(Prefactor's terminate). Where the platform takes none it is not sent.`,
		example: "  agentop cancel 5f0c2a8e-…\n  agentop cancel 5f0c2a8e-… --yes\n  agentop cancel 01jq… --reason \"runaway token spend\" --yes",
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
				if act, err = a.withReason(be, strings.TrimSpace(reason)); err != nil {
					return err
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
		cmd.Flags().StringVar(&reason, "reason", "", "why (`TEXT`); sent where the platform takes one, required where it must be given")
	}
	return mutating(cmd)
}

// withReason is the cancel that carries reason, as the platform takes it:
// required (refused without one, before anything is sent), optional, or not
// taken (a reason given is then dropped, with a notice).
func (a *app) withReason(be api.Backend, reason string) (func(api.Backend, context.Context, string) error, error) {
	switch be.Capabilities().CancelReason {
	case api.Required:
		if reason == "" {
			return nil, usageErrorf("%s needs a reason to cancel: add --reason TEXT", be.Platform())
		}
	case api.NotTaken:
		if reason != "" {
			a.noticef("%s takes no reason for a cancel; --reason is not sent", be.Platform())
			reason = ""
		}
	}
	return func(be api.Backend, ctx context.Context, id string) error {
		return api.CancelExecution(ctx, be, id, reason)
	}, nil
}

// upperFirst capitalises the first letter of an ASCII word.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
