package loaders

import (
	"context"
	"strconv"
)

// Typed entry points for resolvers. Each returns ErrNoLoaders when l is nil, ErrNotConnected
// (wrapped) when the tenant has no integration, a *NotFoundError for a missing key, or the
// upstream's error. need is how many items of a list the caller wants from its start (the
// result holds at most need items and says whether more follow); need <= 0 means all.

// Page returns one page (metadata, no body).
func (l *Loaders) Page(ctx context.Context, id string) (*Page, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.pages.Load(ctx, id)()
}

// Pages returns pages in the order of ids, with a per-id error (nil where found).
func (l *Loaders) Pages(ctx context.Context, ids []string) ([]*Page, []error) {
	if l == nil {
		errs := make([]error, len(ids))
		for i := range errs {
			errs[i] = ErrNoLoaders
		}
		return make([]*Page, len(ids)), errs
	}
	ps, errs := l.pages.LoadMany(ctx, ids)()
	if errs == nil {
		errs = make([]error, len(ids))
	}
	return ps, errs
}

// PagesWithBody returns pages in the order of ids, like Pages, each with its current body in
// format (storage, atlas_doc_format or view). For storage and atlas_doc_format one GET
// /pages?id=...&body-format=... per 250 ids serves the metadata and the bodies; view has no
// bulk form and costs one GET /pages/{id}?body-format=view per page, which also brings the
// metadata. It primes the page loader with the metadata and the body loader with each body
// under its version number, so Page and Body for these ids (current version, same format)
// cost nothing more. A missing id gets a *NotFoundError of kind "page". With the cross-request
// cache, a page whose metadata and body at that version are cached costs no call.
func (l *Loaders) PagesWithBody(ctx context.Context, ids []string, format string) ([]*Page, []error) {
	if l == nil {
		return l.Pages(ctx, ids)
	}
	keys := make([]bodyKey, len(ids))
	for i, id := range ids {
		keys[i] = bodyKey{ID: id, Format: format, Current: true}
	}
	ps, errs := l.bodies.LoadMany(ctx, keys)()
	if errs == nil {
		errs = make([]error, len(ids))
	}
	return ps, errs
}

// PrimePage records a complete page so later loads of its id cost nothing.
func (l *Loaders) PrimePage(ctx context.Context, p Page) {
	if l == nil || p.Partial {
		return
	}
	l.pages.Prime(ctx, p.ID, &p)
}

// Body returns a page with its body in format (storage, atlas_doc_format or view) at version
// (0 = current; current true when version is known to be the current one). Current storage and
// ADF bodies of many pages come from one bulk call; other versions are cached across requests.
func (l *Loaders) Body(ctx context.Context, id string, version int, current bool, format string) (*Page, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	if version == 0 {
		current = true
	}
	return l.bodies.Load(ctx, bodyKey{ID: id, Version: version, Format: format, Current: current})()
}

// SpaceByID returns a space by id.
func (l *Loaders) SpaceByID(ctx context.Context, id string) (*Space, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.spacesByID.Load(ctx, id)()
}

// SpaceByKey returns a space by key (case-insensitive).
func (l *Loaders) SpaceByKey(ctx context.Context, key string) (*Space, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.spacesByKey.Load(ctx, key)()
}

// Spaces lists spaces (restricted to keys and typ when given) from the start, need items.
func (l *Loaders) Spaces(ctx context.Context, keys []string, typ string, need int) (List[Space], error) {
	if l == nil {
		return List[Space]{}, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return List[Space]{}, err
	}
	list, err := collect(ctx, need, func(opt ListOptions) ([]Space, string, error) {
		return up.Spaces(ctx, nil, keys, typ, opt)
	})
	for _, s := range list.Items {
		l.primeSpace(ctx, s)
	}
	return list, err
}

// User returns an account by id.
func (l *Loaders) User(ctx context.Context, accountID string) (*User, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.users.Load(ctx, accountID)()
}

// Labels returns every label of a page.
func (l *Loaders) Labels(ctx context.Context, pageID string) ([]Label, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.labels.Load(ctx, pageID)()
}

// Children returns the first need child pages of a page (Partial records).
func (l *Loaders) Children(ctx context.Context, pageID string, need int) (List[Page], error) {
	if l == nil {
		return List[Page]{}, ErrNoLoaders
	}
	return l.children.Load(ctx, listKey{ID: pageID, N: need})()
}

// Descendants returns the first need pages below a page down to depth levels (Partial records).
func (l *Loaders) Descendants(ctx context.Context, pageID string, depth, need int) (List[Page], error) {
	if l == nil {
		return List[Page]{}, ErrNoLoaders
	}
	return l.descendants.Load(ctx, listKey{ID: pageID, Arg: strconv.Itoa(depth), N: need})()
}

// SpacePages returns the first need pages of a space (top-level only when root).
func (l *Loaders) SpacePages(ctx context.Context, spaceID string, root bool, need int) (List[Page], error) {
	if l == nil {
		return List[Page]{}, ErrNoLoaders
	}
	arg := "all"
	if root {
		arg = "root"
	}
	return l.spacePages.Load(ctx, listKey{ID: spaceID, Arg: arg, N: need})()
}

// Ancestors returns the ids of a page's ancestors, the top-most first.
func (l *Loaders) Ancestors(ctx context.Context, pageID string) ([]string, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.ancestors.Load(ctx, pageID)()
}

// Comments returns the first need top-level comments of a page of kind (CommentFooter,
// CommentInline, or "" for footer comments followed by inline ones).
func (l *Loaders) Comments(ctx context.Context, pageID, kind string, need int) (List[Comment], error) {
	if l == nil {
		return List[Comment]{}, ErrNoLoaders
	}
	return l.comments.Load(ctx, listKey{ID: pageID, Arg: kind, N: need})()
}

// Replies returns the first need replies to a comment of the given kind.
func (l *Loaders) Replies(ctx context.Context, commentID, kind string, need int) (List[Comment], error) {
	if l == nil {
		return List[Comment]{}, ErrNoLoaders
	}
	return l.replies.Load(ctx, listKey{ID: commentID, Arg: kind, N: need})()
}

// Versions returns the first need versions of a page, newest first. With bodies (and need at
// most 50, Confluence's cap for version lists with bodies) the list also brings each version's
// storage body and primes the body loader, so Version.body costs no further call.
func (l *Loaders) Versions(ctx context.Context, pageID string, need int, bodies bool) (List[Version], error) {
	if l == nil {
		return List[Version]{}, ErrNoLoaders
	}
	arg := ""
	if bodies && need <= versionBodyCap {
		arg = "bodies"
	}
	return l.versions.Load(ctx, listKey{ID: pageID, Arg: arg, N: need})()
}

// versionBodyCap is the most versions Confluence lists per call with bodies.
const versionBodyCap = 50

// Version returns one version of a page; a *NotFoundError when it does not exist.
func (l *Loaders) Version(ctx context.Context, pageID string, number int) (*Version, error) {
	if l == nil {
		return nil, ErrNoLoaders
	}
	return l.versionOne.Load(ctx, versionKey{PageID: pageID, Number: number})()
}

// Attachments returns the first need attachments of a page, filtered by mediaType when set.
func (l *Loaders) Attachments(ctx context.Context, pageID, mediaType string, need int) (List[Attachment], error) {
	if l == nil {
		return List[Attachment]{}, ErrNoLoaders
	}
	return l.attachments.Load(ctx, listKey{ID: pageID, Arg: mediaType, N: need})()
}

// Search runs a CQL query from its first result, need hits.
//
// With bodies (and need <= 50, Confluence's row cap when bodies are expanded) the search also
// brings the current storage body of every page hit and primes the body loader with it, so
// `page { body }` on the hits costs no further call.
func (l *Loaders) Search(ctx context.Context, cql string, need int, bodies bool) (SearchPage, bool, error) {
	if l == nil {
		return SearchPage{}, false, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return SearchPage{}, false, err
	}
	bodies = bodies && need <= searchBodyCap
	var total int
	var ran string
	list, err := collect(ctx, need, func(opt ListOptions) ([]SearchHit, string, error) {
		sp, err := up.Search(ctx, cql, opt, bodies)
		if ran == "" {
			total, ran = sp.Total, sp.CQL
		}
		return sp.Hits, sp.Next, err
	})
	if err != nil {
		return SearchPage{}, false, err
	}
	if ran == "" {
		ran = cql
	}
	for _, h := range list.Items {
		if !h.HasBody || h.ContentID == "" {
			continue
		}
		p := &Page{ID: h.ContentID, Title: h.Title, Partial: true, Body: h.Body, Version: Version{PageID: h.ContentID, Number: h.Version}}
		for _, k := range []bodyKey{{ID: p.ID, Format: "storage", Current: true}, {ID: p.ID, Version: h.Version, Format: "storage", Current: true}} {
			l.bodies.Prime(ctx, k, p)
		}
		l.cacheBody(*p, "storage")
	}
	return SearchPage{Hits: list.Items, Total: total, CQL: ran}, list.More, nil
}

// searchBodyCap is the most rows v1 search returns per call with a body expansion.
const searchBodyCap = 50

// Users returns accounts in the order of ids, with a per-id error (nil where found).
func (l *Loaders) Users(ctx context.Context, ids []string) ([]*User, []error) {
	if l == nil {
		errs := make([]error, len(ids))
		for i := range errs {
			errs[i] = ErrNoLoaders
		}
		return make([]*User, len(ids)), errs
	}
	us, errs := l.users.LoadMany(ctx, ids)()
	if errs == nil {
		errs = make([]error, len(ids))
	}
	return us, errs
}
