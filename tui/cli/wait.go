package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/tui/sanitize"
)

// What wait waits for.
const (
	waitInteraction = "interaction"
	waitResult      = "result"
)

// How a wait ends (WaitOutput.Outcome).
const (
	outcomeAsked     = "asked"     // the agent asked a question (exit 0)
	outcomeCompleted = "completed" // the execution completed (exit 0)
	outcomeEnded     = "ended"     // it ended without what was awaited (exit 5)
	outcomeTimeout   = "timeout"   // --timeout passed first (exit 6)
)

// Activities read to find an agent's question, as the SDKs do.
const questionWindow = 20

// resultGrace is how long wait keeps polling a completed execution whose
// result has not appeared yet.
const resultGrace = 10 * time.Second

func (a *app) waitCmd() *cobra.Command {
	var (
		what              string
		timeout, interval time.Duration
	)
	cmd := &cobra.Command{
		Use:   "wait [ID] --for interaction|result",
		Short: "Wait until an agent asks a question, or an execution ends",
		Long: `Poll an execution until something happens, then print it.

--for interaction waits until the execution needs a person and prints what
it wants: an agent's question (status paused_by_agent; answer with 'agentop
reply ID'), or an approval before a sensitive step (awaiting_confirmation;
approve with 'agentop resume ID', refuse with 'agentop cancel ID'). What it
wants and the command that gives it are on stderr (wants and next in JSON).
--for result waits until the execution ends and prints its result.
With --all-contexts and no ID, --for interaction waits for the first
question in any context and prints it (with -o json, its context and
execution too).

Exit codes: 0 when the agent asked (interaction) or the execution completed
(result); 5 when the execution ended without asking (interaction) or ended
failed or cancelled (result), its status and any result still printed; 6 when
--timeout passed first. Here --timeout bounds the whole wait; errors while
polling are retried with backoff.`,
		Example: `  # Answer agents in a loop
  q=$(agentop wait "$id" --for interaction) && agentop reply "$id" "$(answer "$q")"

  # The first agent asking anywhere in the fleet
  agentop wait --for interaction --all-contexts -o json

  # Block a pipeline until the run is done, for at most an hour
  agentop wait "$id" --for result --timeout 1h -o json > result.json`,
		Args: args(0, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if what != waitInteraction && what != waitResult {
				return usageErrorf("--for must be %s or %s", waitInteraction, waitResult)
			}
			if timeout <= 0 || interval <= 0 {
				return usageErrorf("--timeout and --interval must be positive")
			}
			fleet, err := a.allContexts()
			if err != nil {
				return err
			}
			var out WaitOutput
			switch {
			case fleet && len(args) == 0 && what == waitInteraction:
				members, err := a.fleet(cmd.Context())
				if err != nil {
					return err
				}
				if out, err = a.waitAnywhere(cmd.Context(), members, timeout, interval); err != nil {
					return err
				}
			case len(args) == 0 && fleet:
				return usageErrorf("with --all-contexts, wait takes no ID and waits --for interaction: the first question in any context")
			case len(args) == 0:
				return usageErrorf("missing ID (or wait --for interaction --all-contexts for the first question anywhere)")
			default:
				be, err := a.backend(cmd.Context())
				if err != nil {
					return err
				}
				if args[0], err = a.executionID(cmd.Context(), be, args[0]); err != nil {
					return err
				}
				if out, err = a.wait(cmd.Context(), be, args[0], what, timeout, interval); err != nil {
					return err
				}
			}
			if err := a.emit(out, func(w io.Writer) error { return a.printWait(w, out) }); err != nil {
				return err
			}
			a.waitingNotice(out)
			switch out.Outcome {
			case outcomeEnded:
				verb := map[string]string{waitInteraction: "without asking for input", waitResult: "without completing"}[what]
				return withCode(exitEnded, fmt.Errorf("execution %s ended (%s) %s", out.ExecutionID, out.Status, verb))
			case outcomeTimeout:
				if out.ExecutionID == "" {
					return withCode(exitTimeout, fmt.Errorf("timed out after %s: no agent asked in any context", timeout))
				}
				return withCode(exitTimeout, fmt.Errorf("timed out after %s waiting for the %s of execution %s (status %s)",
					timeout, what, out.ExecutionID, out.Status))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&what, "for", "", "what to wait for: `interaction` (a question) or result")
	f.DurationVar(&timeout, "timeout", 30*time.Minute, "give up after this `duration` (exit code 6)")
	f.DurationVar(&interval, "interval", 2*time.Second, "time between polls")
	_ = cmd.RegisterFlagCompletionFunc("for", cobra.FixedCompletions([]string{waitInteraction, waitResult}, cobra.ShellCompDirectiveNoFileComp))
	return fleetCommand(cmd)
}

// wait polls execution id until what happens, it ends, or timeout passes.
func (a *app) wait(parent context.Context, be api.Backend, id, what string, timeout, interval time.Duration) (WaitOutput, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	out := WaitOutput{ExecutionID: id, For: what}
	var completedAt time.Time // when a completed execution without a result was first seen
	err := a.poll(ctx, interval, func(ctx context.Context) (bool, error) {
		e, err := be.GetExecution(ctx, id)
		if err != nil {
			return false, failed(err, "get execution %s", id)
		}
		out.Status, out.Result = string(e.Status), resultOutput(e.Result)
		switch {
		case what == waitInteraction && e.Status.AwaitsHuman():
			q, err := a.askedFor(ctx, be, e)
			if err != nil {
				return false, err
			}
			out.Outcome, out.Question = outcomeAsked, questionOutput(q)
			out.Wants, out.Next = e.Status.Wants(), nextStep(e.Status, e.ID, q)
			return true, nil
		case e.Status == api.StatusCompleted && what == waitResult:
			if e.Result == nil { // a completed execution may briefly lack its result
				if completedAt.IsZero() {
					completedAt = a.now()
				}
				if a.now().Sub(completedAt) < resultGrace {
					return false, nil
				}
			}
			out.Outcome = outcomeCompleted
			return true, nil
		case e.Status.IsTerminal():
			out.Outcome = outcomeEnded
			return true, nil
		}
		return false, nil
	})
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil:
		out.Outcome = outcomeTimeout
		return out, nil
	}
	return out, err
}

// waitAnywhere polls every member for an execution waiting for a human
// (a server-side status filter: one small request per context per round)
// until one is, then reads its question. The oldest waiting execution
// found wins.
func (a *app) waitAnywhere(parent context.Context, members []fleetMember, timeout, interval time.Duration) (WaitOutput, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	out := WaitOutput{For: waitInteraction}
	err := a.poll(ctx, interval, func(ctx context.Context) (bool, error) {
		lists, err := eachMember(a, ctx, members, func(ctx context.Context, m fleetMember) ([]api.Execution, error) {
			p, err := m.Backend.ListExecutions(ctx, api.ExecutionQuery{
				Statuses: []api.Status{api.StatusPausedByAgent, api.StatusAwaitingConfirmation}, PageSize: questionWindow,
				SortField: "created_at", SortDirection: api.SortAsc,
			})
			return p.Items, failed(err, "list waiting executions")
		})
		if err != nil && !partial(err) {
			return false, err
		}
		waiting := flatten(members, lists)
		if len(waiting) == 0 {
			return false, nil
		}
		first := slices.MinFunc(waiting, func(x, y inContext[api.Execution]) int { return x.item.CreatedAt.Compare(y.item.CreatedAt) })
		req, err := a.askedFor(ctx, first.member.Backend, first.item)
		if err != nil {
			return false, fmt.Errorf("context %s: %w", first.member.Context, err)
		}
		out.Context, out.Platform = first.member.Context, first.member.Platform
		out.ExecutionID, out.Status = first.item.ID, first.item.StatusWord()
		out.Outcome, out.Question = outcomeAsked, questionOutput(req)
		out.Wants, out.Next = first.item.Status.Wants(), nextStep(first.item.Status, first.item.ID, req)
		if strings.HasPrefix(out.Next, "agentop ") && !a.flags.demo { // the command must name the context it is in
			out.Next = strings.Replace(out.Next, "agentop ", "agentop --context "+first.member.Context+" ", 1)
		}
		return true, nil
	})
	if errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil {
		out.Outcome = outcomeTimeout
		return out, nil
	}
	return out, err
}

// askedFor reads what a person is asked for: the agent's question (the
// platform's own way where the backend is an api.Asker), or what an
// execution awaiting confirmation wants approved.
func (a *app) askedFor(ctx context.Context, be api.Backend, e api.Execution) (api.InteractionRequest, error) {
	if ak, ok := be.(api.Asker); ok && e.Status.NeedsHuman() {
		q, err := ak.Interaction(ctx, e, a.now())
		return q, failed(err, "read the question of %s", e.ID)
	}
	acts, err := be.Activities(ctx, e.ID, api.ActivityQuery{Order: api.SortDesc, Limit: questionWindow})
	if err != nil {
		return api.InteractionRequest{}, failed(err, "list activities of %s", e.ID)
	}
	if e.Status.Wants() == api.WantsApproval {
		return api.DeriveApproval(e, acts, a.now()), nil
	}
	return api.DeriveInteraction(e, acts, a.now()), nil
}

// nextStep is the command that gives an execution what it waits for; for a
// question answered outside agentop (ReadOnly), where to answer it.
func nextStep(s api.Status, id string, q api.InteractionRequest) string {
	if q.ReadOnly {
		return "answer in " + cmpOr(q.AnswerWhere, "the platform's own app")
	}
	switch s.Wants() {
	case api.WantsAnswer:
		return "agentop reply " + id + " MESSAGE"
	case api.WantsApproval:
		return "agentop resume " + id
	}
	return ""
}

func cmpOr(s, def string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return def
}

// waitingNotice says on stderr what an execution wants and how to give it.
func (a *app) waitingNotice(out WaitOutput) {
	switch {
	case out.Question != nil && out.Question.ReadOnly:
		a.noticef("execution %s wants an answer that agentop cannot send: %s", out.ExecutionID, out.Next)
		return
	}
	switch out.Wants {
	case api.WantsAnswer:
		a.noticef("execution %s wants an answer: %s", out.ExecutionID, out.Next)
	case api.WantsApproval:
		a.noticef("execution %s wants an approval: approve with '%s', or refuse with '%s'",
			out.ExecutionID, out.Next, strings.Replace(out.Next, " resume ", " cancel ", 1))
	}
}

// printWait prints a wait's outcome for people: the question alone (so it
// can be captured), or the result.
func (a *app) printWait(w io.Writer, out WaitOutput) error {
	if out.Question != nil {
		_, err := fmt.Fprintln(w, strings.TrimSpace(sanitize.Text(out.Question.Text)))
		return err
	}
	if out.Outcome == outcomeTimeout || (out.For == waitInteraction && out.Result == nil) {
		return nil // the reason is on stderr
	}
	d := a.newDetails()
	d.status("Status", api.Status(out.Status))
	if r := out.Result; r != nil {
		d.add("Outcome", r.Outcome)
		d.text("Reasoning", r.Reasoning)
		d.text("Result", indentJSON(r.Data))
	}
	return d.render(w)
}
