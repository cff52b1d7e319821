package confluence

import (
	"context"
	"iter"
)

// CommentsService reads footer and inline comments and their replies (v2).
type CommentsService service

// Comment is a footer or inline comment (or a reply to one).
type Comment struct {
	ID              string   `json:"id"`
	Status          string   `json:"status"`
	Title           string   `json:"title"`
	PageID          string   `json:"pageId,omitempty"`
	BlogPostID      string   `json:"blogPostId,omitempty"`
	ParentCommentID string   `json:"parentCommentId,omitempty"`
	Version         *Version `json:"version,omitempty"`
	Body            Body     `json:"body"`
	// ResolutionStatus is set on inline comments: open, reopened, resolved, dangling.
	ResolutionStatus string `json:"resolutionStatus,omitempty"`
	// Properties is set on inline comments.
	Properties *InlineProperties `json:"properties,omitempty"`
	Links      Links             `json:"_links"`
}

func (c *Comment) linksBase() string { return c.Links.Base }

// InlineProperties locate an inline comment in its page.
type InlineProperties struct {
	InlineMarkerRef         string `json:"inlineMarkerRef,omitempty"`
	InlineOriginalSelection string `json:"inlineOriginalSelection,omitempty"`
}

// CommentListOptions are the parameters of the comment lists.
type CommentListOptions struct {
	// BodyFormat is storage or atlas_doc_format; "" for no body.
	BodyFormat BodyFormat
	Status     []string
	Sort       string // created-date, modified-date (optional -)
	// ResolutionStatus filters inline comments (open, reopened, resolved,
	// dangling); ignored for footer comments.
	ResolutionStatus []string
	ListOptions
}

// commentsRequest lists the comments at route (a page's footer or inline
// comments, or a comment's replies); only inline lists take the
// resolution-status filter.
func commentsRequest(route, id string, inline bool, o *CommentListOptions) *request {
	q := query{}
	if o != nil {
		q.str("body-format", string(o.BodyFormat))
		q.each("status", o.Status)
		q.str("sort", o.Sort)
		if inline {
			q.each("resolution-status", o.ResolutionStatus)
		}
		o.ListOptions.apply(q)
	}
	return getRoute(route, q, id)
}

// commentLists names the four comment collections.
var commentLists = map[string]struct {
	route  string
	inline bool
}{
	"footer":         {"/wiki/api/v2/pages/{id}/footer-comments", false},
	"inline":         {"/wiki/api/v2/pages/{id}/inline-comments", true},
	"footer-replies": {"/wiki/api/v2/footer-comments/{id}/children", false},
	"inline-replies": {"/wiki/api/v2/inline-comments/{id}/children", true},
	"blog-footer":    {blogPostsRoute + "/{id}/footer-comments", false},
	"blog-inline":    {blogPostsRoute + "/{id}/inline-comments", true},
}

func (s *CommentsService) page(ctx context.Context, kind, id string, o *CommentListOptions) ([]Comment, *Response, error) {
	l := commentLists[kind]
	return list[Comment](ctx, s.client, commentsRequest(l.route, id, l.inline, o))
}

func (s *CommentsService) all(ctx context.Context, kind, id string, o *CommentListOptions) iter.Seq2[Comment, error] {
	l := commentLists[kind]
	return iterate[Comment](ctx, s.client, commentsRequest(l.route, id, l.inline, o))
}

// ListFooter returns one page of a page's root footer comments.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/footer-comments
func (s *CommentsService) ListFooter(ctx context.Context, pageID string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return s.page(ctx, "footer", pageID, opts)
}

// ListFooterIter yields every root footer comment of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/footer-comments
func (s *CommentsService) ListFooterIter(ctx context.Context, pageID string, opts *CommentListOptions) iter.Seq2[Comment, error] {
	return s.all(ctx, "footer", pageID, opts)
}

// ListInline returns one page of a page's root inline comments.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/inline-comments
func (s *CommentsService) ListInline(ctx context.Context, pageID string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return s.page(ctx, "inline", pageID, opts)
}

// ListInlineIter yields every root inline comment of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/inline-comments
func (s *CommentsService) ListInlineIter(ctx context.Context, pageID string, opts *CommentListOptions) iter.Seq2[Comment, error] {
	return s.all(ctx, "inline", pageID, opts)
}

// ListFooterReplies returns one page of replies to a footer comment.
//
// Confluence API: GET /wiki/api/v2/footer-comments/{id}/children
func (s *CommentsService) ListFooterReplies(ctx context.Context, commentID string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return s.page(ctx, "footer-replies", commentID, opts)
}

// ListFooterRepliesIter yields every reply to a footer comment.
//
// Confluence API: GET /wiki/api/v2/footer-comments/{id}/children
func (s *CommentsService) ListFooterRepliesIter(ctx context.Context, commentID string, opts *CommentListOptions) iter.Seq2[Comment, error] {
	return s.all(ctx, "footer-replies", commentID, opts)
}

// ListInlineReplies returns one page of replies to an inline comment.
//
// Confluence API: GET /wiki/api/v2/inline-comments/{id}/children
func (s *CommentsService) ListInlineReplies(ctx context.Context, commentID string, opts *CommentListOptions) ([]Comment, *Response, error) {
	return s.page(ctx, "inline-replies", commentID, opts)
}

// ListInlineRepliesIter yields every reply to an inline comment.
//
// Confluence API: GET /wiki/api/v2/inline-comments/{id}/children
func (s *CommentsService) ListInlineRepliesIter(ctx context.Context, commentID string, opts *CommentListOptions) iter.Seq2[Comment, error] {
	return s.all(ctx, "inline-replies", commentID, opts)
}

// CommentGetOptions are the parameters of a single comment.
type CommentGetOptions struct {
	// BodyFormat is storage, atlas_doc_format or view; "" for no body.
	BodyFormat BodyFormat
	// Version, if > 0, returns that version of the comment.
	Version int
}

func (s *CommentsService) get(ctx context.Context, kind, id string, o *CommentGetOptions) (*Comment, *Response, error) {
	q := query{}
	if o != nil {
		q.str("body-format", string(o.BodyFormat))
		q.int("version", o.Version)
	}
	return getOne[Comment](ctx, s.client, getRoute("/wiki/api/v2/"+kind+"/{id}", q, id))
}

// GetFooter returns one footer comment (or reply). A missing or invisible
// comment is an *Error matching ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/footer-comments/{comment-id}
func (s *CommentsService) GetFooter(ctx context.Context, commentID string, opts *CommentGetOptions) (*Comment, *Response, error) {
	return s.get(ctx, "footer-comments", commentID, opts)
}

// GetInline returns one inline comment (or reply).
//
// Confluence API: GET /wiki/api/v2/inline-comments/{comment-id}
func (s *CommentsService) GetInline(ctx context.Context, commentID string, opts *CommentGetOptions) (*Comment, *Response, error) {
	return s.get(ctx, "inline-comments", commentID, opts)
}
