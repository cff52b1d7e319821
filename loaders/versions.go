package loaders

import (
	"context"
	"errors"
	"strconv"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/graph-gophers/dataloader/v7"
)

// Versions: one call per page (there is no bulk form), with the versions' storage bodies when
// asked; those bodies prime the body loader.

// VersionsRequest asks for the first First versions of a page, newest first.
type VersionsRequest struct {
	VersionsQuery
	First int
	// Current is the page's current version number as the caller read it (0: unknown). The
	// cross-request cache keys version lists by it, so a list cached before an edit is not
	// served to a request that has seen the edit.
	Current int
	From    ListFrom
}

// versionBodyCap is the most versions Confluence lists per call with bodies.
const versionBodyCap = 50

// Versions returns the first r.First versions of a page, newest first. With WithBodies (and
// First at most 50, Confluence's cap for version lists with bodies) the list also brings each
// version's storage body and primes the body loader, so Version.body costs no further call; the
// versions returned never carry bodies.
func (l *Loaders) Versions(ctx context.Context, r VersionsRequest) (List[Version], error) {
	r.WithBodies = r.WithBodies && r.First <= versionBodyCap
	key := versionsKey{VersionsQuery: r.VersionsQuery, N: r.First, Current: r.Current, From: r.From}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[versionsKey, List[Version]] { return l.batchers().versions }, key)
}

// Version returns one version of a page; a *NotFoundError when it does not exist.
func (l *Loaders) Version(ctx context.Context, pageID string, number int) (*Version, error) {
	return l.ContentVersion(ctx, KindPage, pageID, number)
}

// ContentVersion is Version for content of kind content (a page or a blog post).
func (l *Loaders) ContentVersion(ctx context.Context, content ContentKind, id string, number int) (*Version, error) {
	key := versionKey{PageID: id, Content: content, Number: number}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[versionKey, *Version] { return l.batchers().versionOne }, key)
}

func (l *Loaders) loadVersions(ctx context.Context, keys []versionsKey) []*dataloader.Result[List[Version]] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k versionsKey) (List[Version], error) {
		list, err := collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Version, string, error) {
			return up.Versions(ctx, k.VersionsQuery, opt)
		})
		for i, v := range list.Items {
			if v.HasBody {
				meta := v
				meta.HasBody, meta.Title, meta.Body = false, "", ""
				p := Page{ID: k.PageID, Title: v.Title, Partial: true, Body: v.Body, Current: meta, Content: k.Content}
				l.primeBody(ctx, p, "storage", false)
				l.cacheBody(p, "storage")
			}
			list.Items[i].Body, list.Items[i].HasBody = "", false // bodies live in the body loader
			list.Items[i].Kind = k.Content
		}
		return list, err
	})
}

func (l *Loaders) loadVersion(ctx context.Context, keys []versionKey) []*dataloader.Result[*Version] {
	return each(ctx, l, keys, func(ctx context.Context, up Upstream, k versionKey) (*Version, error) {
		v, err := up.Version(ctx, k.Content, k.PageID, k.Number)
		if errors.Is(err, confluence.ErrNotFound) {
			return nil, &NotFoundError{Kind: "version", Key: k.PageID + "@" + strconv.Itoa(k.Number)}
		}
		if err != nil {
			return nil, err
		}
		v.Kind = k.Content
		return &v, nil
	})
}
