package graph

import "github.com/confluence-graph/confluence-graph/graph/model"

// Query cost for a complexity limit (extension.FixedComplexityLimit on the server): a list
// field costs its children times the number of items it may return, so
// `pages(first: 100) { children(first: 100) { ... } }` is priced as the 10,000 nodes it can
// produce, not as two fields.

// listCost is 1 plus child times n, with n the effective page size (def when first is nil,
// clamped to 1..maxFirst as the resolvers clamp it by rejecting anything else).
func listCost(child int, first *int, def int) int {
	n := def
	if first != nil {
		n = *first
	}
	n = min(max(n, 1), maxFirst)
	return 1 + child*n
}

// setComplexity installs the per-field cost functions on c.
func setComplexity(c *ComplexityRoot) {
	c.Query.Spaces = func(child int, _ []string, _ *model.SpaceType, first *int, _ *string) int {
		return listCost(child, first, 25)
	}
	c.Query.Search = func(child int, _ string, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Query.SearchPages = func(child int, _ model.PageFilter, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Query.Pages = func(child int, ids []string) int { return 1 + child*max(len(ids), 1) }
	c.Space.Pages = func(child int, _ *model.PageDepth, first *int, _ *string) int { return listCost(child, first, 25) }
	// A tree is flat (no nested lists) and bounded by maxTreeEntries; priced as 100 entries.
	c.Space.PageTree = func(child int, _ *string, _ *int) int { return 1 + child*100 }
	c.Page.Children = func(child int, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Page.Descendants = func(child int, _ *int, first *int, _ *string) int { return listCost(child, first, 50) }
	c.Page.Comments = func(child int, _ *model.CommentKind, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Page.Versions = func(child int, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Page.Attachments = func(child int, _ *string, first *int, _ *string) int { return listCost(child, first, 25) }
	c.Comment.Replies = func(child int, first *int, _ *string) int { return listCost(child, first, 25) }
	// _entities answers one entity per representation, so it is priced like pages(ids).
	c.Query.__resolve_entities = func(child int, reps []map[string]any) int { return 1 + child*max(len(reps), 1) }
}
