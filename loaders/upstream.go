package loaders

import (
	"context"
)

// ListOptions pages through an upstream list: Cursor "" starts at the beginning, Limit is 1..250.
type ListOptions struct {
	Cursor string
	Limit  int
}

// SpaceFilter restricts a space listing; zero fields do not restrict.
type SpaceFilter struct {
	IDs  []string // at most 250
	Keys []string // at most 250
	Type string   // global, personal, collaboration, knowledge_base
}

// SpacePagesQuery names the pages of a space to list.
type SpacePagesQuery struct {
	SpaceID  string
	RootOnly bool // only the space's top-level pages
	// Content is KindPage (the space's pages) or KindBlogPost (its blog posts; RootOnly unused).
	Content ContentKind
}

// VersionsQuery names the versions of a page to list.
type VersionsQuery struct {
	PageID string
	// Content is the kind of content PageID names (KindPage or KindBlogPost).
	Content ContentKind
	// WithBodies asks for each version's title and storage body too (Version.HasBody);
	// Confluence then lists at most 50 versions a call.
	WithBodies bool
}

// SearchQuery is a CQL search.
type SearchQuery struct {
	CQL string
	// WithBodies asks for the current storage body and version number of page hits too
	// (SearchHit.HasBody); Confluence then returns at most 50 rows a call.
	WithBodies bool
	// WithDetails asks for the labels, the ancestors' titles and the space name of content hits
	// (SearchHit.Labels, Ancestors and SpaceName) in the same call.
	WithDetails bool
	// WithContainers asks for the page or blog post each comment and attachment hit belongs to
	// (SearchHit.Container), which the read policy judges them by.
	WithContainers bool
}

// ContentRef names content of the page tree: its id and its kind (page, folder, whiteboard,
// database or embed; "" stands for page).
type ContentRef struct {
	ID   string
	Kind string
}

// Upstream is what the loaders need from a tenant's Confluence, declared here, where it is
// consumed; NewClientUpstream adapts a *confluence.Client. Implementations must be safe for
// concurrent use and return errors that the GraphQL error presenter understands (the confluence
// package's typed errors). List methods return the cursor of the next page, "" at the end.
type Upstream interface {
	// PagesByID returns the visible pages among ids (at most 250), in any order; missing ids are
	// omitted. bodyFormat "" skips bodies; "storage" or "atlas_doc_format" fills Page.Body.
	PagesByID(ctx context.Context, ids []string, bodyFormat string) ([]Page, error)
	// ContentByID is PagesByID for content of kind (KindPage or KindBlogPost): GET /pages or
	// /blogposts?id=...; the records carry their Kind.
	ContentByID(ctx context.Context, kind ContentKind, ids []string, bodyFormat string) ([]Page, error)
	// PageAt returns a page (a blog post for KindBlogPost) at version n (0 = current) with its
	// body in bodyFormat (storage, atlas_doc_format or view); Title is the title at that version.
	PageAt(ctx context.Context, kind ContentKind, id string, version int, bodyFormat string) (Page, error)
	// Spaces lists the spaces f lets through.
	Spaces(ctx context.Context, f SpaceFilter, opt ListOptions) ([]Space, string, error)
	// Users returns the accounts among accountIDs (at most 250), in any order.
	Users(ctx context.Context, accountIDs []string) ([]User, error)
	// SpacePages lists a space's current pages (blog posts for q.Content KindBlogPost).
	SpacePages(ctx context.Context, q SpacePagesQuery, opt ListOptions) ([]Page, string, error)
	// Children lists the current direct children of every kind (pages, folders, whiteboards,
	// databases, embeds) of the tree content parent, in child order: Partial records whose Kind
	// says what each is, with ParentID and ParentType the parent. Archived and trashed children
	// are left out, as CQL (the batched form) cannot see them.
	Children(ctx context.Context, parent ContentRef, opt ListOptions) ([]Page, string, error)
	// Descendants lists the current content of every kind below of down to depth levels, top to
	// bottom (Partial records with Kind, Depth and ParentID).
	Descendants(ctx context.Context, of ContentRef, depth int, opt ListOptions) ([]Page, string, error)
	// Ancestors returns the ancestors of every kind of the tree content of, the top-most first.
	Ancestors(ctx context.Context, of ContentRef) ([]ContentRef, error)
	// Node returns a folder, whiteboard, database or embed (ref.Kind) by id; another kind's id
	// is an error matching confluence.ErrNotFound.
	Node(ctx context.Context, ref ContentRef) (TreeNode, error)
	// ContentTypes returns the content type of each visible id among ids (at most 100): page,
	// blogpost, folder, whiteboard, database, embed, ...; invisible ids are absent.
	ContentTypes(ctx context.Context, ids []string) (map[string]string, error)
	// Labels lists the labels of a page (a blog post for KindBlogPost).
	Labels(ctx context.Context, content ContentKind, pageID string, opt ListOptions) ([]Label, string, error)
	// Comments lists the top-level comments of one kind (CommentFooter or CommentInline) of a
	// page (a blog post for KindBlogPost).
	Comments(ctx context.Context, content ContentKind, pageID string, kind CommentKind, opt ListOptions) ([]Comment, string, error)
	// Replies lists the replies to a comment of the given kind.
	Replies(ctx context.Context, commentID string, kind CommentKind, opt ListOptions) ([]Comment, string, error)
	// Versions lists a page's versions, newest first.
	Versions(ctx context.Context, q VersionsQuery, opt ListOptions) ([]Version, string, error)
	// Version returns one version's metadata of a page (a blog post for KindBlogPost).
	Version(ctx context.Context, content ContentKind, pageID string, number int) (Version, error)
	// Attachments lists the attachments of a page (a blog post for KindBlogPost), filtered by
	// media type when mediaType is set.
	Attachments(ctx context.Context, content ContentKind, pageID, mediaType string, opt ListOptions) ([]Attachment, string, error)
	// Attachment returns one attachment by id (with or without the "att" prefix).
	Attachment(ctx context.Context, id string) (Attachment, error)
	// Download starts the download of attachment attachmentID of page pageID and returns the
	// file's body unread (the caller closes it), so the bytes pass through in bounded memory.
	// FileStream.Size is the length the host announced (-1 when unknown). Reading past the
	// upstream's download cap fails with an error matching confluence.ErrResponseTooLarge.
	Download(ctx context.Context, pageID, attachmentID string) (FileStream, error)
	// SiteURL is the tenant's site, such as "https://acme.atlassian.net" (no trailing slash),
	// the base of the web links the loaders return.
	SiteURL() string
	// Search runs CQL through the v1 search endpoint.
	Search(ctx context.Context, q SearchQuery, opt ListOptions) (SearchPage, error)
	// ContentSearch runs CQL through the v1 content search with the given expansions
	// (metadata.labels, children.comment, children.attachment, version). It returns
	// ErrUnsupported when the upstream cannot; the loaders then use the per-page endpoints.
	ContentSearch(ctx context.Context, cql string, expand []string, opt ListOptions) ([]Content, string, error)

	// Replies of many comments in one call (replies.go).

	// CommentReplies reads the direct replies of many comments (at most repliesChunk ids, digits
	// only) through one v1 content search, id in (...) with the children.comment expansion and
	// the replies' bodies, authors and inline extensions: one Thread per comment Confluence
	// returns; a comment it does not return is left out.
	CommentReplies(ctx context.Context, commentIDs []string, opt ListOptions) ([]Thread, string, error)
}

// ExpandingUpstream is an Upstream whose ContentSearch also fills Content.Comments and
// Content.Attachments (the v1 children.comment and children.attachment expansions, with the
// comments' authors in Content.Users) and the child position of pages. The loaders then read
// the comments, attachments and labels of many pages in one call. NewClientUpstream returns one.
type ExpandingUpstream interface {
	Upstream
	// ExpandsChildren reports that ContentSearch decodes the children expansions.
	ExpandsChildren() bool
}
