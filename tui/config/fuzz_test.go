package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/agentop/agentop/tui/config"
)

const fuzzSecret = "sk-live-9f8e7d6c5b4a3f2e1d0c"

// FuzzParse: any config file parses or fails with a *config.FileError whose
// line is within the file, and a literal api-key given in the file never
// appears in the error text. Seeds (testdata/fuzz/…) are the documented
// example and the files of the config tests. Run longer with
//
//	go test ./tui/config -run '^$' -fuzz '^FuzzParse$' -fuzztime 5m
func FuzzParse(f *testing.F) {
	f.Add([]byte("current-context: prod\ncontexts:\n  prod:\n    api-key: KEY\n    base-url: https://odyssey.asteroid.ai\ntheme: dusk\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// KEY in the input stands for a literal key, planted where the file
		// has one.
		data = []byte(strings.ReplaceAll(string(data), "KEY", fuzzSecret))
		file, err := config.Parse("config.yaml", data)
		if err == nil {
			if file == nil {
				t.Fatal("no error and no file")
			}
			return
		}
		var fe *config.FileError
		if !errors.As(err, &fe) {
			t.Fatalf("not a *config.FileError: %T %v", err, err)
		}
		if lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 2; fe.Line < 0 || fe.Line > lines {
			t.Fatalf("line %d of a file of %d lines: %v", fe.Line, lines, err)
		}
		if strings.Contains(err.Error(), fuzzSecret) && keyOnlyAsValue(string(data)) {
			t.Fatalf("the literal key is in the error: %v", err)
		}
	})
}

// keyOnlyAsValue reports whether the secret appears only as the value of
// api-key lines (elsewhere, quoting it would not be quoting a key).
func keyOnlyAsValue(data string) bool {
	for _, line := range strings.Split(data, "\n") {
		if !strings.Contains(line, fuzzSecret) {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || strings.TrimSpace(k) != "api-key" || strings.Trim(strings.TrimSpace(v), `"'`) != fuzzSecret {
			return false
		}
	}
	return true
}
