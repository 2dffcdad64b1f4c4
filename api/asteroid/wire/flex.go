// Package wire holds the Asteroid Agents API's JSON shapes, exactly as they
// travel (v2 camelCase under /agents/v2, v1 snake_case under /api/v1). The
// client decodes them and the simulator encodes them, so both speak the same
// format. Reference: shared/reference/asteroid-api.md.
//
// Decoding is tolerant on purpose: unknown fields are ignored, enums are plain
// strings, and the tolerant scalars (Time, ID, Bool, Int, Float, String)
// accept a number where a string was expected (and the other way round) and
// null; Time never fails at all. Each encodes exactly as the plain Go type
// it stands for, so the simulator's JSON is what it would be without them.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

var null = []byte("null")

// Time is an RFC 3339 timestamp that decodes leniently (fractional seconds or
// not, "Z" or an offset such as "+00:00", "+0000" or Postgres's "+00", a
// space instead of "T", seconds or milliseconds since the epoch, null or "")
// and encodes as RFC 3339 with milliseconds in UTC. Decoding never fails: a
// timestamp it cannot read is the zero time, which costs that one field and
// never the object (or the page) around it. Use `json:",omitzero"` for
// optional ones.
type Time struct{ time.Time }

// T wraps a time.
func T(t time.Time) Time { return Time{t} }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// ParseTime parses the timestamp layouts the API has been seen to send.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q", s)
}

// maxEpochSeconds bounds a numeric timestamp read as seconds; larger ones are
// milliseconds.
const maxEpochSeconds = 1e12

// UnmarshalJSON implements json.Unmarshaler. It never returns an error: what
// it cannot read leaves the zero time.
func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		t.Time, _ = ParseTime(s) // "" and unrecognised layouts give the zero time
		return nil
	}
	// A number: seconds (or milliseconds) since the epoch.
	var f float64
	if err := json.Unmarshal(b, &f); err != nil || math.IsNaN(f) || math.Abs(f) >= maxEpochSeconds*1000 {
		return nil // null, an object, a boolean, an absurd number
	}
	if math.Abs(f) >= maxEpochSeconds {
		t.Time = time.UnixMilli(int64(f)).UTC()
	} else {
		t.Time = time.Unix(int64(f), 0).UTC()
	}
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.Time.IsZero() {
		return null, nil
	}
	return json.Marshal(t.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// Float is a number that also decodes from a quoted number or null.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*f = 0
		return nil
	}
	b = bytes.Trim(b, `"`)
	if len(b) == 0 {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("number: %w", err)
	}
	*f = Float(v)
	return nil
}

// Int is an integer that also decodes from a float, a quoted number or null.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	var f Float
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	*i = Int(f)
	return nil
}

// String is a string that also decodes from a number, a boolean or null (and,
// for anything else, keeps the compact JSON text).
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		*s = ""
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err == nil {
		*s = String(v)
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	*s = String(buf.String())
	return nil
}

// ID is an identifier. It decodes from a string, from a number (kept as its
// digits: some deployments send numeric ids) or null (""), and encodes as a
// plain JSON string, exactly as a string field would.
type ID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, null):
		*id = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("id: want a string or a number, got %.40s", b)
	}
	*id = ID(n)
	return nil
}

// Bool is a boolean that also decodes from "true"/"false" (any case), 1/0,
// "1"/"0" and null (false). It encodes as a plain JSON boolean.
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`)) {
	case "true", "1":
		*v = true
	case "false", "0", "null", "":
		*v = false
	default:
		return fmt.Errorf("boolean: want true or false, got %.40s", b)
	}
	return nil
}

// StringMap is a string→string object whose values may arrive as other JSON
// types (kept as their JSON text).
type StringMap map[string]String

// Plain returns the map as map[string]string (nil for an empty map).
func (m StringMap) Plain() map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

// StringMapOf converts a plain map.
func StringMapOf(m map[string]string) StringMap {
	if m == nil {
		return nil
	}
	out := make(StringMap, len(m))
	for k, v := range m {
		out[k] = String(v)
	}
	return out
}
