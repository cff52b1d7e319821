package confluencetest

import "time"

// demoKBSpace holds the demo's correlation material, in a space of its own so the original
// spaces keep their pages.
var demoKBSpace = Space{ID: "98310", Key: "KB", Name: "SRE Knowledge Base", Description: "Known issues, playbooks, service runbooks and older reviews.",
	HomepageID: "100100", AuthorID: demoDan}

// demoIncidentPages are the demo's correlation material: known issues, a playbook, more
// runbooks and a review, and distractors that share their words (Redis memory is not Redis
// failover; a cluster upgrade plan is not an outage). Ids from 100100 up, so the original
// pages keep theirs.
func demoIncidentPages(ago func(days, hours int) time.Time) []Page {
	page := func(id, space, parent string, pos int, title, author string, labels []string, at time.Time, body string) Page {
		return Page{ID: id, SpaceKey: space, ParentID: parent, Position: pos, Title: title, AuthorID: author,
			CreatedAt: at, Labels: labels, Watchers: []string{author},
			Versions: []Version{{CreatedAt: at, AuthorID: author, Body: body}}}
	}
	L := func(l ...string) []string { return l }
	return []Page{
		page("100100", "KB", "", 0, "SRE Knowledge Base", demoDan, nil, ago(90, 0),
			`<p>Start with `+pageLink("KB", "Known Issues")+` during an incident.</p>`),
		page("100109", "KB", "100100", 1, "Known Issues", demoDan, nil, ago(80, 0),
			`<p>Known problems with a workaround, until they are fixed for good.</p>`),
		page("100110", "KB", "100100", 2, "Service Runbooks", demoBob, nil, ago(80, 0),
			`<p>Runbooks for the platform services. Database and Redis failover live in `+pageLink("OPS", "Runbooks")+`.</p>`),
		page("100101", "KB", "100109", 1, "Known issue: Sentinel cannot elect a new Redis primary when a zone is lost", demoDan, L("known-issue", "redis"), ago(6, 0),
			`<h1>Sentinel quorum with a zone down</h1><p>Symptom: <code>RedisPrimaryDown</code> keeps firing for the sessions cluster and no failover starts. `+
				`Sentinel logs <code>-failover-abort-not-elected</code>.</p><h2>Workaround</h2><p>Follow `+pageLink("OPS", "Redis Failover Procedure")+
				` and run the manual failover with <code>SENTINEL failover sessions</code>. Fix tracked in `+jiraMacro("OPS-1502")+`.</p>`),
		page("100102", "KB", "100109", 2, "Known issue: payment-api returns 503 while PSP tokens refresh", demoCarol, L("known-issue", "payments"), ago(20, 0),
			`<p>Symptom: payment-api answers HTTP 503 with <code>PSP-4031 token expired</code> for about 40 seconds every 12 hours. `+
				`Alert <code>PaymentApiErrorRateHigh</code> may fire. Workaround: none needed below 2% errors; above, restart one pod at a time.</p>`),
		page("100103", "KB", "100110", 1, "Kafka consumer lag runbook", demoBob, L("runbook", "kafka"), ago(15, 0),
			`<h1>Kafka consumer lag</h1><p>Alert <code>LedgerConsumerLagHigh</code> fires when ledger-worker lags more than 10,000 messages behind on the payments topic.</p>`+
				`<h2>Mitigate</h2>`+codeMacro("bash", "kubectl -n payments scale deployment/ledger-worker --replicas=6")+`<p>Check for a poison message in the dead-letter topic.</p>`),
		page("100104", "KB", "100110", 2, "Redis memory pressure and evictions", demoDan, L("runbook", "redis"), ago(30, 0),
			`<p>Alert <code>RedisMemoryHigh</code> fires above 90% of maxmemory on the cache cluster. Evictions start with allkeys-lru. `+
				`Find big keys with <code>redis-cli --bigkeys</code>; raise maxmemory only after checking the node size.</p>`),
		page("100105", "KB", "100100", 3, "Incident Command Playbook", demoCarol, L("playbook", "oncall"), ago(25, 0),
			`<p>For every SEV1 and SEV2: name an incident commander, open the incident channel, post a status update every 30 minutes, `+
				`and schedule the post-incident review within five working days. Roles: commander, communications, operations.</p>`),
		page("100106", "KB", "100100", 4, "PIR-2025-071: Sessions lost after Redis restart", demoDan, L("postmortem", "redis"), ago(210, 0),
			`<h1>PIR-2025-071</h1><p>A rolling restart of the sessions Redis cluster without persistence logged out every user. `+
				`Action: enable AOF on the primary and replicas before restarts.</p>`),
		page("100107", "KB", "100100", 5, "Session Store Architecture", demoCarol, L("architecture", "redis"), ago(70, 0),
			`<p>The sessions cluster is one Redis primary and two replicas in three zones, watched by three Sentinels (quorum 2). `+
				`Clients discover the primary through Sentinel. See `+pageLink("OPS", "Redis Failover Procedure")+
				`. The last failover is reviewed in `+blogPostLink("PIR", demoBlogRedisTitle, ago(9, 0))+`.</p>`),
		page("100108", "KB", "100100", 6, "Cluster upgrade planning", demoEve, L("planning"), ago(11, 0),
			`<p>Primary goals for the Kubernetes cluster upgrade: no downtime, node pools one zone at a time, sessions pinned during the drain.</p>`),
	}
}
