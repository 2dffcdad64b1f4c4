package tui

import (
	"errors"
	"fmt"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/agentop/agentop/tui/crash"
)

// finish ends Run: whatever happened, it keeps what was typed; after a panic
// (ours, recovered by the guard, or one Bubble Tea caught in its loop) it
// writes a crash report and returns an error saying where it and the drafts
// are. A panic leaves no final model, so the model Run started with — which
// Update changes in place — is the one whose drafts are saved.
func finish(start *Model, final tea.Model, err error, stopped bool, p *crash.Panic) error {
	fm, ok := final.(*Model)
	if !ok || fm == nil {
		fm = start
	}
	serr := fm.SaveDrafts()
	if p == nil && errors.Is(err, tea.ErrProgramPanic) {
		p = &crash.Panic{Where: "the dashboard", Value: "a panic (its stack is printed above)"}
	}
	if p != nil {
		dir := ""
		if store := fm.DraftStore(); store != nil {
			dir = filepath.Dir(filepath.Dir(store.Path()))
		}
		report, rerr := crash.WriteReport(dir, p)
		if rerr != nil {
			report = "not written: " + rerr.Error()
		}
		drafts := "your drafts are saved in " + fm.DraftStore().Path()
		switch {
		case serr != nil:
			drafts = "saving your drafts failed: " + serr.Error()
		case fm.DraftStore() == nil:
			drafts = "drafts are not kept (no state directory)"
		}
		return fmt.Errorf("stopped after an %s; the terminal is restored, %s; crash report: %s", p.Error(), drafts, report)
	}
	if serr != nil && err == nil {
		err = fmt.Errorf("saving drafts: %w", serr)
	}
	if errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrProgramPanic) && stopped {
		return nil
	}
	return err
}
