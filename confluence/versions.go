package confluence

import (
	"bytes"
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
	// PrevVersion and NextVersion are neighbouring version numbers, 0 if none.
	PrevVersion int `json:"prevVersion"`
	NextVersion int `json:"nextVersion"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps, and neighbouring
// versions given as numbers or as objects with a number.
func (v *DetailedVersion) UnmarshalJSON(b []byte) error {
	type plain DetailedVersion
	aux := struct {
		*plain
		CreatedAt   jsonTime        `json:"createdAt"`
		PrevVersion json.RawMessage `json:"prevVersion"`
		NextVersion json.RawMessage `json:"nextVersion"`
	}{plain: (*plain)(v)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	v.CreatedAt = time.Time(aux.CreatedAt)
	v.PrevVersion = versionNumber(aux.PrevVersion)
	v.NextVersion = versionNumber(aux.NextVersion)
	return nil
}

func versionNumber(raw json.RawMessage) int {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	if raw[0] == '{' {
		var o struct {
			Number int `json:"number"`
		}
		_ = json.Unmarshal(raw, &o)
		return o.Number
	}
	n, _ := strconv.Atoi(string(bytes.Trim(raw, `"`)))
	return n
}

// VersionListOptions are the parameters of the version list.
type VersionListOptions struct {
	// BodyFormat includes each version's body (storage or atlas_doc_format).
	BodyFormat BodyFormat
	Sort       string // modified-date or -modified-date
	ListOptions
}

func versionsRequest(pageID string, o *VersionListOptions) (*request, error) {
	pid, err := pathID(pageID)
	if err != nil {
		return nil, err
	}
	q := query{}
	if o != nil {
		q.str("body-format", string(o.BodyFormat))
		q.str("sort", o.Sort)
		o.ListOptions.apply(q)
	}
	return &request{method: "GET", route: "/wiki/api/v2/pages/{id}/versions",
		path: "/wiki/api/v2/pages/" + pid + "/versions", query: urlValues(q)}, nil
}

// List returns one page of a page's versions.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/versions
func (s *VersionsService) List(ctx context.Context, pageID string, opts *VersionListOptions) ([]Version, *Response, error) {
	req, err := versionsRequest(pageID, opts)
	if err != nil {
		return nil, nil, err
	}
	return list[Version](ctx, s.client, req)
}

// ListIter yields every version of a page.
//
// Confluence API: GET /wiki/api/v2/pages/{id}/versions
func (s *VersionsService) ListIter(ctx context.Context, pageID string, opts *VersionListOptions) iter.Seq2[Version, error] {
	req, err := versionsRequest(pageID, opts)
	if err != nil {
		return errSeq[Version](err)
	}
	return iterate[Version](ctx, s.client, req)
}

// Get returns one version's metadata. A missing version is an *Error
// matching ErrNotFound.
//
// Confluence API: GET /wiki/api/v2/pages/{page-id}/versions/{version-number}
func (s *VersionsService) Get(ctx context.Context, pageID string, number int) (*DetailedVersion, *Response, error) {
	pid, err := pathID(pageID)
	if err != nil {
		return nil, nil, err
	}
	req := &request{method: "GET", route: "/wiki/api/v2/pages/{id}/versions/{number}",
		path: "/wiki/api/v2/pages/" + pid + "/versions/" + strconv.Itoa(number)}
	var v DetailedVersion
	resp, err := s.client.get(ctx, req, &v)
	if err != nil {
		return nil, resp, err
	}
	return &v, resp, nil
}
