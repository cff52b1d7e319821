package bench

import "context"

// Query is one benchmarked question, answerable through the API and through the naive client.
// Both ways return the same normalised answer type, so that tests can compare them.
type Query struct {
	Name  string // short name used in benchmark and table rows
	Title string // what it asks, for the report
	// GraphQL is the query text sent to the API.
	GraphQL string
	// Depth is the query's nesting depth: the levels of fields that each need an upstream read.
	// The goal is a critical path of at most Depth+1 round trips.
	Depth int
	// Floor is the fewest upstream calls Confluence's endpoints allow for the answer, and why.
	Floor     int
	FloorNote string

	api   func(ctx context.Context, a *API, t Targets) (any, error)
	naive func(ctx context.Context, n *Naive, t Targets) (any, error)
	mesh  func(ctx context.Context, m *Mesh, t Targets) (any, error) // nil: no Mesh baseline
}

// Supports reports whether the query runs in mode m: every query runs in every mode but
// ModeMesh, which only the nested query has (bench/mesh describes only the REST calls it needs).
func (q *Query) Supports(m Mode) bool { return m != ModeMesh || q.mesh != nil }

// RunAPI answers the query through the GraphQL API.
func (q *Query) RunAPI(ctx context.Context, a *API, t Targets) (any, error) { return q.api(ctx, a, t) }

// RunNaive answers the query through the naive client.
func (q *Query) RunNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	return q.naive(ctx, n, t)
}

// Queries returns the benchmarked queries, in report order: the read API's five typical shapes
// (nested lists, search with bodies, a three-level tree, a diff, federation entities) and the
// flat page tree.
func Queries() []*Query {
	return []*Query{nestedQuery(), searchQuery(), treeQuery(), pageTreeQuery(), diffQuery(), entitiesQuery()}
}

// QueryByName returns the query called name, or nil.
func QueryByName(name string) *Query {
	for _, q := range Queries() {
		if q.Name == name {
			return q
		}
	}
	return nil
}

// gqlName is the JSON shape of a GraphQL field selecting only a name-like string.
type gqlName struct {
	Name string `json:"name"`
}

type gqlUser struct {
	DisplayName string `json:"displayName"`
}

func (u *gqlUser) name() string {
	if u == nil {
		return ""
	}
	return u.DisplayName
}

func labelNames(ls []gqlName) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}
