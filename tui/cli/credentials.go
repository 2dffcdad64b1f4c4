package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// maxSecret bounds a credential value read from a file or stdin.
const maxSecret = 64 << 10

// credentialHelp is how --credential takes its value, for help and errors.
const credentialHelp = "NAME=env:VAR, NAME=file:PATH, NAME=- (stdin) or NAME alone (prompt without echo)"

// cookieHelp is what --cookie takes.
const cookieHelp = "key=KEY,domain=DOMAIN[,name=NAME][,secure][,http-only][,same-site=Strict|Lax|None][,expires=DATE][,value=env:VAR|file:PATH|-]"

// secretReader reads secret values from where a flag says, never from the
// flag itself: an environment variable (env:VAR), a file (file:PATH), stdin
// (- or file:-, once per command), or a prompt that does not echo (no
// source). Every value read is added to the app's secrets, so it is blanked
// out of anything printed. No error ever contains a value.
type secretReader struct {
	a         *app
	stdinUsed bool
}

// read returns the value of what (e.g. "--credential password") from src;
// hasSrc false means ask at the prompt.
func (s *secretReader) read(what, src string, hasSrc bool, help string) (string, error) {
	a := s.a
	var value string
	switch {
	case !hasSrc:
		v, err := a.promptSecret(what, help)
		if err != nil {
			return "", err
		}
		value = v
	case src == "-" || src == "file:-":
		if s.stdinUsed {
			return "", usageErrorf("%s: only one value can be read from stdin", what)
		}
		s.stdinUsed = true
		data, err := a.readFileOrStdin("-", maxSecret)
		if err != nil {
			return "", usageErrorf("%s: reading stdin: %v", what, err)
		}
		value = strings.TrimRight(string(data), "\r\n")
	case strings.HasPrefix(src, "env:"):
		v := strings.TrimPrefix(src, "env:")
		if value = a.env(v); value == "" {
			return "", usageErrorf("%s: $%s is empty or unset", what, v)
		}
	case strings.HasPrefix(src, "file:"):
		data, err := a.readFileOrStdin(strings.TrimPrefix(src, "file:"), maxSecret)
		if err != nil {
			return "", usageErrorf("%s: %v", what, err)
		}
		value = strings.TrimRight(string(data), "\r\n")
	default:
		return "", usageErrorf("%s: a value on the command line would land in shell history; use %s", what, help)
	}
	if value == "" {
		return "", usageErrorf("%s: the value is empty", what)
	}
	a.secrets.addValue(value)
	return value, nil
}

// readCredentials turns --credential values (NAME=SOURCE) into secrets.
func (s *secretReader) readCredentials(specs []string) ([]api.Secret, error) {
	var out []api.Secret
	seen := map[string]bool{}
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
		value, err := s.read("--credential "+name, src, hasSrc, credentialHelp)
		if err != nil {
			return nil, err
		}
		out = append(out, api.Secret{Name: name, Value: value})
	}
	return out, nil
}

// readCookies turns --cookie values into cookies to store.
func (s *secretReader) readCookies(specs []string) ([]api.CookieInput, error) {
	var out []api.CookieInput
	seen := map[string]bool{}
	for _, spec := range specs {
		ck, src, hasSrc, err := parseCookie(spec)
		if err != nil {
			return nil, err
		}
		id := ck.Key + "@" + ck.Domain
		if seen[id] {
			return nil, usageErrorf("--cookie %s is given twice", id)
		}
		seen[id] = true
		if ck.Value, err = s.read("--cookie "+ck.Name, src, hasSrc, "value=env:VAR, value=file:PATH, value=- (stdin) or no value (prompt without echo)"); err != nil {
			return nil, err
		}
		out = append(out, ck)
	}
	return out, nil
}

// parseCookie reads one --cookie: its attributes, and where its value
// comes from (hasSrc false: the prompt).
func parseCookie(spec string) (ck api.CookieInput, src string, hasSrc bool, err error) {
	bad := func(format string, args ...any) error {
		return usageErrorf("--cookie: "+format+" (want %s)", append(args, cookieHelp)...)
	}
	for _, part := range strings.Split(spec, ",") {
		k, v, hasV := strings.Cut(strings.TrimSpace(part), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		switch k {
		case "":
			continue
		case "value":
			src, hasSrc = v, true
		case "key":
			ck.Key = strings.TrimSpace(v)
		case "domain":
			ck.Domain = strings.TrimSpace(v)
		case "name":
			ck.Name = strings.TrimSpace(v)
		case "secure", "http-only", "httponly":
			on := !hasV || strings.EqualFold(v, "true") || v == "1"
			if hasV && !on && !strings.EqualFold(v, "false") && v != "0" {
				return ck, "", false, bad("%s=%q is not true or false", k, v)
			}
			if k == "secure" {
				ck.Secure = on
			} else {
				ck.HTTPOnly = on
			}
		case "same-site", "samesite":
			switch strings.ToLower(v) {
			case "strict":
				ck.SameSite = "Strict"
			case "lax":
				ck.SameSite = "Lax"
			case "none":
				ck.SameSite = "None"
			default:
				return ck, "", false, bad("same-site=%q is not Strict, Lax or None", v)
			}
		case "expires", "expiry":
			t, perr := parseDate(v)
			if perr != nil {
				return ck, "", false, bad("expires=%q is not a date (2026-12-31 or RFC 3339)", v)
			}
			ck.Expiry = t
		default:
			return ck, "", false, bad("unknown attribute %q", k)
		}
	}
	switch {
	case ck.Key == "":
		return ck, "", false, bad("key= is required")
	case ck.Domain == "":
		return ck, "", false, bad("domain= is required")
	}
	if ck.Name == "" {
		ck.Name = ck.Key
	}
	return ck, src, hasSrc, nil
}

// parseDate reads RFC 3339 or a plain date (midnight UTC).
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

// promptSecret asks for a value on the terminal without echo.
func (a *app) promptSecret(what, help string) (string, error) {
	if !a.io.Term.StdinIsTerminal() {
		return "", usageErrorf("%s has no value and stdin is not a terminal to ask on; use %s", what, help)
	}
	fmt.Fprintf(a.io.Err, "Value of %s (not shown): ", strings.TrimPrefix(what, "--"))
	v, err := a.io.Term.ReadSecret()
	fmt.Fprintln(a.io.Err)
	if err != nil {
		return "", usageErrorf("%s: reading the value: %v", what, err)
	}
	return strings.TrimRight(v, "\r\n"), nil
}
