package wire

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodePayloadBothGenerations(t *testing.T) {
	flat := json.RawMessage(`{"activityType":"action_started","actionId":"a1","actionName":"nav_to","message":"Navigating","info":{"actionName":"nav_to","url":"https://x"}}`)
	env := json.RawMessage(`{"activityType":"action_started","data":{"message":"Navigating","actionName":"go_to_url","actionId":"a1"}}`)
	typ, b, err := DecodePayload(flat)
	require.NoError(t, err)
	assert.Equal(t, "action_started", typ)
	assert.Equal(t, String("Navigating"), b.Message)
	assert.Equal(t, String("nav_to"), b.ActionName)
	typ, b, err = DecodePayload(env)
	require.NoError(t, err)
	assert.Equal(t, "action_started", typ)
	assert.Equal(t, String("go_to_url"), b.ActionName)
}

func TestEncodePayloadRoundTrip(t *testing.T) {
	n := Int(3)
	body := Body{StepNumber: &n}
	for _, shape := range []PayloadShape{ShapeFlat, ShapeEnvelope} {
		raw, err := EncodePayload(TypeStepStarted, body, shape)
		require.NoError(t, err)
		require.True(t, json.Valid(raw), string(raw))
		typ, got, err := DecodePayload(raw)
		require.NoError(t, err)
		assert.Equal(t, TypeStepStarted, typ)
		require.NotNil(t, got.StepNumber)
		assert.Equal(t, Int(3), *got.StepNumber)
	}
	raw, err := EncodePayload(TypeGeneric, Body{}, ShapeFlat)
	require.NoError(t, err)
	assert.JSONEq(t, `{"activityType":"generic"}`, string(raw))
}

func TestFlexTypes(t *testing.T) {
	var v struct {
		A Float     `json:"a"`
		B Int       `json:"b"`
		C String    `json:"c"`
		D Time      `json:"d"`
		E StringMap `json:"e"`
		F Time      `json:"f"`
		G Time      `json:"g,omitzero"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"a":"1.5","b":2.0,"c":42,"d":"2025-12-10T12:00:05.123456+00:00","e":{"k":1,"s":"x"},"f":null}`), &v))
	assert.Equal(t, Float(1.5), v.A)
	assert.Equal(t, Int(2), v.B)
	assert.Equal(t, String("42"), v.C)
	assert.Equal(t, time.Date(2025, 12, 10, 12, 0, 5, 123456000, time.UTC), v.D.UTC())
	assert.Equal(t, map[string]string{"k": "1", "s": "x"}, v.E.Plain())
	assert.True(t, v.F.IsZero())
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(out), `"g"`)
}

func TestTimeNeverFails(t *testing.T) {
	want := time.Date(2026, 3, 1, 10, 0, 0, 123456000, time.UTC)
	for in, exp := range map[string]time.Time{
		`"2026-03-01 10:00:00.123456+00"`:     want,
		`"2026-03-01T10:00:00.123456+00"`:     want,
		`"2026-03-01 12:00:00.123456+02"`:     want,
		`"2026-03-01 10:00:00.123456+00:00"`:  want,
		`"2026-03-01T10:00:00.123456Z"`:       want,
		`"yesterday"`:                         {},
		`""`:                                  {},
		`null`:                                {},
		`{"seconds":1}`:                       {},
		`[1]`:                                 {},
		`true`:                                {},
		`1e300`:                               {},
		`1772359200`:                          time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		`1772359200123`:                       time.Date(2026, 3, 1, 10, 0, 0, 123000000, time.UTC),
		`"2026-03-01 10:00:00.123456 +00:00"`: {},
	} {
		tm := T(time.Now())
		require.NoError(t, tm.UnmarshalJSON([]byte(in)), in)
		assert.True(t, exp.Equal(tm.Time), "%s: got %v", in, tm.Time)
	}
}

func TestIDAndBool(t *testing.T) {
	var v struct {
		A, B, C, D ID
		E, F, G    Bool
		H, I, J    Bool
		K          Bool
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":"x-1","B":42,"C":null,"D":12345678901234567890,
		"E":true,"F":"false","G":"TRUE","H":1,"I":0,"J":null,"K":"1"}`), &v))
	assert.Equal(t, ID("x-1"), v.A)
	assert.Equal(t, ID("42"), v.B)
	assert.Equal(t, ID(""), v.C)
	assert.Equal(t, ID("12345678901234567890"), v.D, "big numeric ids keep every digit")
	assert.Equal(t, []Bool{true, false, true, true, false, false, true}, []Bool{v.E, v.F, v.G, v.H, v.I, v.J, v.K})

	var id ID
	assert.Error(t, json.Unmarshal([]byte(`{"x":1}`), &id))
	assert.Error(t, json.Unmarshal([]byte(`true`), &id))
	var b Bool
	assert.Error(t, json.Unmarshal([]byte(`"maybe"`), &b))
	assert.Error(t, json.Unmarshal([]byte(`2`), &b))
}

// TestTolerantTypesEncodeAsPlainOnes: the simulator's JSON does not change
// with the tolerant types.
func TestTolerantTypesEncodeAsPlainOnes(t *testing.T) {
	type plain struct {
		ID   string `json:"id"`
		Org  string `json:"org,omitempty"`
		On   bool   `json:"on"`
		Off  bool   `json:"off"`
		Opt  *bool  `json:"opt,omitempty"`
		Unix string `json:"unix"`
	}
	type tolerant struct {
		ID   ID     `json:"id"`
		Org  ID     `json:"org,omitempty"`
		On   Bool   `json:"on"`
		Off  Bool   `json:"off"`
		Opt  *Bool  `json:"opt,omitempty"`
		Unix String `json:"unix"`
	}
	want, err := json.Marshal(plain{ID: "a\"<b>", On: true, Unix: "x"})
	require.NoError(t, err)
	got, err := json.Marshal(tolerant{ID: "a\"<b>", On: true, Unix: "x"})
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}
