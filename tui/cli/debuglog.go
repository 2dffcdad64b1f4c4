package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// debugFlag is --debug: a switch that may name its file (--debug=FILE).
// It reports the type "bool" so that help shows a plain --debug rather than
// the long default path; the bare flag (pflag passes "true") means the
// default file.
type debugFlag struct {
	path *string
	def  string
}

func (d debugFlag) String() string { return *d.path }
func (d debugFlag) Type() string   { return "bool" }

func (d debugFlag) Set(v string) error {
	switch v {
	case "true":
		v = d.def
	case "false":
		v = ""
	}
	*d.path = v
	return nil
}

// openDebugLog sends debug records to path (--debug), creating its
// directory; "~/" is the home directory. Every record passes through
// redacting, so no API key in use reaches the file, whatever a server
// echoes back.
func (a *app) openDebugLog(path string) error {
	if rest, ok := strings.CutPrefix(path, "~"+string(filepath.Separator)); ok && a.env("HOME") != "" {
		path = filepath.Join(a.env("HOME"), rest)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return usageErrorf("--debug: %v", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return usageErrorf("--debug: %v", err)
	}
	json := slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})
	a.log = slog.New(redacting{Handler: json, secrets: a.secrets.all})
	a.cleanup = append(a.cleanup, func() { _ = f.Close() })
	return nil
}

// redacting is a slog.Handler that blanks secrets out of messages and
// attribute values.
type redacting struct {
	slog.Handler
	secrets func() []string
}

func (h redacting) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.redact(r.Message), r.PC)
	r.Attrs(func(at slog.Attr) bool {
		out.AddAttrs(h.attr(at))
		return true
	})
	return h.Handler.Handle(ctx, out)
}

func (h redacting) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, at := range attrs {
		clean[i] = h.attr(at)
	}
	return redacting{Handler: h.Handler.WithAttrs(clean), secrets: h.secrets}
}

func (h redacting) WithGroup(name string) slog.Handler {
	return redacting{Handler: h.Handler.WithGroup(name), secrets: h.secrets}
}

// attr redacts an attribute's value; anything but numbers, booleans, times
// and durations is logged as redacted text.
func (h redacting) attr(at slog.Attr) slog.Attr {
	v := at.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(at.Key, clean...)
	case slog.KindString, slog.KindAny:
		return slog.String(at.Key, h.redact(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: at.Key, Value: v}
}

func (h redacting) redact(s string) string {
	for _, secret := range h.secrets() {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
