package cli

import (
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
)

// defaultWidth is the table width when neither the terminal nor COLUMNS
// says otherwise.
const defaultWidth = 120

// IO is where a command reads and writes, and what it knows about the
// terminal. Tests replace all of it.
type IO struct {
	In   io.Reader
	Out  io.Writer
	Err  io.Writer
	Term Terminal
}

// Terminal answers the questions the CLI asks about the terminal.
type Terminal interface {
	// StdinIsTerminal reports whether a person can answer prompts.
	StdinIsTerminal() bool
	// StdoutIsTerminal reports whether output is read by a person (colour,
	// terminal width).
	StdoutIsTerminal() bool
	// Width is the number of columns of stdout's terminal; 0 when unknown.
	Width() int
	// ReadSecret reads one line from the terminal without echoing it.
	ReadSecret() (string, error)
}

// StdIO returns the process's standard streams.
func StdIO() IO {
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Term: osTerminal{in: os.Stdin, out: os.Stdout}}
}

// osTerminal is the Terminal of real files.
type osTerminal struct{ in, out *os.File }

func (t osTerminal) StdinIsTerminal() bool  { return term.IsTerminal(t.in.Fd()) }
func (t osTerminal) StdoutIsTerminal() bool { return term.IsTerminal(t.out.Fd()) }

func (t osTerminal) Width() int {
	if !t.StdoutIsTerminal() {
		return 0
	}
	w, _, err := term.GetSize(t.out.Fd())
	if err != nil {
		return 0
	}
	return w
}

func (t osTerminal) ReadSecret() (string, error) {
	b, err := term.ReadPassword(t.in.Fd())
	return string(b), err
}

// width is the width tables must fit: the terminal's, else $COLUMNS, else
// defaultWidth.
func (a *app) width() int {
	if a.io.Term.StdoutIsTerminal() {
		if w := a.io.Term.Width(); w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(a.env("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	return defaultWidth
}

// colour reports whether output may be styled: stdout is a terminal and
// NO_COLOR is not set (no-color.org).
func (a *app) colour() bool {
	return a.io.Term.StdoutIsTerminal() && a.env("NO_COLOR") == ""
}
