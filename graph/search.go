package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// validateCQL parses a query without any upstream call.
func validateCQL(ctx context.Context, text string) (*model.CqlValidation, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	q, err := cql.Parse(text)
	if err != nil {
		var ce *cql.Error
		if !errors.As(err, &ce) {
			return nil, err
		}
		return &model.CqlValidation{Valid: false, Errors: []*model.CqlError{{Message: ce.Message, Line: ce.Line, Column: ce.Column}}}, nil
	}
	s := q.String()
	return &model.CqlValidation{Valid: true, Normalized: &s, Errors: []*model.CqlError{}}, nil
}

// search checks the query locally (INVALID_CQL with line and column, nothing sent) and runs it.
func search(ctx context.Context, text string, first *int, after *string) (*model.SearchConnection, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	w, err := pageWindow(first, after, 25)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, inputErrorf("cql", "cql is empty")
	}
	if _, err := cql.Parse(text); err != nil {
		return nil, err
	}
	return runSearch(ctx, text, w)
}

func runSearch(ctx context.Context, text string, w window) (*model.SearchConnection, error) {
	sp, more, err := loaders.For(ctx).Search(ctx, loaders.SearchRequest{
		SearchQuery: loaders.SearchQuery{CQL: text, WithBodies: selectsHitBody(ctx)}, First: w.need(), From: w.From})
	if err != nil {
		return nil, err
	}
	nodes, edges, info := edgesOf(loaders.List[loaders.SearchHit]{Items: sp.Hits, More: more, Next: sp.Next}, w, toSearchResult,
		func(c string, n *model.SearchResult) *model.SearchEdge { return &model.SearchEdge{Cursor: c, Node: n} })
	return &model.SearchConnection{Nodes: nodes, Edges: edges, PageInfo: info, TotalCount: sp.Total, Cql: text}, nil
}

func searchPages(ctx context.Context, f model.PageFilter, first *int, after *string) (*model.SearchConnection, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	w, err := pageWindow(first, after, 25)
	if err != nil {
		return nil, err
	}
	q, err := buildPageFilter(f)
	if err != nil {
		return nil, err
	}
	return runSearch(ctx, q, w)
}

// buildPageFilter writes a filter as CQL with the cql package's safe builder.
func buildPageFilter(f model.PageFilter) (string, error) {
	typ := model.ContentTypePage
	if f.Type != nil {
		typ = *f.Type
	}
	var xs []cql.Expr
	if typ != model.ContentTypeOther {
		xs = append(xs, cql.Field("type").Eq(cql.String(strings.ToLower(string(typ)))))
	}
	anyWord := f.Match != nil && *f.Match == model.TextMatchAny
	if f.Text != nil && strings.TrimSpace(*f.Text) != "" {
		xs = append(xs, textFilter("text", *f.Text, anyWord))
	}
	if f.Title != nil && strings.TrimSpace(*f.Title) != "" {
		xs = append(xs, textFilter("title", *f.Title, anyWord))
	}
	if len(f.Spaces) > 0 {
		xs = append(xs, cql.Field("space").In(cql.Strings(f.Spaces...)...))
	}
	if len(f.Labels) > 0 {
		xs = append(xs, cql.Field("label").In(cql.Strings(f.Labels...)...))
	}
	if f.ModifiedSince != nil {
		xs = append(xs, cql.Field("lastModified").Ge(cql.DateTime(f.ModifiedSince.UTC())))
	}
	if f.ModifiedWithinDays != nil {
		d := *f.ModifiedWithinDays
		if d < 1 || d > 3650 {
			return "", inputErrorf("filter.modifiedWithinDays", "modifiedWithinDays must be between 1 and 3650, got %d", d)
		}
		xs = append(xs, cql.Field("lastModified").Ge(cql.Now(cql.Days(-d))))
	}
	if f.AncestorID != nil && *f.AncestorID != "" {
		if !isDecimal(*f.AncestorID) {
			return "", inputErrorf("filter.ancestorId", "ancestorId %q is not a page id", *f.AncestorID)
		}
		xs = append(xs, cql.Field("ancestor").Eq(cql.String(*f.AncestorID)))
	}
	if len(xs) == 0 {
		return "", inputErrorf("filter", "give at least one criterion")
	}
	var order []cql.OrderItem
	if f.OrderBy != nil {
		switch *f.OrderBy {
		case model.SearchOrderLastModifiedDesc:
			order = append(order, cql.Descending("lastmodified"))
		case model.SearchOrderLastModifiedAsc:
			order = append(order, cql.Ascending("lastmodified"))
		case model.SearchOrderCreatedDesc:
			order = append(order, cql.Descending("created"))
		case model.SearchOrderTitleAsc:
			order = append(order, cql.Ascending("title"))
		}
	}
	q, err := cql.Build(cql.And(xs...), order...)
	if err != nil {
		var ce *cql.Error
		if errors.As(err, &ce) && ce.Kind == cql.KindEmptyText {
			return "", inputErrorf("filter", "text and title need at least one word")
		}
		return "", err
	}
	return q.String(), nil
}

// textFilter is "field ~ words" (every word), or with anyWord one "field ~ word" per word
// joined with OR (when both text and title are given, each is one AND-ed group).
func textFilter(field, text string, anyWord bool) cql.Expr {
	if !anyWord {
		return cql.Field(field).Contains(cql.Terms(text))
	}
	var xs []cql.Expr
	for _, w := range strings.Fields(text) {
		if len(words(w)) > 0 { // a word of punctuation alone searches nothing
			xs = append(xs, cql.Field(field).Contains(cql.Terms(w)))
		}
	}
	if len(xs) == 0 {
		return cql.Field(field).Contains(cql.Terms(text)) // Build reports the empty text
	}
	return cql.Or(xs...)
}

// searchResultPage returns the hit's page as a partial record: its id and title are known, and
// any other field loads the page (batched with the other hits) only when asked for.
func searchResultPage(ctx context.Context, obj *model.SearchResult) (*model.Page, error) {
	if obj.Type != model.ContentTypePage || obj.ContentID == "" {
		return nil, nil
	}
	return &model.Page{ID: obj.ContentID, Title: obj.Title, Partial: true}, nil
}

// selectsHitBody reports whether the search field being resolved selects the body of its hits'
// pages (nodes.page.body or edges.node.page.body), so the search can bring bodies along.
func selectsHitBody(ctx context.Context) bool {
	for _, p := range [][2]string{{"page", "Page"}, {"content", "Page"}, {"content", "BlogPost"}} {
		if selects(ctx, "SearchConnection", "nodes", "SearchResult", p[0], p[1], "body") ||
			selects(ctx, "SearchConnection", "edges", "SearchEdge", "node", "SearchResult", p[0], p[1], "body") {
			return true
		}
	}
	return false
}

// selects reports whether the field being resolved selects the given path below it. path
// alternates a type and a field looked up on it, so fragments on those types count too.
func selects(ctx context.Context, path ...string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return false
	}
	op := graphql.GetOperationContext(ctx)
	sel := fc.Field.Selections
	for i := 0; i+1 < len(path); i += 2 {
		typ, name := path[i], path[i+1]
		var next ast.SelectionSet
		found := false
		for _, f := range graphql.CollectFields(op, sel, []string{typ}) {
			if f.Name == name {
				next = append(next, f.Selections...)
				found = true
			}
		}
		if !found {
			return false
		}
		sel = next
	}
	return true
}

func searchResultSpace(ctx context.Context, obj *model.SearchResult) (*model.Space, error) {
	if obj.SpaceKey == "" {
		return nil, nil
	}
	return nullIfNotFound(loaders.For(ctx).SpaceByKey(ctx, obj.SpaceKey))
}
