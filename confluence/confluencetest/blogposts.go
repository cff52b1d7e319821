package confluencetest

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Blog posts are stored like pages (pageRec, kind "blogpost") in their own index, so the page
// routes never see them. The v2 /blogposts routes share the page handlers: findPage and
// pageFilter read the route to know which kind they serve, and the JSON renderers drop what a
// blog post does not have (parent, position) and name it as Cloud does (blogPostId, blogpost).

const kindBlogPost = "blogpost"

// seedBlogPosts merges blog posts into the store (reindex links them to their spaces).
func (st *store) seedBlogPosts(bs []BlogPost, now time.Time) []error {
	var errs []error
	for _, b := range bs {
		if b.ID == "" || b.SpaceKey == "" {
			errs = append(errs, fmt.Errorf("confluencetest: blog post %q needs id and spaceKey", b.Title))
			continue
		}
		p := Page{ID: b.ID, SpaceKey: b.SpaceKey, Title: b.Title, Status: cmp.Or(b.Status, "current"), AuthorID: b.AuthorID,
			CreatedAt: b.CreatedAt, Labels: b.Labels, Versions: b.Versions}
		normalizeVersions(&p, now)
		st.blogs[p.ID] = &pageRec{Page: &p, kind: kindBlogPost}
	}
	return errs
}

// reindexBlogPosts links blog posts to their spaces and orders them by id.
func (st *store) reindexBlogPosts() []error {
	var errs []error
	st.blogOrder = st.blogOrder[:0]
	for id, b := range st.blogs {
		if st.pages[id] != nil {
			errs = append(errs, fmt.Errorf("confluencetest: blog post %s: a page has the same id", id))
			delete(st.blogs, id)
			continue
		}
		if err := st.link(b); err != nil {
			errs = append(errs, err)
			delete(st.blogs, id)
			continue
		}
		st.blogOrder = append(st.blogOrder, b)
	}
	slices.SortFunc(st.blogOrder, func(a, b *pageRec) int { return lessID(a.ID, b.ID) })
	return errs
}

// visibleBlogPost returns the blog post if it exists and a may see it.
func (st *store) visibleBlogPost(a *Account, id string) *pageRec {
	b := st.blogs[id]
	if b == nil || !canSee(a, b.SpaceKey) {
		return nil
	}
	return b
}

// visibleContent returns the page or blog post id if a may see it: what comments and
// attachments hang on.
func (st *store) visibleContent(a *Account, id string) *pageRec {
	if p := st.visiblePage(a, id); p != nil {
		return p
	}
	return st.visibleBlogPost(a, id)
}

// isBlogRoute reports whether r came in on a v2 /blogposts route (the page handlers serve both).
func isBlogRoute(r *http.Request) bool { return strings.Contains(r.Pattern, "/blogposts") }

// blogPath is the web path of a blog post: /spaces/KEY/blog/YYYY/MM/DD/ID/Title, dated by
// its creation (the posting day).
func blogPath(p *pageRec) string {
	return "/spaces/" + p.SpaceKey + "/blog/" + p.CreatedAt.UTC().Format("2006/01/02") + "/" + p.ID + "/" + slug(p.Title)
}

// webPath is the web path of a page or blog post.
func webPath(p *pageRec) string {
	if p.kind == kindBlogPost {
		return blogPath(p)
	}
	return "/spaces/" + p.SpaceKey + "/pages/" + p.ID + "/" + slug(p.Title)
}

// asBlogPost rewrites a page-shaped v2 object for a blog post: BlogPostBulk and BlogPostSingle
// have no parent, position or owner.
func asBlogPost(m map[string]any) {
	for _, k := range []string{"parentId", "parentType", "position", "ownerId", "lastOwnerId"} {
		delete(m, k)
	}
}

// blogStatuses are the statuses GET /blogposts filters on (current by default).
var blogStatuses = []string{"current", "deleted", "trashed"}

// spaceBlogPosts is v2 GET /spaces/{id}/blogposts.
func (s *Server) spaceBlogPosts(w http.ResponseWriter, r *http.Request, a *Account) {
	sp := s.visibleSpace(w, r, a)
	if sp == nil {
		return
	}
	f, ok := s.pageFilter(w, r, false)
	if !ok {
		return
	}
	s.writePages(w, r, f, s.st.blogOrder, func(p *pageRec) bool { return p.space == sp })
}
