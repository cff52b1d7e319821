package model

import "time"

// Space is a Confluence space. It is always complete: spaces come only from the space endpoints.
type Space struct {
	ID          string
	Key         string
	Name        string
	Type        SpaceType
	Status      string
	URL         string
	Description *string
	// HomepageID is the home page's id, "" when the space has none.
	HomepageID string
}

// Page is a Confluence page. A record built from a child or descendant listing or a search hit
// is partial (Partial true): only ID, Title and, when known, ParentID and SpaceID are set, and
// resolvers load the rest through the page loader when a client asks for it.
type Page struct {
	ID    string
	Title string
	// Partial marks a record that lacks the fields below ParentID.
	Partial bool
	// ParentID is the parent page's id, "" for a top-level page or when unknown.
	ParentID string
	SpaceID  string
	Status   ContentStatus
	URL      string
	AuthorID string
	Created  time.Time
	// Current is the current version; nil on a partial record.
	Current *Version
}

// Version is one published version of a page.
type Version struct {
	// PageID is the page this version belongs to.
	PageID    string
	Number    int
	Message   *string
	MinorEdit bool
	CreatedAt time.Time
	// AuthorID is the publisher's account id, "" when unknown.
	AuthorID string
}

// Comment is a footer or inline comment, or a reply to one.
type Comment struct {
	ID               string
	Kind             CommentKind
	AuthorID         string
	CreatedAt        time.Time
	ResolutionStatus *string
	HighlightedText  *string
	// Storage is the comment body in storage format (XHTML).
	Storage string
}

// Attachment is a file attached to a page.
type Attachment struct {
	ID          string
	Title       string
	MediaType   string
	FileSize    *int
	Comment     *string
	CreatedAt   time.Time
	Version     int
	AuthorID    string
	DownloadURL string
	WebURL      string
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
