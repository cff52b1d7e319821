package loaders

import (
	"context"
	"fmt"
	"strings"

	"github.com/graph-gophers/dataloader/v7"
)

// Page details: the comments (with their authors), attachments and labels of many pages in one
// v1 CQL content search id in (...) with the children expansions, 50 pages a call (comment
// bodies cap a v1 search page at 50). It needs an ExpandingUpstream; a page whose expanded
// collection is cut (more than 25 items) is read per page, so nothing is dropped.

// detailsExpand are the expansions of the details call. children.comment holds a page's
// top-level comments only; their inline selection and resolution come only when expanded.
var detailsExpand = []string{"metadata.labels", "children.comment.body.storage", "children.comment.version", "children.comment.ancestors",
	"children.comment.extensions.inlineProperties", "children.comment.extensions.resolution", "children.attachment.version"}

const detailsChunk = 50

// expandsDetails reports whether n keys (at most most; 0: any number) are read through the
// batched details read: the upstream decodes children expansions and more than one key is asked.
func (l *Loaders) expandsDetails(ctx context.Context, n, most int) bool {
	if l.cfg.NoCQLBatching || n < 2 || (most > 0 && n > most) {
		return false
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return false
	}
	x, ok := up.(ExpandingUpstream)
	return ok && x.ExpandsChildren()
}

// expandedUpTo returns the expanded content of each of ids (one per key, repeats allowed) when
// expandsDetails(len(ids), most); nil entries (and a nil slice) mean "use the per-page endpoints".
func (l *Loaders) expandedUpTo(ctx context.Context, ids []string, most int) []*Content {
	if !l.expandsDetails(ctx, len(ids), most) {
		return nil
	}
	cs, errs := l.batchers().details.LoadMany(ctx, ids)()
	for i := range errs {
		if errs[i] != nil {
			// Confluence is rate limiting or failing: report it rather than fan out.
			cs[i] = &Content{err: errs[i]}
		}
	}
	return cs
}

// fromDetails answers, from the batched details read of ids (one per key; expandedUpTo with
// most), the keys it can: the read's error where it failed for good, pick's answer where pick
// finds the expanded list complete. The other results stay nil, for fillRest.
func fromDetails[V any](ctx context.Context, l *Loaders, ids []string, most int, pick func(ct *Content, i int) (V, bool)) []*dataloader.Result[V] {
	out := make([]*dataloader.Result[V], len(ids))
	for i, ct := range l.expandedUpTo(ctx, ids, most) {
		if ct == nil {
			continue
		}
		if ct.err != nil {
			out[i] = &dataloader.Result[V]{Error: ct.err}
		} else if v, ok := pick(ct, i); ok {
			out[i] = &dataloader.Result[V]{Data: v}
		}
	}
	return out
}

func (l *Loaders) loadDetails(ctx context.Context, ids []string) []*dataloader.Result[*Content] {
	out := make([]*dataloader.Result[*Content], len(ids))
	up, err := l.upstream(ctx)
	if err != nil {
		return fail[*Content](len(ids), err)
	}
	got := map[string]*Content{}
	// A refused search leaves the pages it did not answer to the per-page endpoints.
	if _, err := searchChunks(ctx, up, ids, detailsChunk, "id in (%s)", detailsExpand, func(ct Content) bool {
		got[ct.Page.ID] = &ct
		for _, u := range ct.Users {
			if u.AccountID != "" && u.DisplayName != nil {
				l.primeUser(ctx, u)
			}
		}
		return true
	}); err != nil {
		return fail[*Content](len(ids), err)
	}
	for i, id := range ids {
		out[i] = &dataloader.Result[*Content]{Data: got[id]} // nil: not expanded, fall back
	}
	return out
}

// pageIDs returns the page each key names, aligned to keys.
func pageIDs[K interface{ pageID() string }](keys []K) []string {
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.pageID()
	}
	return ids
}

// searchChunks runs one CQL content search (to its end) per size ids, query holding %s where the
// ids' IN list goes, and hands every row to row, which returns false to stop. It reports !ok when
// Confluence refused a search (canFallBack) or row stopped: the caller then uses the per-page
// endpoints; another failure is returned.
func searchChunks(ctx context.Context, up Upstream, ids []string, size int, query string, expand []string,
	row func(Content) bool) (ok bool, err error) {
	for _, c := range chunks(ids, size) {
		cs, err := contentSearchAll(ctx, up, fmt.Sprintf(query, cqlIDs(c)), expand)
		if err != nil {
			if !canFallBack(err) {
				return false, err
			}
			return false, nil
		}
		for _, ct := range cs {
			if !row(ct) {
				return false, nil
			}
		}
	}
	return true, nil
}

// contentSearchAll runs a CQL content search to its end.
func contentSearchAll(ctx context.Context, up Upstream, cql string, expand []string) ([]Content, error) {
	return collectAll(ctx, func(opt ListOptions) ([]Content, string, error) {
		return up.ContentSearch(ctx, cql, expand, opt)
	})
}

// cqlIDs renders ids for an IN list; ids are digits only (anything else is dropped).
func cqlIDs(ids []string) string {
	var b strings.Builder
	for _, id := range ids {
		if !isDigits(id) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id)
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
