// Command agentop is a terminal dashboard and headless CLI for operators who
// run fleets of AI agents. See README.md.
package main

import (
	"os"

	"github.com/agentop/agentop/tui/cli"
)

func main() { os.Exit(cli.Execute()) }
