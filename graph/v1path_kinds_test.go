package graph_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// The v1 read path with blog posts, folders and the tree's other kinds, and comment threads.

// v1BlogFields are the reading fields of a blog post.
const v1BlogFields = `id title status type url space { key } author { accountId displayName } createdAt updatedAt
  currentVersion { number message author { displayName } } body { value } storage: body(format: STORAGE) { value }
  labels { name } versions(first: 10) { nodes { number message createdAt author { displayName } } }
  version(number: 1) { number body(format: STORAGE) { value } } diff(from: 1) { unified linesAdded linesRemoved }
  comments(first: 10) { nodes { id kind body { value } resolutionStatus highlightedText author { displayName }
    replies(first: 10) { nodes { id kind author { displayName } body { value } } } } }
  attachments(first: 10) { nodes { id title mediaType fileSize createdAt version author { displayName } } }`

// v1TreeFields are the tree fields of any content, read through fragments.
const v1TreeFields = `id title type url
  ... on Page { parent { id title type } ancestors { id title type }
    children(first: 20) { nodes { id title type } } descendants(depth: 3, first: 50) { nodes { id title type } } }
  ... on Folder { space { key } author { displayName } createdAt parent { id title type } ancestors { id title type }
    children(first: 20) { nodes { id title type } } descendants(depth: 3, first: 50) { nodes { id title type } } }
  ... on OtherContent { space { key } parent { id type } ancestors { id type } }`

// v1PageTree are a page's tree fields.
const v1PageTree = `id title parent { id title type } ancestors { id title type }
  children(first: 20) { nodes { id title type } } descendants(depth: 3, first: 50) { nodes { id title type } }`

// v1KindQueries extend v1PathQueries (TestV1ReadPathAnswersAsV2). Demo data: blog posts 100201
// and 100202 in PIR, 100203 in OPS; folder 400001 under 100001 holds page 100061 and folder
// 400002, which holds page 100060; whiteboard 400003 under 100001, database 400004 under 100020.
var v1KindQueries = []struct{ name, query string }{
	{"blog post", `{ blogPost(id: "100201") { ` + v1BlogFields + ` } }`},
	{"blog post in OPS", `{ blogPost(id: "100203") { ` + v1BlogFields + ` } }`},
	{"space blog posts", `{ pir: space(key: "PIR") { blogPosts(first: 10) { nodes { id title url author { displayName } labels { name } } } }
	  ops: space(key: "OPS") { blogPosts(first: 1) { nodes { id title } pageInfo { hasNextPage } } } }`},
	{"search hits open blog posts", `{ search(cql: "type in (page, blogpost) AND space = PIR AND text ~ \"redis\"", first: 10) {
	  nodes { type title content { id title type ... on BlogPost { labels { name } author { displayName } } ... on Page { space { key } } } } } }`},
	{"content by id of every kind", `{ blog: content(id: "100201") { id type title } page: content(id: "100003") { id type }
	  folder: content(id: "400001") { ` + v1TreeFields + ` } nested: content(id: "400002") { ` + v1TreeFields + ` }
	  whiteboard: content(id: "400003") { ` + v1TreeFields + ` } database: content(id: "400004") { ` + v1TreeFields + ` } }`},
	{"a page under a folder", `{ page(id: "100060") { ` + v1PageTree + ` } home: page(id: "100001") { ` + v1PageTree + ` }
	  handover: page(id: "100061") { ` + v1PageTree + ` } }`},
	{"page tree with folders", `{ space(key: "OPS") { pageTree(maxDepth: 5) { entries { content { id title type } page { id } depth parentId hasChildren } truncated }
	  below: pageTree(rootId: "100001", maxDepth: 3) { entries { content { id type } depth parentId hasChildren } } } }`},
}

// v1KindMust are parts each answer of a v1KindQueries query must hold, so that equal answers
// are not equally empty.
var v1KindMust = map[string][]string{
	"blog post":                   {`"id":"100201"`, `"type":"BLOGPOST"`, `"id":"200202"`, `"kind":"INLINE"`, `"title":"sessions-failover.log"`, `"unified":"`},
	"space blog posts":            {`"id":"100201"`, `"id":"100202"`, `"hasNextPage":false`},
	"search hits open blog posts": {`"type":"BLOGPOST"`, `"id":"100201","labels":[{"name":"postmortem"}`},
	"content by id of every kind": {`"type":"FOLDER"`, `"id":"100060"`, `"type":"WHITEBOARD"`, `"type":"DATABASE"`},
	"a page under a folder":       {`"parent":{"id":"400002","title":"Network","type":"FOLDER"}`, `"id":"400003"`},
	"page tree with folders":      {`"id":"400002"`, `"id":"100060"`, `"type":"WHITEBOARD"`},
}

// TestV1ReadPathCommentThreads: the demo's OPS threads (footer replies three deep, inline two
// deep) answer on the v1 path as on the v2 path, with the same calls: the space, its pages, one
// details search for the pages' top-level comments and one content search per reply level
// (the replies search needs only search:confluence, which the guide's recipe holds).
func TestV1ReadPathCommentThreads(t *testing.T) {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	var answers [2]threadResp
	var calls [2]map[string]int
	for i, e := range []*env{newEnv(t, envOptions{sim: sim}), newEnv(t, envOptions{sim: sim, account: "scoped-guide", v1: true})} {
		sim.ResetStats()
		e.mustDo(t, threadQuery, &answers[i], varKey(deepThreadSpace))
		calls[i] = sim.Stats().ByEndpoint
	}
	if !reflect.DeepEqual(answers[0], answers[1]) {
		t.Errorf("v1 threads differ from v2:\n v1 %+v\n v2 %+v", answers[1], answers[0])
	}
	if counts, _ := answers[1].levels(); len(counts) != 4 || counts[3] < 1 {
		t.Errorf("v1 comments per level = %v; want replies three levels deep", counts)
	}
	want := map[string]int{"GET /wiki/rest/api/space": 1, "GET /wiki/rest/api/space/{key}/content/{type}": 1,
		"GET /wiki/rest/api/content/search": 1 + 3}
	if !reflect.DeepEqual(calls[1], want) {
		t.Errorf("v1 path calls = %v; want %v (v2 path: %v)", calls[1], want, calls[0])
	}
}

// TestV1ReadPathKindMismatch: a page id asked as a blog post and a blog post id asked as a page
// are NOT_FOUND on both paths, with the same errors.
func TestV1ReadPathKindMismatch(t *testing.T) {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	q := `{ blogPost(id: "100003") { id } page(id: "100201") { id } folder: content(id: "999999") { id } }`
	var errs [2][]string
	for i, e := range []*env{newEnv(t, envOptions{sim: sim}), newEnv(t, envOptions{sim: sim, account: "scoped-guide", v1: true})} {
		_, es := runV1(t, e, q)
		for _, x := range es {
			errs[i] = append(errs[i], x.Message+" "+toJSON(x.Path)+" "+toJSON(x.Extensions["code"]))
		}
		slices.Sort(errs[i])
	}
	if len(errs[0]) != 3 || !slices.Equal(errs[0], errs[1]) {
		t.Errorf("v1 errors = %q; want 3, as v2's %q", errs[1], errs[0])
	}
}
