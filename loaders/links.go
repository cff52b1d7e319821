package loaders

import (
	"context"
	"net/url"
	"strings"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
)

// Link targets: what the links, images and diagrams of a body point to, resolved to absolute
// URLs on the tenant's site. Every body converted in a request joins one batch: one CQL search
// finds the pages, blog posts and spaces named by id or by space and title (titles without a
// space in the current space), then one attachment read (the details search, or one list per
// page without it) finds the files, on the page itself or on the pages the first step found.
// Answers, including "no such target", are kept across requests for the metadata TTL.

// LinkHolder is the content a body belongs to: its page (whose attachments a bare file name
// means) and, when known, its space key (which a title without a space means).
type LinkHolder struct {
	PageID   string
	SpaceKey string
	// Content is the kind of content PageID names (KindPage or KindBlogPost), for the files
	// the body links on its own content.
	Content ContentKind
}

// linkKey is one target of a body on Holder's page.
type linkKey struct {
	Holder LinkHolder
	Target storage.LinkTarget
}

// relative reports whether the target's meaning depends on the holder: a title without a space
// (the current space) or a file without a container (the current page).
func (k linkKey) relative() bool {
	t := k.Target
	if t.Kind == storage.LinkAttachment {
		return t.Container == 0 || (t.ContentID == "" && t.SpaceKey == "")
	}
	return t.ContentID == "" && t.SpaceKey == "" && t.Kind != storage.LinkSpace
}

// cacheID is the key's cross-request cache id: the target, with the holder's page when the
// target is relative to it.
func (k linkKey) cacheID() string {
	t := k.Target
	parts := []string{t.Kind.String(), t.ContentID, t.SpaceKey, t.Title, t.PostingDay, t.Filename, t.Container.String()}
	if k.relative() {
		parts = append(parts, k.Holder.PageID)
	}
	return strings.Join(parts, "\x00")
}

// ResolveLinks returns the absolute URL of each of targets (as storage.Links reports them for a
// body of holder's page) that exists and is visible; a target missing from the map does not
// exist. Concurrent calls of one request share one batch (at most one CQL search and one
// attachment read in all); answers are cached across requests for the metadata TTL. An error
// means the lookup itself failed; callers then render the links unresolved.
func (l *Loaders) ResolveLinks(ctx context.Context, holder LinkHolder, targets []storage.LinkTarget) (map[storage.LinkTarget]string, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	keys := make([]linkKey, len(targets))
	for i, t := range targets {
		keys[i] = linkKey{Holder: holder, Target: t}
	}
	urls, errs := l.batchers().links.LoadMany(ctx, keys)()
	out := make(map[storage.LinkTarget]string, len(targets))
	for i, t := range targets {
		if errs != nil && errs[i] != nil {
			return nil, errs[i]
		}
		if urls[i] != "" {
			out[t] = urls[i]
		}
	}
	return out, nil
}

func (l *Loaders) loadLinks(ctx context.Context, keys []linkKey) []*dataloader.Result[string] {
	out := make([]*dataloader.Result[string], len(keys))
	policy, err := l.policy(ctx)
	if err != nil {
		return fill(out, err)
	}
	restricted := !policy.Empty() // resolved under the policy: never from or into the shared cache
	var todo []int
	for i, k := range keys {
		if restricted {
			todo = append(todo, i)
			continue
		}
		if v, ok := l.cached(entryKey{Kind: entryLink, ID: k.cacheID()}); ok {
			out[i] = &dataloader.Result[string]{Data: v.(string)}
			continue
		}
		if k.Target.Kind != storage.LinkAttachment && k.Target.ContentID != "" {
			if m, ok := l.cached(entryKey{Kind: entryPage, ID: k.Target.ContentID}); ok && m.(Page).URL != "" {
				out[i] = &dataloader.Result[string]{Data: m.(Page).URL}
				continue
			}
		}
		todo = append(todo, i)
	}
	if len(todo) == 0 {
		return out
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return fill(out, err)
	}
	r := newLinkResolver(keys, todo, l.cachedSpaceKey)
	if restricted {
		r.restrict = func(q string) (string, error) {
			w, _, err := l.policyCQL(ctx, q)
			return w, err
		}
	}
	if err := r.searchContent(ctx, up); err != nil {
		return fill(out, err)
	}
	if err := r.findAttachments(ctx, l); err != nil {
		return fill(out, err)
	}
	for _, i := range todo {
		u := r.url(keys[i])
		out[i] = &dataloader.Result[string]{Data: u}
		if !restricted {
			l.putMeta(entryKey{Kind: entryLink, ID: keys[i].cacheID()}, u)
		}
	}
	return out
}

// cachedSpaceKey is a page's space key as far as the cross-request cache knows it, from the
// page's web URL; "" when unknown.
func (l *Loaders) cachedSpaceKey(pageID string) string {
	if m, ok := l.cached(entryKey{Kind: entryPage, ID: pageID}); ok {
		return SpaceKeyOfURL(m.(Page).URL)
	}
	return ""
}

// SpaceKeyOfURL returns the space key in a Confluence web URL (".../spaces/KEY/..." or
// ".../display/KEY/..."), or "".
func SpaceKeyOfURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "spaces" || parts[i] == "display" {
			k, _ := url.PathUnescape(parts[i+1])
			return k
		}
	}
	return ""
}
