package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/agentop/agentop/api"
)

// seedProfiles are the profiles the fleet starts with; credential values
// are stored encrypted like any client's.
var seedProfiles = []struct {
	name, description, country, proxy string
	captcha, sticky, stealth          bool
	credentials                       []string
	pools                             []string
}{
	{"ap-team-eu", "Accounts payable, EU portals (Frankfurt residential exit)", "de", "residential", true, false, false,
		[]string{"northwind_password", "northwind_totp"}, []string{"eu-finance"}},
	{"broker-uk-residential", "Broker logins for UK insurer quote sites", "uk", "residential", true, true, false,
		[]string{"aviva_broker_login", "directline_broker_login", "lv_broker_login"}, nil},
	{"procurement-us", "Supplier and ERP portals, US", "us", "basic", false, false, false,
		[]string{"acme_portal_password", "contoso_portal_password", "erp_service_account"}, []string{"us-ops"}},
	{"finance-bank-sticky", "Business banking: sticky IP so the bank keeps trusting the device", "us", "residential", true, true, true,
		[]string{"meridian_password", "meridian_totp"}, []string{"eu-finance"}},
	{"clinic-payer-portals", "Payer portals for eligibility checks (HIPAA workspace)", "us", "mobile", true, false, true,
		[]string{"availity_login"}, []string{"us-ops"}},
	{"ops-general", "General web automation, no stored logins", "us", "basic", false, false, false, nil, []string{"us-ops"}},
}

var seedPools = []struct {
	name, strategy string
	concurrent     bool
}{
	{"eu-finance", LeastRecentlyUsed, false},
	{"us-ops", MostRecentlyUsed, true},
}

// How many ended executions each scenario starts with, and how far back.
const (
	historyFull   = 80
	historySmall  = 20
	historyWindow = 8 * time.Hour
	historyMinAge = 25 * time.Minute // old enough to have ended
)

// seed creates the organization, profiles, pools and agents, then the
// scenario's executions, and plays everything up to now.
func (e *Engine) seed() error {
	now := e.now
	e.org = Organization{ID: e.id(), Name: "Harborlight Logistics"}
	e.user = User{ID: e.id(), Email: "ops@harborlight.example", Role: "admin"}
	for _, l := range labelNames {
		e.labels = append(e.labels, Label{ID: e.id(), Name: l.name, Color: l.color, CreatedAt: now.Add(-90 * 24 * time.Hour)})
	}
	if err := e.seedProfiles(now); err != nil {
		return err
	}
	for _, pb := range playbooks {
		e.agents = append(e.agents, &agentState{pb: &pb, Agent: Agent{
			ID: e.id(), Name: pb.name, Description: pb.description, OrganizationID: e.org.ID, UserID: e.user.ID,
			CreatedAt: now.Add(-pb.age), Version: pb.version, WorkflowID: e.id(),
		}})
	}

	sc := e.cfg.Scenario
	history := historyFull
	if sc.Kind == ScenarioBusy || sc.Kind == ScenarioFlood {
		history = historySmall
	}
	e.seedHistory(now, history)
	switch sc.Kind {
	case ScenarioDemo, ScenarioIdle:
		e.seedWaiting(now)
		for range 3 {
			e.seedRunning(now, e.scaled(between(e.rng, 3_000, 15_000)), false)
		}
	case ScenarioBusy:
		for range sc.N {
			e.seedRunning(now, e.scaled(between(e.rng, 0, 60_000)), true)
		}
	case ScenarioFlood:
		r := e.seedRunning(now, e.scaled(10*time.Second), false)
		r.flood, r.moves = time.Second/time.Duration(sc.N), r.moves[:1] // just "running", then the flood
	}
	e.advance()
	if sc.Kind == ScenarioIdle {
		e.q = nil
		for _, r := range e.order {
			r.next, r.timeout, r.reply = nil, nil, nil
		}
	}
	if e.cfg.StartRate > 0 {
		e.scheduleStarts(now, e.cfg.StartRate)
	}
	return nil
}

func (e *Engine) seedProfiles(now time.Time) error {
	pools := map[string]*Pool{}
	for i, sp := range seedPools {
		p := &Pool{ID: e.id(), Name: sp.name, OrganizationID: e.org.ID, AllowConcurrentUse: sp.concurrent, SelectionStrategy: sp.strategy,
			CreatedAt: now.Add(-time.Duration(60-i*7) * 24 * time.Hour), UpdatedAt: now.Add(-time.Duration(3+i) * 24 * time.Hour)}
		e.pools = append(e.pools, p)
		pools[sp.name] = p
	}
	for i, sp := range seedProfiles {
		created := now.Add(-time.Duration(180-i*20) * 24 * time.Hour)
		p := &Profile{ID: e.id(), Name: sp.name, Description: sp.description, OrganizationID: e.org.ID,
			ProxyCountry: sp.country, ProxyType: sp.proxy, CaptchaSolver: sp.captcha, StickyIP: sp.sticky, ExtraStealth: sp.stealth,
			CreatedAt: created, UpdatedAt: created.Add(time.Duration(i+1) * 72 * time.Hour)}
		for _, name := range sp.credentials {
			//lint:ignore SA1019 seed credentials are encrypted the way clients encrypt theirs (reference §2.7)
			ct, err := rsa.EncryptPKCS1v15(rand.Reader, &e.key.PublicKey, []byte("sim-"+name+"-"+hexToken(e.rng, 12)))
			if err != nil {
				return fmt.Errorf("sim: encrypting a seed credential: %w", err)
			}
			p.Credentials = append(p.Credentials, Credential{ID: e.id(), Name: name, Data: base64.StdEncoding.EncodeToString(ct), CreatedAt: created})
		}
		if sp.stealth {
			p.Cookies = append(p.Cookies, Cookie{ID: e.id(), Name: "Remembered device", Key: "device_trust", Value: hexToken(e.rng, 40),
				Domain: ".harborlight.example", Secure: true, HTTPOnly: true, SameSite: "Lax", CreatedAt: created})
		}
		e.profiles = append(e.profiles, p)
		for _, name := range sp.pools {
			pools[name].ProfileIDs = append(pools[name].ProfileIDs, p.ID)
		}
	}
	return nil
}

// seedHistory creates n executions that started over the last hours and
// have ended by now; a person answered most of their questions.
func (e *Engine) seedHistory(now time.Time, n int) {
	ages := make([]time.Duration, n)
	for i := range ages {
		ages[i] = historyMinAge + time.Duration(e.rng.Int64N(int64(historyWindow-historyMinAge)))
	}
	slices.SortFunc(ages, func(a, b time.Duration) int { return int(b - a) }) // oldest first
	for _, age := range ages {
		a := pick(e.rng, e.agents...)
		meta := map[string]string{"source": "schedule"}
		if e.rng.IntN(4) == 0 {
			meta = map[string]string{"source": "api", "batch": fmt.Sprintf("%s-%02d", now.Format("2006-01-02"), e.rng.IntN(6)+1)}
		}
		version := a.Version
		if e.rng.IntN(4) == 0 {
			version = max(1, a.Version-1-e.rng.IntN(2))
		}
		r := e.create(spec{agent: a, at: now.Add(-age).Truncate(time.Millisecond), trigger: meta["source"], metadata: meta,
			profile: e.defaultProfile(a), version: version, auto: e.rng.Float64() < 0.85})
		r.x.AgentVersionDirty = e.rng.IntN(25) == 0
	}
}

// seedRunning creates an execution that started age ago and is still
// playing; keep marks one the busy scenario replaces when it ends.
func (e *Engine) seedRunning(now time.Time, age time.Duration, keep bool) *run {
	r := e.autoStart(now.Add(-age))
	r.keep, r.auto = keep, keep
	return r
}

// seedWaiting creates an execution whose agent asked a question a few
// seconds ago and now waits for a person: there is always someone to
// answer when the demo opens.
func (e *Engine) seedWaiting(now time.Time) {
	ok := outcomeSuccess
	for _, i := range e.rng.Perm(len(e.agents)) {
		a := e.agents[i]
		r := e.prepare(spec{agent: a, at: now, trigger: TriggerAPI, profile: e.defaultProfile(a),
			metadata: map[string]string{"source": "api", "requestedBy": "dispatch"},
			compile:  compileOptions{outcome: &ok, forceAsk: true}})
		w := slices.IndexFunc(r.moves, func(m move) bool { return m.waits })
		if w < 0 || r.moves[w].act.Change.Status != api.StatusPausedByAgent {
			continue
		}
		var offset time.Duration
		for _, m := range r.moves[:w+1] {
			offset += e.scaled(m.after)
		}
		r.x.CreatedAt = now.Add(-offset - 20*time.Second)
		r.x.UpdatedAt = r.x.CreatedAt
		e.launch(r)
		return
	}
}
