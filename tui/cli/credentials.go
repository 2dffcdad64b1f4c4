package cli

import (
	"fmt"
	"strings"

	"github.com/agentop/agentop/api"
)

// maxSecret bounds a credential value read from a file or stdin.
const maxSecret = 64 << 10

// credentialHelp is how --credential takes its value, for help and errors.
const credentialHelp = "NAME=env:VAR, NAME=file:PATH, NAME=- (stdin) or NAME alone (prompt without echo)"

// readCredentials turns --credential values into secrets. A value never
// comes from the flag itself, where it would land in shell history: it is
// read from an environment variable (NAME=env:VAR), a file (NAME=file:PATH),
// stdin (NAME=- or NAME=file:-, once), or typed at a prompt that does not echo (NAME alone). No
// error ever contains a value.
func (a *app) readCredentials(specs []string) ([]api.Secret, error) {
	var out []api.Secret
	seen := map[string]bool{}
	stdinUsed := false
	for _, spec := range specs {
		name, src, hasSrc := strings.Cut(spec, "=")
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			return nil, usageErrorf("--credential: the name is empty (want %s)", credentialHelp)
		case seen[name]:
			return nil, usageErrorf("--credential %s is given twice", name)
		}
		seen[name] = true
		var value string
		switch {
		case !hasSrc:
			v, err := a.promptSecret(name)
			if err != nil {
				return nil, err
			}
			value = v
		case src == "-" || src == "file:-":
			if stdinUsed {
				return nil, usageErrorf("--credential %s: only one credential can be read from stdin", name)
			}
			stdinUsed = true
			data, err := a.readFileOrStdin("-", maxSecret)
			if err != nil {
				return nil, usageErrorf("--credential %s: reading stdin: %v", name, err)
			}
			value = strings.TrimRight(string(data), "\r\n")
		case strings.HasPrefix(src, "env:"):
			v := strings.TrimPrefix(src, "env:")
			if value = a.env(v); value == "" {
				return nil, usageErrorf("--credential %s: $%s is empty or unset", name, v)
			}
		case strings.HasPrefix(src, "file:"):
			data, err := a.readFileOrStdin(strings.TrimPrefix(src, "file:"), maxSecret)
			if err != nil {
				return nil, usageErrorf("--credential %s: %v", name, err)
			}
			value = strings.TrimRight(string(data), "\r\n")
		default:
			return nil, usageErrorf("--credential %s: a value on the command line would land in shell history; use %s",
				name, credentialHelp)
		}
		if value == "" {
			return nil, usageErrorf("--credential %s: the value is empty", name)
		}
		a.secrets.addValue(value)
		out = append(out, api.Secret{Name: name, Value: value})
	}
	return out, nil
}

// promptSecret asks for a credential's value on the terminal without echo.
func (a *app) promptSecret(name string) (string, error) {
	if !a.io.Term.StdinIsTerminal() {
		return "", usageErrorf("--credential %s has no value and stdin is not a terminal to ask on; use %s", name, credentialHelp)
	}
	fmt.Fprintf(a.io.Err, "Value of credential %s (not shown): ", name)
	v, err := a.io.Term.ReadSecret()
	fmt.Fprintln(a.io.Err)
	if err != nil {
		return "", usageErrorf("--credential %s: reading the value: %v", name, err)
	}
	return strings.TrimRight(v, "\r\n"), nil
}
