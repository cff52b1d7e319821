// Package server is the HTTP adapter of confluence-graph: it authenticates
// callers with API keys, serves the GraphQL API at /graphql through a
// hardened gqlgen handler, and exposes /healthz, /readyz and /metrics (and,
// when enabled, the embedded playground pages).
//
// A request to /graphql travels through these layers, outermost first:
//
//	request id   X-Request-Id taken from the request when well formed, else
//	             generated; echoed in the response and on every log line
//	access log   one JSON line per request (never headers or bodies)
//	auth         Authorization: Bearer cg_<id>_<secret>, checked against the
//	             key store (SHA-256, constant-time compare, revoked keys
//	             refused); failure is HTTP 401 with extensions.code
//	             UNAUTHENTICATED; the tenant comes only from the key
//	body cap     a body over Config.MaxBodyBytes is HTTP 413
//	timeout      the operation's context ends after Config.OperationTimeout
//	loaders      fresh per-request loaders, bound lazily to the tenant's
//	             Confluence through Config.Source
//	gqlgen       POST and GET (queries only) transports, parsed-query LRU,
//	             automatic persisted queries, complexity, depth and alias
//	             limits, introspection and suggestions off unless enabled,
//	             errors masked by graph's presenter; request errors
//	             answered as GraphQL over HTTP says (200 for
//	             application/json, 400 for application/graphql-response+json,
//	             no data entry)
//	audit        a mutation refused with FORBIDDEN (a reader key) is
//	             appended to Config.Audit as outcome "denied"
//
// Metrics live on the server's own Prometheus registry (see Metrics); the
// Confluence client reports into it through Metrics.Instrument.
package server
