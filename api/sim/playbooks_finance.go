package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

var invoiceDownloader = playbook{
	name:        "Invoice Downloader — Northwind Supply",
	description: "Signs in to the Northwind Supply billing portal, downloads last month's invoices as PDF (skipping credit notes) and files them for accounts payable.",
	profile:     "ap-team-eu",
	version:     7,
	age:         210 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"portal":  "https://billing.northwind-supply.example",
			"account": fmt.Sprintf("NW-%05d", 20000+r.IntN(9000)),
			"month":   previousMonth(now),
			"year":    now.AddDate(0, 0, -now.Day()).Year(),
			"login":   "ap@harborlight.example",
		}
	},
	play: func(s *script) {
		s.signIn("{portal}", "Northwind Supply — Sign in", "{login}", "northwind_password")
		s.set("code", fmt.Sprintf("%06d", s.r.IntN(1000000)))
		if s.ask(0.35, "Northwind just emailed a 6-digit verification code to {login} and I can't read that inbox. What is the code?", "{code}") {
			s.step(typeIn("the verification code field", "the code you sent ({answer})"), click(`"Verify"`))
			s.think("Code {answer} went through; the portal offers to remember this browser for 30 days, which saves asking again tomorrow, so I ticked it.")
		} else {
			s.step(totp("northwind_totp"), typeIn("the verification code field", "the generated one-time code"), click(`"Verify"`))
		}

		s.node("Open invoices", "ai_task", "iris")
		s.step(nav("{portal}/billing/invoices?account={account}", "Invoices — Northwind Supply"), waitFor("the invoices table"))
		if s.businessFailure() {
			s.step(snapshot("Invoices table is empty: \"No documents for the selected period\""))
			s.think("Account {account} has no invoices for {month}. The filter is right (period = {month}, all document types), so there is genuinely nothing to download.")
			s.finish(resultSpec{outcome: "failure",
				reasoning: "No invoices were issued on account {account} for {month}; nothing was downloaded.",
				data:      map[string]any{"account": "{account}", "period": "{month}", "invoices": []any{}}})
			return
		}
		n, credits := 2+s.r.IntN(4), s.r.IntN(3)
		first := 140 + s.r.IntN(700)
		total := 0
		s.step(snapshot(fmt.Sprintf("Invoices table: %d documents for {month}", n+credits)))
		if credits > 0 {
			s.think(fmt.Sprintf("The table lists %d documents for {month}; %d of them are credit notes (type CN), which AP books separately, so I'll download the %d invoices only.", n+credits, credits, n))
		} else {
			s.think(fmt.Sprintf("The table lists %d invoices for {month} and no credit notes; downloading all of them.", n))
		}
		s.learn(0.2, WorkflowUpdate{UpdateType: "edit", NodeName: "Open invoices", NodeType: "ai_task",
			Rules: "Skip credit notes (document type CN); accounts payable books them separately."})

		s.node("Download invoices", "ai_task", "selector")
		invoices := make([]any, 0, n)
		for i := range n {
			id := fmt.Sprintf("INV-%s-%04d", "{year}", first+i)
			amount := 12000 + s.r.IntN(480000)
			total += amount
			c := click("the PDF link of " + id)
			if i == 0 {
				c = c.risky("Element 'a[data-doc=\""+id+"\"] .pdf-link' not found after 10s",
					"The invoice list re-rendered while downloading; the PDF link for "+id+" disappeared")
			}
			s.step(c)
			s.download(id+".pdf", "application/pdf", int64(38_000+s.r.IntN(360_000)), "{portal}/billing/documents/"+id+".pdf")
			invoices = append(invoices, map[string]any{"number": id, "amount": money("€", amount)})
		}
		s.step(note(fmt.Sprintf("%d invoices for {month} saved, total %s", n, money("€", total)), 3))
		s.say(fmt.Sprintf("All %d PDFs are in /home/agent/downloads, named by invoice number, ready for the AP import.", n))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Downloaded %d invoices for {month} (total %s) from Northwind Supply; credit notes skipped: %d.", n, money("€", total), credits),
			data:      map[string]any{"account": "{account}", "period": "{month}", "invoices": invoices, "total": money("€", total)},
			lessons:   "The PDF links re-render after the table's lazy load; wait for the row count to settle before clicking."})
	},
}

var expenseReportSubmitter = playbook{
	name:        "Expense Report Submitter",
	description: "Builds each employee's monthly expense report in the expenses portal from the receipts forwarded to the shared inbox, and submits it for approval.",
	profile:     "ap-team-eu",
	version:     4,
	age:         95 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"employee": pick(r, "Priya Raman", "Tomás Ortega", "Hannah Weiss", "Kwame Mensah", "Lucie Moreau"),
			"month":    previousMonth(now),
			"limit":    "€1,000.00",
		}
	},
	play: func(s *script) {
		receipts := 4 + s.r.IntN(6)
		hotel := pick(s.r, "Hotel Adlon Kempinski", "NH Collection Amsterdam", "Meliá Barcelona Sky", "Hoxton Paris")
		s.set("hotel", hotel)
		s.set("amount", money("€", 104000+s.r.IntN(60000)))
		s.node("Collect receipts", "ai_task", "iris")
		s.step(readMail("receipts from {employee} for {month}", receipts, "Fwd: Your receipt from "+hotel))
		s.step(note(fmt.Sprintf("%d receipts for {employee}; hotel %s is %s", receipts, hotel, "{amount}"), 2))

		s.node("Create report", "ai_task", "iris")
		s.step(nav("https://expenses.harborlight.example/reports/new", "New expense report"),
			typeIn("the report name field", `"{employee} — {month}"`),
			upload("the receipts drop zone", "receipts.zip").risky("Upload failed: 413 Request Entity Too Large",
				"The expenses portal rejected the receipt upload (413: archive over 25 MB)"))
		handling := "all receipts were within policy"
		if s.ask(0.5, "The {hotel} receipt for {employee} totals {amount}, above the {limit} per-claim limit. Should I submit it as one claim with a manager-approval note, or split it into two claims? Reply \"submit\" or \"split\".",
			"submit", "split", "Submit it as one claim — Priya approved the hotel by email") {
			s.think("Following the instruction \"{answer}\" for the {amount} {hotel} receipt; I'll quote it in the claim note so the approver sees where it came from.")
			s.step(typeIn("the claim note", `"Over-limit hotel claim: {answer}"`))
			handling = `the over-limit hotel receipt was handled as instructed ("{answer}")`
		}
		s.step(recall(fmt.Sprintf("%d receipts for {employee}; hotel %s is {amount}", receipts, hotel)),
			fillForm("the expense lines", receipts*3), click(`"Submit for approval"`))
		if s.businessFailure() {
			s.step(readText("the validation banner", "2 receipts are missing a VAT number"))
			s.finish(resultSpec{outcome: "failure",
				reasoning: "The report for {employee} ({month}) could not be submitted: 2 receipts are missing a VAT number and need the originals.",
				data:      map[string]any{"employee": "{employee}", "status": "draft", "blocking": []any{"VAT number missing on 2 receipts"}}})
			return
		}
		report := fmt.Sprintf("EXP-%06d", 300000+s.r.IntN(99999))
		s.step(readText("the report number", report))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Submitted %s for {employee} ({month}) with %d receipts; %s.", report, receipts, handling),
			data:      map[string]any{"employee": "{employee}", "report": report, "receipts": receipts, "status": "submitted"}})
	},
}

var bankStatementExporter = playbook{
	name:        "Bank Statement Exporter",
	description: "Exports yesterday's transactions from the business banking portal as CSV and reconciles them against the ledger's open items.",
	profile:     "finance-bank-sticky",
	version:     11,
	age:         320 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"bank":    "https://business.meridianbank.example",
			"date":    now.AddDate(0, 0, -1).Format("2006-01-02"),
			"account": "Operating ••4821",
		}
	},
	play: func(s *script) {
		s.signIn("{bank}", "Meridian Business Online — Log on", "treasury@harborlight.example", "meridian_password")
		s.step(totp("meridian_totp"), typeIn("the security code field", "the generated one-time code"), click(`"Continue"`))
		s.node("Choose account", "ai_task", "iris")
		if s.ask(0.45, `Two accounts are linked to this login: "Operating ••4821" and "Payroll ••9930". Which one should I export for {date}?`,
			"Operating ••4821", "Payroll ••9930", "Payroll this time — month-end run") {
			s.step(click(`the account "{answer}"`))
			s.set("account", "{answer}")
		} else {
			s.step(click(`the account "{account}"`))
		}
		s.node("Export statement", "ai_task", "selector")
		s.step(nav("{bank}/accounts/transactions?from={date}&to={date}", "Transactions — Meridian Business Online"),
			choose("the export format", "CSV (semicolon separated)"),
			click(`"Export"`).risky("Export button is disabled: \"Service temporarily unavailable (E-5031)\"",
				"The bank's export service was unavailable (E-5031)", "HTTP 503 from /api/exports"))
		if s.businessFailure() {
			s.step(snapshot("No transactions found for the selected period"))
			s.finish(resultSpec{outcome: "failure",
				reasoning: "No transactions were booked on {date} (bank holiday), so there was nothing to export or reconcile.",
				data:      map[string]any{"date": "{date}", "transactions": 0}})
			return
		}
		tx := 18 + s.r.IntN(40)
		unmatched := s.r.IntN(4)
		s.download("statement-{date}.csv", "text/csv", int64(tx*140+600), "{bank}/exports/statement-{date}.csv")
		s.node("Reconcile", "ai_task", "iris")
		s.step(apiCall("POST", "https://ledger.harborlight.example/api/v2/reconciliations", "201",
			fmt.Sprintf(`{"matched":%d,"unmatched":%d}`, tx-unmatched, unmatched)))
		s.think(fmt.Sprintf("%d of %d transactions matched open items on the account I exported ({account}). The %d left over are card payments without an invoice yet; I'll list them for the controller rather than guess.", tx-unmatched, tx, unmatched))
		s.finish(resultSpec{outcome: "success",
			reasoning: fmt.Sprintf("Exported %d transactions of %s for {date} and reconciled %d; %d need an invoice.", tx, "{account}", tx-unmatched, unmatched),
			data:      map[string]any{"account": "{account}", "date": "{date}", "transactions": tx, "matched": tx - unmatched, "unmatched": unmatched}})
	},
}

var vendorOnboarding = playbook{
	name:        "Vendor Onboarding Assistant",
	description: "Registers new vendors in the ERP supplier portal from their W-9 and bank letter, then requests a penny test on the bank account.",
	profile:     "procurement-us",
	version:     3,
	age:         48 * 24 * time.Hour,
	inputs: func(r *rand.Rand, now time.Time) map[string]any {
		return map[string]any{
			"vendor": pick(r, "Brightline Logistics", "Cedar Ridge Packaging", "Polaris Industrial Supply", "Bluewater Print Co"),
			"erp":    "https://erp.harborlight.example",
		}
	},
	play: func(s *script) {
		v := s.vars["vendor"]
		w9, letter := "w9-"+slug(v)+".pdf", "bank-letter-"+slug(v)+".pdf"
		s.node("Read documents", "ai_task", "iris")
		s.step(listFiles(w9, letter), readFiles(180_000+s.r.IntN(90_000), w9, letter))
		legal := "{vendor} LLC"
		if s.ask(0.5, `The W-9 lists "{vendor} LLC" but the bank letter says "{vendor} Inc.". Which legal name should I register in the ERP?`,
			"{vendor} LLC", "{vendor} Inc.", "Use the W-9 name, {vendor} LLC") {
			s.think("Registering under \"{answer}\" as instructed, and adding a note that the bank letter shows a different suffix so AP double-checks the first payment.")
			legal = "{answer}"
		}
		s.node("Register vendor", "ai_task", "iris")
		s.step(nav("{erp}/suppliers/new", "New supplier — ERP"),
			typeIn("the legal name field", `"`+legal+`"`),
			fillForm("the supplier details", 11),
			upload("the documents field", w9, letter),
			click(`"Save supplier"`).risky(`Save failed: "Tax ID already registered to supplier SUP-10442"`,
				"The ERP refused the supplier: its tax ID is already registered (SUP-10442)"))
		supplier := fmt.Sprintf("SUP-%05d", 10500+s.r.IntN(900))
		s.step(readText("the supplier number", supplier))
		s.node("Penny test", "ai_task", "iris")
		s.step(apiCall("POST", "https://payments.harborlight.example/api/penny-tests", "202", `{"status":"queued","amount":"0.01"}`))
		s.finish(resultSpec{outcome: "success",
			reasoning: "Registered " + legal + " as " + supplier + " and queued a $0.01 penny test on its bank account.",
			data:      map[string]any{"vendor": legal, "supplier": supplier, "pennyTest": "queued"}})
	},
}
