package loaders

import "time"

// Page is a Confluence page as the loaders return it. A record from a child, descendant or
// search listing is Partial: only ID, Title and, when known, Status, SpaceID, ParentID, Depth and
// Position are set; load it with Loaders.Page for the rest.
type Page struct {
	ID       string
	Title    string
	Status   string // current, archived, draft, trashed
	SpaceID  string
	ParentID string // "" at a space root or when unknown
	AuthorID string
	Created  time.Time
	Version  Version
	WebURL   string // absolute link to the page in the web UI
	Partial  bool
	// Depth is the depth below the listed page in a descendants listing (1 = child), else 0.
	Depth int
	// Position is the child position when Confluence reports it (HasPosition), else 0.
	Position    int
	HasPosition bool
	// Body is the body in the representation asked for, only on body reads.
	Body string
}

// Version is one published version of a page.
type Version struct {
	PageID    string
	Number    int
	Message   string
	MinorEdit bool
	CreatedAt time.Time
	AuthorID  string
	// HasBody says Title and Body (storage format) at this version came with the version list.
	HasBody bool
	Title   string
	Body    string
}

// Space is a Confluence space.
type Space struct {
	ID          string
	Key         string
	Name        string
	Type        string // global, personal, collaboration, knowledge_base, ...
	Status      string
	WebURL      string
	Description string
	HomepageID  string
}

// User is an Atlassian account.
type User struct {
	AccountID   string
	DisplayName string
	Email       string
}

// Label is a label on content.
type Label struct {
	ID     string
	Name   string
	Prefix string
}

// Comment kinds.
const (
	CommentFooter = "footer"
	CommentInline = "inline"
)

// Comment is a footer or inline comment or a reply to one.
type Comment struct {
	ID               string
	PageID           string
	Kind             string // CommentFooter or CommentInline
	ParentID         string // the comment replied to, "" for a top-level comment
	AuthorID         string
	CreatedAt        time.Time
	Storage          string // body in storage format
	ResolutionStatus string // inline only
	Selection        string // inline only: the highlighted text
}

// Attachment is a file attached to a page.
type Attachment struct {
	ID          string
	PageID      string
	Title       string
	MediaType   string
	Comment     string
	AuthorID    string
	FileSize    int64 // -1 when unknown
	CreatedAt   time.Time
	Version     int
	DownloadURL string // absolute
	WebURL      string // absolute
}

// SearchHit is one result of a CQL search.
type SearchHit struct {
	Type         string // page, blogpost, comment, attachment, space, ...
	ContentID    string // "" for spaces
	Title        string // without highlight markers
	Excerpt      string
	URL          string // absolute
	SpaceKey     string
	LastModified time.Time
	// HasBody says Body (storage format) and Version (its number) were returned with the hit.
	HasBody bool
	Body    string
	Version int
}

// SearchPage is one page of search results.
type SearchPage struct {
	Hits  []SearchHit
	Next  string // cursor of the following page, "" at the end
	Total int    // Confluence's estimate
	CQL   string // the query Confluence ran
}

// Content is a page from a CQL content search with expansions. Each expanded list says whether
// it is complete (Confluence returned every item); an incomplete or missing list is fetched
// through the per-page endpoint instead.
type Content struct {
	Page                Page
	Labels              []Label
	LabelsComplete      bool
	Comments            []Comment
	CommentsComplete    bool
	Attachments         []Attachment
	AttachmentsComplete bool
	// Users are the accounts the expansions named (comment authors), for priming.
	Users []User

	err error // set by the loaders when the batched read failed for good
}

// List is a prefix of an upstream list: Items from its start, More when it continues.
type List[T any] struct {
	Items []T
	More  bool
}
