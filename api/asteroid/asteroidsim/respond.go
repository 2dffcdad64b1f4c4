package asteroidsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/agentop/agentop/api"
	"github.com/agentop/agentop/api/asteroid/wire"
)

// endpoint handles one route: it returns the success status and body (a Go
// string becomes a bare JSON string), or an error the route's errorStyle
// turns into a response.
type endpoint func(r *http.Request) (int, any, error)

// errorStyle writes an error the way a family of endpoints does.
type errorStyle func(err error) (int, any)

// statusError is a failure the façade answers with a status of its own, in
// every error style (413 for an upload over the limit).
type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// statusFor maps an error to its HTTP status: a statusError's own, else by
// kind.
func statusFor(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.code
	}
	switch api.KindOf(err) {
	case api.KindInvalid:
		return http.StatusBadRequest
	case api.KindUnauthorized:
		return http.StatusUnauthorized
	case api.KindForbidden:
		return http.StatusForbidden
	case api.KindNotFound:
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// messageOf is the text of err without the kind prefix an *api.Error adds.
func messageOf(err error) string {
	var e *api.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// v2Errors is the v2 shape: {"code": <status>, "message": "…"}.
func v2Errors(err error) (int, any) {
	code := statusFor(err)
	return code, wire.ErrorBody{Code: code, Message: messageOf(err)}
}

// v1Errors is the v1 shape: {"error": "…"}.
func v1Errors(err error) (int, any) {
	return statusFor(err), wire.ErrorBodyV1{Error: messageOf(err)}
}

// plainErrors is the shape of the v2 endpoints whose spec declares literal
// string bodies: the status's documented string, a statusError's own, or
// "Internal server error." for anything else.
func plainErrors(texts map[int]string) errorStyle {
	return func(err error) (int, any) {
		code := statusFor(err)
		if text, ok := texts[code]; ok {
			return code, text
		}
		var se *statusError
		if errors.As(err, &se) {
			return se.code, se.msg
		}
		return http.StatusInternalServerError, "Internal server error."
	}
}

// serve adapts an endpoint to http.Handler.
func serve(style errorStyle, fn endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, body, err := fn(r)
		if err != nil {
			code, body = style(err)
		}
		writeJSON(w, code, body)
	})
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"code":500,"message":"encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

// writeError answers with an error the façade decides itself (auth,
// faults), in the shape of the API family the request is for.
func writeError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, wire.V1Prefix+"/") {
		writeJSON(w, code, wire.ErrorBodyV1{Error: msg})
		return
	}
	writeJSON(w, code, wire.ErrorBody{Code: code, Message: msg})
}

// invalidf is a request the façade itself rejects (400).
func invalidf(format string, a ...any) error {
	return &api.Error{Kind: api.KindInvalid, Message: fmt.Sprintf(format, a...)}
}
