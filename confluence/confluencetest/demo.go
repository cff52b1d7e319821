package confluencetest

import (
	"bytes"
	_ "embed"
	"image"
	"image/color"
	"image/png"
	"slices"
	"time"
)

// Demo account ids and credentials (fixed so scripts and docs can use them).
const (
	demoAlice = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01"
	demoBob   = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e02"
	demoCarol = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e03"
	demoDan   = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e04"
	demoEve   = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e05"
	demoAnnie = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e06"
	demoNoSrc = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e07"
	demoNoHie = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e08"
	demoGuide = "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e09"
)

// GuideRecipeScopes are the scopes of a scoped token made as the integration guide says: every
// classic read:confluence-* scope, search:confluence, and the User Identity scopes read:me and
// read:account (which no Confluence route checks). No granular scope: every v2 route refuses it.
func GuideRecipeScopes() []string {
	return []string{"read:confluence-content.all", scopeContentSummary, scopeSpaceSummary, "read:confluence-props",
		"read:confluence-content.permission", scopeUserClassc, "read:confluence-groups", scopeSearch, "read:me", "read:account"}
}

// demoAccounts are the demo credentials.
func demoAccounts() []Account {
	var noSearch []string
	for _, sc := range ReadScopes() {
		if sc != scopeSearch && sc != scopeDetails {
			noSearch = append(noSearch, sc)
		}
	}
	return []Account{
		{Name: "classic", Email: "alice@example.com", Token: "ATATT3xDemoClassicAlice0001", AccountID: demoAlice, Type: TokenClassic},
		{Name: "scoped", Email: "annie-bot@example.com", Token: "ATATT3xDemoScopedAnnie0002", AccountID: demoAnnie, Type: TokenScoped, Scopes: ReadScopes()},
		{Name: "scoped-nosearch", Email: "nosearch-bot@example.com", Token: "ATATT3xDemoScopedNoSearch0003", AccountID: demoNoSrc, Type: TokenScoped, Scopes: noSearch},
		{Name: "scoped-nohier", Email: "nohier-bot@example.com", Token: "ATATT3xDemoScopedNoHier0005", AccountID: demoNoHie, Type: TokenScoped, Scopes: noHierarchyScopes()},
		{Name: "scoped-guide", Email: "guide-bot@example.com", Token: "ATATT3xDemoScopedGuide0006", AccountID: demoGuide, Type: TokenScoped, Scopes: GuideRecipeScopes()},
		{Name: "restricted", Email: "bob@example.com", Token: "ATATT3xDemoClassicBob0004", AccountID: demoBob, Type: TokenClassic, Spaces: []string{"OPS", "ARCH", "PIR", "ENG"}},
	}
}

// demoDataset is a small SRE knowledge base. Times are relative to now so
// "modified in the last 7 days" finds the recently edited runbooks.
func demoDataset(now time.Time) Dataset {
	now = now.UTC().Truncate(time.Millisecond)
	ago := func(days, hours int) time.Time {
		return now.Add(-time.Duration(days)*24*time.Hour - time.Duration(hours)*time.Hour)
	}
	d := Dataset{
		Users: []User{
			{AccountID: demoAlice, DisplayName: "Alice Chen", Email: "alice@example.com", TimeZone: "Europe/Berlin"},
			{AccountID: demoBob, DisplayName: "Bob Martinez", Email: "bob@example.com", TimeZone: "America/New_York"},
			{AccountID: demoCarol, DisplayName: "Carol Okafor", Email: "carol@example.com", TimeZone: "Europe/London"},
			{AccountID: demoDan, DisplayName: "Dan Kowalski", Email: "dan@example.com", TimeZone: "Europe/Warsaw"},
			{AccountID: demoEve, DisplayName: "Eve Tanaka", Email: "eve@example.com", TimeZone: "Asia/Tokyo"},
			{AccountID: demoAnnie, DisplayName: "Annie (SRE assistant)", Email: "annie-bot@example.com"},
			{AccountID: demoNoSrc, DisplayName: "No-search bot", Email: "nosearch-bot@example.com"},
			{AccountID: demoNoHie, DisplayName: "No-hierarchy bot", Email: "nohier-bot@example.com"},
			{AccountID: demoGuide, DisplayName: "Guide-recipe bot", Email: "guide-bot@example.com"},
		},
		Accounts: demoAccounts(),
		Spaces: []Space{
			{ID: "98305", Key: "OPS", Name: "Operations", Description: "Runbooks, on-call and operational procedures.", HomepageID: "100001", AuthorID: demoAlice, CreatedAt: ago(400, 0), Labels: []string{"sre"}},
			{ID: "98306", Key: "ARCH", Name: "Architecture", Description: "Service architecture and design decisions.", HomepageID: "100020", AuthorID: demoCarol, CreatedAt: ago(390, 0)},
			{ID: "98307", Key: "PIR", Name: "Post-Incident Reviews", Description: "Blameless post-incident reviews.", HomepageID: "100030", AuthorID: demoAlice, CreatedAt: ago(380, 0)},
			{ID: "98308", Key: "ENG", Name: "Engineering", Description: "Engineering handbook.", HomepageID: "100040", AuthorID: demoDan, CreatedAt: ago(370, 0)},
			{ID: "98309", Key: "SEC", Name: "Security Incidents", Description: "Restricted: security incident records.", HomepageID: "100050", AuthorID: demoEve, CreatedAt: ago(200, 0)},
		},
	}
	page := func(id, space, parent string, pos int, title, author string, labels []string, versions ...Version) Page {
		return Page{ID: id, SpaceKey: space, ParentID: parent, Position: pos, Title: title, AuthorID: author,
			CreatedAt: versions[0].CreatedAt, Labels: labels, Versions: versions, Watchers: []string{author}}
	}
	v := func(t time.Time, author, msg, body string) Version {
		return Version{CreatedAt: t, AuthorID: author, Message: msg, Body: body}
	}
	L := func(l ...string) []string { return l }

	deployV1 := `<h1>Deployment Runbook</h1><p>How we ship services to production.</p>` +
		`<h2>Steps</h2><ol><li>Merge to <code>main</code>.</li><li>Run the pipeline.</li><li>Watch the dashboards.</li></ol>`
	deployV2 := deployV1 + `<h2>Pre-flight checklist</h2>` + taskList("[x] Change ticket approved", "Database migrations reviewed", "Feature flags default off")
	deployV3 := `<h1>Deployment Runbook</h1>` + tocMacro() + `<p>How we ship services to production. Owner: ` + mention(demoAlice) + `.</p>` +
		panelMacro("info", "Deploy windows", `<p>Deploys run Monday to Thursday, 09:00-16:00 UTC. No deploys during an open SEV1 or SEV2.</p>`) +
		`<h2>Pre-flight checklist</h2>` + taskList("[x] Change ticket approved", "[x] Database migrations reviewed", "Feature flags default off", "Canary dashboard open") +
		`<h2>Steps</h2><ol><li>Merge to <code>main</code> and wait for the green build.</li><li>Start the rollout:</li></ol>` +
		codeMacro("bash", "kubectl -n payments rollout restart deployment/payment-api\nkubectl -n payments rollout status deployment/payment-api --timeout=10m") +
		`<ol start="3"><li>Watch error rate and p99 latency for 15 minutes (see ` + pageLink("OPS", "Canary analysis checklist") + `).</li></ol>` +
		panelMacro("warning", "", `<p>If the error rate exceeds 2% for 5 minutes, stop and follow `+pageLink("OPS", "Rolling back a deployment")+`.</p>`)
	deployV4 := deployV3 + `<h2>Release status</h2>` +
		table([]string{"Service", "Version", "Status", "Ticket"},
			[]string{"payment-api", "2026.11.3", statusMacro("Green", "Deployed"), jiraMacro("OPS-1423")},
			[]string{"ledger-worker", "2026.11.1", statusMacro("Yellow", "Canary"), jiraMacro("OPS-1431")},
			[]string{"checkout-web", "2026.10.9", statusMacro("Red", "Rolled back"), jiraMacro("OPS-1398")}) +
		expandMacro("Pipeline internals", `<p>The pipeline builds an OCI image, signs it with cosign and pushes to the registry.</p>`+
			codeMacro("yaml", "stages:\n  - build\n  - sign\n  - deploy-canary\n  - deploy-all")) +
		`<p>Pipeline diagram:</p>` + imageAttachment("deploy-pipeline.png")

	redisV1 := `<h1>Redis Failover Procedure</h1><p>Use when the Redis primary for the session store is unhealthy.</p>` +
		`<h2>Detect</h2><p>Alert <code>RedisPrimaryDown</code> fires when Sentinel reports <code>+sdown</code> on the primary.</p>`
	redisV2 := redisV1 + `<h2>Manual failover</h2>` + codeMacro("bash", "redis-cli -h sentinel-0 -p 26379 SENTINEL failover sessions\nredis-cli -h sentinel-0 -p 26379 SENTINEL get-master-addr-by-name sessions")
	redisV3 := redisV2 + panelMacro("warning", "Split brain", `<p>Never promote a replica by hand with <code>REPLICAOF NO ONE</code> while Sentinel is running: it causes split brain. See `+
		pageLink("PIR", "PIR-2026-017: Redis failover did not trigger")+`.</p>`) +
		`<h2>Verify</h2>` + taskList("Clients reconnected (check <code>connected_clients</code>)", "Replication offset advancing", "Error budget dashboard green") +
		`<p>Escalate to ` + mention(demoDan) + ` if failover takes more than 2 minutes.</p>`

	dbV := []string{
		`<h1>Database Failover</h1><p>PostgreSQL primary failover for the <strong>orders</strong> cluster.</p>`,
		`<h1>Database Failover</h1><p>PostgreSQL primary failover for the <strong>orders</strong> cluster (Patroni).</p>` +
			`<h2>Check cluster state</h2>` + codeMacro("bash", "patronictl -c /etc/patroni.yml list orders"),
		"", "", "",
	}
	dbV[2] = dbV[1] + `<h2>Switchover (planned)</h2>` + codeMacro("bash", "patronictl -c /etc/patroni.yml switchover orders --candidate orders-db-2 --force")
	dbV[3] = dbV[2] + `<h2>Failover (unplanned)</h2>` + panelMacro("warning", "Data loss", `<p>Check replication lag first: a failover with lag above 16 MB loses committed transactions. See `+pageLink("OPS", "Verifying replication lag")+`.</p>`) +
		codeMacro("bash", "patronictl -c /etc/patroni.yml failover orders --candidate orders-db-2")
	dbV[4] = dbV[3] + `<h2>After failover</h2>` + taskList("Update the incident channel", "Confirm PgBouncer points at the new primary", "Open a PIR if customer impact") +
		table([]string{"Node", "Role", "Zone"}, []string{"orders-db-1", "replica", "eu-west-1a"}, []string{"orders-db-2", "primary", "eu-west-1b"}, []string{"orders-db-3", "replica", "eu-west-1c"}) +
		`<p>Related: ` + pageLink("PIR", "PIR-2026-014: Primary database outage") + `, ` + jiraMacro("DBA-311") + `.</p>`

	oncallV1 := `<h1>On-call Guide</h1><p>Everything you need for your first on-call week.</p><h2>Before your shift</h2><ul><li>Test your pager.</li><li>Read open incidents.</li></ul>`
	oncallV2 := oncallV1 + `<h2>During an incident</h2><ol><li>Acknowledge within 5 minutes.</li><li>Open an incident channel.</li><li>Assign an incident commander.</li></ol>`
	oncallV3 := oncallV2 + panelMacro("info", "Handover", `<p>Handover happens Mondays 10:00 UTC with `+mention(demoCarol)+`.</p>`) +
		`<h2>Runbooks</h2><ul><li>` + pageLink("OPS", "Deployment Runbook") + `</li><li>` + pageLink("OPS", "Redis Failover Procedure") + `</li><li>` + pageLink("OPS", "Database Failover") + `</li></ul>`

	payV1 := `<h1>Payment Service Architecture</h1><p>The payment service authorises and captures card payments.</p>` +
		`<h2>Components</h2><ul><li>payment-api (Go, gRPC + REST)</li><li>ledger-worker (Kafka consumer)</li><li>PostgreSQL orders cluster</li></ul>`
	payV2 := payV1 + `<h2>Data flow</h2><p>Requests enter through the API gateway, are authorised with the PSP, and written to the ledger.</p>` + imageAttachment("payment-architecture.png")
	payV3 := payV2 + `<h2>Dependencies</h2>` + table([]string{"Dependency", "Purpose", "Failure mode"},
		[]string{"PostgreSQL (orders)", "ledger of record", "writes fail; API returns 503"},
		[]string{"Redis (sessions)", "idempotency keys", "duplicate-charge protection degraded"},
		[]string{"PSP", "card authorisation", "payments queue for retry"})
	payV4 := payV3 + `<h2>SLOs</h2><p>Availability 99.95%, p99 latency under 300 ms. Owner: ` + mention(demoCarol) + `.</p>` +
		panelMacro("note", "", `<p>Idempotency keys expire after 24 hours.</p>`) + codeMacro("json", `{"idempotencyKey": "b1946ac9", "amount": 1299, "currency": "EUR"}`)

	pir14 := func(extra string) string {
		return `<h1>PIR-2026-014: Primary database outage</h1>` + statusMacro("Green", "Resolved") +
			table([]string{"Field", "Value"}, []string{"Severity", "SEV1"}, []string{"Duration", "47 minutes"}, []string{"Incident commander", mention(demoAlice)}, []string{"Ticket", jiraMacro("INC-2291")}) +
			`<h2>Summary</h2><p>The orders PostgreSQL primary ran out of disk after WAL archiving stalled. Checkout failed for 47 minutes.</p>` +
			`<h2>Timeline</h2><ul><li>09:02 disk usage alert on orders-db-1</li><li>09:14 primary stops accepting writes</li><li>09:31 failover to orders-db-2</li><li>09:49 checkout recovered</li></ul>` + extra
	}
	pir14v3 := pir14(`<h2>Root cause</h2><p>The WAL archive bucket credentials expired; archiving failed silently and WAL accumulated.</p>` +
		`<h2>Action items</h2>` + taskList("[x] Alert on archive_command failures", "Rotate bucket credentials automatically", "Add disk headroom to "+pageLink("OPS", "Database Failover")) +
		codeMacro("sql", "SELECT pg_size_pretty(sum(size)) FROM pg_ls_waldir();"))

	d.Pages = []Page{
		page("100001", "OPS", "", 0, "Operations Home", demoAlice, L("sre"),
			v(ago(300, 0), demoAlice, "", `<h1>Operations</h1><p>Start here: `+pageLink("OPS", "On-call Guide")+` and `+pageLink("OPS", "Runbooks")+`.</p>`)),
		page("100002", "OPS", "100001", 1, "Runbooks", demoAlice, L("runbook"),
			v(ago(290, 0), demoAlice, "", `<p>All operational runbooks. Each has detect, mitigate and verify sections.</p>`)),
		page("100003", "OPS", "100002", 1, "Deployment Runbook", demoAlice, L("runbook", "deployment"),
			v(ago(60, 0), demoAlice, "first draft", deployV1), v(ago(30, 0), demoBob, "add pre-flight checklist", deployV2),
			v(ago(9, 0), demoAlice, "rollout commands, windows and rollback warning", deployV3), v(ago(2, 3), demoDan, "release status table and pipeline diagram", deployV4)),
		page("100004", "OPS", "100003", 1, "Rolling back a deployment", demoDan, L("runbook", "deployment"),
			v(ago(40, 0), demoDan, "", `<h1>Rolling back</h1>`+codeMacro("bash", "kubectl -n payments rollout undo deployment/payment-api")+`<p>Then post in the incident channel.</p>`)),
		page("100005", "OPS", "100003", 2, "Canary analysis checklist", demoBob, L("deployment"),
			v(ago(35, 0), demoBob, "", `<p>Compare canary and baseline:</p>`+taskList("Error rate within 0.5%", "p99 latency within 10%", "No new log signatures"))),
		page("100006", "OPS", "100002", 2, "Redis Failover Procedure", demoDan, L("runbook", "redis"),
			v(ago(50, 0), demoDan, "initial procedure", redisV1), v(ago(20, 0), demoDan, "manual failover commands", redisV2), v(ago(4, 5), demoAlice, "split-brain warning after PIR-2026-017", redisV3)),
		page("100007", "OPS", "100006", 1, "Redis Sentinel configuration reference", demoDan, L("redis"),
			v(ago(48, 0), demoDan, "", `<h2>sentinel.conf</h2>`+codeMacro("text", "sentinel monitor sessions 10.0.4.11 6379 2\nsentinel down-after-milliseconds sessions 5000\nsentinel failover-timeout sessions 60000"))),
		page("100008", "OPS", "100002", 3, "Database Failover", demoAlice, L("runbook", "database", "postgres"),
			v(ago(90, 0), demoAlice, "stub", dbV[0]), v(ago(70, 0), demoCarol, "cluster state check", dbV[1]), v(ago(45, 0), demoAlice, "planned switchover", dbV[2]),
			v(ago(6, 0), demoAlice, "unplanned failover after PIR-2026-014", dbV[3]), v(ago(1, 2), demoBob, "post-failover checklist and topology", dbV[4])),
		page("100009", "OPS", "100008", 1, "Verifying replication lag", demoCarol, L("database"),
			v(ago(44, 0), demoCarol, "", codeMacro("sql", "SELECT client_addr, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes FROM pg_stat_replication;"))),
		page("100010", "OPS", "100001", 2, "On-call Guide", demoCarol, L("oncall"),
			v(ago(120, 0), demoCarol, "", oncallV1), v(ago(15, 0), demoCarol, "incident steps", oncallV2), v(ago(3, 1), demoAlice, "handover and runbook links", oncallV3)),
		page("100011", "OPS", "100010", 1, "Escalation policy", demoCarol, L("oncall"),
			v(ago(100, 0), demoCarol, "", table([]string{"Level", "Who", "After"}, []string{"L1", "primary on-call", "0 min"}, []string{"L2", "secondary on-call", "15 min"}, []string{"L3", "engineering manager", "30 min"}))),
		page("100012", "OPS", "100010", 2, "Paging etiquette", demoEve, nil,
			v(ago(95, 0), demoEve, "", `<p>Page a human only for customer impact. Everything else is a ticket.</p>`)),
		page("100013", "OPS", "100002", 9, "Old deploy process", demoBob, L("deployment"),
			v(ago(500, 0), demoBob, "", `<p>Deploys were done by hand with Capistrano.</p>`)),
		page("100014", "OPS", "100001", 9, "Scratch notes", demoBob, nil,
			v(ago(10, 0), demoBob, "", `<p>temporary</p>`)),

		page("100020", "ARCH", "", 0, "Architecture Home", demoCarol, nil,
			v(ago(350, 0), demoCarol, "", `<p>Architecture decisions and service designs.</p>`)),
		page("100021", "ARCH", "100020", 1, "Payment Service Architecture", demoCarol, L("architecture", "payments"),
			v(ago(200, 0), demoCarol, "", payV1), v(ago(120, 0), demoCarol, "data flow and diagram", payV2), v(ago(25, 0), demoDan, "dependency table", payV3), v(ago(5, 0), demoCarol, "SLOs", payV4)),
		page("100022", "ARCH", "100021", 1, "Payment Service: Data Model", demoCarol, L("payments", "database"),
			v(ago(110, 0), demoCarol, "", codeMacro("sql", "CREATE TABLE payments (\n  id uuid PRIMARY KEY,\n  amount_cents bigint NOT NULL,\n  status text NOT NULL\n);"))),
		page("100023", "ARCH", "100020", 2, "Caching Strategy (Redis)", demoDan, L("architecture", "redis"),
			v(ago(80, 0), demoDan, "", `<p>Sessions and idempotency keys live in Redis with Sentinel for failover. See `+pageLink("OPS", "Redis Failover Procedure")+`.</p>`)),
		page("100024", "ARCH", "100020", 3, "Service Dependency Map", demoCarol, L("architecture"),
			v(ago(60, 0), demoCarol, "", table([]string{"Service", "Depends on"}, []string{"checkout-web", "payment-api"}, []string{"payment-api", "PostgreSQL, Redis, PSP"}, []string{"ledger-worker", "Kafka, PostgreSQL"}))),

		page("100030", "PIR", "", 0, "Post-Incident Reviews", demoAlice, nil,
			v(ago(360, 0), demoAlice, "", `<p>Blameless reviews. Use the `+pageLink("PIR", "PIR template")+`.</p>`+pirReadingList())),
		page("100031", "PIR", "100030", 1, "PIR-2026-014: Primary database outage", demoAlice, L("postmortem", "database"),
			v(ago(12, 0), demoAlice, "draft", pir14("")), v(ago(8, 0), demoCarol, "root cause", pir14(`<h2>Root cause</h2><p>WAL archiving stalled.</p>`)), v(ago(6, 2), demoAlice, "action items", pir14v3)),
		page("100032", "PIR", "100030", 2, "PIR-2026-017: Redis failover did not trigger", demoDan, L("postmortem", "redis"),
			v(ago(7, 0), demoDan, "", `<h1>PIR-2026-017</h1>`+statusMacro("Yellow", "Actions open")+`<p>Sentinel quorum was 3 with only 2 sentinels reachable, so failover never started. Sessions were unavailable for 22 minutes.</p>`+
				taskList("Reduce quorum to 2", "Add a third sentinel in another zone")+`<p>Owner: `+mention(demoDan)+` `+jiraMacro("INC-2310")+`</p>`)),
		page("100033", "PIR", "100030", 3, "PIR-2026-021: Payment latency spike after deploy", demoBob, L("postmortem", "deployment", "payments"),
			v(ago(3, 0), demoBob, "", `<h1>PIR-2026-021</h1><p>A deploy of payment-api raised p99 latency to 2.4 s because a new index was missing. Rolled back after 18 minutes.</p>`+
				codeMacro("sql", "CREATE INDEX CONCURRENTLY payments_status_idx ON payments (status);"))),
		page("100034", "PIR", "100030", 4, "PIR-2025-088: Database connection pool exhaustion", demoCarol, L("postmortem", "database"),
			v(ago(150, 0), demoCarol, "", `<h1>PIR-2025-088</h1><p>PgBouncer pool exhausted by a leaking worker. Orders API returned 503 for 12 minutes.</p>`),
			v(ago(140, 0), demoCarol, "added follow-up", `<h1>PIR-2025-088</h1><p>PgBouncer pool exhausted by a leaking worker. Orders API returned 503 for 12 minutes.</p><p>Follow-up: connection leak detector in CI.</p>`)),
		page("100035", "PIR", "100030", 5, "PIR template", demoAlice, L("template"),
			v(ago(340, 0), demoAlice, "", `<h2>Summary</h2><p></p><h2>Timeline</h2><p></p><h2>Root cause</h2><p></p><h2>Action items</h2>`+taskList("..."))),

		page("100040", "ENG", "", 0, "Engineering Home", demoDan, nil,
			v(ago(330, 0), demoDan, "", `<p>The engineering handbook.</p>`)),
		page("100041", "ENG", "100040", 1, "Service ownership", demoDan, L("ownership"),
			v(ago(90, 0), demoDan, "", table([]string{"Service", "Team", "Slack"}, []string{"payment-api", "Payments", "#team-payments"}, []string{"checkout-web", "Storefront", "#team-storefront"}))),
		page("100042", "ENG", "100040", 2, "Coding standards", demoEve, nil,
			v(ago(200, 0), demoEve, "", `<p>Go code is gofmt-clean and vetted. Errors are wrapped with context.</p>`+codeMacro("go", `if err != nil {
	return fmt.Errorf("load order %s: %w", id, err)
}`))),
		page("100043", "ENG", "100040", 3, "Release calendar", demoBob, L("deployment"),
			v(ago(14, 0), demoBob, "", `<p>Code freeze starts `+statusMacro("Blue", "Dec 18")+`.</p>`)),

		page("100050", "SEC", "", 0, "Security Incidents", demoEve, nil,
			v(ago(190, 0), demoEve, "", `<p>Restricted space.</p>`)),
		page("100051", "SEC", "100050", 1, "SEC-2026-003: Leaked credential rotation", demoEve, L("security", "postmortem"),
			v(ago(5, 0), demoEve, "", `<h1>SEC-2026-003</h1><p>A database credential was committed to a public gist and rotated within 40 minutes.</p>`)),
	}
	d.Pages = append(d.Pages, demoDeployPages(ago)...)
	kb := demoKBSpace
	kb.CreatedAt = ago(100, 0)
	d.Spaces = append(d.Spaces, kb)
	d.Pages = append(d.Pages, demoIncidentPages(ago)...)
	d.Pages = append(d.Pages, demoFolderPages(ago)...)
	d.Nodes = demoNodes(ago)
	for i := range d.Pages {
		switch d.Pages[i].ID {
		case "100013":
			d.Pages[i].Status = "archived"
		case "100014":
			d.Pages[i].Status = "trashed"
		case "100003", "100008":
			d.Pages[i].Favourites = []string{demoAlice}
		}
	}

	d.Comments = []Comment{
		{ID: "200001", PageID: "100003", AuthorID: demoBob, CreatedAt: ago(2, 1), Body: `<p>Should the canary step mention the ledger-worker too?</p>`},
		{ID: "200002", PageID: "100003", ParentID: "200001", AuthorID: demoAlice, CreatedAt: ago(2, 0), Body: `<p>Yes, added to the release status table.</p>`},
		{ID: "200003", PageID: "100003", AuthorID: demoEve, CreatedAt: ago(1, 5), Body: `<p>Rollback took 4 minutes last time, worth noting.</p>`},
		{ID: "200004", PageID: "100008", AuthorID: demoCarol, CreatedAt: ago(1, 0), Body: `<p>The PgBouncer step saved us during the last failover.</p>`},
		{ID: "200005", PageID: "100008", ParentID: "200004", AuthorID: demoAlice, CreatedAt: ago(0, 20), Body: `<p>Agreed, moving it earlier.</p>`},
		{ID: "200006", PageID: "100008", ParentID: "200004", AuthorID: demoDan, CreatedAt: ago(0, 18), Body: `<p>` + mention(demoBob) + ` can you automate it?</p>`},
		{ID: "200007", PageID: "100031", AuthorID: demoDan, CreatedAt: ago(6, 0), Body: `<p>Can we alert on archive lag rather than failures?</p>`},
		{ID: "200008", PageID: "100031", ParentID: "200007", AuthorID: demoAlice, CreatedAt: ago(5, 20), Body: `<p>Both: created ` + jiraMacro("INC-2299") + `.</p>`},
		{ID: "200010", PageID: "100006", Kind: "inline", AuthorID: demoAlice, CreatedAt: ago(4, 0), Body: `<p>Is 26379 right for the new cluster?</p>`, Selection: "SENTINEL failover sessions", ResolutionStatus: "open"},
		{ID: "200011", PageID: "100006", Kind: "inline", ParentID: "200010", AuthorID: demoDan, CreatedAt: ago(3, 22), Body: `<p>Yes, unchanged.</p>`, Selection: "SENTINEL failover sessions", ResolutionStatus: "open"},
		{ID: "200012", PageID: "100006", Kind: "inline", AuthorID: demoCarol, CreatedAt: ago(10, 0), Body: `<p>Typo fixed.</p>`, Selection: "Sentinel reports", ResolutionStatus: "resolved"},
		{ID: "200013", PageID: "100021", Kind: "inline", AuthorID: demoDan, CreatedAt: ago(5, 0), Body: `<p>p99 target seems tight for PSP calls.</p>`, Selection: "p99 latency under 300 ms", ResolutionStatus: "open"},
		// A deeper thread: a reply to a reply, and a reply to that (footer), and a reply to an inline reply.
		{ID: "200015", PageID: "100003", ParentID: "200002", AuthorID: demoBob, CreatedAt: ago(1, 23), Body: `<p>Should the rollback step list it as well?</p>`},
		{ID: "200016", PageID: "100003", ParentID: "200015", AuthorID: demoAlice, CreatedAt: ago(1, 22), Body: `<p>Done, both steps name it now.</p>`},
		{ID: "200017", PageID: "100006", Kind: "inline", ParentID: "200011", AuthorID: demoAlice, CreatedAt: ago(3, 20), Body: `<p>Thanks, closing once the doc says so.</p>`, Selection: "SENTINEL failover sessions", ResolutionStatus: "open"},
		{ID: "200014", PageID: "100051", AuthorID: demoEve, CreatedAt: ago(4, 0), Body: `<p>Restricted discussion.</p>`},
	}
	d.Attachments = []Attachment{
		{ID: "att300001", PageID: "100003", Title: "deploy-checklist.txt", MediaType: "text/plain", AuthorID: demoAlice, CreatedAt: ago(9, 0), Comment: "printable checklist",
			Content: []byte("Deploy checklist\n[ ] change ticket approved\n[ ] migrations reviewed\n[ ] canary dashboard open\n")},
		{ID: "att300002", PageID: "100003", Title: "deploy-pipeline.png", MediaType: "image/png", AuthorID: demoDan, CreatedAt: ago(2, 3), Content: demoPNG(color.RGBA{0x00, 0x52, 0xcc, 0xff})},
		{ID: "att300003", PageID: "100008", Title: "failover-notes.md", MediaType: "text/markdown", AuthorID: demoAlice, CreatedAt: ago(6, 0),
			Content: []byte("# Failover notes\n\n- check lag first\n- `patronictl list orders`\n")},
		{ID: "att300004", PageID: "100021", Title: "payment-architecture.png", MediaType: "image/png", AuthorID: demoCarol, CreatedAt: ago(120, 0), Content: demoPNG(color.RGBA{0x36, 0xb3, 0x7e, 0xff})},
		{ID: "att300005", PageID: "100031", Title: "pir-2026-014-timeline.pdf", MediaType: "application/pdf", AuthorID: demoAlice, CreatedAt: ago(6, 2),
			Content: pirTimelinePDF},
		{ID: "att300006", PageID: "100031", Title: "pir-2026-014-latency.csv", MediaType: "text/csv", AuthorID: demoAlice, CreatedAt: ago(6, 2),
			Content: []byte("time,endpoint,p99_ms,error_rate\n09:00,/checkout,210,0.001\n09:15,/checkout,4800,0.62\n09:35,/checkout,950,0.08\n09:50,/checkout,230,0.002\n")},
		{ID: "att300007", PageID: "100006", Title: "sentinel-failover.log", MediaType: "text/plain", AuthorID: demoDan, CreatedAt: ago(4, 5),
			Content: []byte("2026-05-02T03:14:07Z sentinel-0 +sdown master sessions 10.0.4.11 6379\n2026-05-02T03:14:09Z sentinel-1 +sdown master sessions 10.0.4.11 6379\n" +
				"2026-05-02T03:14:09Z sentinel-0 -failover-abort-not-elected master sessions 10.0.4.11 6379 (quorum 3, reachable 2)\n")},
		{ID: "att300008", PageID: "100030", Title: "pir-process.png", MediaType: "image/png", AuthorID: demoAlice, CreatedAt: ago(360, 0), Content: demoPNG(color.RGBA{0xff, 0x99, 0x1f, 0xff})},
	}
	posts, cs, as := demoBlogPosts(ago)
	d.BlogPosts = posts
	d.Comments = append(d.Comments, cs...)
	d.Attachments = append(d.Attachments, as...)
	slices.SortFunc(d.Pages, func(a, b Page) int { return lessID(a.ID, b.ID) })
	return d
}

// demoPNG is a small solid-colour PNG.
func demoPNG(c color.Color) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// pirTimelinePDF is the demo's PDF attachment, a one-page timeline of PIR-2026-014
// (assets/pir-2026-014-timeline.pdf; TestDemoPDFIsCurrent writes it with fpdf, which stays out
// of the binary).
//
//go:embed assets/pir-2026-014-timeline.pdf
var pirTimelinePDF []byte

// pirReadingList is a list of every kind of link a body can hold, for link resolution on the
// demo data: a page by id, by title in the current space and in another space with an anchor,
// a space, a file and an image on other pages, an image on the page itself, a user mention,
// and a page and a blog post that do not exist.
func pirReadingList() string {
	return `<h2>Reading list</h2><ul>` +
		`<li>Latest review: <ac:link><ri:page ri:content-id="100031" /><ac:plain-text-link-body><![CDATA[the database outage]]></ac:plain-text-link-body></ac:link></li>` +
		`<li>Start from the ` + `<ac:link><ri:page ri:content-title="PIR template" /></ac:link></li>` +
		`<li>Manual failover: <ac:link ac:anchor="Manual failover"><ri:page ri:space-key="OPS" ri:content-title="Redis Failover Procedure" /></ac:link></li>` +
		`<li>Designs live in <ac:link><ri:space ri:space-key="ARCH" /></ac:link></li>` +
		`<li>Timeline: <ac:link><ri:attachment ri:filename="pir-2026-014-timeline.pdf"><ri:page ri:content-title="PIR-2026-014: Primary database outage" /></ri:attachment></ac:link></li>` +
		`<li>Retired: ` + pageLink("OPS", "Retired runbook") + ` and <ac:link><ri:blog-post ri:space-key="PIR" ri:content-title="Quarterly review" ri:posting-day="2026/01/15" /></ac:link></li>` +
		`<li>Questions to ` + mention(demoAlice) + `</li></ul>` +
		`<p>The process:</p>` + imageAttachment("pir-process.png") +
		`<p>The payment architecture:</p><ac:image><ri:attachment ri:filename="payment-architecture.png"><ri:page ri:space-key="ARCH" ri:content-title="Payment Service Architecture" /></ri:attachment></ac:image>`
}
