package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
)

// Blog posts through the GraphQL API against the simulator's demo data: every field, search hits
// that open, entities, links to blog posts and related.

func TestBlogPostFields(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		BlogPost struct {
			ID, Title, Status, Type, URL, CreatedAt, UpdatedAt string
			Space                                              struct{ Key string }
			Author                                             struct{ DisplayName string }
			CurrentVersion                                     struct{ Number int }
			Body                                               struct{ Value string }
			Storage                                            struct{ Value string }
			Labels                                             []struct{ Name string }
			Comments                                           struct {
				Nodes []struct {
					Kind    string
					Body    struct{ Value string }
					Replies struct{ Nodes []struct{ ID string } }
				}
			}
			Versions struct {
				Nodes []struct {
					Number  int
					Message *string
					Body    struct{ Value string }
				}
			}
			Version struct {
				Number int
				Body   struct{ Value string }
			}
			Diff struct {
				LinesAdded int
				Unified    string
			}
			Attachments struct {
				Nodes []struct{ Title, MediaType string }
			}
		}
	}
	e.mustDo(t, `{ blogPost(id: "100201") { id title status type url createdAt updatedAt space { key } author { displayName }
	  currentVersion { number } body { value } storage: body(format: STORAGE) { value } labels { name }
	  comments { nodes { kind body { value } replies { nodes { id } } } }
	  versions { nodes { number message body { value } } } version(number: 1) { number body { value } }
	  diff { linesAdded unified } attachments { nodes { title mediaType } } } }`, &r)
	b := r.BlogPost
	if b.ID != "100201" || b.Type != "BLOGPOST" || b.Status != "CURRENT" || b.Space.Key != "PIR" || b.Author.DisplayName != "Dan Kowalski" {
		t.Errorf("blog post = %+v", b)
	}
	if !strings.Contains(b.URL, "/wiki/spaces/PIR/blog/") || !strings.HasPrefix(b.URL, "http") || b.CreatedAt == "" || b.UpdatedAt == "" || b.CreatedAt == b.UpdatedAt {
		t.Errorf("url %q created %q updated %q", b.URL, b.CreatedAt, b.UpdatedAt)
	}
	if b.CurrentVersion.Number != 2 || !strings.Contains(b.Body.Value, "## Action items") || !strings.Contains(b.Storage.Value, "<h2>Timeline</h2>") {
		t.Errorf("version %d body %q", b.CurrentVersion.Number, b.Body.Value)
	}
	// The page link in the body resolves to the page's absolute URL.
	if !strings.Contains(b.Body.Value, "[Redis Failover Procedure](http") {
		t.Errorf("body links = %q", b.Body.Value)
	}
	var labels []string
	for _, l := range b.Labels {
		labels = append(labels, l.Name)
	}
	if !slices.Equal(labels, []string{"postmortem", "post-incident-review", "redis"}) {
		t.Errorf("labels = %v", labels)
	}
	if c := b.Comments.Nodes; len(c) != 2 || c[0].Kind != "FOOTER" || len(c[0].Replies.Nodes) != 1 || c[1].Kind != "INLINE" {
		t.Errorf("comments = %+v", c)
	}
	if v := b.Versions.Nodes; len(v) != 2 || v[1].Number != 1 || !strings.Contains(v[0].Body.Value, "Timeline") || strings.Contains(v[1].Body.Value, "Timeline") {
		t.Errorf("versions = %+v", v)
	}
	if b.Version.Number != 1 || strings.Contains(b.Version.Body.Value, "Timeline") {
		t.Errorf("version 1 = %+v", b.Version)
	}
	if b.Diff.LinesAdded == 0 || !strings.Contains(b.Diff.Unified, "+## Timeline") {
		t.Errorf("diff = %+v", b.Diff)
	}
	if a := b.Attachments.Nodes; len(a) != 1 || a[0].Title != "sessions-failover.log" {
		t.Errorf("attachments = %+v", a)
	}
	// A page id is not a blog post, and a blog post id is not a page (Confluence answers 404).
	if errs := e.do(t, `{ blogPost(id: "100003") { title } }`, &struct{}{}); len(errs) != 1 || errs[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("blogPost(page id) errors = %+v", errs)
	}
	if errs := e.do(t, `{ page(id: "100201") { title } }`, &struct{}{}); len(errs) != 1 || errs[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("page(blog post id) errors = %+v", errs)
	}
}

func TestBlogPostSearchHitOpens(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Search struct {
			Nodes []struct {
				Type    string
				Content struct {
					Typename string `json:"__typename"`
					ID       string
					Body     *struct{ Value string }
				}
			}
		}
		Space struct {
			BlogPosts struct{ Nodes []struct{ ID, Title string } }
		}
	}
	e.mustDo(t, `{ search(cql: "type = blogpost AND label = \"post-incident-review\"") { nodes { type
	  content { __typename id ... on BlogPost { body { value } } } } }
	  space(key: "PIR") { blogPosts { nodes { id title } } } }`, &r)
	if len(r.Search.Nodes) != 2 {
		t.Fatalf("hits = %+v", r.Search.Nodes)
	}
	for _, n := range r.Search.Nodes {
		if n.Type != "BLOGPOST" || n.Content.Typename != "BlogPost" || n.Content.Body == nil || !strings.Contains(n.Content.Body.Value, "Summary") {
			t.Errorf("hit = %+v", n)
		}
	}
	if got := r.Space.BlogPosts.Nodes; len(got) != 2 || got[0].ID != "100201" {
		t.Errorf("PIR blog posts = %+v", got)
	}
}

func TestBlogPostEntities(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Entities []*struct {
			Typename string `json:"__typename"`
			Title    string
		} `json:"_entities"`
	}
	errs := e.do(t, `{ _entities(representations: [{__typename: "BlogPost", id: "100201"}, {__typename: "BlogPost", id: "100003"}, {__typename: "Page", id: "100003"}]) {
	  __typename ... on BlogPost { title } ... on Page { title } } }`, &r)
	if len(r.Entities) != 3 || r.Entities[0] == nil || r.Entities[0].Typename != "BlogPost" || !strings.HasPrefix(r.Entities[0].Title, "Post-incident review") ||
		r.Entities[1] != nil || r.Entities[2] == nil || r.Entities[2].Title != "Deployment Runbook" {
		t.Errorf("entities = %+v", r.Entities)
	}
	if len(errs) != 1 || errs[0].Extensions["code"] != "NOT_FOUND" {
		t.Errorf("errors = %+v, want one NOT_FOUND for the page id asked as a blog post", errs)
	}
}

// Links to blog posts in bodies resolve to the blog post's absolute URL; a link to a blog post
// that does not exist keeps its text, marked not found.
func TestBlogPostLinksResolve(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page     struct{ Body struct{ Value string } }
		BlogPost struct{ URL string }
		Home     struct{ Body struct{ Value string } }
	}
	e.mustDo(t, `{ page(id: "100107") { body { value } } blogPost(id: "100201") { url } home: page(id: "100030") { body { value } } }`, &r)
	want := "[Post-incident review: sessions logout during Redis failover](" + r.BlogPost.URL + ")"
	if r.BlogPost.URL == "" || !strings.Contains(r.Page.Body.Value, want) {
		t.Errorf("body %q, want the link %s", r.Page.Body.Value, want)
	}
	if !strings.Contains(r.Home.Body.Value, "Quarterly review") || !strings.Contains(r.Home.Body.Value, "not found") {
		t.Errorf("missing blog post link = %q", r.Home.Body.Value)
	}
}

// related returns the Redis review blog post for the RedisPrimaryDown incident, as a review.
func TestRelatedReturnsReviewBlogPost(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Related struct {
			Queries []string
			Nodes   []struct {
				Kind    string
				Content struct {
					Typename string `json:"__typename"`
					ID       string
				}
			}
		}
	}
	e.mustDo(t, `query($in: IncidentInput!) { related(incident: $in) { queries nodes { kind content { __typename id } } } }`, &r,
		client.Var("in", map[string]any{"title": "RedisPrimaryDown alert firing on sessions cluster", "alertName": "RedisPrimaryDown", "service": "sessions"}))
	i := slices.IndexFunc(r.Related.Nodes, func(n struct {
		Kind    string
		Content struct {
			Typename string `json:"__typename"`
			ID       string
		}
	}) bool {
		return n.Content.ID == "100201"
	})
	if i < 0 || r.Related.Nodes[i].Kind != "POSTMORTEM" || r.Related.Nodes[i].Content.Typename != "BlogPost" {
		t.Errorf("nodes = %+v, want blog post 100201 as a POSTMORTEM", r.Related.Nodes)
	}
	if !strings.Contains(r.Related.Queries[0], `type in ("page", "blogpost")`) && !strings.Contains(r.Related.Queries[0], "blogpost") {
		t.Errorf("queries = %q, want blog posts searched", r.Related.Queries)
	}
}
