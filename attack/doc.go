// Package attack is the attack suite: Go tests that replay, against the whole service built by
// package app (through internal/testsupport) over real HTTP, the attacks the service must hold
// against — query-cost denial of service, tenant isolation, authentication, SSRF through the
// connect domain, secrets at rest, upstream text leaks, stale caches across replicas, and the
// rest listed in README.md. Each test is named after its attack and asserts the defended
// outcome. The package has no code of its own; `go test ./...` (and so `make test`) runs it.
package attack
