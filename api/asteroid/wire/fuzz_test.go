package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

// The seeds of these targets (testdata/fuzz/…) are the recorded wire
// examples: api/asteroid/testdata and the JSON of
// shared/reference/asteroid-api.md §5. Run one longer with
//
//	go test ./api/asteroid/wire -run '^$' -fuzz '^FuzzDecodePayload$' -fuzztime 5m

// FuzzDecodePayload: any bytes decode without a panic, and whatever decodes
// re-encodes, in either shape, to a payload that decodes to the same thing
// (the simulator's encoding and the client's decoding agree).
func FuzzDecodePayload(f *testing.F) {
	f.Add([]byte(`{"activityType":"action_started","actionId":"a1","actionName":"nav_to","message":"Navigating","info":{"url":"https://x"}}`))
	f.Add([]byte(`{"activityType":"status_changed","data":{"status":"paused_by_agent","pausedPayload":{"reason":"r"}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		typ, body, err := DecodePayload(raw)
		if err != nil {
			return
		}
		for _, shape := range []PayloadShape{ShapeFlat, ShapeEnvelope} {
			// Encoding normalises (invalid UTF-8 becomes U+FFFD, raw JSON is
			// compacted) once; from then on encode∘decode is the identity.
			enc := roundTrip(t, typ, body, shape)
			typ2, body2, err := DecodePayload(enc)
			if err != nil {
				t.Fatalf("an encoded payload does not decode: %v\n%s", err, enc)
			}
			if typ2 != viaJSON(typ) {
				t.Fatalf("type %q came back as %q", typ, typ2)
			}
			enc2 := roundTrip(t, typ2, body2, shape)
			typ3, body3, err := DecodePayload(enc2)
			if err != nil {
				t.Fatalf("an encoded payload does not decode: %v\n%s", err, enc2)
			}
			if again := roundTrip(t, typ3, body3, shape); !bytes.Equal(again, enc2) {
				t.Fatalf("encode∘decode is not stable:\n%s\n%s", enc2, again)
			}
		}
	})
}

func roundTrip(t *testing.T, typ string, body Body, shape PayloadShape) []byte {
	t.Helper()
	enc, err := EncodePayload(typ, body, shape)
	if err != nil {
		t.Fatalf("a decoded payload does not encode: %v", err)
	}
	return enc
}

// viaJSON is s as JSON carries it: invalid UTF-8 becomes U+FFFD.
func viaJSON(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

// FuzzActivityAndPage: an activities array, an execution, an agent and a
// page of any of them decode without a panic; a listing that is valid JSON
// with an items array decodes at least as a page of raw items (the client
// then decodes items one by one, so one odd item never costs the page).
func FuzzActivityAndPage(f *testing.F) {
	f.Add([]byte(`[{"id":"a","executionId":"e","timestamp":"2025-12-10T12:00:05Z","payload":{"activityType":"generic","message":"m"}}]`))
	f.Add([]byte(`{"items":[{"id":"e1","status":"running"}],"page":1,"pageSize":50,"total":1}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var acts []Activity
		if json.Unmarshal(raw, &acts) == nil {
			for _, a := range acts {
				_, _, _ = DecodePayload(a.Payload)
			}
		}
		var e Execution
		_ = json.Unmarshal(raw, &e)
		var ag Agent
		_ = json.Unmarshal(raw, &ag)
		var pool Pool
		_ = json.Unmarshal(raw, &pool)
		var prof AgentProfile
		_ = json.Unmarshal(raw, &prof)
		var page Page[json.RawMessage]
		if err := json.Unmarshal(raw, &page); err == nil {
			for _, it := range page.Items {
				var e Execution
				_ = json.Unmarshal(it, &e)
			}
		}
	})
}

// FuzzTolerantScalars: Time and String never fail on a valid JSON value;
// none of the tolerant scalars panics on anything.
func FuzzTolerantScalars(f *testing.F) {
	for _, s := range []string{`"2025-12-10T12:00:05.123+00"`, `1765368005123`, `null`, `"12"`, `1e400`, `{"a":[1,2]}`, `"TRUE"`, `-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var tm Time
		var s String
		var i Int
		var fl Float
		var id ID
		var b Bool
		var m StringMap
		errT := tm.UnmarshalJSON(raw)
		errS := s.UnmarshalJSON(raw)
		_, _, _, _, _ = i.UnmarshalJSON(raw), fl.UnmarshalJSON(raw), id.UnmarshalJSON(raw), b.UnmarshalJSON(raw), json.Unmarshal(raw, &m)
		if errT != nil {
			t.Fatalf("Time failed on %q: %v", raw, errT)
		}
		if json.Valid(raw) && errS != nil {
			t.Fatalf("String failed on the valid JSON %q: %v", raw, errS)
		}
		if _, err := tm.MarshalJSON(); err != nil {
			t.Fatalf("a decoded Time does not encode: %v", err)
		}
	})
}
