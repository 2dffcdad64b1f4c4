package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

var insuranceQuoteFiller = playbook{
	name:        "Home Insurance Quote Filler",
	description: "Fills home-insurance quote forms on three insurer websites from a broker's fact-find and reports the cheapest annual premium.",
	profile:     "broker-uk-residential",
	version:     6,
	age:         120 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"client":      pick(r, "Amelia Hart", "Rohan Mehta", "Siobhan Gallagher", "Daniel Okafor", "Freya Lindqvist"),
			"postcode":    pick(r, "BS6 5QA", "LS8 2HE", "M20 3FJ", "EH10 4BF", "CF23 9AB"),
			"rebuildCost": money("£", (220_000+r.IntN(180_000))*100),
		}
	},
	play: func(s *script) {
		factFind := "fact-find-" + slug(s.vars["client"]) + ".pdf"
		s.node("Read fact-find", "ai_task", "iris")
		s.step(listFiles(factFind), readFiles(96_000+s.r.IntN(40_000), factFind))
		s.think("Fact-find for {client}: semi-detached, built 1932, rebuild cost {rebuildCost}, no claims in five years. The roof construction question is left blank.")
		roof := "No flat roof"
		insurers := []string{"Aviva", "Direct Line", "LV="}
		best, bestCents := "", 0
		for i, ins := range insurers {
			s.node(ins+" quote", "ai_task", "iris")
			s.step(nav("https://www."+slug(ins)+".example/home-insurance/quote", "Home insurance quote | "+ins),
				fillForm("the property details page", 14), click(`"Continue"`))
			if i == 0 {
				s.step(decide("how to answer the flat-roof question the fact-find leaves blank"))
			}
			if i == 0 && s.ask(0.4, "Aviva asks whether any part of the roof at {postcode} is flat, and the fact-find doesn't say. Is any of {client}'s roof flat — and if so, roughly what share?",
				"No flat roof", "Yes, about 20% — the rear extension", "Flat garage roof only, under 10%") {
				s.think("Using \"{answer}\" for the roof question here and on the other two insurers, so all three quotes rest on the same disclosure.")
				roof = "{answer}"
			}
			s.step(choose("the flat-roof question", roof))
			if i > 0 && s.businessFailure() {
				s.step(readText("the quote result", "We're unable to offer you a quote online"))
				s.finish(resultSpec{outcome: "failure",
					reasoning: ins + " declined to quote online for {postcode} (flood zone 3) and referred the case to an underwriter; no full comparison possible for {client}.",
					data:      map[string]any{"client": "{client}", "declined": ins, "referred": true}})
				return
			}
			cents := 31_000 + s.r.IntN(38_000)
			get := click(`"Get my quote"`)
			if i == 1 {
				get = get.risky("Timed out waiting for the quote panel after 60s",
					ins+"'s quote engine did not respond within 60 s")
			}
			s.step(fillForm("the cover options page", 9), get, readText("the annual premium", money("£", cents)))
			if best == "" || cents < bestCents {
				best, bestCents = ins, cents
			}
		}
		s.step(note(fmt.Sprintf("Cheapest: %s %s/yr; roof answer: %s", best, money("£", bestCents), roof), 4))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Cheapest annual premium for {client} ({postcode}) is %s from %s; all three insurers quoted on the same disclosures (roof: %s).", money("£", bestCents), best, roof),
			data:      map[string]any{"client": "{client}", "postcode": "{postcode}", "cheapest": best, "premium": money("£", bestCents), "roof": roof}})
	},
}

var eligibilityChecker = playbook{
	name:        "Benefits Eligibility Checker",
	description: "Verifies patients' insurance eligibility and copay on payer portals the day before their appointments and updates the clinic's scheduling sheet.",
	profile:     "clinic-payer-portals",
	version:     8,
	age:         260 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"clinic": "Riverside Family Practice",
			"date":   now.AddDate(0, 0, 1).Format("Mon 2 Jan"),
		}
	},
	play: func(s *script) {
		patients := []string{"M. Alvarez", "J. Thompson", "K. Nguyen", "R. Patel", "S. Kowalski"}
		n := 2 + s.r.IntN(3)
		s.node("Load appointments", "ai_task", "iris")
		s.step(sheetRead("Appointments", "A2:G60", 18+s.r.IntN(20)))
		s.set("patient", patients[0])
		s.set("member", fmt.Sprintf("XJH%07d", s.r.IntN(10_000_000)))
		payer := pick(s.r, "Availity", "BlueCross Provider Portal", "Aetna Provider")
		s.set("payer", payer)
		s.set("payerSite", "https://provider."+slug(payer)+".example")
		s.node("Verify coverage", "ai_task", "iris")
		s.step(nav("{payerSite}/eligibility", "{payer} — Eligibility & Benefits"),
			fillForm("the member search", 4).risky("Search failed: \"Payer system unavailable, try again later\" (AAA 42)",
				"The payer returned AAA 42 (system unavailable) for the eligibility request"))
		if s.ask(0.35, "Member ID {member} for {patient} isn't found on {payer}. Is there a different ID on the card, or should I search by name and date of birth?",
			"Search by name and date of birth", "Try {member}01 — the card has a suffix", "Skip them, front desk will verify") {
			s.think("For {patient}: \"{answer}\". Retrying the lookup that way.")
			s.step(fillForm("the member search", 3))
		}
		copays := make([]any, 0, n)
		for i := range n {
			copay := pick(s.r, "$20", "$25", "$40", "$0 (HSA plan)")
			s.step(readText("coverage for "+patients[i], "Active — office visit copay "+copay))
			copays = append(copays, map[string]any{"patient": patients[i], "status": "active", "copay": copay})
		}
		if s.businessFailure() {
			s.step(readText("coverage for "+patients[n], "Inactive — terminated 10/31"))
			s.finish(resultSpec{outcome: "failure",
				reasoning: "Coverage for " + patients[n] + " was terminated on 10/31; the {date} appointment needs a self-pay conversation before it goes ahead.",
				data:      map[string]any{"verified": copays, "inactive": patients[n]}})
			return
		}
		s.step(sheetWrite("Appointments", "H2:H60", n))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Verified %d patients for {clinic} on {date}: all active; copays written to the sheet.", n),
			data:      map[string]any{"date": "{date}", "verified": copays}})
	},
}
