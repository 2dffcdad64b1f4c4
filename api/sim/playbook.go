package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/agentop/agentop/api"
)

// playbook is one agent of the simulated fleet: who it is and the scenario
// its executions play.
type playbook struct {
	name        string
	description string
	profile     string        // the profile its executions run with by default
	version     int           // current agent version
	age         time.Duration // how long before the seed time the agent was created
	// inputs returns the default inputs of an execution created at now.
	inputs func(r *rand.Rand, now time.Time) map[string]any
	// play writes the scenario with s; s.vars holds the inputs.
	play func(s *script)
}

// compileOptions bend an execution's scenario when seeding.
type compileOptions struct {
	outcome  *outcome // deal this outcome instead of a random one
	forceAsk bool     // the first question is asked
}

// compile deals an outcome and writes the scenario of one execution.
func (pb *playbook) compile(r *rand.Rand, agentID string, v vars, opt compileOptions) []move {
	s := &script{r: r, agentID: agentID, vars: v, forceAsk: opt.forceAsk}
	switch x := r.Float64(); {
	case opt.outcome != nil:
		s.outcome = *opt.outcome
	case x < 0.16:
		s.outcome = outcomeError
	case x < 0.26:
		s.outcome = outcomeBusinessFailure
	}
	s.add(between(r, 1500, 5000), Activity{Kind: api.KindStatusChanged, Change: &StatusChange{Status: api.StatusRunning}})
	pb.play(s)
	return s.moves
}

// businessFailure reports whether this execution was dealt a business
// failure: the playbook then writes its failure branch.
func (s *script) businessFailure() bool { return s.outcome == outcomeBusinessFailure }

// signIn is the usual login node: open the page, type the user and the
// stored password, submit.
func (s *script) signIn(site, title, user, credential string) {
	s.node("Log in", "ai_task", "iris")
	s.step(
		nav(site+"/login", title),
		typeIn("the email field", user),
		typeIn("the password field", "the stored password (credential "+credential+")"),
		click(`"Sign in"`).risky(
			`Sign-in rejected: banner "Your account is temporarily locked. Try again in 30 minutes."`,
			"Login rejected by the portal: account temporarily locked after repeated attempts"),
	)
}

// money formats cents as an amount in a currency.
func money(symbol string, cents int) string {
	units := cents / 100
	s := fmt.Sprint(units)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s%s.%02d", symbol, b.String(), cents%100)
}

// previousMonth names the month before now ("November 2025").
func previousMonth(now time.Time) string {
	return time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format("January 2006")
}

// slug lower-cases a name and joins its words with dashes.
func slug(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer(".", "", ",", "", "=", "").Replace(s))), "-")
}

// playbooks is the simulated fleet, in seeding order.
var playbooks = []playbook{
	invoiceDownloader,
	insuranceQuoteFiller,
	supplierPortalChecker,
	expenseReportSubmitter,
	bankStatementExporter,
	freightRateShopper,
	eligibilityChecker,
	permitTracker,
	vendorOnboarding,
	priceMonitor,
}
