package model

import "time"

// The entity types below are the one set of types for Confluence's pages, spaces, versions,
// comments and attachments (User and Label are generated in models_gen.go): the loaders' upstream
// adapter maps the confluence client's types into them (the only mapping step), the loaders batch
// and cache them, and gqlgen binds the GraphQL types to them. Fields without a GraphQL field of
// their own serve the loaders (listing order, bodies that prime the body loader).

// Space is a Confluence space. It is always complete: spaces come only from the space endpoints.
type Space struct {
	ID          string
	Key         string
	Name        string
	Type        SpaceType
	Status      string
	URL         string // absolute link to the space in the web UI
	Description *string
	// HomepageID is the home page's id, "" when the space has none.
	HomepageID string
}

// Page is a Confluence page. A record built from a child, descendant or search listing is
// partial (Partial true): only ID, Title and, when known, Status, ParentID, SpaceID, Depth and
// Position are set, and resolvers load the rest through the page loader when a client asks.
type Page struct {
	ID    string
	Title string
	// Partial marks a listing record that lacks the fields below SpaceID.
	Partial bool
	// ParentID is the parent page's id, "" for a top-level page or when unknown.
	ParentID string
	SpaceID  string
	Status   ContentStatus
	URL      string // absolute link to the page in the web UI
	AuthorID string
	Created  time.Time
	// Current is the current version; its Number is 0 when unknown (a partial record).
	Current Version
	// Depth is the depth below the listed page in a descendants listing (1 = child), else 0.
	Depth int
	// Position is the child position when Confluence reports it (HasPosition), else 0.
	Position    int
	HasPosition bool
	// Body is the body in the representation a body read asked for; "" on other reads.
	Body string
	// ParentType is the kind of the parent (page, folder, whiteboard, database, embed); "" when
	// unknown or at the space root.
	ParentType string
	// Kind is set on the records of a children, descendants or tree listing, which hold every
	// kind of tree content: "" or "page" for a page, else folder, whiteboard, database or embed
	// (such a record stands for that content, not for a page: see TreeNode).
	Kind string
	// Content is the kind of content the record is: "" for a page, ContentTypeBlogpost for a
	// blog post (a BlogPost in GraphQL). Kind, above, tells tree items apart.
	Content ContentType
}

// Version is one published version of a page.
type Version struct {
	// PageID is the page this version belongs to.
	PageID string
	// Kind is the kind of content PageID names: "" for a page, ContentTypeBlogpost for a blog post.
	Kind      ContentType
	Number    int
	Message   *string
	MinorEdit bool
	CreatedAt time.Time
	// AuthorID is the publisher's account id, "" when unknown.
	AuthorID string
	// HasBody says Title and Body (storage format) at this version came with a version list;
	// the loaders move them into the body loader.
	HasBody bool
	Title   string
	Body    string
}

// Comment is a footer or inline comment, or a reply to one.
type Comment struct {
	ID       string
	PageID   string
	Kind     CommentKind
	ParentID string // the comment replied to, "" for a top-level comment
	AuthorID string
	// CreatedAt is when the comment was written.
	CreatedAt        time.Time
	ResolutionStatus *string // inline comments only
	HighlightedText  *string // inline comments only
	// Storage is the comment body in storage format (XHTML).
	Storage string
}

// Attachment is a file attached to a page.
type Attachment struct {
	ID          string
	PageID      string
	Title       string
	MediaType   string
	FileSize    *int // nil when unknown (or beyond GraphQL's 32-bit Int)
	Comment     *string
	CreatedAt   time.Time
	Version     int
	AuthorID    string
	DownloadURL string // absolute
	WebURL      string // absolute
}

// SearchResult is one hit of a CQL search.
type SearchResult struct {
	Type         ContentType
	Title        string
	Excerpt      *string
	URL          string
	LastModified *time.Time
	// ContentID is the hit's content id; PageID-backed resolvers use it when Type is PAGE.
	ContentID string
	// SpaceKey is the containing space's key ("" when unknown).
	SpaceKey string
}

// IsEntity marks Space as a federation entity (@key).
func (Space) IsEntity() {}

// IsEntity marks Page as a federation entity (@key).
func (Page) IsEntity() {}
