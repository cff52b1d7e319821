package graph_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// wantCalls fails t unless the simulator counted exactly want upstream calls.
func wantCalls(t *testing.T, e *env, what string, want map[string]int) {
	t.Helper()
	if got := e.sim.Stats().ByEndpoint; !maps.Equal(got, want) {
		t.Errorf("%s: upstream calls = %v, want %v", what, got, want)
	}
}

type treeItem struct {
	Typename string `json:"__typename"`
	ID       string
	Title    string
	Type     string
}

func itemsOf(xs []treeItem) string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Typename+":"+x.ID+":"+x.Type)
	}
	return strings.Join(out, ",")
}

// A page two folders down has the folders in its parent and ancestors, top-most first.
func TestPageUnderNestedFolders(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			Parent struct {
				treeItem
				Parent *treeItem
			}
			Ancestors []treeItem
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, `{ page(id: "100060") { parent { __typename id title type ... on Folder { parent { __typename id title type } } }
	  ancestors { __typename id title type } } }`, &r)
	if p := r.Page.Parent; p.Typename != "Folder" || p.ID != "400002" || p.Title != "Network" || p.Type != "FOLDER" ||
		p.Parent == nil || p.Parent.ID != "400001" || p.Parent.Typename != "Folder" {
		t.Errorf("parent = %+v", r.Page.Parent)
	}
	if got, want := itemsOf(r.Page.Ancestors), "Page:100001:PAGE,Folder:400001:FOLDER,Folder:400002:FOLDER"; got != want {
		t.Errorf("ancestors = %s, want %s", got, want)
	}
	// The page (bulk read), its ancestors, and each folder once: the parent's folder read serves
	// the ancestor of the same id.
	wantCalls(t, e, "page under folders", map[string]int{"GET /wiki/api/v2/pages": 2, "GET /wiki/api/v2/pages/{id}/ancestors": 1,
		"GET /wiki/api/v2/folders/{id}": 2})
}

// A folder, read by id through content(id), lists its pages and folders; page children include
// the folder and the whiteboard with their types.
func TestFolderChildrenAndMixedPageChildren(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Content struct {
			treeItem
			URL      string
			Space    struct{ Key string }
			Author   *struct{ DisplayName string }
			Children struct{ Nodes []treeItem }
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, `{ content(id: "400001") { __typename id title type url space { key } ... on Folder { author { displayName }
	  children { nodes { __typename id title type } } } } }`, &r)
	c := r.Content
	if c.Typename != "Folder" || c.Title != "Team handbooks" || !strings.HasSuffix(c.URL, "/wiki/spaces/OPS/folder/400001") || c.Space.Key != "OPS" ||
		c.Author == nil || c.Author.DisplayName != "Carol Okafor" {
		t.Errorf("folder = %+v", c)
	}
	if got, want := itemsOf(c.Children.Nodes), "Folder:400002:FOLDER,Page:100061:PAGE"; got != want {
		t.Errorf("folder children = %s, want %s", got, want)
	}
	wantCalls(t, e, "content(id) of a folder", map[string]int{"POST /wiki/api/v2/content/convert-ids-to-types": 1,
		"GET /wiki/api/v2/folders/{id}": 1, "GET /wiki/api/v2/folders/{id}/direct-children": 1, "GET /wiki/api/v2/spaces": 1,
		"POST /wiki/api/v2/users-bulk": 1})

	var p struct {
		Page struct {
			Children    struct{ Nodes []treeItem }
			Descendants struct{ Nodes []treeItem }
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, `{ page(id: "100001") { children { nodes { __typename id title type } }
	  descendants(depth: 1) { nodes { __typename id type } } } }`, &p)
	want := "Page:100002:PAGE,Page:100010:PAGE,Folder:400001:FOLDER,OtherContent:400003:WHITEBOARD"
	if got := itemsOf(p.Page.Children.Nodes); got != want {
		t.Errorf("page children = %s, want %s", got, want)
	}
	if got := itemsOf(p.Page.Descendants.Nodes); got != want {
		t.Errorf("descendants(depth: 1) = %s, want %s", got, want)
	}
	wantCalls(t, e, "page children", map[string]int{"GET /wiki/api/v2/pages": 1, "GET /wiki/api/v2/pages/{id}/direct-children": 1,
		"GET /wiki/api/v2/pages/{id}/descendants": 1})

	var missing struct{ Content *treeItem }
	errs := e.do(t, `{ content(id: "200001") { id } }`, &missing)
	if missing.Content != nil || len(errs) != 1 || !strings.Contains(errs[0].Message, "200001") {
		t.Errorf("content(id) of a comment = %+v, errors %v; want null and one NOT_FOUND", missing.Content, errs)
	}
}

// The space's page tree holds the folders and the whiteboard, with every page of the space
// exactly once under its real parent: nothing is orphaned.
func TestPageTreeHoldsFoldersAndOrphansNothing(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Space struct {
			All      struct{ Nodes []struct{ ID string } }
			PageTree struct {
				Entries []struct {
					Content  treeItem
					Page     *struct{ ID string }
					ParentID *string
					Depth    int
				}
			}
		}
	}
	e.mustDo(t, `{ space(key: "OPS") { all: pages(depth: ALL, first: 100) { nodes { id } }
	  pageTree(maxDepth: 5) { entries { content { __typename id title type } page { id } parentId depth } } } }`, &r)
	pagesInTree := map[string]int{}
	parent := map[string]string{}
	var nodes []string
	for _, en := range r.Space.PageTree.Entries {
		if en.ParentID != nil {
			parent[en.Content.ID] = *en.ParentID
		}
		if en.Content.Typename == "Page" {
			if en.Page == nil || en.Page.ID != en.Content.ID {
				t.Errorf("page entry %s: page = %+v", en.Content.ID, en.Page)
			}
			pagesInTree[en.Content.ID]++
		} else {
			if en.Page != nil {
				t.Errorf("%s entry %s has a page", en.Content.Type, en.Content.ID)
			}
			nodes = append(nodes, en.Content.Type+":"+en.Content.ID)
		}
	}
	var all []string
	for _, p := range r.Space.All.Nodes {
		all = append(all, p.ID)
		if pagesInTree[p.ID] != 1 {
			t.Errorf("page %s appears %d times in the tree, want once", p.ID, pagesInTree[p.ID])
		}
	}
	if len(pagesInTree) != len(all) {
		t.Errorf("tree pages = %v, space pages = %v", slices.Sorted(maps.Keys(pagesInTree)), all)
	}
	if !slices.Equal(nodes, []string{"FOLDER:400001", "FOLDER:400002", "WHITEBOARD:400003"}) {
		t.Errorf("tree nodes = %v", nodes)
	}
	for id, want := range map[string]string{"100060": "400002", "100061": "400001", "400002": "400001", "400001": "100001"} {
		if parent[id] != want {
			t.Errorf("parentId of %s = %q, want %s", id, parent[id], want)
		}
	}
}

// Children of several parents (one CQL search over every tree kind) answer exactly as the
// per-parent route answers each parent, folders included.
func TestBatchedChildrenEqualSingle(t *testing.T) {
	e := demoEnv(t)
	const sel = `children { nodes { __typename id title type } }`
	var batched struct {
		Page struct {
			Children struct {
				Nodes []struct {
					treeItem
					Children *struct{ Nodes []treeItem }
				}
			}
		}
	}
	e.sim.ResetStats()
	e.mustDo(t, `{ page(id: "100001") { children { nodes { __typename id title type
	  ... on Page { `+sel+` } ... on Folder { `+sel+` } } } } }`, &batched)
	// The page, its children (one parent: the per-parent route), then the children of its two
	// pages and its folder in one CQL content search.
	wantCalls(t, e, "nested children", map[string]int{"GET /wiki/api/v2/pages": 1, "GET /wiki/api/v2/pages/{id}/direct-children": 1,
		"GET /wiki/rest/api/content/search": 1})
	compared := 0
	for _, c := range batched.Page.Children.Nodes {
		if c.Children == nil {
			continue
		}
		var single struct {
			Content struct{ Children struct{ Nodes []treeItem } }
		}
		e.sim.ResetStats()
		e.mustDo(t, `query($id: ID!) { content(id: $id) { ... on Page { `+sel+` } ... on Folder { `+sel+` } } }`, &single, varID(c.ID))
		if n := e.sim.Stats().ByEndpoint["GET /wiki/rest/api/content/search"]; n != 0 {
			t.Errorf("single-parent read of %s used %d content searches, want the per-parent route", c.ID, n)
		}
		got, _ := json.Marshal(c.Children.Nodes)
		want, _ := json.Marshal(single.Content.Children.Nodes)
		if string(got) != string(want) {
			t.Errorf("children of %s batched =\n%s\nsingle =\n%s", c.ID, got, want)
		}
		compared++
	}
	if compared != 3 {
		t.Errorf("compared %d parents, want 3 (Runbooks, On-call Guide, Team handbooks)", compared)
	}
}

func varID(id string) client.Option { return client.Var("id", id) }
