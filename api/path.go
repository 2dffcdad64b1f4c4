package api

import (
	"net/url"
	"strings"
)

// FillPath fills a path template ("/executions/{id}/files") with args, in
// order, each path-escaped. An arg that would address a different endpoint
// is refused with an *Error of kind KindInvalid for op: an empty one, "." or
// ".." (which servers and proxies resolve as path steps), and one holding
// "/" (which some decode from %2F before routing).
func FillPath(op, template string, args []string) (string, error) {
	var b strings.Builder
	rest := template
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		end := open + strings.IndexByte(rest[open:], '}')
		name, arg := rest[open+1:end], ""
		if len(args) > 0 {
			arg, args = strings.TrimSpace(args[0]), args[1:]
		}
		switch {
		case arg == "":
			return "", &Error{Kind: KindInvalid, Op: op, Message: "missing " + name}
		case arg == "." || arg == ".." || strings.Contains(arg, "/"):
			return "", &Error{Kind: KindInvalid, Op: op, Message: "invalid " + name + `: it cannot be "." or ".." or contain "/"`}
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(arg))
		rest = rest[end+1:]
	}
}
