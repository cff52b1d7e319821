// Package bench measures what a GraphQL query through confluence-graph costs upstream compared
// with a naive client that makes one Confluence REST call per node, the way a tool-calling agent
// does.
//
// Six queries (Queries) run four ways (Modes): through the GraphQL API (the service as serve
// runs it, built by package app and served over loopback HTTP) with the client's default
// per-tenant limits and with them lifted, through the naive client one call at a time, and
// through the naive client with a goroutine per node. The nested query also runs a fifth way,
// through an off-the-shelf GraphQL layer over the REST API: GraphQL Mesh (bench/mesh, run by
// node; see Mesh), skipped when it is not installed except under CI=true. Each run is
// measured against the Confluence simulator (confluence/confluencetest) with and without
// injected latency: upstream calls (the simulator's counters), round trips on the critical path
// (the longest chain of upstream requests that did not overlap in time, and wall time divided by
// the latency), wall time percentiles and allocations per run.
//
// The simulator runs in a child process (StartChildSim) so that allocation counts hold only the
// client side; tests that do not count allocations may run it in process (InProcessSim).
//
// Entry points: Measure runs one cell of the table, WriteResults renders the Markdown report,
// and `go run ./bench/cmd/report` writes bench/RESULTS.md.
package bench
