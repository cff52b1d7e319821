package loaders

import "github.com/confluence-graph/confluence-graph/graph/model"

// ContentKind says which kind of content an id names, on the keys of the per-content loaders
// and on the records (Page.Kind): KindPage (the zero value) or KindBlogPost. Pages and blog
// posts share Confluence's content id space, so lists keyed by id (labels, comments,
// attachments) are the same whichever kind asks; the kind picks the route of a per-content
// call (/pages/{id}/... or /blogposts/{id}/...) and keeps a page read from answering a blog
// post id (Confluence answers 404 there).
type ContentKind = model.ContentType

// Content kinds.
const (
	KindPage     ContentKind = ""
	KindBlogPost             = model.ContentTypeBlogpost
)

// kindName is the kind a NotFoundError names.
func kindName(k ContentKind) string {
	if k == KindBlogPost {
		return "blog post"
	}
	return "page"
}
