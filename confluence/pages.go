package confluence

import (
	"context"
	"iter"
	"time"
)

// PagesService reads pages and the page tree (v2 /pages).
type PagesService service

// BodyValue is one body representation.
type BodyValue struct {
	Representation string `json:"representation"`
	// Value is the content; for atlas_doc_format it is ADF JSON as a string.
	Value string `json:"value"`
}

// Body holds the requested representations (only the requested one is set;
// lists without body-format give an empty Body).
type Body struct {
	Storage        *BodyValue `json:"storage,omitempty"`
	AtlasDocFormat *BodyValue `json:"atlas_doc_format,omitempty"`
	View           *BodyValue `json:"view,omitempty"`
	ExportView     *BodyValue `json:"export_view,omitempty"`
}

// Get returns the representation for f, or nil.
func (b Body) Get(f BodyFormat) *BodyValue {
	switch f {
	case FormatStorage:
		return b.Storage
	case FormatAtlasDocFormat:
		return b.AtlasDocFormat
	case FormatView:
		return b.View
	case FormatExportView:
		return b.ExportView
	}
	return nil
}

// Links are the _links of an object: paths relative to the site wiki base
// (WebUI, TinyUI, Download) and, on single objects, Base.
type Links struct {
	WebUI    string `json:"webui,omitempty"`
	EditUI   string `json:"editui,omitempty"`
	TinyUI   string `json:"tinyui,omitempty"`
	Download string `json:"download,omitempty"`
	Self     string `json:"self,omitempty"`
	Base     string `json:"base,omitempty"`
}

// Version is a content version as v2 embeds it in pages, comments and
// attachments, and as /pages/{id}/versions lists it (with Page set).
type Version struct {
	Number    int       `json:"number"`
	Message   string    `json:"message"`
	MinorEdit bool      `json:"minorEdit"`
	AuthorID  string    `json:"authorId"`
	CreatedAt time.Time `json:"createdAt"`
	// Page is set in version lists: the page at that version, with its body
	// when a body format was requested.
	Page *VersionPage `json:"page,omitempty"`
	// BlogPost is Page in a blog post's version list (BlogPostVersion).
	BlogPost *VersionPage `json:"blogpost,omitempty"`
}

// VersionPage is the page summary inside a version list item.
type VersionPage struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Body  Body   `json:"body"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (v *Version) UnmarshalJSON(b []byte) error { return decodeLenient(b, v) }

// Page is a v2 page (PageSingle or PageBulk).
type Page struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	Title  string `json:"title"`
	// SpaceID is the space's id (not its key).
	SpaceID string `json:"spaceId"`
	// ParentID and ParentType are "" for a space's root pages.
	ParentID    string    `json:"parentId"`
	ParentType  string    `json:"parentType"`
	Position    *int      `json:"position"`
	AuthorID    string    `json:"authorId"`
	OwnerID     string    `json:"ownerId"`
	LastOwnerID string    `json:"lastOwnerId"`
	CreatedAt   time.Time `json:"createdAt"`
	Subtype     string    `json:"subtype,omitempty"`
	Version     *Version  `json:"version,omitempty"`
	Body        Body      `json:"body"`
	// Labels is set when PageGetOptions.IncludeLabels asked for it (at most
	// 50; Labels.Meta.HasMore says whether there are more).
	Labels *EmbeddedLabels `json:"labels,omitempty"`
	Links  Links           `json:"_links"`
}

func (p *Page) linksBase() string { return p.Links.Base }

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps.
func (p *Page) UnmarshalJSON(b []byte) error { return decodeLenient(b, p) }

// PageListOptions are the parameters of GET /wiki/api/v2/pages.
type PageListOptions struct {
	IDs      []string // at most 250 (see GetMany for more)
	SpaceIDs []string // at most 100
	// Status filters by status (current, archived, deleted, trashed);
	// Confluence's default is current and archived.
	Status     []string
	Title      string // exact, case-insensitive
	Sort       string // id, -id, created-date, modified-date, title (each with optional -)
	BodyFormat BodyFormat
	Subtype    string
	ListOptions
}

func (o *PageListOptions) query() query {
	q := query{}
	if o == nil {
		return q
	}
	q.each("id", o.IDs)
	q.each("space-id", o.SpaceIDs)
	q.each("status", o.Status)
	q.str("title", o.Title)
	q.str("sort", o.Sort)
	q.str("body-format", string(o.BodyFormat))
	q.str("subtype", o.Subtype)
	o.ListOptions.apply(q)
	return q
}

// Content routes: pages and blog posts are read through the same code with the collection's
// route (pagesRoute or blogPostsRoute) as parameter.
const (
	pagesRoute     = "/wiki/api/v2/pages"
	blogPostsRoute = "/wiki/api/v2/blogposts"
)

func pagesListRequest(opts *PageListOptions) *request {
	return contentListRequest(pagesRoute, opts)
}

// contentListRequest lists the collection at route (pagesRoute or blogPostsRoute).
func contentListRequest(route string, opts *PageListOptions) *request {
	return getRoute(route, opts.query())
}

// List returns one page of pages.
//
// Confluence API: GET /wiki/api/v2/pages
func (s *PagesService) List(ctx context.Context, opts *PageListOptions) ([]Page, *Response, error) {
	return list[Page](ctx, s.client, pagesListRequest(opts))
}

// ListIter yields every page matching opts, following next links.
//
// Confluence API: GET /wiki/api/v2/pages
func (s *PagesService) ListIter(ctx context.Context, opts *PageListOptions) iter.Seq2[Page, error] {
	return iterate[Page](ctx, s.client, pagesListRequest(opts))
}

// PageBatchOptions are the options of GetMany.
type PageBatchOptions struct {
	// BodyFormat is "" (no body), FormatStorage or FormatAtlasDocFormat.
	BodyFormat BodyFormat
	// Status defaults to Confluence's current + archived.
	Status []string
}

// GetMany fetches pages by id in chunks of 250 ids with limit=250,
// following next links within a chunk. Ids that do not exist or are not
// visible are silently absent from the result (Confluence omits them);
// order follows Confluence's answers, not ids. Duplicate ids are fetched once.
//
// Confluence API: GET /wiki/api/v2/pages?id=...&limit=250
func (s *PagesService) GetMany(ctx context.Context, ids []string, opts *PageBatchOptions) ([]Page, error) {
	return getMany(ctx, (*service)(s), pagesRoute, ids, opts)
}

// getMany is GetMany over the collection at route (pagesRoute or blogPostsRoute).
func getMany(ctx context.Context, s *service, route string, ids []string, opts *PageBatchOptions) ([]Page, error) {
	if opts == nil {
		opts = &PageBatchOptions{}
	}
	var out []Page
	for _, chunk := range chunks(ids, maxBatch) {
		lo := &PageListOptions{IDs: chunk, Status: opts.Status, BodyFormat: opts.BodyFormat, ListOptions: ListOptions{Limit: maxBatch}}
		got, err := collect(iterate[Page](ctx, s.client, contentListRequest(route, lo)))
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// PageGetOptions are the parameters of GET /wiki/api/v2/pages/{id}.
type PageGetOptions struct {
	// BodyFormat is any single format (storage, atlas_doc_format, view,
	// export_view, ...); "" returns no body.
	BodyFormat BodyFormat
	// Version, if > 0, returns that published version of the page.
	Version int
	// Status filters; e.g. []string{"current","archived","trashed"}.
	Status []string
	// IncludeLabels embeds up to 50 labels.
	IncludeLabels bool
}

// Get returns one page. A missing or invisible page is an *Error matching
// ErrNotFound; with rejected credentials it matches ErrCredentialsRejected.
//
// Confluence API: GET /wiki/api/v2/pages/{id}
func (s *PagesService) Get(ctx context.Context, id string, opts *PageGetOptions) (*Page, *Response, error) {
	return getContent(ctx, (*service)(s), pagesRoute, id, opts)
}

// getContent is Get over the collection at route (pagesRoute or blogPostsRoute).
func getContent(ctx context.Context, s *service, route, id string, opts *PageGetOptions) (*Page, *Response, error) {
	q := query{}
	if opts != nil {
		q.str("body-format", string(opts.BodyFormat))
		q.int("version", opts.Version)
		q.each("status", opts.Status)
		q.bool("include-labels", opts.IncludeLabels)
	}
	return getOne[Page](ctx, s.client, getRoute(route+"/{id}", q, id))
}

// ChildContent is an item of /pages/{id}/direct-children: a page, folder,
// whiteboard, database or embed.
type ChildContent struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	Title         string `json:"title"`
	Type          string `json:"type"`
	SpaceID       string `json:"spaceId"`
	ChildPosition *int   `json:"childPosition"`
}

// ChildrenOptions are the parameters of the direct-children list.
type ChildrenOptions struct {
	Sort string // child-position (default), created-date, id, modified-date, title (optional -)
	ListOptions
}

// query is the list's parameters (none for nil options).
func (o *ChildrenOptions) query() query {
	q := query{}
	if o != nil {
		q.str("sort", o.Sort)
		o.ListOptions.apply(q)
	}
	return q
}

// ListDirectChildren returns one page of a page's direct children (all
// content types, folders included).
//
// Confluence API: GET /wiki/api/v2/pages/{id}/direct-children
func (s *PagesService) ListDirectChildren(ctx context.Context, id string, opts *ChildrenOptions) ([]ChildContent, *Response, error) {
	return (*TreeService)(s).ListDirectChildren(ctx, KindPage, id, opts)
}

// ListDirectChildrenIter yields every direct child.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/direct-children
func (s *PagesService) ListDirectChildrenIter(ctx context.Context, id string, opts *ChildrenOptions) iter.Seq2[ChildContent, error] {
	return (*TreeService)(s).ListDirectChildrenIter(ctx, KindPage, id, opts)
}

// Descendant is an item of /pages/{id}/descendants. Depth is relative to
// the requested page (1 = child).
type Descendant struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	Title         string `json:"title"`
	Type          string `json:"type"`
	ParentID      string `json:"parentId"`
	Depth         int    `json:"depth"`
	ChildPosition *int   `json:"childPosition"`
}

// DescendantsOptions are the parameters of the descendants list.
type DescendantsOptions struct {
	// Depth is 1..10; 0 uses Confluence's default (2).
	Depth int
	ListOptions
}

// query is the list's parameters (none for nil options).
func (o *DescendantsOptions) query() query {
	q := query{}
	if o != nil {
		q.int("depth", o.Depth)
		o.ListOptions.apply(q)
	}
	return q
}

// ListDescendants returns one page of a page's descendants, top to bottom.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/descendants
func (s *PagesService) ListDescendants(ctx context.Context, id string, opts *DescendantsOptions) ([]Descendant, *Response, error) {
	return (*TreeService)(s).ListDescendants(ctx, KindPage, id, opts)
}

// ListDescendantsIter yields every descendant down to opts.Depth.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/descendants
func (s *PagesService) ListDescendantsIter(ctx context.Context, id string, opts *DescendantsOptions) iter.Seq2[Descendant, error] {
	return iterate[Descendant](ctx, s.client, treeDescendantsRequest(KindPage, id, opts))
}

// Ancestor is an item of /pages/{id}/ancestors.
type Ancestor struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// ListAncestors returns up to limit ancestors (0 = Confluence's default
// 25), highest first. The endpoint has no cursor; see AllAncestors.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/ancestors
func (s *PagesService) ListAncestors(ctx context.Context, id string, limit int) ([]Ancestor, *Response, error) {
	return (*TreeService)(s).ListAncestors(ctx, KindPage, id, limit)
}

// AllAncestors returns every ancestor of a page, highest first: TreeService.AllAncestors for a
// page, which asks again from the highest ancestor found through that ancestor's own kind of
// route (a folder's above a page's), since the endpoint has no cursor.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/ancestors?limit=250
func (s *PagesService) AllAncestors(ctx context.Context, id string) ([]Ancestor, error) {
	return (*TreeService)(s).AllAncestors(ctx, KindPage, id)
}
