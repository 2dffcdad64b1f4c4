// Package wire holds the Asteroid Agents API's JSON shapes, exactly as they
// travel (v2 camelCase under /agents/v2, v1 snake_case under /api/v1). The
// client decodes them and the simulator encodes them, so both speak the same
// format. Reference: shared/reference/asteroid-api.md.
//
// Decoding is tolerant on purpose: unknown fields are ignored, enums are plain
// strings, and the Flex* types accept a number where a string was expected
// (and the other way round) and null, so a drifting server never makes a whole
// page undecodable.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var null = []byte("null")

// Time is an RFC 3339 timestamp that decodes leniently (fractional seconds or
// not, "Z" or an offset, a space instead of "T", null or "") and encodes as
// RFC 3339 with milliseconds in UTC. Use `json:",omitzero"` for optional ones.
type Time struct{ time.Time }

// T wraps a time.
func T(t time.Time) Time { return Time{t} }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
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

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, null) {
		t.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		// A number: seconds (or milliseconds) since the epoch.
		var f float64
		if err2 := json.Unmarshal(b, &f); err2 != nil {
			return fmt.Errorf("timestamp: %w", err)
		}
		if f > 1e12 {
			t.Time = time.UnixMilli(int64(f)).UTC()
		} else {
			t.Time = time.Unix(int64(f), 0).UTC()
		}
		return nil
	}
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	p, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = p
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
