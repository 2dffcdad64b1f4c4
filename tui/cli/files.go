package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

func (a *app) filesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "files ID",
		Short: "List an execution's files",
		Long: `List the files of an execution: those uploaded into it (directory
"context") and those the agent wrote (downloads, workspace, …).

The table shows names and sizes; -o json adds each file's pre-signed download
URL, which needs no API key. 'agentop files download ID' saves them.`,
		Example: `  agentop files 5f0c2a8e-…
  agentop files download 5f0c2a8e-… -d ./out

  # The URLs of everything the agent downloaded
  agentop files 5f0c2a8e-… -o json | jq -r '.[] | select(.directory=="downloads") | .url'`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if args[0], err = a.executionID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			files, err := be.Files(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "list files of execution %s", args[0])
			}
			return a.emit(outputs(files, fileOutput), func(w io.Writer) error {
				t := a.newTable(column{title: "NAME", flex: true}, column{title: "DIRECTORY"},
					column{title: "SIZE", right: true}, column{title: "TYPE"}, column{title: "CREATED"})
				now := a.now()
				for _, f := range files {
					t.add(f.Name, f.Directory, api.FormatSize(f.Size), f.MimeType, age(now, f.CreatedAt))
				}
				return a.printTable(w, t, "no files")
			})
		},
	}
	cmd.AddCommand(a.filesDownloadCmd())
	return cmd
}

func (a *app) recordingCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "recording ID",
		Short: "Print the URL of an execution's browser recording",
		Long: `Print the URL of the recording of an execution's browser session. It exists
once the execution has used a browser and the recording is ready; until then
the command fails with exit code 3 (not found).`,
		Example: `  agentop recording 5f0c2a8e-…
  open "$(agentop recording 5f0c2a8e-…)"`,
		Args: args(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			be, err := a.backend(cmd.Context())
			if err != nil {
				return err
			}
			if args[0], err = a.executionID(cmd.Context(), be, args[0]); err != nil {
				return err
			}
			url, err := be.Recording(cmd.Context(), args[0])
			if err != nil {
				return failed(err, "get the recording of execution %s", args[0])
			}
			return a.emit(RecordingOutput{ExecutionID: args[0], URL: url}, func(w io.Writer) error {
				return printLine(w, url)
			})
		},
	}
}
