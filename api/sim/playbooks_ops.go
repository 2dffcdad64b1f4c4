package sim

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/agentop/agentop/api"
)

var supplierPortalChecker = playbook{
	name:        "Supplier Portal Checker",
	description: "Checks three supplier portals for purchase-order acknowledgements and ship dates, and flags orders that will arrive after the promised date.",
	profile:     "procurement-us",
	version:     9,
	age:         400 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{"checkedOn": now.Format("Mon 2 Jan")}
	},
	play: func(s *script) {
		type portal struct{ name, url string }
		portals := []portal{
			{"Acme Fasteners", "https://partners.acme-fasteners.example"},
			{"Contoso Metals", "https://supplier.contosometals.example"},
			{"Brightline Logistics", "https://portal.brightline-logistics.example"},
		}
		late := 0
		for i, p := range portals {
			s.node("Check "+p.name, "ai_task", "iris")
			open := 3 + s.r.IntN(9)
			n := nav(p.url+"/orders?status=open", p.name+" — Open orders")
			if i == 1 {
				n = n.risky("Navigation failed: HTTP 503 Service Unavailable (3 attempts)",
					p.name+"'s portal returned HTTP 503 three times in a row", "net::ERR_HTTP_RESPONSE_CODE_FAILURE")
			}
			s.step(n, waitFor("the orders grid"), snapshot(fmt.Sprintf("%d open purchase orders", open)))
			if s.chance(0.4) {
				po := fmt.Sprintf("PO-%d", 88400+s.r.IntN(99))
				late++
				s.think(fmt.Sprintf("%s: %s now ships %s, %d days after the date we promised the customer. That needs flagging.",
					p.name, po, time.Date(2025, 12, 3+s.r.IntN(20), 0, 0, 0, 0, time.UTC).Format("2 Jan"), 2+s.r.IntN(6)))
			}
		}
		flag := "Flag it as late"
		if s.ask(0.2, "Contoso shows PO-88437 as \"partially shipped\" with no tracking number. Should I flag it as late now, or wait for tomorrow's check?",
			"Flag it as late", "Wait until tomorrow", "Wait — their rep said tracking comes tonight") {
			s.think("PO-88437: going with \"{answer}\".")
			flag = "{answer}"
		}
		s.node("Report", "ai_task", "iris")
		s.step(sheetWrite("Open POs", "A2:F40", 24))
		if late > 0 {
			s.step(apiCall("POST", "https://hooks.chat.example/services/T024/B07LATEPO", "200", "ok"))
		}
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Checked 3 supplier portals on {checkedOn}; %d purchase order(s) will arrive late and were flagged in #procurement.", late),
			data:      map[string]any{"portals": len(portals), "late": late, "po88437": flag}})
	},
}

var freightRateShopper = playbook{
	name:        "Freight Rate Shopper",
	description: "Requests LTL freight quotes from three carrier portals for an outbound shipment and books the cheapest, with a person confirming the booking.",
	profile:     "ops-general",
	version:     5,
	age:         150 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"order":       fmt.Sprintf("SO-%05d", 55000+r.IntN(900)),
			"origin":      "Reno, NV 89502",
			"destination": pick(r, "Columbus, OH 43215", "Allentown, PA 18109", "Joliet, IL 60436", "Dallas, TX 75241"),
			"pallets":     2 + r.IntN(9),
		}
	},
	play: func(s *script) {
		carriers := []string{"Old Dominion", "Estes", "Saia"}
		best, bestCents := "", 0
		for i, c := range carriers {
			s.node("Quote "+c, "ai_task", "iris")
			cents := 28000 + s.r.IntN(60000)
			f := fillForm(c+"'s rate request ({pallets} pallets, {origin} → {destination})", 12)
			if i == 2 {
				f = f.risky("Rate request rejected: \"Freight class could not be determined for NMFC 156600\"",
					c+" rejected the rate request: freight class missing for NMFC 156600")
			}
			s.step(nav("https://freight."+slug(c)+".example/quote", c+" — Get a rate quote"), f,
				readText("the quoted rate", money("$", cents)))
			if best == "" || cents < bestCents {
				best, bestCents = c, cents
			}
		}
		s.set("best", best)
		s.set("price", money("$", bestCents))
		s.think("{best} is cheapest at {price} with a 3-day transit; the others are slower or dearer.")
		if s.businessFailure() {
			s.step(readText("the {best} booking page", "No pickup capacity in Reno before Friday"))
			s.finish(resultSpec{outcome: "failure",
				reasoning: "{best} quoted {price} but has no pickup capacity before Friday, after the {order} ship-by date; nothing booked.",
				data:      map[string]any{"order": "{order}", "booked": false}})
			return
		}
		s.confirm(0.6, "Booking charges the company card and can't be undone online, so I'll ask for a confirmation first.",
			"Booking {best} at {price} for {order} will charge the company card on file")
		s.node("Book shipment", "ai_task", "iris")
		pro := fmt.Sprintf("%d", 7_400_000_000+s.r.IntN(99_999_999))
		s.step(click(`"Book shipment"`), readText("the PRO number", pro))
		s.download("BOL-{order}.pdf", "application/pdf", int64(60_000+s.r.IntN(40_000)), "https://freight."+slug(best)+".example/bol/"+pro+".pdf")
		s.finish(resultSpec{outcome: "success",
			reasoning: "Booked {best} for {order} at {price} (PRO " + pro + "); bill of lading saved.",
			data:      map[string]any{"order": "{order}", "carrier": "{best}", "price": "{price}", "pro": pro}})
	},
}

var permitTracker = playbook{
	name:        "Permit Status Tracker",
	description: "Checks the city's building-permit portal for status changes on open applications and downloads issued permits and inspection notices.",
	profile:     "ops-general",
	version:     2,
	age:         30 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{"portal": "https://permits.cityofoakridge.example", "applications": 3 + r.IntN(4)}
	},
	play: func(s *script) {
		s.node("Search applications", "ai_task", "iris")
		s.step(nav("{portal}/search", "Oakridge ePermits — Search"),
			typeIn("the contractor license field", "license CSLB-1029384"),
			pressKey("Enter", "to run the search").risky("Search timed out after 30s: the results grid never rendered",
				"The permit portal's search did not respond within 30 s"),
			snapshot("{applications} open applications"))
		s.node("Review statuses", "ai_task", "iris")
		issued := s.r.IntN(3)
		for i := range issued {
			permit := fmt.Sprintf("BLD-2025-%05d", 1000+s.r.IntN(9000))
			s.step(click("application "+permit), readText("the status", "Issued"))
			s.download(permit+".pdf", "application/pdf", int64(120_000+s.r.IntN(200_000)), "{portal}/documents/"+permit+".pdf")
			if i == 0 {
				s.step(savePDF(permit + "-inspection-schedule.pdf"))
			}
		}
		s.think(fmt.Sprintf("%d of {applications} applications changed status; the rest are still \"In plan review\". Posting the issued ones to the project tracker.", issued))
		s.step(apiCall("PATCH", "https://projects.harborlight.example/api/permits", "200", fmt.Sprintf(`{"updated":%d}`, issued)))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Checked {applications} applications: %d issued (permits downloaded), the others unchanged.", issued),
			data:      map[string]any{"checked": "{applications}", "issued": issued}})
	},
}

var priceMonitor = playbook{
	name:        "Competitor Price Monitor",
	description: "Scrapes competitor catalog pages for the tracked SKUs, records price changes in the pricing sheet and alerts category managers to drops over 5%.",
	profile:     "ops-general",
	version:     14,
	age:         500 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{"competitor": pick(r, "ToolDepot", "FastenRight", "BoltBarn"), "skus": 40}
	},
	play: func(s *script) {
		site := "https://www." + slug(s.vars["competitor"]) + ".example"
		s.node("Load tracked SKUs", "ai_task", "iris")
		s.step(sheetRead("Tracked SKUs", "A2:C41", 40))
		s.node("Scrape catalog", "playwright_script", "selector")
		s.step(nav(site+"/catalog/fasteners", "{competitor} — Fasteners"),
			runScript("the fastener catalog pages", "page 1/4: 12 SKUs", "page 2/4: 11 SKUs", "page 3/4: 10 SKUs", "page 4/4: 7 SKUs").
				risky("Script failed at line 18: locator('.price').first() timed out (30000ms)",
					"The catalog layout changed: the generated script can no longer find prices"))
		s.scriptFor(0.25, "Scrape catalog", "Prices sit in .product-card .price; pagination via ?page=N",
			"for (let p = 1; p <= 4; p++) {\n  await page.goto(`"+site+"/catalog/fasteners?page=${p}`);\n  for (const card of await page.locator('.product-card').all()) {\n    rows.push([await card.getAttribute('data-sku'), await card.locator('.price').innerText()]);\n  }\n}")
		drops := s.r.IntN(4)
		s.think(fmt.Sprintf("40 SKUs scraped; %d dropped more than 5%% since yesterday, the largest being M8 hex bolts (-%d%%).", drops, 6+s.r.IntN(9)))
		if drops == 0 {
			s.say("No price moved more than 5% today; the sheet gets the new prices, nobody gets an alert.")
		}
		s.node("Update sheet", "ai_task", "iris")
		s.step(sheetWrite("Prices", "A2:E41", 40))
		if drops > 0 {
			s.step(apiCall("POST", "https://hooks.chat.example/services/T024/B07PRICES", "200", "ok"))
		}
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Recorded 40 {competitor} prices; %d drops over 5%% reported to category managers.", drops),
			data:      map[string]any{"competitor": "{competitor}", "skus": 40, "drops": drops}})
	},
}

// floodMove is the i-th activity of a flood execution: the price monitor
// crawling catalog pages without end.
func floodMove(r *rand.Rand, i int, every time.Duration) move {
	page := i/2 + 1
	url := fmt.Sprintf("https://www.tooldepot.example/catalog/fasteners?page=%d", page)
	a := Activity{Kind: api.KindActionStarted, Message: "Navigating to " + url,
		Action: &Action{Name: "nav_to", ID: fmt.Sprintf("flood-%d", page), Detail: map[string]any{"url": url}}}
	if i%2 == 1 {
		a = Activity{Kind: api.KindActionCompleted, Message: fmt.Sprintf("Page loaded: ToolDepot — Fasteners (page %d, %d SKUs)", page, 8+r.IntN(5)),
			Action: &Action{Name: "nav_to", ID: fmt.Sprintf("flood-%d", page), Duration: every, Detail: map[string]any{"pageTitle": "ToolDepot — Fasteners"}}}
	}
	return move{after: every, act: a}
}
