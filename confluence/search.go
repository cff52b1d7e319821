package confluence

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strings"
	"time"
)

// SearchService runs CQL through the v1 search endpoints.
type SearchService service

// SearchOptions are the parameters of GET /wiki/rest/api/search.
type SearchOptions struct {
	// CQL is the query, sent as is.
	CQL string
	// CQLContext is the optional JSON context, e.g. {"spaceKey":"DOC"}.
	CQLContext string
	// Expand lists expansions such as "content.space", "content.version",
	// "content.body.storage", "content.metadata.labels".
	Expand []string
	// Excerpt is highlight (Confluence's default), indexed, none, ...
	Excerpt               string
	IncludeArchivedSpaces bool
	// Cursor is Response.NextCursor of the previous page.
	Cursor string
	// Limit is the page size; 0 uses Confluence's default (25). Confluence
	// may return fewer rows than asked without being at the end.
	Limit int
}

func (o *SearchOptions) query() query {
	q := query{}
	q.str("cql", o.CQL)
	q.str("cqlcontext", o.CQLContext)
	q.csv("expand", o.Expand)
	q.str("excerpt", o.Excerpt)
	q.bool("includeArchivedSpaces", o.IncludeArchivedSpaces)
	if o.Cursor != "" {
		q.str("cursor", o.Cursor)
		q.str("next", "true")
	}
	q.int("limit", o.Limit)
	return q
}

// Container is a search result's space or parent.
type Container struct {
	Title      string `json:"title"`
	DisplayURL string `json:"displayUrl"`
}

// SearchSpace is the space of a space-typed search row.
type SearchSpace struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Type   string `json:"type"`
}

// UnmarshalJSON accepts a numeric or string id.
func (s *SearchSpace) UnmarshalJSON(b []byte) error { return decodeLenient(b, s) }

// SearchResult is one row of a CQL search. Title may carry
// @@@hl@@@…@@@endhl@@@ highlight markers and HTML escapes; Content.Title is
// clean.
type SearchResult struct {
	Content               *Content     `json:"content,omitempty"`
	Space                 *SearchSpace `json:"space,omitempty"`
	User                  *User        `json:"user,omitempty"`
	Title                 string       `json:"title"`
	Excerpt               string       `json:"excerpt"`
	URL                   string       `json:"url"`
	ResultGlobalContainer *Container   `json:"resultGlobalContainer,omitempty"`
	ResultParentContainer *Container   `json:"resultParentContainer,omitempty"`
	EntityType            string       `json:"entityType"` // content, space, user
	IconCSSClass          string       `json:"iconCssClass"`
	LastModified          time.Time    `json:"lastModified"`
	FriendlyLastModified  string       `json:"friendlyLastModified"`
	Score                 float64      `json:"score"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (r *SearchResult) UnmarshalJSON(b []byte) error { return decodeLenient(b, r) }

// SearchResults is one page of a CQL search.
type SearchResults struct {
	Results []SearchResult `json:"results"`
	Start   int            `json:"start"`
	Limit   int            `json:"limit"`
	Size    int            `json:"size"`
	// TotalSize is Confluence's estimate, not a count to rely on.
	TotalSize      int    `json:"totalSize"`
	CQLQuery       string `json:"cqlQuery"`
	SearchDuration int    `json:"searchDuration"`
	Links          links  `json:"_links"`
}

func (s *SearchService) cqlRequest(opts *SearchOptions) *request {
	req := getRoute("/wiki/rest/api/search", opts.query())
	req.search = true
	if opts.Excerpt != "" {
		req.keep = url.Values{"excerpt": {opts.Excerpt}}
	}
	return req
}

// CQL runs one page of a CQL search. A query Confluence cannot run is a
// *CQLError (matching ErrInvalidCQL) carrying Confluence's message.
//
// Confluence API: GET /wiki/rest/api/search
func (s *SearchService) CQL(ctx context.Context, opts *SearchOptions) (*SearchResults, *Response, error) {
	if opts == nil {
		opts = &SearchOptions{}
	}
	req := s.cqlRequest(opts)
	var out SearchResults
	resp, err := s.client.get(ctx, req, &out)
	if err != nil {
		return nil, resp, err
	}
	resp.setLinks(out.Links)
	return &out, resp, nil
}

// CQLIter yields every row of a CQL search, following next links until
// there is none (short pages in the middle are not the end). The excerpt
// option is kept on every page although Confluence's next links drop it.
//
// Confluence API: GET /wiki/rest/api/search
func (s *SearchService) CQLIter(ctx context.Context, opts *SearchOptions) iter.Seq2[SearchResult, error] {
	if opts == nil {
		opts = &SearchOptions{}
	}
	return iterate[SearchResult](ctx, s.client, s.cqlRequest(opts))
}

// ContentSearchOptions are the parameters of GET /wiki/rest/api/content/search.
type ContentSearchOptions struct {
	CQL        string
	CQLContext string
	// Expand lists expansions such as "space", "version", "body.storage",
	// "ancestors", "metadata.labels", "children.comment" (with sub-expansions
	// such as "children.comment.body.storage", "children.comment.version",
	// "children.comment.ancestors") and "children.attachment.version".
	// With any body expansion Confluence returns at most 50 rows a call
	// (25 with export_view or styled_view); expanded children collections
	// hold at most 25 items (ContentArray.Complete).
	Expand []string
	Cursor string
	Limit  int
}

func (s *SearchService) contentRequest(o *ContentSearchOptions) *request {
	// The parameters are those of /search without excerpt and archived spaces.
	so := &SearchOptions{CQL: o.CQL, CQLContext: o.CQLContext, Expand: o.Expand, Cursor: o.Cursor, Limit: o.Limit}
	req := getRoute("/wiki/rest/api/content/search", so.query())
	req.search = true
	return req
}

// Content runs one page of a content-shaped CQL search.
//
// Confluence API: GET /wiki/rest/api/content/search
func (s *SearchService) Content(ctx context.Context, opts *ContentSearchOptions) ([]Content, *Response, error) {
	if opts == nil {
		opts = &ContentSearchOptions{}
	}
	return list[Content](ctx, s.client, s.contentRequest(opts))
}

// ContentIter yields every row of a content-shaped CQL search.
//
// Confluence API: GET /wiki/rest/api/content/search
func (s *SearchService) ContentIter(ctx context.Context, opts *ContentSearchOptions) iter.Seq2[Content, error] {
	if opts == nil {
		opts = &ContentSearchOptions{}
	}
	return iterate[Content](ctx, s.client, s.contentRequest(opts))
}

// Content is v1 content as the search endpoints return it; which members
// are set depends on the expansions requested (nil: not expanded).
// Extensions come without asking on pages, comments and attachments.
type Content struct {
	ID         string             `json:"id"`
	Type       string             `json:"type"` // page, blogpost, comment, attachment, folder, ...
	Status     string             `json:"status"`
	Title      string             `json:"title"`
	Space      *SearchSpace       `json:"space,omitempty"`
	Version    *ContentVersion    `json:"version,omitempty"`
	History    *ContentHistory    `json:"history,omitempty"`
	Ancestors  []Content          `json:"ancestors,omitempty"`
	Body       *Body              `json:"body,omitempty"`
	Metadata   *ContentMetadata   `json:"metadata,omitempty"`
	Children   *ContentChildren   `json:"children,omitempty"`
	Container  *Content           `json:"container,omitempty"` // a comment's page (container expansion)
	Extensions *ContentExtensions `json:"extensions,omitempty"`
	Links      Links              `json:"_links"`
}

// UnmarshalJSON accepts a numeric or string id.
func (c *Content) UnmarshalJSON(b []byte) error { return decodeLenient(b, c) }

// ContentVersion is a v1 version. By is the author (with the version
// expansion, on the content and on expanded children).
type ContentVersion struct {
	By        *User     `json:"by,omitempty"`
	When      time.Time `json:"when"`
	Number    int       `json:"number"`
	Message   string    `json:"message"`
	MinorEdit bool      `json:"minorEdit"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (v *ContentVersion) UnmarshalJSON(b []byte) error { return decodeLenient(b, v) }

// ContentHistory is v1 content history.
type ContentHistory struct {
	Latest      bool            `json:"latest"`
	CreatedBy   *User           `json:"createdBy,omitempty"`
	CreatedDate time.Time       `json:"createdDate"`
	LastUpdated *ContentVersion `json:"lastUpdated,omitempty"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (h *ContentHistory) UnmarshalJSON(b []byte) error { return decodeLenient(b, h) }

// ContentMetadata holds expanded metadata; Labels is nil unless
// metadata.labels was expanded.
type ContentMetadata struct {
	Labels *LabelArray `json:"labels,omitempty"`
}

// flexString decodes a JSON string or number into a string.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	*f = flexString(strings.TrimSpace(string(b)))
	return nil
}
