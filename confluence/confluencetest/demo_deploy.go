package confluencetest

import "time"

// demoDeployPages answer the integration guide's example requests that the original demo pages
// did not: the guide's CQL `text ~ "deployment procedure"` and "post-incident reviews related to
// database outages". Their words are inflected ("deploying", "procedures", "outages", "reviews")
// as real pages are, so only a stemmed text search, as Confluence's is, finds them. Ids from
// 100301 up, in the KB space (service runbooks and older reviews) so the other spaces keep
// their pages.
func demoDeployPages(ago func(days, hours int) time.Time) []Page {
	page := func(id, space, parent string, pos int, title, author string, labels []string, versions ...Version) Page {
		return Page{ID: id, SpaceKey: space, ParentID: parent, Position: pos, Title: title, AuthorID: author,
			CreatedAt: versions[0].CreatedAt, Labels: labels, Watchers: []string{author}, Versions: versions}
	}
	v := func(at time.Time, author, msg, body string) Version {
		return Version{CreatedAt: at, AuthorID: author, Message: msg, Body: body}
	}
	L := func(l ...string) []string { return l }
	payIntro := `<h1>Deploying payments-api</h1>` +
		`<p>These procedures cover deploying payments-api to production. Follow them in order; ` +
		`the general rules (deploy windows, pre-flight checklist) are in ` + pageLink("OPS", "Deployment Runbook") + `.</p>`
	payChecks := `<h2>Before deploying</h2>` + taskList("Change ticket approved", "Schema migrations applied to the orders cluster", "PSP sandbox smoke test green")
	payRollout := `<h2>Rollout</h2>` + codeMacro("bash", "kubectl -n payments set image deployment/payment-api payment-api=registry.example.com/payment-api:$VERSION\n"+
		"kubectl -n payments rollout status deployment/payment-api --timeout=10m") +
		`<p>Watch <code>PaymentApiErrorRateHigh</code> and p99 latency for 15 minutes. ` +
		`Idempotency keys live in Redis: check the sessions cluster is healthy before deploying.</p>` +
		panelMacro("warning", "Rollback", `<p>If the error rate exceeds 2% for 5 minutes, follow `+pageLink("OPS", "Rolling back a deployment")+`.</p>`)
	pir009 := func(extra string) string {
		return `<h1>PIR-2026-009</h1>` + statusMacro("Green", "Resolved") +
			table([]string{"Field", "Value"}, []string{"Severity", "SEV2"}, []string{"Duration", "2 outages, 9 and 14 minutes"}, []string{"Ticket", jiraMacro("INC-2240")}) +
			`<h2>Summary</h2><p>This post-incident review covers two short outages of the orders database during the storage migration: ` +
			`both times the primary stalled on disk I/O and PgBouncer queued connections until the API timed out.</p>` + extra
	}
	return []Page{
		page("100301", "KB", "100110", 3, "Deployment Runbook: payments-api", demoBob, L("runbook", "deployment", "payments"),
			v(ago(40, 0), demoBob, "payments-api procedures", payIntro+payRollout),
			v(ago(12, 0), demoCarol, "pre-deploy checks", payIntro+payChecks+payRollout)),
		page("100302", "KB", "100100", 7, "PIR-2026-009: Orders database outages during storage migration", demoCarol, L("postmortem", "database"),
			v(ago(35, 0), demoCarol, "draft", pir009("")),
			v(ago(33, 0), demoCarol, "action items", pir009(`<h2>Action items</h2>`+taskList("[x] Throttle the migration copy to 200 MB/s", "Alert on PgBouncer wait time above 1 s")))),
	}
}
