package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

// control describes an operator action on executions.
type control struct {
	use, short, long, example string
	done                      string // "Paused", for the confirmation line
	act                       func(be api.Backend, ctx context.Context, id string) error
	confirm                   bool // ask first, even for one execution (cancel)
	// from are the statuses --agent selects when --status is not given:
	// those the action applies to.
	from []api.Status
	// reason adds --reason: the operator's reason, sent where the
	// platform takes one (Capabilities.CancelReason), required where it
	// must be given and refused where it is not taken; act is then the
	// cancel that carries it.
	reason bool
}

func (a *app) pauseCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "pause",
		short: "Pause running executions",
		long: `Pause a running execution (status paused) until an operator resumes it with
'agentop resume'. Only a running execution can be paused.`,
		example: "  agentop pause 5f0c2a8e\n  agentop pause --agent \"Freight Rate Shopper\" --yes",
		done:    "Paused",
		act:     api.Backend.Pause,
		from:    []api.Status{api.StatusRunning},
	})
}

func (a *app) resumeCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "resume",
		short: "Resume paused executions, or approve ones awaiting confirmation",
		long: `Resume an execution an operator paused, or approve one awaiting
confirmation (status awaiting_confirmation); it goes back to running.

An agent that asked a question (paused_by_agent) is resumed by answering it:
use 'agentop reply'. --agent alone selects paused executions; approvals are
selected only when asked for (--status awaiting_confirmation).`,
		example: "  agentop resume 5f0c2a8e\n  agentop resume --status awaiting_confirmation --agent \"Freight Rate Shopper\"",
		done:    "Resumed",
		act:     api.Backend.Resume,
		from:    []api.Status{api.StatusPaused},
	})
}

func (a *app) cancelCmd() *cobra.Command {
	return a.controlCmd(control{
		use:   "cancel",
		short: "Cancel executions for good",
		long: `Cancel an execution: it ends with status cancelled and cannot be resumed.

On a terminal, agentop shows what it will cancel and asks first (the default
answer is no). Without a terminal, --yes is required.

--reason says why; it is sent to platforms that take one, and some require it
(Prefactor's terminate). Where the platform takes none, it is refused.`,
		example: "  agentop cancel 5f0c2a8e\n  agentop cancel 5f0c 7d1e --yes\n  agentop cancel --status paused_by_agent --agent \"Invoice filer\"\n  agentop cancel 01m96mh9 --reason \"runaway token spend\" --yes",
		done:    "Cancelled",
		act:     api.Backend.Cancel,
		confirm: true,
		from:    api.ActiveStatuses,
		reason:  true,
	})
}

// controlCmd builds pause, resume or cancel: of one execution, of several
// given by id (or a unique start of one), or of those --status / --agent
// select.
func (a *app) controlCmd(c control) *cobra.Command {
	var (
		yes    bool
		sel    selector
		reason string
		help   = `

Several executions: give several IDs, or select them with --status and
--agent (on the platform, page by page, at most --limit). agentop lists how
many and which and asks first on a terminal; without one, --yes is required.
It acts on ` + fmt.Sprint(bulkConcurrency) + ` at a time, prints a line per execution and a summary,
and exits 1 if any failed.`
	)
	cmd := &cobra.Command{
		Use:     c.use + " ID... | --status STATUS | --agent AGENT",
		Short:   c.short,
		Long:    c.long + help,
		Example: c.example,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := sel.check(args); err != nil {
				return err
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			c := c
			if c.reason {
				if err := checkReason(be, cmd.Flags().Changed("reason"), reason); err != nil {
					return err
				}
				why := strings.TrimSpace(reason)
				c.act = func(be api.Backend, ctx context.Context, id string) error {
					return api.CancelExecution(ctx, be, id, why)
				}
			}
			if len(args) == 1 {
				id, err := a.executionID(ctx, be, args[0])
				if err != nil {
					return err
				}
				return a.controlOne(ctx, be, c, id, yes)
			}
			targets, err := a.bulkTargets(ctx, be, c, sel, args)
			if err != nil {
				return err
			}
			return a.controlMany(ctx, be, c, targets, yes)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	sel.register(cmd)
	if c.reason {
		f.StringVar(&reason, "reason", "", "why (`TEXT`); sent where the platform takes one, required where it must be given")
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
			return usageErrorf("%s needs a reason to cancel: add --reason TEXT", be.Platform())
		}
	}
	return nil
}

// controlOne acts on one execution, asking first where c says so.
func (a *app) controlOne(ctx context.Context, be api.Backend, c control, id string, yes bool) error {
	action := c.use + " execution " + id
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
	if err := c.act(be, ctx, id); err != nil {
		return failed(err, "%s", action)
	}
	return a.emit(ActionOutput{Action: c.use, Target: "execution", ID: id}, func(w io.Writer) error {
		return printLine(w, fmt.Sprintf("%s execution %s.", c.done, id))
	})
}

// upperFirst capitalises the first letter of an ASCII word.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
