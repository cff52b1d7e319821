package loaders

import (
	"time"

	"github.com/confluence-graph/confluence-graph/graph/model"
)

// The entities the loaders return are the GraphQL layer's own types (graph/model): the upstream
// adapter (client_map.go) maps the confluence client's answers into them once, and gqlgen binds
// the schema to them, so nothing converts them again. The names below are aliases, not copies.
type (
	Page       = model.Page
	Version    = model.Version
	Space      = model.Space
	User       = model.User
	Label      = model.Label
	Comment    = model.Comment
	Attachment = model.Attachment
	// TreeNode is a folder, whiteboard, database or embed.
	TreeNode = model.TreeNode
	// CommentKind is CommentFooter or CommentInline; "" stands for both where a method says so.
	CommentKind = model.CommentKind
)

// Comment kinds.
const (
	CommentFooter = model.CommentKindFooter
	CommentInline = model.CommentKindInline
)

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
	// With SearchQuery.WithDetails: the label names, the ancestors' titles (top-most first) and
	// the space name.
	Labels    []string
	Ancestors []string
	SpaceName string
	// Container is the page or blog post a comment or attachment hit belongs to, with
	// SearchQuery.WithContainers; zero otherwise.
	Container ContentRef
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
	// AncestorIDs are the ids of the page's ancestor pages, the top-most first, when the
	// ancestors expansion was asked (folders and other non-page ancestors left out).
	AncestorIDs []string
	// AncestorRefs are the ancestors of every kind (folders too), the top-most first, when the
	// ancestors expansion was asked.
	AncestorRefs []ContentRef

	err error // set by the loaders when the batched read failed for good
}

// List is a run of an upstream list: Items from where the read started (the list's start, or
// the request's ListFrom), More when the list continues after them. Next, when set, is the
// upstream's cursor right after the last of Items, so a later read can resume there with one
// call (ListFrom); it is "" when the list ends there or when the read cannot tell (a batched or
// cut read).
type List[T any] struct {
	Items []T
	More  bool
	Next  string
}

// ListFrom says where a list read starts. The zero value is the list's start, read in whatever
// way costs least (batched across parents, from the cache). With Resume the read starts at
// Cursor (a List.Next of an earlier read; "" for the list's start), goes through the per-parent
// endpoint and takes exactly the items asked, so that its Next lets the following read resume
// with one call.
type ListFrom struct {
	Cursor string
	Resume bool
}
