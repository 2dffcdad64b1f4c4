package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/filesave"
	"github.com/agentop/agentop/tui/sanitize"
)

// progressMin is the smallest file whose download shows progress.
const progressMin = 1 << 20

// DownloadOutput is one file files download saved (-o json).
type DownloadOutput struct {
	ID   string `json:"id"`
	Name string `json:"name"` // as the platform lists it
	Path string `json:"path"` // where it was written
	Size int64  `json:"size"` // bytes
}

func (a *app) filesDownloadCmd() *cobra.Command {
	var (
		dir   string
		force bool
	)
	cmd := &cobra.Command{
		Use:   "download ID [NAME…]",
		Short: "Download an execution's files",
		Long: `Download the files of an execution: those named (by name, path or ID), or all
of them. Each is written to DIR (default: the current directory) under its
own name made safe (no directories, no hidden or control characters), and
appears only once complete and of the size the platform lists. An existing
file is never replaced without --force. Large downloads show their progress
on a terminal.`,
		Example: `  agentop files download 5f0c2a8e-…                  # every file, here
  agentop files download 5f0c2a8e-… INV-2025-0142.pdf -d ~/invoices
  agentop files download 5f0c2a8e-… --force -o json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("missing ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, id := cmd.Context(), args[0]
			be, err := a.backend(ctx)
			if err != nil {
				return err
			}
			dl, err := fileDownloader(be)
			if err != nil {
				return err
			}
			files, err := be.Files(ctx, id)
			if err != nil {
				return failed(err, "list files of execution %s", id)
			}
			chosen, err := chooseFiles(files, args[1:])
			if err != nil {
				return err
			}
			if len(chosen) == 0 {
				a.noticef("execution %s has no files", id)
				return a.emit([]DownloadOutput{}, func(io.Writer) error { return nil })
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return withCode(exitUsage, fmt.Errorf("-d %s: %w", dir, err))
			}
			return a.download(ctx, dl, chosen, dir, force)
		},
	}
	cmd.Flags().StringVarP(&dir, "dir", "d", ".", "write the files into `DIR` (created if missing)")
	cmd.Flags().BoolVar(&force, "force", false, "replace files that exist")
	return cmd
}

// fileDownloader returns be's downloads, or a clear refusal.
func fileDownloader(be api.Backend) (api.FileDownloader, error) {
	dl, ok := be.(api.FileDownloader)
	if !ok || !be.Capabilities().Download {
		return nil, withCode(exitUsage, fmt.Errorf("the %s platform cannot download files", be.Platform()))
	}
	return dl, nil
}

// chooseFiles picks the files named (by id, name or path), in the order
// named, or all of them; a name that matches nothing is "not found".
func chooseFiles(files []api.File, names []string) ([]api.File, error) {
	if len(names) == 0 {
		return files, nil
	}
	var out []api.File
	seen := map[string]bool{}
	for _, n := range names {
		found := false
		for _, f := range files {
			if f.ID == n || f.Name == n || f.Path == n {
				found = true
				if !seen[f.ID] {
					seen[f.ID] = true
					out = append(out, f)
				}
			}
		}
		if !found {
			return nil, withCode(exitNotFound, fmt.Errorf("the execution has no file %q", sanitize.Line(n)))
		}
	}
	return out, nil
}

// download saves each file, carrying on past failures; the first failure
// decides the exit code.
func (a *app) download(ctx context.Context, dl api.FileDownloader, files []api.File, dir string, force bool) error {
	names := fileNames(files)
	out := make([]DownloadOutput, 0, len(files))
	var first error
	failures := 0
	for i, f := range files {
		opt := filesave.Options{Name: names[i], Force: force}
		var bar *progressBar
		if f.Size >= progressMin && a.stderrIsTerminal() {
			bar = &progressBar{w: a.io.Err, name: names[i]}
			opt.Progress = bar.update
		}
		path, n, err := filesave.Save(ctx, dl, f, dir, opt)
		bar.clear()
		if err != nil {
			if errors.Is(err, filesave.ErrExists) {
				err = withCode(exitUsage, fmt.Errorf("%s exists (use --force to replace it)", path))
			} else {
				err = failed(err, "download %s", names[i])
			}
			a.noticef("%v", err)
			if first == nil {
				first = err
			}
			failures++
			continue
		}
		out = append(out, DownloadOutput{ID: f.ID, Name: f.Name, Path: path, Size: n})
	}
	err := a.emit(out, func(w io.Writer) error {
		for _, d := range out {
			if err := printLine(w, fmt.Sprintf("Saved %s (%s)", d.Path, api.FormatSize(d.Size))); err != nil {
				return err
			}
		}
		return nil
	})
	if first != nil {
		return withCode(exitCode(first), fmt.Errorf("%d of %d files not downloaded", failures, len(files)))
	}
	return err
}

// fileNames gives each file a safe name of its own: a second file of the
// same name gets its id's first characters before the extension.
func fileNames(files []api.File) []string {
	out := make([]string, len(files))
	used := map[string]bool{}
	for i, f := range files {
		name := filesave.SafeName(f.Name)
		if name == "" {
			name = filesave.SafeName(f.ID)
		}
		if used[name] {
			ext := filepath.Ext(name)
			name = strings.TrimSuffix(name, ext) + "-" + filesave.SafeName(shortID(f.ID)) + ext
		}
		used[name] = true
		out[i] = name
	}
	return out
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// stderrIsTerminal reports whether progress can be drawn on stderr.
func (a *app) stderrIsTerminal() bool {
	if t, ok := a.io.Term.(interface{ StderrIsTerminal() bool }); ok {
		return t.StderrIsTerminal()
	}
	f, ok := a.io.Err.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// progressBar draws one line of download progress, at most ten times a
// second.
type progressBar struct {
	w     io.Writer
	name  string
	last  time.Time
	drawn bool
}

func (p *progressBar) update(done, total int64) {
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || done == total {
		p.last = now
		pct := ""
		if total > 0 {
			pct = fmt.Sprintf("  %3d%%", done*100/total)
		}
		fmt.Fprintf(p.w, "\r\x1b[K%s  %s / %s%s", sanitize.Line(p.name), api.FormatSize(done), api.FormatSize(total), pct)
		p.drawn = true
	}
}

// clear erases the line; safe on a nil bar.
func (p *progressBar) clear() {
	if p != nil && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
