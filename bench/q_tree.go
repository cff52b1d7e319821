package bench

import (
	"context"
	"net/url"
)

// treeGraphQL asks three levels of children of every kind; each level goes on below pages,
// folders and the other kinds alike.
var treeGraphQL = `query Tree($id: ID!) { page(id: $id) { id title ` + treeLevels(3) + ` } }`

// treeLevels is the children selection n levels deep.
func treeLevels(n int) string {
	if n == 0 {
		return ""
	}
	below := treeLevels(n - 1)
	if below != "" {
		below = "... on Page { " + below + " } ... on Folder { " + below + " } ... on OtherContent { " + below + " }"
	}
	return "children(first: 25) { nodes { id title " + below + " } }"
}

// Tree is a page with its child pages, as deep as the query asked.
type Tree struct {
	ID, Title string
	Children  []Tree
}

// count is the number of pages in the tree.
func (t Tree) count() int {
	n := 1
	for _, c := range t.Children {
		n += c.count()
	}
	return n
}

func treeQuery() *Query {
	return &Query{
		Name:      "tree3",
		Title:     "a page and three levels of children below it (25 per level)",
		GraphQL:   treeGraphQL,
		Depth:     4,
		Floor:     4,
		FloorNote: "the root page, then one CQL `parent in (...)` per level (up to 100 parents each)",
		api:       treeAPI,
		naive:     treeNaive,
	}
}

// gqlTree is the JSON shape of a page with nested children connections.
type gqlTree struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Children *struct {
		Nodes []gqlTree `json:"nodes"`
	} `json:"children"`
}

func (g gqlTree) tree() Tree {
	t := Tree{ID: g.ID, Title: g.Title}
	if g.Children != nil {
		for _, c := range g.Children.Nodes {
			t.Children = append(t.Children, c.tree())
		}
	}
	return t
}

func treeAPI(ctx context.Context, a *API, t Targets) (any, error) {
	var res struct {
		Page *gqlTree `json:"page"`
	}
	if err := a.Query(ctx, treeGraphQL, map[string]any{"id": t.TreeRoot}, &res); err != nil {
		return nil, err
	}
	if res.Page == nil {
		return nil, errNotFound("page " + t.TreeRoot)
	}
	return res.Page.tree(), nil
}

func treeNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	return n.tree(ctx, t.TreeRoot, 3)
}

// tree reads a page, then its children level by level, one children call per page.
func (n *Naive) tree(ctx context.Context, id string, depth int) (Tree, error) {
	var p v2Page
	if err := n.get(ctx, "/wiki/api/v2/pages/"+id, url.Values{}, &p); err != nil {
		return Tree{}, err
	}
	root := Tree{ID: p.ID, Title: p.Title}
	return root, n.subtree(ctx, &root, depth, 25)
}

// subtree fills t.Children down to depth levels, reading up to per children of each page.
func (n *Naive) subtree(ctx context.Context, t *Tree, depth, per int) error {
	return n.subtreeOf(ctx, t, "page", depth, per)
}

// subtreeOf is subtree below tree content of kind (children of every kind, each read through
// its kind's route).
func (n *Naive) subtreeOf(ctx context.Context, t *Tree, kind string, depth, per int) error {
	if depth == 0 {
		return nil
	}
	cs, err := n.childrenOf(ctx, kind, t.ID, per)
	if err != nil {
		return err
	}
	t.Children = make([]Tree, len(cs))
	return n.each(len(cs), func(i int) error {
		t.Children[i] = Tree{ID: cs[i].ID, Title: cs[i].Title}
		return n.subtreeOf(ctx, &t.Children[i], cmpOr(cs[i].Type, "page"), depth-1, per)
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
