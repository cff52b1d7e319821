package confluencetest

import "time"

// Dataset is content loaded into a simulator by Seed or POST /__sim/seed. Each
// element replaces an existing one with the same ID (accounts: the same
// Email). Zero fields take defaults: Space.Type "global", Space.Status and
// Page.Status "current", Comment.Kind "footer", timestamps the server's clock.
type Dataset struct {
	Spaces      []Space      `json:"spaces,omitempty"`
	Pages       []Page       `json:"pages,omitempty"`
	BlogPosts   []BlogPost   `json:"blogPosts,omitempty"`
	Comments    []Comment    `json:"comments,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// Nodes are the content tree's other kinds: folders, whiteboards, databases, embeds.
	Nodes    []Node    `json:"nodes,omitempty"`
	Users    []User    `json:"users,omitempty"`
	Accounts []Account `json:"accounts,omitempty"`
}

// Space is a Confluence space. ID is a decimal string; Key is matched
// case-insensitively by the API.
type Space struct {
	ID          string    `json:"id"`
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Type        string    `json:"type,omitempty"`   // global (default), personal, ...
	Status      string    `json:"status,omitempty"` // current (default) or archived
	Description string    `json:"description,omitempty"`
	HomepageID  string    `json:"homepageId,omitempty"`
	AuthorID    string    `json:"authorId,omitempty"`
	CreatedAt   time.Time `json:"createdAt,omitzero"`
	Labels      []string  `json:"labels,omitempty"`
}

// Page is a page with its version history. Versions are ordered oldest
// first; the last one is the current version. A page without versions gets
// version 1 with an empty body. Version numbers of 0 are assigned 1, 2, ...
type Page struct {
	ID         string    `json:"id"`
	SpaceKey   string    `json:"spaceKey"`
	Title      string    `json:"title"`
	Status     string    `json:"status,omitempty"` // current (default), archived, trashed
	ParentID   string    `json:"parentId,omitempty"`
	Position   int       `json:"position,omitempty"`
	AuthorID   string    `json:"authorId,omitempty"`
	CreatedAt  time.Time `json:"createdAt,omitzero"`
	Labels     []string  `json:"labels,omitempty"`
	Versions   []Version `json:"versions,omitempty"`
	Watchers   []string  `json:"watchers,omitempty"`
	Favourites []string  `json:"favourites,omitempty"`
}

// BlogPost is a blog post with its version history, like Page but without a
// place in the page tree. Its id shares the content id space with pages.
// Status is current (default), draft or trashed. Comments and attachments
// name it by id in their PageID.
type BlogPost struct {
	ID        string    `json:"id"`
	SpaceKey  string    `json:"spaceKey"`
	Title     string    `json:"title"`
	Status    string    `json:"status,omitempty"`
	AuthorID  string    `json:"authorId,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	Labels    []string  `json:"labels,omitempty"`
	Versions  []Version `json:"versions,omitempty"`
}

// Version is one published version of a page. Title, when set, is the page
// title at that version ("" means the page's Title). Body is storage format.
type Version struct {
	Number    int       `json:"number,omitempty"`
	Message   string    `json:"message,omitempty"`
	AuthorID  string    `json:"authorId,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	MinorEdit bool      `json:"minorEdit,omitempty"`
	Title     string    `json:"title,omitempty"`
	Body      string    `json:"body,omitempty"`
}

// Comment is a footer or inline comment on a page; ParentID names the
// comment it replies to ("" for a top-level comment). Inline comments carry
// ResolutionStatus (open, reopened, resolved, dangling) and Selection (the
// highlighted text).
type Comment struct {
	ID               string    `json:"id"`
	PageID           string    `json:"pageId"`
	ParentID         string    `json:"parentId,omitempty"`
	Kind             string    `json:"kind,omitempty"` // footer (default) or inline
	Status           string    `json:"status,omitempty"`
	AuthorID         string    `json:"authorId,omitempty"`
	CreatedAt        time.Time `json:"createdAt,omitzero"`
	Body             string    `json:"body,omitempty"`
	ResolutionStatus string    `json:"resolutionStatus,omitempty"`
	Selection        string    `json:"selection,omitempty"`
}

// Attachment is a file attached to a page. ID starts with "att". Content is
// the file itself (base64 in JSON).
type Attachment struct {
	ID        string    `json:"id"`
	PageID    string    `json:"pageId"`
	Title     string    `json:"title"`
	MediaType string    `json:"mediaType,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	AuthorID  string    `json:"authorId,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	Version   int       `json:"version,omitempty"`
	Content   []byte    `json:"content,omitempty"`
}

// User is an Atlassian account as other users see it.
type User struct {
	AccountID   string `json:"accountId"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email,omitempty"`
	TimeZone    string `json:"timeZone,omitempty"`
}

// Account is a credential the simulator accepts: Basic auth Email:Token.
// Type is "classic" (works on site and gateway paths, no scope checks) or
// "scoped" (gateway paths only, each route checks Scopes). Spaces lists the
// keys of the spaces the account may see; empty means every space. A Revoked
// account is rejected like a wrong token. Name is a handle for tests
// ("classic", "scoped", ...) and is not sent anywhere.
type Account struct {
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Token     string   `json:"token"`
	AccountID string   `json:"accountId"`
	Type      string   `json:"type"`
	Scopes    []string `json:"scopes,omitempty"`
	Spaces    []string `json:"spaces,omitempty"`
	Revoked   bool     `json:"revoked,omitempty"`
}

// SpaceInfo names a space: enough for tests to pick one.
type SpaceInfo struct {
	ID, Key, Name string
}

// Token types of Account.Type.
const (
	TokenClassic = "classic"
	TokenScoped  = "scoped"
)
