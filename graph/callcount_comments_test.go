package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// Comment threads as Cloud serves them: a page's comments list holds its top-level comments only,
// so every reply level is one more read. These tests pin that the read path returns whole
// threads (replies at every depth, inline selection and resolution) for one round trip per
// level for all the request's comments, never one call per comment.

// threadQuery asks every page of a space for its comments and three levels of replies.
const threadQuery = `query($key: String!) { space(key: $key) { pages(first: 25, depth: ALL) { nodes { id
  comments(first: 25) { pageInfo { hasNextPage } nodes { ...C
    replies(first: 25) { pageInfo { hasNextPage } nodes { ...C
      replies(first: 25) { pageInfo { hasNextPage } nodes { ...C
        replies(first: 25) { pageInfo { hasNextPage } nodes { ...C } } } } } } } } } } } }
fragment C on Comment { id kind highlightedText resolutionStatus body(format: STORAGE) { value } }`

// commentNode is a comment with its replies, as threadQuery asks.
type commentNode struct {
	ID               string
	Kind             string
	HighlightedText  *string
	ResolutionStatus *string
	Body             struct{ Value string }
	Replies          *commentConn
}

type commentConn struct {
	PageInfo struct{ HasNextPage bool }
	Nodes    []commentNode
}

type threadResp struct {
	Space struct {
		Pages struct {
			Nodes []struct {
				ID       string
				Comments commentConn
			}
		}
	}
}

// levels counts the comments of each level (0: top-level) and whether a list said it continues.
func (r threadResp) levels() (counts []int, more bool) {
	var walk func(c *commentConn, depth int)
	walk = func(c *commentConn, depth int) {
		if c == nil {
			return
		}
		more = more || c.PageInfo.HasNextPage
		for len(counts) <= depth {
			counts = append(counts, 0)
		}
		counts[depth] += len(c.Nodes)
		for i := range c.Nodes {
			walk(c.Nodes[i].Replies, depth+1)
		}
	}
	for i := range r.Space.Pages.Nodes {
		walk(&r.Space.Pages.Nodes[i].Comments, 0)
	}
	return counts, more
}

// find returns the comment id among the threads of r.
func (r threadResp) find(id string) *commentNode {
	var walk func(c *commentConn) *commentNode
	walk = func(c *commentConn) *commentNode {
		if c == nil {
			return nil
		}
		for i := range c.Nodes {
			if c.Nodes[i].ID == id {
				return &c.Nodes[i]
			}
			if n := walk(c.Nodes[i].Replies); n != nil {
				return n
			}
		}
		return nil
	}
	for i := range r.Space.Pages.Nodes {
		if n := walk(&r.Space.Pages.Nodes[i].Comments); n != nil {
			return n
		}
	}
	return nil
}

func replyIDs(n *commentNode) []string {
	if n == nil || n.Replies == nil {
		return nil
	}
	var out []string
	for _, c := range n.Replies.Nodes {
		out = append(out, c.ID)
	}
	return out
}

const (
	repliesSearch   = "GET /wiki/rest/api/content/search"
	footerChildren  = "GET /wiki/api/v2/footer-comments/{id}/children"
	inlineChildren  = "GET /wiki/api/v2/inline-comments/{id}/children"
	inlineComments  = "GET /wiki/api/v2/pages/{id}/inline-comments"
	footerComments  = "GET /wiki/api/v2/pages/{id}/footer-comments"
	deepThreadSpace = "OPS"
)

// TestCommentThreadsOneReadPerLevel reads the demo's OPS threads (footer replies three deep,
// inline replies two deep) and asserts the exact upstream calls: the space, its pages, one
// details search for the pages' top-level comments, then one content search per reply level,
// none per comment. The answer equals the one-call-per-comment baseline's.
func TestCommentThreadsOneReadPerLevel(t *testing.T) {
	var base threadResp
	baseline := newEnv(t, envOptions{dataset: "demo", noCQL: true})
	baseline.mustDo(t, threadQuery, &base, varKey(deepThreadSpace))

	e := demoEnv(t)
	e.sim.ResetStats()
	var r threadResp
	e.mustDo(t, threadQuery, &r, varKey(deepThreadSpace))
	st := e.sim.Stats()
	t.Logf("upstream calls %d:\n%s", st.Total, perEndpoint(st.ByEndpoint))

	counts, more := r.levels()
	if more {
		t.Errorf("a comment list says it continues; the demo's threads are short")
	}
	// Level 0 top-level comments, levels 1..3 replies; the fourth level (replies of 200016)
	// is asked by no query field, so counts has four entries.
	if len(counts) != 4 || counts[2] < 2 || counts[3] < 1 {
		t.Fatalf("comments per level = %v, want replies at three levels", counts)
	}
	// The space, its pages, one details search (the pages' top-level comments), and one content
	// search per reply level: three levels, each asked for two or more comments at once (the
	// third for 200015 and 200017).
	want := 2 + 1 + 3
	if st.Total != want {
		t.Errorf("upstream calls = %d, want %d", st.Total, want)
	}
	if n := st.ByEndpoint[repliesSearch]; n != 4 {
		t.Errorf("content searches = %d, want 4 (details + three reply levels)", n)
	}
	for _, ep := range []string{footerChildren, inlineChildren, footerComments, inlineComments} {
		if n := st.ByEndpoint[ep]; n != 0 {
			t.Errorf("%s = %d, want 0 (the batched reads answer)", ep, n)
		}
	}

	for id, want := range map[string][]string{"200001": {"200002"}, "200002": {"200015"}, "200015": {"200016"},
		"200004": {"200005", "200006"}, "200010": {"200011"}, "200011": {"200017"}} {
		if got := replyIDs(r.find(id)); !slices.Equal(got, want) {
			t.Errorf("replies of %s = %v, want %v", id, got, want)
		}
	}
	for _, id := range []string{"200010", "200011", "200017", "200012"} {
		c := r.find(id)
		if c == nil || c.Kind != "INLINE" || c.HighlightedText == nil || *c.HighlightedText == "" || c.ResolutionStatus == nil {
			t.Errorf("inline comment %s = %+v, want kind INLINE with highlightedText and resolutionStatus", id, c)
		}
	}
	if c := r.find("200012"); c != nil && (c.ResolutionStatus == nil || !strings.EqualFold(*c.ResolutionStatus, "resolved")) {
		t.Errorf("200012 resolutionStatus = %v, want resolved", c.ResolutionStatus)
	}
	if c := r.find("200016"); c == nil || !strings.Contains(c.Body.Value, "both steps") || c.Kind != "FOOTER" || c.HighlightedText != nil {
		t.Errorf("200016 = %+v, want the footer reply's body and no inline fields", c)
	}

	a, _ := json.Marshal(r)
	b, _ := json.Marshal(base)
	if string(a) != string(b) {
		t.Errorf("batched answer differs from the per-comment baseline:\n%s\nvs\n%s", a, b)
	}
}

// TestCommentRepliesCostPerLevelNotPerComment reads the comments and replies of 25 bench pages:
// the reply reads are one content search per 50 comments of a level (run at the same time), so
// the count follows the levels, not the comments.
func TestCommentRepliesCostPerLevelNotPerComment(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "bench"})
	key := e.sim.Spaces()[0].Key
	e.sim.ResetStats()
	var r threadResp
	e.mustDo(t, strings.Replace(threadQuery, "depth: ALL", "", 1), &r, varKey(key))
	st := e.sim.Stats()
	counts, _ := r.levels()
	t.Logf("comments per level %v; upstream calls %d:\n%s", counts, st.Total, perEndpoint(st.ByEndpoint))
	if len(r.Space.Pages.Nodes) != 25 || len(counts) < 2 || counts[0] < 50 || counts[1] < 10 {
		t.Fatalf("the bench space is smaller than the test assumes: %d pages, comments per level %v", len(r.Space.Pages.Nodes), counts)
	}
	chunks := func(n int) int { return (n + 49) / 50 }
	// The space, its pages, one details search for the 25 pages' comments; the replies of the
	// top-level comments; the replies of those replies (none exist, but Confluence must be asked).
	want := 2 + 1 + chunks(counts[0]) + chunks(counts[1])
	if st.Total != want {
		t.Errorf("upstream calls = %d, want %d", st.Total, want)
	}
	if n := st.ByEndpoint[footerChildren] + st.ByEndpoint[inlineChildren]; n != 0 {
		t.Errorf("per-comment reply reads = %d, want 0", n)
	}
}

// TestLongThreadIsReadWhole: a comment with more replies than an expanded collection holds (25)
// is read through the per-comment endpoint, so its replies are all there and hasNextPage is
// honest on both sides of the cut.
func TestLongThreadIsReadWhole(t *testing.T) {
	e := demoEnv(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	author := e.sim.Accounts()[0].AccountID
	cs := []confluencetest.Comment{{ID: "910000", PageID: "100004", AuthorID: author, CreatedAt: at, Body: "<p>root</p>"}}
	for i := 1; i <= 30; i++ {
		cs = append(cs, confluencetest.Comment{ID: fmt.Sprint(910000 + i), PageID: "100004", ParentID: "910000", AuthorID: author,
			CreatedAt: at.Add(time.Duration(i) * time.Minute), Body: fmt.Sprintf("<p>reply %d</p>", i)})
	}
	if err := e.sim.Seed(confluencetest.Dataset{Comments: cs}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		first, want int
		more        bool
		// perComment is the per-comment reads: the expanded 25 replies answer fewer.
		perComment int
	}{{50, 30, false, 1}, {30, 30, false, 1}, {29, 29, true, 1}, {25, 25, true, 1}, {10, 10, true, 0}} {
		var r threadResp
		e.sim.ResetStats()
		q := strings.Replace(threadQuery, "replies(first: 25) { pageInfo", fmt.Sprintf("replies(first: %d) { pageInfo", tc.first), 1)
		e.mustDo(t, q, &r, varKey(deepThreadSpace))
		root := r.find("910000")
		if root == nil || root.Replies == nil {
			t.Fatalf("first %d: no thread 910000", tc.first)
		}
		if got := len(root.Replies.Nodes); got != tc.want || root.Replies.PageInfo.HasNextPage != tc.more {
			t.Errorf("first %d: %d replies, hasNextPage %v; want %d, %v", tc.first, got, root.Replies.PageInfo.HasNextPage, tc.want, tc.more)
		}
		// Only the cut thread goes to the per-comment endpoint, and only when it must.
		if n := e.sim.Stats().ByEndpoint[footerChildren]; n != tc.perComment {
			t.Errorf("first %d: per-comment reply reads = %d, want %d", tc.first, n, tc.perComment)
		}
	}
}

// TestRepliesResumeAfterABatchedRead pages through a long thread ten replies at a time: the
// first window comes from the batched read, the next ones resume after its cursor, and the last
// says there is no more.
func TestRepliesResumeAfterABatchedRead(t *testing.T) {
	e := demoEnv(t)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	author := e.sim.Accounts()[0].AccountID
	cs := []confluencetest.Comment{{ID: "920000", PageID: "100004", AuthorID: author, CreatedAt: at, Body: "<p>root</p>"},
		{ID: "920100", PageID: "100004", AuthorID: author, CreatedAt: at, Body: "<p>second root</p>"}}
	for i := 1; i <= 27; i++ {
		cs = append(cs, confluencetest.Comment{ID: fmt.Sprint(920000 + i), PageID: "100004", ParentID: "920000", AuthorID: author,
			CreatedAt: at.Add(time.Duration(i) * time.Minute), Body: fmt.Sprintf("<p>reply %d</p>", i)})
	}
	if err := e.sim.Seed(confluencetest.Dataset{Comments: cs}); err != nil {
		t.Fatal(err)
	}
	const q = `query($after: String) { page(id: "100004") { comments(first: 5) { nodes { id
	  replies(first: 10, after: $after) { nodes { body(format: STORAGE) { value } } pageInfo { hasNextPage endCursor } } } } } }`
	type resp struct {
		Page struct {
			Comments struct {
				Nodes []struct {
					ID      string
					Replies struct {
						Nodes    []struct{ Body struct{ Value string } }
						PageInfo struct {
							HasNextPage bool
							EndCursor   *string
						}
					}
				}
			}
		}
	}
	var got []string
	var after *string
	for round := 0; round < 5; round++ {
		var r resp
		if after == nil {
			e.mustDo(t, q, &r)
		} else {
			e.mustDo(t, q, &r, varAfter(*after))
		}
		if len(r.Page.Comments.Nodes) != 2 || r.Page.Comments.Nodes[0].ID != "920000" {
			t.Fatalf("comments = %+v, want 920000 and 920100", r.Page.Comments.Nodes)
		}
		rs := r.Page.Comments.Nodes[0].Replies
		for _, n := range rs.Nodes {
			got = append(got, n.Body.Value)
		}
		if !rs.PageInfo.HasNextPage {
			break
		}
		after = rs.PageInfo.EndCursor
		if after == nil {
			t.Fatalf("round %d: hasNextPage without an endCursor", round)
		}
	}
	var want []string
	for i := 1; i <= 27; i++ {
		want = append(want, fmt.Sprintf("<p>reply %d</p>", i))
	}
	if !slices.Equal(got, want) {
		t.Errorf("replies read ten at a time = %v, want the 27 in order", got)
	}
}
