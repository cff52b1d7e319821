package confluence

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// list fetches one page of a collection: a v2 MultiEntityResult or a v1
// array, which share the shape of ExpandedArray.
func list[T any](ctx context.Context, c *Client, req *request) ([]T, *Response, error) {
	var page ExpandedArray[T]
	resp, err := c.get(ctx, req, &page)
	if err != nil {
		return nil, resp, err
	}
	resp.setLinks(links{Next: page.Links.Next, Base: page.Links.Base})
	return page.Results, resp, nil
}

// iterate yields every item of a collection, following next links until a
// page has none (a short page is not the end). It stops at the first error,
// which it yields, and refuses a next link it has already followed.
func iterate[T any](ctx context.Context, c *Client, first *request) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		req := first
		seen := map[string]bool{}
		for {
			items, resp, err := list[T](ctx, c, req)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if resp.NextURL == "" {
				return
			}
			if seen[resp.NextURL] {
				yield(zero, fmt.Errorf("confluence: %s: next link repeats; stopping", first.endpoint()))
				return
			}
			seen[resp.NextURL] = true
			req = &request{method: first.method, route: first.route, next: withParams(resp.NextURL, first.keep), search: first.search}
		}
	}
}

// collect drains an iterator.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// query builds URL parameters, skipping zero values.
type query url.Values

func (q query) str(k, v string) {
	if v != "" {
		url.Values(q).Set(k, v)
	}
}

func (q query) int(k string, v int) {
	if v > 0 {
		url.Values(q).Set(k, strconv.Itoa(v))
	}
}

func (q query) bool(k string, v bool) {
	if v {
		url.Values(q).Set(k, "true")
	}
}

// csv sets a comma-separated list: the form of v1's multi-value expand.
// v2 array parameters go through each.
func (q query) csv(k string, vs []string) {
	if len(vs) > 0 {
		url.Values(q).Set(k, strings.Join(vs, ","))
	}
}

// each repeats the parameter per value (id=1&id=2, status=current&status=archived):
// the v2 OpenAPI document declares its array parameters as type array with no
// style/explode, which in OpenAPI 3.0 is form style, exploded: repeated.
func (q query) each(k string, vs []string) {
	for _, v := range vs {
		url.Values(q).Add(k, v)
	}
}

// ListOptions are the paging parameters shared by v2 list calls.
type ListOptions struct {
	// Cursor is Response.NextCursor of the previous page; "" for the first.
	Cursor string
	// Limit is the page size (1..250); 0 uses Confluence's default (25, or
	// 50 for attachments).
	Limit int
}

func (o ListOptions) apply(q query) {
	q.str("cursor", o.Cursor)
	q.int("limit", o.Limit)
}

// BodyFormat is a body representation.
type BodyFormat string

// Body formats. Lists accept only storage and atlas_doc_format; single
// pages, comments and versions also accept view and export_view.
const (
	FormatStorage        BodyFormat = "storage"
	FormatAtlasDocFormat BodyFormat = "atlas_doc_format"
	FormatView           BodyFormat = "view"
	FormatExportView     BodyFormat = "export_view"
)

// maxBatch is the largest id list a v2 call accepts, and its largest limit.
const maxBatch = 250

// chunks splits ids into runs of at most n, dropping duplicates and empties.
func chunks(ids []string, n int) [][]string {
	seen := make(map[string]bool, len(ids))
	var out [][]string
	var cur []string
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		cur = append(cur, id)
		if len(cur) == n {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// urlValues converts q, giving nil for no parameters.
func urlValues(q query) url.Values {
	if len(q) == 0 {
		return nil
	}
	return url.Values(q)
}

// withParams adds to a next link the parameters of keep that it lacks
// (Confluence's search next links drop excerpt).
func withParams(next string, keep url.Values) string {
	if len(keep) == 0 {
		return next
	}
	u, err := url.Parse(next)
	if err != nil {
		return next
	}
	q := u.Query()
	changed := false
	for k, vs := range keep {
		if _, ok := q[k]; !ok {
			q[k] = vs
			changed = true
		}
	}
	if !changed {
		return next
	}
	u.RawQuery = q.Encode()
	return u.String()
}
