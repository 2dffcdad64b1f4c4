package simhttp

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFaultsFollowTheSeed(t *testing.T) {
	seq := func(seed int64) []fault {
		fl := NewFaulter(Faults{ErrorRate: 0.3, RateLimitRate: 0.3, MalformedRate: 0.3}, seed, FaultOptions{}, http.NotFoundHandler()).(*faulter)
		out := make([]fault, 50)
		for i := range out {
			out[i], _, _ = fl.draw()
		}
		return out
	}
	assert.Equal(t, seq(1), seq(1))
	assert.NotEqual(t, seq(1), seq(2))
	assert.Contains(t, seq(1), faultNone)
	assert.Contains(t, seq(1), faultError)
	assert.Contains(t, seq(1), faultRateLimit)
	assert.Contains(t, seq(1), faultMalformed)
}
