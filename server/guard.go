package server

import (
	"context"
	"math"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/confluence-graph/confluence-graph/graph"
)

// CodeFieldLimit is extensions.code of a document that selects more fields
// (fragments expanded) than Config.FieldLimit allows. Like the other limits
// it is a protocol error, answered without a data entry.
const CodeFieldLimit = "FIELD_LIMIT_EXCEEDED"

func init() {
	errcode.RegisterErrorType(CodeFieldLimit, errcode.KindProtocol)
}

// fieldGuard refuses a document before gqlgen validates it when the
// document selects more than max fields with every fragment spread
// expanded. gqlparser's validation compares the fields of a selection set
// pairwise (quadratic in their number) and gqlgen's complexity walk expands
// every spread (exponential in the nesting of fragments that spread each
// other twice), so both must only ever see a document whose expanded size
// is bounded. The count itself is linear in the document: each fragment is
// counted once and its count reused at every spread.
//
// The guard runs as an OperationParameterMutator, after automatic persisted
// queries have filled in the query text and before parsing and validation.
// Verdicts are kept per query text, so a repeated query is not parsed twice.
type fieldGuard struct {
	max        int
	tokenLimit int
	seen       *lru.LRU[int]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*fieldGuard)(nil)

func newFieldGuard(max, tokenLimit int) *fieldGuard {
	return &fieldGuard{max: max, tokenLimit: tokenLimit, seen: lru.New[int](DefaultQueryCacheSize)}
}

func (*fieldGuard) ExtensionName() string                   { return "FieldGuard" }
func (*fieldGuard) Validate(graphql.ExecutableSchema) error { return nil }

func (g *fieldGuard) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil // a persisted-query hash the APQ extension did not resolve: it answers
	}
	n, ok := g.seen.Get(ctx, p.Query)
	if !ok {
		doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, g.tokenLimit)
		if err != nil {
			return nil // gqlgen parses again and reports the syntax error with its position
		}
		n = expandedFields(doc, g.max)
		g.seen.Add(ctx, p.Query, n)
	}
	if n <= g.max {
		return nil
	}
	err := gqlerror.Errorf("the document selects more than %d fields once its fragments are expanded "+
		"(limit %d); ask for fewer fields or split the query", g.max, g.max)
	errcode.Set(err, CodeFieldLimit)
	return err
}

// expandedFields counts the fields every operation and fragment definition
// of doc selects with fragment spreads expanded, each fragment's count
// computed once. Counting stops early once it passes limit (the result is
// then limit+1), so the work is linear in the document whatever it spreads.
func expandedFields(doc *ast.QueryDocument, limit int) int {
	c := fieldCounter{doc: doc, memo: map[string]int{}, busy: map[string]bool{}}
	total := 0
	for _, op := range doc.Operations {
		total = satAdd(total, c.set(op.SelectionSet))
	}
	for _, f := range doc.Fragments {
		total = satAdd(total, c.fragment(f.Name))
	}
	return min(total, limit+1)
}

type fieldCounter struct {
	doc  *ast.QueryDocument
	memo map[string]int
	busy map[string]bool
}

func (c fieldCounter) set(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			n = satAdd(n, satAdd(1, c.set(s.SelectionSet)))
		case *ast.InlineFragment:
			n = satAdd(n, c.set(s.SelectionSet))
		case *ast.FragmentSpread:
			n = satAdd(n, c.fragment(s.Name))
		}
	}
	return n
}

func (c fieldCounter) fragment(name string) int {
	if n, ok := c.memo[name]; ok {
		return n
	}
	def := c.doc.Fragments.ForName(name)
	if def == nil || c.busy[name] { // unknown or cyclic: validation reports it
		return 0
	}
	c.busy[name] = true
	n := c.set(def.SelectionSet)
	delete(c.busy, name)
	c.memo[name] = n
	return n
}

// satAdd adds two non-negative counts, saturating instead of overflowing.
func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

// tenantCache scopes a query cache to the caller's tenant: automatic
// persisted queries registered by one tenant are not found by another, so a
// hash cannot be used to learn which queries another tenant sends.
type tenantCache struct{ inner graphql.Cache[string] }

var _ graphql.Cache[string] = tenantCache{}

func (c tenantCache) key(ctx context.Context, k string) string {
	caller, _ := graph.CallerFrom(ctx)
	return caller.TenantID + "\x00" + k
}

func (c tenantCache) Get(ctx context.Context, k string) (string, bool) {
	return c.inner.Get(ctx, c.key(ctx, k))
}

func (c tenantCache) Add(ctx context.Context, k, v string) {
	c.inner.Add(ctx, c.key(ctx, k), v)
}
