package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// maxMessage bounds a reply read from stdin.
const maxMessage = 1 << 20

func (a *app) replyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "reply ID [MESSAGE]",
		Aliases: []string{"answer"},
		Short:   "Answer an agent that is waiting for a human",
		Long: `Send a message to an execution. An agent that asked a question
(status paused_by_agent) reads it as the answer and carries on.

The message is MESSAGE, or stdin when MESSAGE is - or absent and stdin is not
a terminal (so a reply can be piped or written in an editor). An empty message
is refused. See the question with 'agentop wait ID --for interaction'.`,
		Example: `  agentop reply 5f0c2a8e-… "Yes, use the corporate card"

  # A longer answer from a file or another program
  agentop reply 5f0c2a8e-… - < answer.txt
  llm "draft a reply" | agentop reply 5f0c2a8e-…`,
		Args: args(1, "ID", "MESSAGE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			msg, err := a.replyMessage(args[1:])
			if err != nil {
				return err
			}
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if !be.Capabilities().Reply {
				return unsupported(be, "reply")
			}
			if args[0], err = a.executionID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			if err := be.Reply(cmd.Context(), args[0], msg); err != nil {
				return failed(err, "reply to execution %s", args[0])
			}
			return a.emit(ActionOutput{Action: "reply", Target: "execution", ID: args[0]}, func(w io.Writer) error {
				return printLine(w, fmt.Sprintf("Sent the reply to execution %s.", args[0]))
			})
		},
	}
	return mutating(cmd)
}

// replyMessage returns the message argument, or stdin when it is "-" or
// absent and stdin is not a terminal.
func (a *app) replyMessage(rest []string) (string, error) {
	var msg string
	switch {
	case len(rest) == 1 && rest[0] != "-":
		msg = rest[0]
	case len(rest) == 1 || !a.io.Term.StdinIsTerminal():
		data, err := a.readFileOrStdin("-", maxMessage)
		if err != nil {
			return "", usageErrorf("reading the message from stdin: %v", err)
		}
		msg = strings.TrimRight(string(data), "\r\n")
	default:
		return "", usageErrorf("missing MESSAGE (give it as an argument, or pipe it on stdin)")
	}
	if strings.TrimSpace(msg) == "" {
		return "", usageErrorf("the message is empty")
	}
	return msg, nil
}
