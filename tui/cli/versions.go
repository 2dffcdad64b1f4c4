package cli

import (
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

// AgentVersionOutput is one configuration version of an agent (agents versions).
type AgentVersionOutput struct {
	ID        string    `json:"id"`
	AgentID   string    `json:"agentId"`
	Number    int       `json:"number"`
	Current   bool      `json:"current"`
	Summary   string    `json:"summary,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
}

func (a *app) agentsVersionsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "versions AGENT",
		Short: "List an agent's configuration versions, newest first",
		Long: `List an agent's configuration versions (read-only), newest first; the
current one is marked. AGENT is the agent's ID or its exact name. Run another
version with 'agentop execute AGENT --version N'. Only platforms that version
agent configurations have them (Moderately AI).`,
		Example: "  agentop agents versions \"Invoice filer\"\n  agentop agents versions 0b6f… -o json",
		Args:    args(1, "AGENT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			vr, ok := be.(api.Versioner)
			if !ok {
				return unsupported(be, "agents versions")
			}
			id, err := a.agentID(ctx, be, args[0])
			if err != nil {
				return err
			}
			vs, err := vr.AgentVersions(ctx, id)
			if err != nil {
				return failed(err, "list the versions of agent %s", args[0])
			}
			return a.emit(outputs(vs, func(v api.AgentVersion) AgentVersionOutput {
				return AgentVersionOutput{ID: v.ID, AgentID: v.AgentID, Number: v.Number, Current: v.Current, Summary: v.Summary, CreatedAt: v.CreatedAt}
			}), func(w io.Writer) error {
				t := a.newTable(column{title: "VERSION", right: true}, column{title: "CURRENT"}, column{title: "ID", keep: true},
					column{title: "CREATED"}, column{title: "INSTRUCTIONS", flex: true})
				now := a.now()
				for _, v := range vs {
					current := ""
					if v.Current {
						current = "current"
					}
					t.add(strconv.Itoa(v.Number), current, v.ID, age(now, v.CreatedAt), v.Summary)
				}
				return a.printTable(w, t, "no versions")
			})
		},
	}
}
