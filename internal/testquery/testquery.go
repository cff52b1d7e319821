// Package testquery holds the GraphQL operations that the tests, the
// benchmark (bench) and the load check (bench/load) share, so that each
// measures and checks the same query.
package testquery

// Nested is the read API's reference query: the context an investigation
// needs, three levels deep. A space, 25 pages with labels and author, 10
// children each with labels, 5 comments with author and body, 5
// attachments and 3 versions. Variable: $key, the space key. The server's
// default limits must admit it, and its upstream calls must not grow with
// the number of pages.
const Nested = `query Nested($key: String!) { space(key: $key) { name pages(first: 25) { nodes {
  id title labels { name } author { displayName }
  children(first: 10) { nodes { id title ... on Page { labels { name } } } }
  comments(first: 5) { nodes { author { displayName } body { value } } }
  attachments(first: 5) { nodes { title mediaType } }
  versions(first: 3) { nodes { number message } } } } } }`

// Spaces lists the first ten spaces' keys and names.
const Spaces = `query Spaces { spaces(first: 10) { nodes { key name } } }`

// Runbook searches the demo data for the deployment runbook; the demo
// dataset answers it with at least one title.
const Runbook = `{ search(cql: "type = page AND text ~ \"deployment runbook\"", first: 5) { nodes { title } } }`
