package confluence

import (
	"context"
	"encoding/json"
	"iter"
	"strconv"
	"time"
)

// VersionsService reads page versions (v2).
type VersionsService service

// DetailedVersion is one version's metadata (no body; for the body at a
// version use Pages.Get with PageGetOptions.Version).
type DetailedVersion struct {
	Number              int       `json:"number"`
	AuthorID            string    `json:"authorId"`
	Message             string    `json:"message"`
	CreatedAt           time.Time `json:"createdAt"`
	MinorEdit           bool      `json:"minorEdit"`
	ContentTypeModified bool      `json:"contentTypeModified"`
	Collaborators       []string  `json:"collaborators"`
	// PrevVersion and NextVersion are the neighbouring version numbers; 0
	// when Confluence sends none (the first or the latest version).
	PrevVersion int `json:"prevVersion"`
	NextVersion int `json:"nextVersion"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps. prevVersion and
// nextVersion are integers, as the v2 OpenAPI document's DetailedVersion
// declares them ("The version number of the version prior to / after this
// current content update"); any other shape is a decoding error.
func (v *DetailedVersion) UnmarshalJSON(b []byte) error {
	type plain DetailedVersion
	aux := struct {
		*plain
		CreatedAt jsonTime `json:"createdAt"`
	}{plain: (*plain)(v)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	v.CreatedAt = time.Time(aux.CreatedAt)
	return nil
}

// VersionListOptions are the parameters of the version list.
type VersionListOptions struct {
	// BodyFormat includes each version's body (storage or atlas_doc_format).
	BodyFormat BodyFormat
	Sort       string // modified-date or -modified-date
	ListOptions
}

func versionsRequest(pageID string, o *VersionListOptions) *request {
	return contentVersionsRequest(pagesRoute, pageID, o)
}

// contentVersionsRequest lists the versions of content id in the collection at route.
func contentVersionsRequest(route, id string, o *VersionListOptions) *request {
	q := query{}
	if o != nil {
		q.str("body-format", string(o.BodyFormat))
		q.str("sort", o.Sort)
		o.ListOptions.apply(q)
	}
	return getRoute(route+"/{id}/versions", q, id)
}

// List returns one page of a page's versions.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/versions
func (s *VersionsService) List(ctx context.Context, pageID string, opts *VersionListOptions) ([]Version, *Response, error) {
	return list[Version](ctx, s.client, versionsRequest(pageID, opts))
}

// ListIter yields every version of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/versions
func (s *VersionsService) ListIter(ctx context.Context, pageID string, opts *VersionListOptions) iter.Seq2[Version, error] {
	return iterate[Version](ctx, s.client, versionsRequest(pageID, opts))
}

// Get returns one version's metadata. A missing version is an *Error
// matching ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/pages/{page-id}/versions/{version-number}
func (s *VersionsService) Get(ctx context.Context, pageID string, number int) (*DetailedVersion, *Response, error) {
	return s.getAt(ctx, pagesRoute, pageID, number)
}

// getAt is Get for content id in the collection at route (pagesRoute or blogPostsRoute).
func (s *VersionsService) getAt(ctx context.Context, route, id string, number int) (*DetailedVersion, *Response, error) {
	req := getRoute(route+"/{id}/versions/{number}", nil, id, strconv.Itoa(number))
	return getOne[DetailedVersion](ctx, s.client, req)
}
