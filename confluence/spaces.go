package confluence

import (
	"context"
	"iter"
	"time"
)

// SpacesService reads spaces (v2 /spaces).
type SpacesService service

// Space is a v2 space (SpaceBulk or SpaceSingle).
type Space struct {
	ID           string    `json:"id"`
	Key          string    `json:"key"`
	Name         string    `json:"name"`
	Type         string    `json:"type"`   // global, personal, collaboration, knowledge_base, ...
	Status       string    `json:"status"` // current, archived
	AuthorID     string    `json:"authorId"`
	SpaceOwnerID string    `json:"spaceOwnerId,omitempty"`
	HomepageID   string    `json:"homepageId"`
	CreatedAt    time.Time `json:"createdAt"`
	// Description is set when a description format was requested.
	Description *SpaceDescription `json:"description,omitempty"`
	Icon        *SpaceIcon        `json:"icon,omitempty"`
	Links       Links             `json:"_links"`
}

// SpaceDescription holds the requested description formats.
type SpaceDescription struct {
	Plain *BodyValue `json:"plain,omitempty"`
	View  *BodyValue `json:"view,omitempty"`
}

// SpaceIcon is a space's icon.
type SpaceIcon struct {
	Path            string `json:"path"`
	APIDownloadLink string `json:"apiDownloadLink,omitempty"`
}

func (s *Space) linksBase() string { return s.Links.Base }

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (s *Space) UnmarshalJSON(b []byte) error { return decodeLenient(b, s) }

// SpaceListOptions are the parameters of GET /wiki/api/v2/spaces.
type SpaceListOptions struct {
	IDs    []string // at most 250
	Keys   []string // at most 250; matched case-insensitively
	Type   string
	Status string
	Labels []string
	Sort   string // id, key, name (optional -)
	// DescriptionFormat is "plain" or "view"; "" for none.
	DescriptionFormat string
	IncludeIcon       bool
	ListOptions
}

func spacesListRequest(o *SpaceListOptions) *request {
	q := query{}
	if o != nil {
		q.each("ids", o.IDs)
		q.each("keys", o.Keys)
		q.str("type", o.Type)
		q.str("status", o.Status)
		q.each("labels", o.Labels)
		q.str("sort", o.Sort)
		q.str("description-format", o.DescriptionFormat)
		q.bool("include-icon", o.IncludeIcon)
		o.ListOptions.apply(q)
	}
	return getRoute("/wiki/api/v2/spaces", q)
}

// List returns one page of spaces.
//
// Confluence API: GET /wiki/api/v2/spaces
func (s *SpacesService) List(ctx context.Context, opts *SpaceListOptions) ([]Space, *Response, error) {
	return list[Space](ctx, s.client, spacesListRequest(opts))
}

// ListIter yields every space matching opts.
//
// Confluence API: GET /wiki/api/v2/spaces
func (s *SpacesService) ListIter(ctx context.Context, opts *SpaceListOptions) iter.Seq2[Space, error] {
	return iterate[Space](ctx, s.client, spacesListRequest(opts))
}

// GetMany fetches spaces by ids and/or keys, 250 per call with limit=250.
// Invisible or unknown ones are absent from the result; a space named by
// both id and key appears once. descriptionFormat is "", "plain" or "view".
//
// Confluence API: GET /wiki/api/v2/spaces?ids=... and ?keys=...
func (s *SpacesService) GetMany(ctx context.Context, ids, keys []string, descriptionFormat string) ([]Space, error) {
	var out []Space
	seen := map[string]bool{}
	fetch := func(o *SpaceListOptions) error {
		got, err := collect(s.ListIter(ctx, o))
		for _, sp := range got {
			if !seen[sp.ID] {
				seen[sp.ID] = true
				out = append(out, sp)
			}
		}
		return err
	}
	for _, chunk := range chunks(ids, maxBatch) {
		if err := fetch(&SpaceListOptions{IDs: chunk, DescriptionFormat: descriptionFormat, ListOptions: ListOptions{Limit: maxBatch}}); err != nil {
			return out, err
		}
	}
	for _, chunk := range chunks(keys, maxBatch) {
		if err := fetch(&SpaceListOptions{Keys: chunk, DescriptionFormat: descriptionFormat, ListOptions: ListOptions{Limit: maxBatch}}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// SpaceGetOptions are the parameters of GET /wiki/api/v2/spaces/{id}.
type SpaceGetOptions struct {
	DescriptionFormat string // "plain" or "view"
	IncludeIcon       bool
}

// Get returns one space by id. A missing or invisible space is an *Error
// matching ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/spaces/{id}
func (s *SpacesService) Get(ctx context.Context, id string, opts *SpaceGetOptions) (*Space, *Response, error) {
	q := query{}
	if opts != nil {
		q.str("description-format", opts.DescriptionFormat)
		q.bool("include-icon", opts.IncludeIcon)
	}
	return getOne[Space](ctx, s.client, getRoute("/wiki/api/v2/spaces/{id}", q, id))
}

// SpacePagesOptions are the parameters of GET /wiki/api/v2/spaces/{id}/pages.
type SpacePagesOptions struct {
	// Depth is "all" (Confluence's default) or "root" (top-level pages only).
	Depth      string
	Sort       string
	Status     []string
	Title      string
	BodyFormat BodyFormat
	ListOptions
}

func spacePagesRequest(id string, o *SpacePagesOptions) *request {
	return spaceContentRequest("/wiki/api/v2/spaces/{id}/pages", id, o)
}

// spaceContentRequest lists a space's content at route (its pages or blog posts).
func spaceContentRequest(route, id string, o *SpacePagesOptions) *request {
	q := query{}
	if o != nil {
		q.str("depth", o.Depth)
		q.str("sort", o.Sort)
		q.each("status", o.Status)
		q.str("title", o.Title)
		q.str("body-format", string(o.BodyFormat))
		o.ListOptions.apply(q)
	}
	return getRoute(route, q, id)
}

// ListPages returns one page of a space's pages.
//
// Confluence API: GET /wiki/api/v2/spaces/{id}/pages
func (s *SpacesService) ListPages(ctx context.Context, spaceID string, opts *SpacePagesOptions) ([]Page, *Response, error) {
	return list[Page](ctx, s.client, spacePagesRequest(spaceID, opts))
}

// ListPagesIter yields every page of a space.
//
// Confluence API: GET /wiki/api/v2/spaces/{id}/pages
func (s *SpacesService) ListPagesIter(ctx context.Context, spaceID string, opts *SpacePagesOptions) iter.Seq2[Page, error] {
	return iterate[Page](ctx, s.client, spacePagesRequest(spaceID, opts))
}
