package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
)

// maxUpload bounds one --file; maxInputs bounds --inputs-file.
const (
	maxUpload = 100 << 20
	maxInputs = 10 << 20
)

func (a *app) executeCmd() *cobra.Command {
	var (
		profile, pool, inputsFile string
		instructions, name        string
		inputs, meta, files       []string
		version                   int
	)
	cmd := &cobra.Command{
		Use:     "execute AGENT",
		Aliases: []string{"run"},
		Short:   "Start an execution of an agent",
		Long: `Start an agent and print the new execution's id.

AGENT is the agent's ID or its exact name. Inputs are the agent's variables:
--input KEY=VALUE sets one as a string (repeatable); --inputs-file reads a JSON
object (or - for stdin) for numbers, booleans and nested values; --input wins
over the file. --meta KEY=VALUE attaches metadata you can filter on later.
--profile or --pool (not both) choose the browser profile. --file uploads
local files first and hands them to the execution. On platforms that start
runs from free text (ArchAstro; on Moderately AI the input summary), --instructions says what
to do and --name names the run.`,
		Example: `  agentop execute 0b6f…
  agentop execute "Invoice filer" --input month=2026-01 --meta ticket=OPS-42
  agentop execute 0b6f… --inputs-file vars.json --pool 9d3a… --file invoice.pdf
  agentop --platform archastro execute agi_… --instructions "Summarise this week's tickets" --name weekly

  # Start, then wait for the result
  id=$(agentop execute 0b6f… --input q=hello) && agentop wait "$id" --for result`,
		Args: args(1, "AGENT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if profile != "" && pool != "" {
				return usageErrorf("choose --profile or --pool, not both")
			}
			if version < 0 {
				return usageErrorf("--version must be positive")
			}
			in, err := a.readInputs(inputsFile, inputs)
			if err != nil {
				return err
			}
			md, err := parseKV("--meta", meta)
			if err != nil {
				return err
			}
			uploads, err := readUploads(files)
			if err != nil {
				return err
			}
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			agentID, err := a.agentID(ctx, be, args[0])
			if err != nil {
				return err
			}
			if profile != "" {
				if profile, err = a.profileID(ctx, be, profile); err != nil {
					return err
				}
			}
			if pool != "" {
				if pool, err = a.poolID(ctx, be, pool); err != nil {
					return err
				}
			}
			caps := be.Capabilities()
			switch {
			case instructions != "" && !caps.Instructions:
				return withCode(exitUsage, fmt.Errorf("execute --instructions: %s does not start runs from instructions", be.Platform()))
			case caps.Instructions && !caps.InstructionsOptional && instructions == "" && len(in) == 0:
				return usageErrorf("%s starts a run from instructions: pass --instructions TEXT", be.Platform())
			}
			req := api.ExecuteRequest{ProfileID: profile, PoolID: pool, Inputs: in, Metadata: md, Version: version,
				Instructions: instructions, Name: name}
			if len(uploads) > 0 {
				org, err := a.organization(ctx, be)
				if err != nil {
					return err
				}
				if req.TempFiles, err = be.StageFiles(ctx, org, uploads); err != nil {
					return failed(err, "upload %d file(s)", len(uploads))
				}
			}
			id, err := be.Execute(ctx, agentID, req)
			if err != nil {
				return failed(err, "execute agent %s", args[0])
			}
			return a.emit(ExecuteOutput{ExecutionID: id, AgentID: agentID}, func(w io.Writer) error {
				return printLine(w, id)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&profile, "profile", "", "run with this agent profile (`ID or name`)")
	f.StringVar(&pool, "pool", "", "run with a profile drawn from this pool (`ID or name`)")
	f.StringArrayVar(&inputs, "input", nil, "set an input variable (`KEY=VALUE`, repeatable)")
	f.StringVar(&inputsFile, "inputs-file", "", "read input variables from a JSON object in `FILE` (- for stdin)")
	f.StringArrayVar(&meta, "meta", nil, "attach metadata (`KEY=VALUE`, repeatable)")
	f.IntVar(&version, "version", 0, "run this agent version `N` (default: the latest)")
	f.StringArrayVar(&files, "file", nil, "upload a local file for the execution (`PATH`, repeatable)")
	f.StringVar(&instructions, "instructions", "", "what the agent should do (`TEXT`), where the platform starts runs from instructions")
	f.StringVar(&name, "name", "", "a name for the run (`NAME`), where the platform takes one")
	return mutating(cmd)
}

// readInputs merges --inputs-file (a JSON object) and --input pairs, which
// win.
func (a *app) readInputs(file string, pairs []string) (map[string]any, error) {
	out := map[string]any{}
	if file != "" {
		data, err := a.readFileOrStdin(file, maxInputs)
		if err != nil {
			return nil, usageErrorf("--inputs-file: %v", err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&out); err != nil || out == nil {
			return nil, usageErrorf("--inputs-file %s: want a JSON object of input variables", file)
		}
	}
	kv, err := parseKV("--input", pairs)
	if err != nil {
		return nil, err
	}
	for k, v := range kv {
		out[k] = v
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// readFileOrStdin reads path, or stdin for "-", refusing more than limit
// bytes.
func (a *app) readFileOrStdin(path string, limit int64) ([]byte, error) {
	if path == "-" {
		return readLimited(a.input(), "stdin", limit)
	}
	return readFile(path, limit)
}

// readFile reads the file at path, refusing a directory and more than limit
// bytes. It reads through a bound, so /dev/zero or a FIFO that never ends
// cannot be read forever.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	return readLimited(f, path, limit)
}

// readLimited reads r (named name in errors) to its end, refusing more than
// limit bytes.
func readLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %s", name, api.FormatSize(limit))
	}
	return data, nil
}

// readUploads reads --file paths.
func readUploads(paths []string) ([]api.Upload, error) {
	var out []api.Upload
	for _, p := range paths {
		data, err := readFile(p, maxUpload)
		if err != nil {
			return nil, usageErrorf("--file: %v", err)
		}
		out = append(out, api.Upload{Name: filepath.Base(p), Data: data})
	}
	return out, nil
}
