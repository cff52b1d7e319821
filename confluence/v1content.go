package confluence

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// ContentService reads through the v1 content, space and user routes
// (/wiki/rest/api/content/{id}, /space, /user): the read path of tokens whose
// scopes the v2 routes refuse, such as a scoped token holding only classic
// read:confluence-* scopes. Lists page by offset: V1ListOptions.Start, and
// Response.NextStart for the next page.
type ContentService service

// V1ListOptions are the paging parameters of v1 collections.
type V1ListOptions struct {
	// Start is the offset of the first item (Response.NextStart of the
	// previous page); 0 for the first page.
	Start int
	// Limit is the page size; 0 uses Confluence's default (25 for content,
	// 200 for labels and versions). Confluence may cap it.
	Limit int
}

func (o *V1ListOptions) apply(q query) {
	if o == nil {
		return
	}
	q.int("start", o.Start)
	q.int("limit", o.Limit)
}

// NextStart is the start parameter of NextURL: the offset of the next page
// of a v1 collection, 0 on the last page.
func (r *Response) NextStart() int {
	if r == nil || r.NextURL == "" {
		return 0
	}
	u, err := url.Parse(r.NextURL)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(u.Query().Get("start"))
	return n
}

// ContentGetOptions are the parameters of GET /wiki/rest/api/content/{id}.
type ContentGetOptions struct {
	// Expand lists expansions such as "body.storage", "body.atlas_doc_format",
	// "body.view", "version", "ancestors", "space", "history",
	// "metadata.labels" (at most 8 sub-expansions).
	Expand []string
	// Version asks for that version (0: the current one); Confluence serves
	// an older one only with Status "historical".
	Version int
	// Status lists the statuses to accept (current when empty; any, archived,
	// historical, trashed, draft).
	Status []string
}

// Get returns one piece of content. A missing or invisible id is an *Error
// matching ErrNotFound.
//
// Confluence API: GET /wiki/rest/api/content/{id}
func (s *ContentService) Get(ctx context.Context, id string, opts *ContentGetOptions) (*Content, *Response, error) {
	q := query{}
	if opts != nil {
		q.csv("expand", opts.Expand)
		q.int("version", opts.Version)
		q.each("status", opts.Status)
	}
	return getOne[Content](ctx, s.client, getRoute("/wiki/rest/api/content/{id}", q, id))
}

// ChildOptions are the parameters of GET /wiki/rest/api/content/{id}/child/{type}.
type ChildOptions struct {
	V1ListOptions
	// Expand lists the expansions of each child.
	Expand []string
	// Location filters comments: footer, inline, resolved (any when empty).
	Location []string
}

// Children lists the direct children of type typ (page, comment or
// attachment) of content id: a page's child pages in child order, its
// top-level comments or its attachments; a comment's replies.
//
// Confluence API: GET /wiki/rest/api/content/{id}/child/{type}
func (s *ContentService) Children(ctx context.Context, id, typ string, opts *ChildOptions) ([]Content, *Response, error) {
	q := query{}
	if opts != nil {
		opts.V1ListOptions.apply(q)
		q.csv("expand", opts.Expand)
		q.each("location", opts.Location)
	}
	return list[Content](ctx, s.client, getRoute("/wiki/rest/api/content/{id}/child/{type}", q, id, typ))
}

// Labels lists the labels of content id (at most 200 a page).
//
// Confluence API: GET /wiki/rest/api/content/{id}/label
func (s *ContentService) Labels(ctx context.Context, id string, opts *V1ListOptions) ([]Label, *Response, error) {
	q := query{}
	opts.apply(q)
	return list[Label](ctx, s.client, getRoute("/wiki/rest/api/content/{id}/label", q, id))
}

// Versions lists the versions of content id, newest first (at most 200 a page).
//
// Confluence API: GET /wiki/rest/api/content/{id}/version
func (s *ContentService) Versions(ctx context.Context, id string, opts *V1ListOptions) ([]ContentVersion, *Response, error) {
	q := query{}
	opts.apply(q)
	return list[ContentVersion](ctx, s.client, getRoute("/wiki/rest/api/content/{id}/version", q, id))
}

// Version returns version n of content id.
//
// Confluence API: GET /wiki/rest/api/content/{id}/version/{versionNumber}
func (s *ContentService) Version(ctx context.Context, id string, n int) (*ContentVersion, *Response, error) {
	return getOne[ContentVersion](ctx, s.client, getRoute("/wiki/rest/api/content/{id}/version/{versionNumber}", nil, id, strconv.Itoa(n)))
}

// History returns the history of content id (who created it and when; the
// last update with expand lastUpdated).
//
// Confluence API: GET /wiki/rest/api/content/{id}/history
func (s *ContentService) History(ctx context.Context, id string, expand []string) (*ContentHistory, *Response, error) {
	q := query{}
	q.csv("expand", expand)
	return getOne[ContentHistory](ctx, s.client, getRoute("/wiki/rest/api/content/{id}/history", q, id))
}

// V1Space is a space as the v1 routes return it. Description is set with
// the description.plain (or .view) expansion, Homepage with homepage.
type V1Space struct {
	ID          string            `json:"id"`
	Key         string            `json:"key"`
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Status      string            `json:"status"`
	Description *SpaceDescription `json:"description,omitempty"`
	Homepage    *Content          `json:"homepage,omitempty"`
	Links       Links             `json:"_links"`
}

// UnmarshalJSON accepts a numeric or string id.
func (s *V1Space) UnmarshalJSON(b []byte) error { return decodeLenient(b, s) }

// V1SpaceListOptions are the parameters of GET /wiki/rest/api/space.
type V1SpaceListOptions struct {
	V1ListOptions
	Keys   []string // spaceKey, repeated
	IDs    []string // spaceId, repeated
	Type   string   // global, personal
	Status string   // current, archived
	Expand []string // description.plain, homepage, ...
}

// Spaces lists spaces.
//
// Confluence API: GET /wiki/rest/api/space
func (s *ContentService) Spaces(ctx context.Context, opts *V1SpaceListOptions) ([]V1Space, *Response, error) {
	q := query{}
	if opts != nil {
		opts.V1ListOptions.apply(q)
		q.each("spaceKey", opts.Keys)
		q.each("spaceId", opts.IDs)
		q.str("type", opts.Type)
		q.str("status", opts.Status)
		q.csv("expand", opts.Expand)
	}
	return list[V1Space](ctx, s.client, getRoute("/wiki/rest/api/space", q))
}

// Space returns the space with key.
//
// Confluence API: GET /wiki/rest/api/space/{spaceKey}
func (s *ContentService) Space(ctx context.Context, key string, expand []string) (*V1Space, *Response, error) {
	q := query{}
	q.csv("expand", expand)
	return getOne[V1Space](ctx, s.client, getRoute("/wiki/rest/api/space/{spaceKey}", q, key))
}

// SpaceContentOptions are the parameters of GET /wiki/rest/api/space/{spaceKey}/content/{type}.
type SpaceContentOptions struct {
	V1ListOptions
	// Depth is all (default) or root (top-level content only).
	Depth  string
	Expand []string
}

// SpaceContent lists the content of type typ (page, blogpost) of a space,
// by content id ascending.
//
// Confluence API: GET /wiki/rest/api/space/{spaceKey}/content/{type}
func (s *ContentService) SpaceContent(ctx context.Context, key, typ string, opts *SpaceContentOptions) ([]Content, *Response, error) {
	q := query{}
	if opts != nil {
		opts.V1ListOptions.apply(q)
		q.str("depth", opts.Depth)
		q.csv("expand", opts.Expand)
	}
	return list[Content](ctx, s.client, getRoute("/wiki/rest/api/space/{spaceKey}/content/{type}", q, key, typ))
}

// usersBulkMax is how many account ids one users bulk call answers.
const usersBulkMax = 200

// UsersBulk returns the users among accountIDs, 200 per request (the most
// Confluence answers). Unknown ids are absent. Duplicate ids are sent once.
//
// Confluence API: GET /wiki/rest/api/user/bulk
func (s *ContentService) UsersBulk(ctx context.Context, accountIDs []string) ([]User, error) {
	seen := map[string]bool{}
	var ids []string
	for _, id := range accountIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var out []User
	for _, chunk := range chunks(ids, usersBulkMax) {
		q := query{}
		q.str("accountId", strings.Join(chunk, ","))
		q.int("limit", usersBulkMax)
		got, _, err := list[User](ctx, s.client, getRoute("/wiki/rest/api/user/bulk", q))
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
