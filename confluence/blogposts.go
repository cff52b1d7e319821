package confluence

import (
	"context"
	"iter"
)

// BlogPostsService reads blog posts (v2 /blogposts) and what hangs off them: labels, versions,
// comments and attachments. A blog post has a page's shape without a parent or a position, so
// it is decoded into Page (BlogPost); every method shares the page code with the /blogposts
// route as parameter.
type BlogPostsService service

// BlogPost is a v2 blog post (BlogPostBulk or BlogPostSingle): Page's fields without ParentID,
// ParentType and Position, which stay empty.
type BlogPost = Page

// List returns one page of blog posts. Confluence's default status filter for blog posts is
// current only (pages: current and archived).
//
// Confluence API: GET /wiki/api/v2/blogposts
func (s *BlogPostsService) List(ctx context.Context, opts *PageListOptions) ([]BlogPost, *Response, error) {
	return list[BlogPost](ctx, s.client, contentListRequest(blogPostsRoute, opts))
}

// ListIter yields every blog post matching opts, following next links.
//
// Confluence API: GET /wiki/api/v2/blogposts
func (s *BlogPostsService) ListIter(ctx context.Context, opts *PageListOptions) iter.Seq2[BlogPost, error] {
	return iterate[BlogPost](ctx, s.client, contentListRequest(blogPostsRoute, opts))
}

// GetMany fetches blog posts by id like PagesService.GetMany (chunks of 250, missing ids
// absent from the result).
//
// Confluence API: GET /wiki/api/v2/blogposts?id=...&limit=250
func (s *BlogPostsService) GetMany(ctx context.Context, ids []string, opts *PageBatchOptions) ([]BlogPost, error) {
	return getMany(ctx, (*service)(s), blogPostsRoute, ids, opts)
}

// Get returns one blog post, at opts.Version when set. A missing or invisible blog post (or a
// page id) is an *Error matching ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}
func (s *BlogPostsService) Get(ctx context.Context, id string, opts *PageGetOptions) (*BlogPost, *Response, error) {
	return getContent(ctx, (*service)(s), blogPostsRoute, id, opts)
}

// ListInSpace returns one page of a space's blog posts (SpacePagesOptions.Depth is ignored).
//
// Confluence API: GET /wiki/api/v2/spaces/{id}/blogposts
func (s *BlogPostsService) ListInSpace(ctx context.Context, spaceID string, opts *SpacePagesOptions) ([]BlogPost, *Response, error) {
	if opts != nil {
		o := *opts
		o.Depth = "" // not a parameter of the blog post list
		opts = &o
	}
	return list[BlogPost](ctx, s.client, spaceContentRequest("/wiki/api/v2/spaces/{id}/blogposts", spaceID, opts))
}

// ListLabels returns one page of a blog post's labels.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}/labels
func (s *BlogPostsService) ListLabels(ctx context.Context, id string, opts *LabelListOptions) ([]Label, *Response, error) {
	return list[Label](ctx, s.client, labelsRequest("blogposts", id, opts))
}

// ListVersions returns one page of a blog post's versions, newest first; an item's BlogPost
// holds the title (and body, when asked) at that version.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}/versions
func (s *BlogPostsService) ListVersions(ctx context.Context, id string, opts *VersionListOptions) ([]Version, *Response, error) {
	return list[Version](ctx, s.client, contentVersionsRequest(blogPostsRoute, id, opts))
}

// GetVersion returns one version's metadata; a missing version matches ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/blogposts/{blogpost-id}/versions/{version-number}
func (s *BlogPostsService) GetVersion(ctx context.Context, id string, number int) (*DetailedVersion, *Response, error) {
	return (*VersionsService)(s).getAt(ctx, blogPostsRoute, id, number)
}

// ListFooterComments returns one page of a blog post's root footer comments.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}/footer-comments
func (s *BlogPostsService) ListFooterComments(ctx context.Context, id string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return (*CommentsService)(s).page(ctx, "blog-footer", id, opts)
}

// ListInlineComments returns one page of a blog post's root inline comments.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}/inline-comments
func (s *BlogPostsService) ListInlineComments(ctx context.Context, id string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return (*CommentsService)(s).page(ctx, "blog-inline", id, opts)
}

// ListAttachments returns one page of a blog post's attachments.
//
// Confluence API: GET /wiki/api/v2/blogposts/{id}/attachments
func (s *BlogPostsService) ListAttachments(ctx context.Context, id string, opts *AttachmentListOptions) ([]Attachment, *Response, error) {
	return list[Attachment](ctx, s.client, contentAttachmentsRequest(blogPostsRoute, id, opts))
}
