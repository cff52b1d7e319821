package main

import (
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// The corpus: an SRE knowledge base of runbooks, post-incident reviews, known issues,
// playbooks and architecture pages over a dozen systems, and distractors that share their
// words (a Redis client upgrade note is not a Redis outage; "primary goals" is not a primary
// database). Pages are written the way teams write them: not every runbook carries the runbook
// label, not every review the postmortem label, and not every runbook names its alert.

const (
	account   = "712020:c0ffee00-0000-4000-8000-000000000001"
	corpusKey = "ATATT3xCorrelationCorpus0001"
)

// row is one page of the corpus: space, parent page id ("" for a space home), title, labels,
// age in days, body (storage format).
type row struct {
	id, space, parent, title string
	labels                   []string
	age                      int
	body                     string
}

var spaces = []confluencetest.Space{
	{ID: "7001", Key: "OPS", Name: "Operations", HomepageID: "2000"},
	{ID: "7002", Key: "PIR", Name: "Post-Incident Reviews", HomepageID: "3000"},
	{ID: "7003", Key: "KI", Name: "Known Issues", HomepageID: "4000"},
	{ID: "7004", Key: "ARCH", Name: "Architecture", HomepageID: "5000"},
	{ID: "7005", Key: "ENG", Name: "Engineering", HomepageID: "7000"},
	{ID: "7006", Key: "TEAM", Name: "Team Notes", HomepageID: "7500"},
}

func l(ls ...string) []string { return ls }

// blogReviews are the reviews published as blog posts, as many teams publish them: in the
// corpus they are rows like the others, served as blog posts.
var blogReviews = map[string]bool{"302": true, "312": true, "341": true, "371": true}

var pages = []row{
	{"2000", "OPS", "", "Operations", nil, 400, `<p>Operations home: runbooks and playbooks.</p>`},
	{"2001", "OPS", "2000", "Runbooks", nil, 400, `<p>Every runbook has detect, mitigate and verify sections.</p>`},
	{"2002", "OPS", "2000", "Playbooks", nil, 400, `<p>Procedures for classes of incidents.</p>`},
	{"3000", "PIR", "", "Post-Incident Reviews", nil, 400, `<p>Blameless reviews of customer-impacting incidents.</p>`},
	{"4000", "KI", "", "Known Issues", nil, 400, `<p>Problems with a workaround, until they are fixed.</p>`},
	{"5000", "ARCH", "", "Architecture", nil, 400, `<p>How the platform is built.</p>`},
	{"7000", "ENG", "", "Engineering", nil, 400, `<p>The engineering handbook.</p>`},
	{"7500", "TEAM", "", "Team Notes", nil, 400, `<p>Meeting notes and plans.</p>`},

	// Redis: sessions and cache clusters.
	{"201", "OPS", "2001", "Redis Failover Procedure", l("runbook", "redis"), 20,
		`<p>Use when the Redis primary of the sessions cluster is unhealthy. Alert <code>RedisPrimaryDown</code> fires when Sentinel reports +sdown on the primary.</p><p>Run <code>redis-cli -p 26379 SENTINEL failover sessions</code>, then check that clients reconnected.</p>`},
	{"202", "OPS", "2001", "Redis memory pressure and evictions", l("runbook", "redis"), 35,
		`<p>Alert <code>RedisMemoryHigh</code> fires above 90% of maxmemory on the cache cluster. Find big keys with redis-cli --bigkeys; evictions follow the allkeys-lru policy.</p>`},
	{"203", "OPS", "2001", "Redis replica resynchronisation", l("runbook", "redis"), 60,
		`<p>When a replica shows master_link_status down (alert <code>RedisReplicationBroken</code>), check repl-backlog-size and let the replica run a full resync; never restart the primary for this.</p>`},
	{"301", "PIR", "3000", "PIR-2026-017: Redis failover did not trigger", l("postmortem", "redis"), 12,
		`<p>The sessions primary went down and Sentinel quorum was 3 with only 2 sentinels reachable, so failover never started. Sessions were unavailable for 22 minutes.</p>`},
	{"302", "PIR", "3000", "PIR-2025-071: Sessions lost after Redis restart", nil, 210,
		`<p>A rolling restart of the sessions Redis cluster without persistence logged out every user. Action: enable AOF before restarts.</p>`},
	{"401", "KI", "4000", "Sentinel cannot elect a new Redis primary when a zone is lost", l("known-issue", "redis"), 15,
		`<p>Symptom: RedisPrimaryDown keeps firing for the sessions cluster and Sentinel logs -failover-abort-not-elected. Workaround: manual failover with SENTINEL failover sessions.</p>`},
	{"402", "KI", "4000", "Known issue: writes fail at maxmemory with the noeviction policy", nil, 40,
		`<p>Error: OOM command not allowed when used memory &gt; 'maxmemory'. The cache cluster of the rate limiter uses noeviction; raise maxmemory or flush the rate limiter keys.</p>`},
	{"501", "ARCH", "5000", "Session Store Architecture", l("architecture", "redis"), 90,
		`<p>The sessions cluster is one Redis primary and two replicas in three zones, watched by three Sentinels. Clients find the primary through Sentinel.</p>`},

	// PostgreSQL: the orders cluster.
	{"211", "OPS", "2001", "Database Failover", l("runbook", "postgres"), 25,
		`<p>PostgreSQL primary failover for the orders cluster with Patroni. Alert <code>PostgresPrimaryDown</code>. Run patronictl failover orders --candidate orders-db-2 after checking replication lag.</p>`},
	{"212", "OPS", "2001", "Verifying replication lag", l("postgres"), 45,
		`<p>Query pg_stat_replication for replay lag on orders-db-2 and orders-db-3. The alert <code>PostgresReplicationLagHigh</code> fires above 16 MB of lag; a failover beyond that loses transactions.</p>`},
	{"213", "OPS", "2001", "Disk full on database hosts", l("runbook"), 30,
		`<p>Alert <code>PostgresDiskSpaceLow</code>. Usually pg_wal grows because archive_command fails. Check the archiver in pg_stat_archiver before deleting anything.</p>`},
	{"214", "OPS", "2001", "PgBouncer connection pool exhaustion", l("runbook", "postgres"), 50,
		`<p>Alert <code>PgBouncerPoolExhausted</code>; clients see "no more connections allowed (max_client_conn)". Find the leaking client with SHOW POOLS and restart it.</p>`},
	{"311", "PIR", "3000", "PIR-2026-014: Primary database outage", l("postmortem", "postgres"), 30,
		`<p>The orders PostgreSQL primary orders-db-1 ran out of disk after WAL archiving stalled; checkout failed for 47 minutes until failover to orders-db-2.</p>`},
	{"312", "PIR", "3000", "PIR-2025-088: Database connection pool exhaustion", l("postmortem"), 150,
		`<p>PgBouncer pool exhausted by a leaking worker; orders-api returned 503 for 12 minutes.</p>`},
	{"411", "KI", "4000", "Patroni failover leaves PgBouncer on the old primary", l("known-issue", "postgres"), 20,
		`<p>After a Patroni failover of the orders cluster PgBouncer keeps connections to the old primary until RELOAD. Workaround: run RELOAD on every PgBouncer.</p>`},
	{"511", "ARCH", "5000", "Orders Database Architecture", l("architecture"), 120,
		`<p>Three PostgreSQL nodes managed by Patroni, PgBouncer in front, WAL archived to object storage.</p>`},

	// Kafka: the ledger pipeline.
	{"221", "OPS", "2001", "Kafka consumer lag runbook", l("runbook", "kafka"), 15,
		`<p>Alert <code>KafkaConsumerLagHigh</code> fires when ledger-worker lags more than 10,000 messages. Scale ledger-worker and look for a poison message in the dead-letter topic.</p>`},
	{"222", "OPS", "2001", "Kafka broker recovery", l("runbook", "kafka"), 70,
		`<p>Alert <code>KafkaBrokerDown</code>. Check under-replicated partitions and the ISR; never enable unclean leader election.</p>`},
	{"321", "PIR", "3000", "PIR-2026-009: Ledger postings delayed by consumer lag", l("postmortem", "kafka"), 40,
		`<p>ledger-worker fell 2 hours behind on the payments topic after a rebalance storm; postings were delayed.</p>`},
	{"421", "KI", "4000", "ledger-worker stalls on oversized messages", l("known-issue", "kafka"), 25,
		`<p>Error RecordTooLargeException stops ledger-worker; consumer lag grows. Workaround: move the message to the dead-letter topic.</p>`},
	{"521", "ARCH", "5000", "Event Streaming Platform", l("architecture", "kafka"), 150,
		`<p>Five Kafka brokers, topics replicated three times; ledger-worker is the main consumer.</p>`},

	// payment-api.
	{"231", "OPS", "2001", "Payment API high error rate", l("runbook", "payments"), 18,
		`<p>Alert <code>PaymentApiErrorRateHigh</code>: payment-api returns 503 when the PSP is slow. Check the circuit breaker and the PSP status page.</p>`},
	{"232", "OPS", "2001", "Payment latency runbook", l("runbook", "payments"), 22,
		`<p>Alert <code>PaymentLatencyHigh</code> on payment-api p99. Look for slow queries and a missing index after the last deploy; roll back if needed.</p>`},
	{"331", "PIR", "3000", "PIR-2026-021: Payment latency spike after deploy", l("postmortem", "payments"), 8,
		`<p>A deploy of payment-api raised p99 latency to 2.4 s because a new index was missing.</p>`},
	{"431", "KI", "4000", "payment-api returns 503 while PSP tokens refresh", l("known-issue", "payments"), 35,
		`<p>payment-api answers 503 with PSP-4031 token expired for about 40 seconds every 12 hours.</p>`},
	{"531", "ARCH", "5000", "Payment Service Architecture", l("architecture", "payments"), 100,
		`<p>payment-api authorises card payments with the PSP and writes to the ledger through Kafka.</p>`},

	// Kubernetes.
	{"241", "OPS", "2001", "Node not ready", l("runbook", "kubernetes"), 28,
		`<p>Alert <code>KubeNodeNotReady</code>. Check kubelet on the node; cordon and drain it if it does not recover in 10 minutes.</p>`},
	{"242", "OPS", "2001", "CrashLooping pods", l("runbook", "kubernetes"), 33,
		`<p>Alert <code>KubePodCrashLooping</code>. Read the last logs; exit code 137 means OOMKilled, raise the memory limit.</p>`},
	{"243", "OPS", "2001", "Cluster DNS failures", nil, 55,
		`<p>Alert <code>CoreDNSErrorsHigh</code>: pods see SERVFAIL and timeouts. Scale coredns, check ndots and conntrack.</p>`},
	{"341", "PIR", "3000", "Postmortem: CoreDNS overload during the March scale-up", nil, 80,
		`<p>coredns ran out of CPU when the node count doubled; DNS lookups failed for 15 minutes.</p>`},
	{"441", "KI", "4000", "conntrack table full drops DNS packets", l("known-issue", "kubernetes"), 60,
		`<p>Kernel log: nf_conntrack: table full, dropping packet. DNS lookups time out intermittently. Workaround: raise nf_conntrack_max.</p>`},

	// TLS certificates.
	{"251", "OPS", "2001", "Certificate renewal runbook", l("runbook", "tls"), 40,
		`<p>Alert <code>TLSCertificateExpiringSoon</code>. cert-manager renews with ACME; if the order is stuck, delete the challenge. Clients report x509: certificate has expired when it is too late.</p>`},
	{"351", "PIR", "3000", "PIR-2025-102: Expired certificate on the API gateway", l("postmortem", "tls"), 120,
		`<p>The api-gateway certificate expired because cert-manager lost its DNS credentials.</p>`},

	// Elasticsearch.
	{"261", "OPS", "2001", "Elasticsearch cluster red", l("runbook", "elasticsearch"), 45,
		`<p>Alert <code>ElasticsearchClusterRed</code>: unassigned primary shards. Use the allocation explain API.</p>`},
	{"262", "OPS", "2001", "Elasticsearch heap pressure", l("runbook", "elasticsearch"), 50,
		`<p>Alert <code>ElasticsearchHeapUsageHigh</code>; queries fail with circuit_breaking_exception. Clear the fielddata cache.</p>`},
	{"461", "KI", "4000", "search-api times out during the nightly reindex", l("known-issue"), 30,
		`<p>Between 02:00 and 02:30 search-api returns 504 because the reindex saturates the cluster. Workaround: none; wait.</p>`},

	// Authentication.
	{"271", "OPS", "2001", "Auth token validation errors", l("runbook", "auth"), 20,
		`<p>Alert <code>AuthTokenValidationErrors</code>: services log "kid not found" after the signing key rotates. Refresh the JWKS cache.</p>`},
	{"371", "PIR", "3000", "PIR-2026-003: Logins failed after signing key rotation", l("postmortem", "auth"), 60,
		`<p>The auth-service rotated its signing key before publishing it in JWKS; logins failed for 9 minutes.</p>`},
	{"571", "ARCH", "5000", "Identity and Authentication Architecture", l("architecture", "auth"), 200,
		`<p>auth-service issues JWTs signed with rotating keys published in JWKS.</p>`},

	// Notifications.
	{"281", "OPS", "2001", "Notification queue backlog", l("runbook", "rabbitmq"), 38,
		`<p>Alert <code>RabbitMQQueueBacklog</code> on the notifications queue. Add notifications-worker consumers and check prefetch.</p>`},
	{"481", "KI", "4000", "Email provider throttles above 100 messages a second", l("known-issue", "notifications"), 45,
		`<p>The provider answers 421 4.7.0 Try again later; EmailSendFailures rises. Workaround: lower the send rate.</p>`},

	// Vault.
	{"291", "OPS", "2001", "Vault sealed", l("runbook", "vault"), 65,
		`<p>Alert <code>VaultSealed</code>. Auto-unseal uses KMS; check the KMS key policy before unsealing by hand.</p>`},
	{"391", "PIR", "3000", "PIR-2025-120: Vault sealed after KMS permission change", l("postmortem", "vault"), 100,
		`<p>A policy change removed Vault's access to its KMS key; Vault sealed on restart.</p>`},

	// Checkout and CDN.
	{"286", "OPS", "2001", "Checkout frontend 5xx", l("runbook", "checkout"), 26,
		`<p>Alert <code>CheckoutWeb5xxHigh</code>. 502 Bad Gateway from the CDN means the origin is failing; check checkout-web pods and the CDN configuration.</p>`},
	{"386", "PIR", "3000", "PIR-2026-011: Checkout errors after CDN configuration change", l("postmortem", "checkout"), 50,
		`<p>A CDN rule change sent checkout traffic to a retired origin; customers saw 502 for 31 minutes.</p>`},

	// Backups.
	{"287", "OPS", "2001", "Backup job failures", l("runbook", "backups"), 75,
		`<p>Alert <code>BackupJobFailed</code>. restic reports S3 AccessDenied when the bucket policy changed.</p>`},

	// Playbooks.
	{"601", "OPS", "2002", "Incident Command Playbook", l("playbook"), 30,
		`<p>For every SEV1 and SEV2: name an incident commander, open an incident channel, post updates every 30 minutes.</p>`},
	{"602", "OPS", "2002", "Security incident playbook", l("playbook", "security"), 90,
		`<p>For a leaked credential or secret: rotate it at once, search the audit logs, inform security.</p>`},
	{"603", "OPS", "2002", "Customer communication playbook", l("playbook"), 90,
		`<p>Update the status page within 15 minutes of a customer-facing outage.</p>`},

	// Distractors: the same words, nothing an on-call engineer needs.
	{"701", "ENG", "7000", "Redis client library upgrade notes", l("redis"), 10,
		`<p>The new client reads from replicas and writes to the primary; sessions code needs no change.</p>`},
	{"702", "ENG", "7000", "Database schema migration guidelines", l("postgres"), 20,
		`<p>Every table has a primary key; create indexes concurrently; migrations must not cause replication lag.</p>`},
	{"703", "ENG", "7000", "Kafka topic naming conventions", l("kafka"), 30,
		`<p>Topics are named domain.entity.event; consumer groups after the service.</p>`},
	{"704", "TEAM", "7500", "Q3 planning: primary goals", nil, 5,
		`<p>Primary goals: bring latency down, error rate down, fewer pages for on-call.</p>`},
	{"705", "TEAM", "7500", "Payments team retro", nil, 6,
		`<p>Payment latency dashboards are confusing; error rate alerts are noisy.</p>`},
	{"706", "ENG", "7000", "Certificate pinning in mobile apps", l("tls"), 40,
		`<p>The apps pin the intermediate certificate, not the leaf, so renewals do not break them.</p>`},
	{"707", "ENG", "7000", "Elasticsearch query DSL cheatsheet", l("elasticsearch"), 35,
		`<p>Bool queries, filters and aggregations for the search-api index.</p>`},
	{"708", "TEAM", "7500", "On-call compensation policy", l("oncall"), 100,
		`<p>Every alert that pages you at night counts as an hour.</p>`},
	{"709", "ENG", "7000", "Kubernetes node pool sizing", l("kubernetes"), 45,
		`<p>Node pools are sized for 60% CPU; a new node is ready in about 4 minutes.</p>`},
	{"710", "ENG", "7000", "Auth SDK quick start", l("auth"), 25,
		`<p>Validate tokens with the SDK; it caches the signing keys.</p>`},
	{"711", "ENG", "7000", "Vault secrets naming", l("vault"), 55,
		`<p>Secrets live under kv/service/environment.</p>`},
	{"712", "TEAM", "7500", "Notification preferences design review", nil, 15,
		`<p>Users choose email or push; the queue stays the same.</p>`},
}

// Dataset is the corpus as a simulator dataset, its times relative to now.
func Dataset(now time.Time) confluencetest.Dataset {
	d := confluencetest.Dataset{
		Users:    []confluencetest.User{{AccountID: account, DisplayName: "Corpus Author", Email: "corpus@example.com"}},
		Accounts: []confluencetest.Account{{Name: "classic", Email: "corpus@example.com", Token: corpusKey, AccountID: account, Type: confluencetest.TokenClassic}},
	}
	for _, s := range spaces {
		s.AuthorID, s.CreatedAt = account, now.AddDate(-2, 0, 0)
		d.Spaces = append(d.Spaces, s)
	}
	for i, r := range pages {
		at := now.AddDate(0, 0, -r.age)
		if blogReviews[r.id] {
			d.BlogPosts = append(d.BlogPosts, confluencetest.BlogPost{ID: r.id, SpaceKey: r.space, Title: r.title,
				AuthorID: account, CreatedAt: at, Labels: r.labels,
				Versions: []confluencetest.Version{{CreatedAt: at, AuthorID: account, Body: r.body}}})
			continue
		}
		d.Pages = append(d.Pages, confluencetest.Page{ID: r.id, SpaceKey: r.space, ParentID: r.parent, Position: i, Title: r.title,
			AuthorID: account, CreatedAt: at, Labels: r.labels,
			Versions: []confluencetest.Version{{CreatedAt: at, AuthorID: account, Body: r.body}}})
	}
	return d
}
