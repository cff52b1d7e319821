package graph

import "github.com/confluence-graph/confluence-graph/graph/model"

// Query cost for a complexity limit (extension.FixedComplexityLimit on the server), in units of
// one list item, priced by what the query costs Confluence:
//
//   - every upstream call it may make costs callCost units, and every list item it may return
//     costs 1;
//   - a list that the loaders read for all its parents at once (children, comments and
//     attachments: one batched CQL read per level) costs one call for the whole level, however
//     many parents there are;
//   - a list read one call per parent (a space's pages, versions, descendants, replies) costs one
//     call per parent;
//   - the items of a list multiply what their own nested lists cost per parent.
//
// So `pages(first: 100) { nodes { children(first: 10) { nodes { id } } } }` costs 2 calls and
// 1,100 items, about 1,120; the reference nested query at 100 pages about 3,450 (its version
// lists, one call per page, are most of it), while 100 x 100 x 100 nested children cost over a
// million. Scalar fields are not priced (the server's field limit bounds them).
//
// gqlgen hands each field only the summed cost of its selection, so while a selection is summed
// its cost is kept as three numbers packed into one int: the fixed calls of the levels below
// (costs that do not grow with the number of parents), the cost per parent (calls and items that
// do), and gqlgen's own count of the other fields. Packed values add component by component; the
// query's root fields unpack them into one figure for the limit, for a single parent.

// callCost is what one upstream call costs, in list items.
const callCost = 10

// The packing: fields in the low bits, the cost per parent above them, the fixed cost on top.
// A component that would overflow saturates, which the limit then refuses.
const (
	packBits = 21
	packMax  = 1<<packBits - 1
)

// cost is an unpacked selection cost.
type cost struct {
	fixed     int // calls made once whatever the number of parents, in units
	perParent int // calls and items per parent, in units
	fields    int // other fields (gqlgen's 1 per field)
}

func unpack(c int) cost {
	if c < 0 || c>>(2*packBits) > packMax {
		return cost{fixed: packMax, perParent: packMax, fields: packMax}
	}
	return cost{fixed: c >> (2 * packBits), perParent: c >> packBits & packMax, fields: c & packMax}
}

func (c cost) pack() int {
	return min(c.fixed, packMax)<<(2*packBits) | min(c.perParent, packMax)<<packBits | min(c.fields, packMax)
}

// total is the cost for one parent, the figure compared with the limit.
func (c cost) total() int { return min(c.fixed+c.perParent+c.fields, 3*packMax) }

// items is the effective page size (def when first is nil, clamped to 1..maxFirst as the
// resolvers clamp it by rejecting anything else).
func items(first *int, def int) int {
	n := def
	if first != nil {
		n = *first
	}
	return min(max(n, 1), maxFirst)
}

// batchedList prices a list read for all its parents at once: one call for the level, and per
// parent n items with what each item's nested lists cost per parent.
func batchedList(child int, n int) int {
	c := unpack(child)
	return cost{fixed: c.fixed + callCost, perParent: min(n*(1+c.perParent), packMax), fields: 1}.pack()
}

// perParentList prices a list read with one call per parent.
func perParentList(child int, n int) int {
	c := unpack(child)
	return cost{fixed: c.fixed, perParent: min(callCost+n*(1+c.perParent), packMax), fields: 1}.pack()
}

// root unpacks the cost of a root field's selection into the figure for the limit: the field,
// one call, and its selection for one parent.
func root(child int) int { return 1 + callCost + unpack(child).total() }

// rootList prices a list at the root (one call, n items).
func rootList(child int, first *int, def int) int {
	return unpack(perParentList(child, items(first, def))).total()
}

// byIDs prices a bulk read of n ids (pages(ids), _entities): a call per 250 ids is less than the
// items, so it is priced as its items: 1 plus per item 1 and its nested lists, plus the fixed
// calls of the levels below once.
func byIDs(child int, n int) int {
	c := unpack(child)
	return min(1+c.fixed+max(n, 1)*(1+c.perParent), 3*packMax)
}

// setComplexity installs the per-field cost functions on c.
func setComplexity(c *ComplexityRoot) {
	c.Query.Space = func(child int, _ *string, _ *string) int { return root(child) }
	c.Query.Page = func(child int, _ string) int { return root(child) }
	c.Query.PageByURL = func(child int, _ string) int { return root(child) }
	c.Query.ConfluenceIntegration = func(child int) int { return root(child) }
	c.Query.ValidateCql = func(child int, _ string) int { return 1 + unpack(child).total() }
	c.Query.Spaces = func(child int, _ []string, _ *model.SpaceType, first *int, _ *string) int {
		return rootList(child, first, 25)
	}
	c.Query.Search = func(child int, _ string, first *int, _ *string) int { return rootList(child, first, 25) }
	c.Query.SearchPages = func(child int, _ model.PageFilter, first *int, _ *string) int { return rootList(child, first, 25) }
	c.Query.Pages = func(child int, ids []string) int { return byIDs(child, len(ids)) }
	// _entities answers one entity per representation, so it is priced like pages(ids).
	c.Query.__resolve_entities = func(child int, reps []map[string]any) int { return byIDs(child, len(reps)) }
	c.Space.Pages = func(child int, _ *model.PageDepth, first *int, _ *string) int {
		return perParentList(child, items(first, 25))
	}
	// A tree comes from its space's page list, 250 pages a call, and is cut at maxTreeEntries;
	// priced as one call per parent and 100 entries.
	c.Space.PageTree = func(child int, _ *string, _ *int, _ *string) int { return perParentList(child, 100) }
	c.Page.Children = func(child int, first *int, _ *string) int { return batchedList(child, items(first, 25)) }
	c.Page.Comments = func(child int, _ *model.CommentKind, first *int, _ *string) int {
		return batchedList(child, items(first, 25))
	}
	c.Page.Attachments = func(child int, _ *string, first *int, _ *string) int { return batchedList(child, items(first, 25)) }
	c.Page.Versions = func(child int, first *int, _ *string) int { return perParentList(child, items(first, 25)) }
	c.Page.Descendants = func(child int, _ *int, first *int, _ *string) int { return perParentList(child, items(first, 50)) }
	c.Comment.Replies = func(child int, first *int, _ *string) int { return perParentList(child, items(first, 25)) }
	c.Query.Content = func(child int, _ string) int { return root(child) }
	c.Folder.Children = func(child int, first *int, _ *string) int { return batchedList(child, items(first, 25)) }
	c.Folder.Descendants = func(child int, _ *int, first *int, _ *string) int { return perParentList(child, items(first, 50)) }
	c.OtherContent.Children = func(child int, first *int, _ *string) int { return batchedList(child, items(first, 25)) }
	c.OtherContent.Descendants = func(child int, _ *int, first *int, _ *string) int {
		return perParentList(child, items(first, 50))
	}
}
