package loaders

import (
	"context"
	"errors"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// Page through upstream lists: Cursor "" starts at the beginning, Limit is 1..250.
type ListOptions struct {
	Cursor string
	Limit  int
}

// Upstream is what the loaders need from a tenant's Confluence. Implementations must be safe for
// concurrent use and return errors that the GraphQL error presenter understands (the confluence
// package's typed errors). List methods return the cursor of the next page, "" at the end.
// ClientSource adapts a *confluence.Client.
type Upstream interface {
	// PagesByID returns the visible pages among ids (at most 250), in any order; missing ids are
	// omitted. bodyFormat "" skips bodies; "storage" or "atlas_doc_format" fills Page.Body.
	PagesByID(ctx context.Context, ids []string, bodyFormat string) ([]Page, error)
	// PageAt returns a page at version n (0 = current) with its body in bodyFormat (storage,
	// atlas_doc_format or view); Title is the title at that version.
	PageAt(ctx context.Context, id string, version int, bodyFormat string) (Page, error)
	// Spaces lists spaces, restricted to ids or keys (each at most 250) and to typ when set.
	Spaces(ctx context.Context, ids, keys []string, typ string, opt ListOptions) ([]Space, string, error)
	// Users returns the accounts among accountIDs (at most 250), in any order.
	Users(ctx context.Context, accountIDs []string) ([]User, error)
	// SpacePages lists a space's current pages (only top-level ones when root).
	SpacePages(ctx context.Context, spaceID string, root bool, opt ListOptions) ([]Page, string, error)
	// Children lists a page's current direct child pages (Partial records), in child order.
	// Archived and trashed children are left out, as CQL (the batched form) cannot see them.
	Children(ctx context.Context, pageID string, opt ListOptions) ([]Page, string, error)
	// Descendants lists current pages below pageID down to depth levels (Partial records with Depth).
	Descendants(ctx context.Context, pageID string, depth int, opt ListOptions) ([]Page, string, error)
	// Ancestors returns the ids of a page's ancestors, the top-most first.
	Ancestors(ctx context.Context, pageID string) ([]string, error)
	// Labels lists a page's labels.
	Labels(ctx context.Context, pageID string, opt ListOptions) ([]Label, string, error)
	// Comments lists a page's top-level comments of one kind (CommentFooter or CommentInline).
	Comments(ctx context.Context, pageID, kind string, opt ListOptions) ([]Comment, string, error)
	// Replies lists the replies to a comment of the given kind.
	Replies(ctx context.Context, commentID, kind string, opt ListOptions) ([]Comment, string, error)
	// Versions lists a page's versions, newest first; with bodies each also carries the page's
	// title and storage body at that version (Version.HasBody).
	Versions(ctx context.Context, pageID string, opt ListOptions, bodies bool) ([]Version, string, error)
	// Version returns one version's metadata.
	Version(ctx context.Context, pageID string, number int) (Version, error)
	// Attachments lists a page's attachments, filtered by media type when mediaType is set.
	Attachments(ctx context.Context, pageID, mediaType string, opt ListOptions) ([]Attachment, string, error)
	// Search runs CQL through the v1 search endpoint. With bodies, page hits also carry their
	// current storage body and version number (SearchHit.HasBody); Confluence then returns at
	// most 50 rows per call.
	Search(ctx context.Context, cql string, opt ListOptions, bodies bool) (SearchPage, error)
	// ContentSearch runs CQL through the v1 content search with the given expansions
	// (metadata.labels, children.comment, children.attachment, version). It returns
	// ErrUnsupported when the upstream cannot; the loaders then use the per-page endpoints.
	ContentSearch(ctx context.Context, cql string, expand []string, opt ListOptions) ([]Content, string, error)
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

// ErrUnsupported is returned by an Upstream for an optional capability it lacks.
var ErrUnsupported = errors.New("loaders: not supported by this upstream")

// ErrNotConnected means the tenant has no Confluence integration. A Source returns an error
// matching it (errors.Is) for such a tenant; the GraphQL layer reports NOT_CONNECTED.
var ErrNotConnected = errors.New("loaders: confluence is not connected for this tenant")

// ErrNoLoaders is returned by the helpers when the context carries no *Loaders (a wiring bug).
var ErrNoLoaders = errors.New("loaders: no loaders on the context")

// NotFoundError is the per-key error of a key Confluence did not return. It matches
// confluence.ErrNotFound through errors.Is.
type NotFoundError struct {
	Kind string // "page", "space", "user", "version", ...
	Key  string
}

func (e *NotFoundError) Error() string { return "loaders: " + e.Kind + " " + e.Key + " not found" }

// Is matches confluence.ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == confluence.ErrNotFound }
