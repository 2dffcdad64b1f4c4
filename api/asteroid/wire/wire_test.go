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
