package confluencetest_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Blog posts on every route that returns them, in Cloud's shapes: no parent or position,
// blogPostId on comments and attachments, blogpost in version lists, /blog/ web links.

func TestBlogPostRoutes(t *testing.T) {
	s, a := demoClassic(t)
	v2 := s.URL() + "/wiki/api/v2/"
	list := mustGet(t, v2+"blogposts?id=100201,100202,100003", a).results(t)
	if got := ids(list); !slices.Equal(got, []string{"100201", "100202"}) {
		t.Fatalf("blogposts?id= = %v, want the two blog posts (a page id is not a blog post)", got)
	}
	for _, k := range []string{"parentId", "position", "ownerId"} {
		if _, ok := list[0][k]; ok {
			t.Errorf("BlogPostBulk has %s", k)
		}
	}
	one := mustGet(t, v2+"blogposts/100201?body-format=storage&include-labels=true", a).json(t)
	links := one["_links"].(map[string]any)
	if !strings.HasPrefix(str(links["webui"]), "/spaces/PIR/blog/") || !strings.HasSuffix(str(links["webui"]), "/100201/Post-incident+review%3A+sessions+logout+during+Redis+failover") || links["base"] == nil {
		t.Errorf("webui = %v", links)
	}
	if one["version"].(map[string]any)["number"] != 2.0 || !strings.Contains(str(one["body"].(map[string]any)["storage"].(map[string]any)["value"]), "Action items") {
		t.Errorf("blog post = %v", one)
	}
	if r := get(t, v2+"pages/100201", a); r.status != 404 {
		t.Errorf("pages/{blog id} = %d, want 404", r.status)
	}
	if r := get(t, v2+"blogposts/100003", a); r.status != 404 || !strings.Contains(string(r.body), "blog post") {
		t.Errorf("blogposts/{page id} = %d %s, want 404", r.status, r.body)
	}
	if got := ids(mustGet(t, v2+"spaces/98307/blogposts", a).results(t)); !slices.Equal(got, []string{"100201", "100202"}) {
		t.Errorf("PIR blog posts = %v", got)
	}
	if got := ids(mustGet(t, v2+"spaces/98307/pages?limit=250", a).results(t)); slices.Contains(got, "100201") {
		t.Errorf("space pages list a blog post: %v", got)
	}
	var labels []string
	for _, l := range mustGet(t, v2+"blogposts/100201/labels", a).results(t) {
		labels = append(labels, str(l["name"]))
	}
	if !slices.Equal(labels, []string{"postmortem", "post-incident-review", "redis"}) {
		t.Errorf("labels = %v", labels)
	}
	vs := mustGet(t, v2+"blogposts/100201/versions?body-format=storage", a).results(t)
	if len(vs) != 2 || vs[0]["blogpost"] == nil || vs[0]["page"] != nil {
		t.Errorf("versions = %v", vs)
	}
	if v := mustGet(t, v2+"blogposts/100201/versions/1", a).json(t); v["message"] != "draft" {
		t.Errorf("version 1 = %v", v)
	}
	fc := mustGet(t, v2+"blogposts/100201/footer-comments", a).results(t)
	if got := ids(fc); !slices.Equal(got, []string{"200201"}) || fc[0]["blogPostId"] != "100201" || fc[0]["pageId"] != nil {
		t.Errorf("footer comments = %v", fc)
	}
	if got := ids(mustGet(t, v2+"footer-comments/200201/children", a).results(t)); !slices.Equal(got, []string{"200202"}) {
		t.Errorf("replies = %v", got)
	}
	if got := ids(mustGet(t, v2+"blogposts/100201/inline-comments", a).results(t)); !slices.Equal(got, []string{"200203"}) {
		t.Errorf("inline comments = %v", got)
	}
	at := mustGet(t, v2+"blogposts/100201/attachments", a).results(t)
	if len(at) != 1 || at[0]["blogPostId"] != "100201" || at[0]["title"] != "sessions-failover.log" {
		t.Errorf("attachments = %v", at)
	}
}

func TestBlogPostSearchAndTypes(t *testing.T) {
	s, a := demoClassic(t)
	q := s.URL() + "/wiki/rest/api/search?expand=content.space&cql=" + url.QueryEscape(`type = blogpost AND label = "post-incident-review"`)
	rows := mustGet(t, q, a).results(t)
	if len(rows) != 2 {
		t.Fatalf("type = blogpost rows = %d, want 2", len(rows))
	}
	for _, r := range rows {
		c := r["content"].(map[string]any)
		if c["type"] != "blogpost" || !strings.HasPrefix(str(r["url"]), "/spaces/PIR/blog/") || r["iconCssClass"] != "aui-icon content-type-blogpost" {
			t.Errorf("row = %v", r)
		}
	}
	pages := mustGet(t, s.URL()+"/wiki/rest/api/search?limit=100&cql="+url.QueryEscape(`type = page AND label = postmortem`), a).results(t)
	for _, r := range pages {
		if r["content"].(map[string]any)["type"] != "page" {
			t.Errorf("type = page returned %v", r["content"])
		}
	}
	cs := mustGet(t, s.URL()+"/wiki/rest/api/content/search?expand=children.comment,children.attachment,metadata.labels&cql="+url.QueryEscape("id in (100201)"), a).results(t)
	if len(cs) != 1 || cs[0]["type"] != "blogpost" || str(cs[0]["children"].(map[string]any)["comment"].(map[string]any)["results"].([]any)[0].(map[string]any)["id"]) != "200201" {
		t.Errorf("content search of a blog post = %v", cs)
	}
	conv := do(t, "POST", s.URL()+"/wiki/api/v2/content/convert-ids-to-types", a, jsonBody(t, map[string]any{"contentIds": []string{"100201", "100003"}})).json(t)
	if res := conv["results"].(map[string]any); res["100201"] != "blogpost" || res["100003"] != "page" {
		t.Errorf("convert-ids-to-types = %v", conv)
	}
	view := mustGet(t, s.URL()+"/wiki/api/v2/blogposts/100203?body-format=view", a).json(t)
	if v := str(view["body"].(map[string]any)["view"].(map[string]any)["value"]); !strings.Contains(v, `href="/wiki/spaces/PIR/blog/`) {
		t.Errorf("view of a blog post link = %s", v)
	}
}
