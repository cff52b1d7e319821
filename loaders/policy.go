package loaders

import (
	"context"
	"fmt"
	"slices"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// The tenant's read policy (package readpolicy), enforced here, after the caches: every entry
// point that returns content checks what it returns against the policy the request's Upstream
// is bound to, so a cached record is filtered by the policy of the request that reads it, never
// trusted. A hidden page, blog post or space is a *NotFoundError, like one that does not exist;
// hidden items leave lists; a search runs with the policy in its CQL and its hits are filtered
// again. The checks use the loaders' own batched, cached reads: a page's space by its id (one
// spaces call for the allowed keys, cached), its labels through the labels loader (the same
// read a query selecting labels makes), so enforcing costs no call for a query that selects
// labels and at most one batched call otherwise.

// Policied is implemented by an Upstream bound to its tenant's read policy (WithReadPolicy).
type Policied interface {
	ReadPolicy() readpolicy.Policy
}

// WithReadPolicy returns up bound to p: loaders built over it hide what p hides. An empty p
// returns up itself. The result keeps up's optional interfaces (Credentialed, Sited,
// ExpandingUpstream).
func WithReadPolicy(up Upstream, p readpolicy.Policy) Upstream {
	if up == nil || p.Empty() {
		return up
	}
	return &policied{wrapped: wrapped{up}, p: p}
}

type policied struct {
	wrapped
	p readpolicy.Policy
}

var (
	_ Policied          = (*policied)(nil)
	_ ExpandingUpstream = (*policied)(nil)
	_ Credentialed      = (*policied)(nil)
	_ Sited             = (*policied)(nil)
)

func (u *policied) ReadPolicy() readpolicy.Policy { return u.p }

// policy returns the read policy of the request's tenant (empty when none is set).
func (l *Loaders) policy(ctx context.Context) (readpolicy.Policy, error) {
	if l == nil {
		return readpolicy.Policy{}, ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return readpolicy.Policy{}, err
	}
	if p, ok := up.(Policied); ok {
		return p.ReadPolicy(), nil
	}
	return readpolicy.Policy{}, nil
}

// spaceKeys returns the keys of the spaces with ids, through the spaces loader (batched and
// cached: a query that selects its pages' space reads the same spaces).
func (l *Loaders) spaceKeys(ctx context.Context, ids []string) (map[string]string, error) {
	spaces, errs := loadMany(ctx, l, func(l *Loaders) *dataloader.Loader[string, *Space] { return l.batchers().spacesByID }, ids)
	keys := make(map[string]string, len(spaces))
	for i, s := range spaces {
		switch {
		case errs[i] == nil && s != nil:
			keys[ids[i]] = s.Key
		case errs[i] != nil && !isNotFound(errs[i]):
			return nil, errs[i]
		}
	}
	return keys, nil
}

// hiddenSpace reports whether the policy hides the space with id or key.
func (l *Loaders) hiddenSpace(ctx context.Context, s *Space) (bool, error) {
	p, err := l.policy(ctx)
	if err != nil || len(p.AllowedSpaces) == 0 {
		return false, err
	}
	return !p.AllowsSpace(s.Key), nil
}

// visible reports, for each of ps (nil entries are not visible), whether the policy lets it be
// read: its space (by SpaceID, through the spaces loader; a listing record without one lies in
// its parent's space, which was checked) and its labels (through the labels loader).
func (l *Loaders) visible(ctx context.Context, ps []*Page) ([]bool, error) {
	ok := make([]bool, len(ps))
	p, err := l.policy(ctx)
	if err != nil {
		return nil, err
	}
	for i, pg := range ps {
		ok[i] = pg != nil
	}
	if p.Empty() {
		return ok, nil
	}
	var spaceKeys map[string]string
	if len(p.AllowedSpaces) > 0 {
		var ids []string
		for i, pg := range ps {
			if ok[i] && pg.SpaceID != "" && !slices.Contains(ids, pg.SpaceID) {
				ids = append(ids, pg.SpaceID)
			}
		}
		if spaceKeys, err = l.spaceKeys(ctx, ids); err != nil {
			return nil, err
		}
	}
	var keys []contentKey
	var at []int
	for i, pg := range ps {
		if !ok[i] {
			continue
		}
		if spaceKeys != nil && pg.SpaceID != "" && !p.AllowsSpace(spaceKeys[pg.SpaceID]) {
			ok[i] = false
			continue
		}
		if p.RestrictsLabels() && isLabelled(pg) {
			keys = append(keys, contentKey{ID: pg.ID, Content: pg.Content})
			at = append(at, i)
		}
	}
	if len(keys) == 0 {
		return ok, nil
	}
	labels, errs := l.batchers().labels.LoadMany(ctx, keys)()
	if errs == nil {
		errs = make([]error, len(keys))
	}
	for j, i := range at {
		if errs[j] != nil {
			if isNotFound(errs[j]) {
				ok[i] = false
				continue
			}
			return nil, errs[j]
		}
		if !p.AllowsLabels(labelNames(labels[j])) {
			ok[i] = false
		}
	}
	return ok, nil
}

// isLabelled reports whether records of pg's kind carry labels (pages and blog posts; folders
// and the other tree kinds have none).
func isLabelled(pg *Page) bool { return pg.Kind == "" || pg.Kind == "page" || pg.Kind == "blogpost" }

func labelNames(ls []Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Name
	}
	return out
}

// checkOne returns pg, or a *NotFoundError of kind when the policy hides it.
func (l *Loaders) checkOne(ctx context.Context, pg *Page, err error, kind string, id string) (*Page, error) {
	if err != nil || pg == nil {
		return pg, err
	}
	ok, err := l.visible(ctx, []*Page{pg})
	if err != nil {
		return nil, err
	}
	if !ok[0] {
		return nil, &NotFoundError{Kind: kind, Key: id}
	}
	return pg, nil
}

// checkMany hides, in place, the entries of ps the policy hides (nil with a *NotFoundError).
func (l *Loaders) checkMany(ctx context.Context, ps []*Page, errs []error, kind string, ids []string) ([]*Page, []error) {
	ok, err := l.visible(ctx, ps)
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				ps[i], errs[i] = nil, err
			}
		}
		return ps, errs
	}
	for i := range ps {
		if errs[i] == nil && !ok[i] {
			ps[i], errs[i] = nil, &NotFoundError{Kind: kind, Key: ids[i]}
		}
	}
	return ps, errs
}

// filterList keeps the items of list the policy lets be read.
func (l *Loaders) filterList(ctx context.Context, list List[Page], err error) (List[Page], error) {
	if err != nil || len(list.Items) == 0 {
		return list, err
	}
	ps := make([]*Page, len(list.Items))
	for i := range list.Items {
		ps[i] = &list.Items[i]
	}
	ok, err := l.visible(ctx, ps)
	if err != nil {
		return List[Page]{}, err
	}
	kept := make([]Page, 0, len(list.Items))
	for i, p := range list.Items {
		if ok[i] {
			kept = append(kept, p)
		}
	}
	list.Items = kept
	return list, nil
}

// policyCQL returns cql restricted by the policy (readpolicy.Policy.Wrap), and the policy.
func (l *Loaders) policyCQL(ctx context.Context, query string) (string, readpolicy.Policy, error) {
	p, err := l.policy(ctx)
	if err != nil || p.Empty() {
		return query, p, err
	}
	q, err := cql.Parse(query)
	if err != nil {
		return "", p, fmt.Errorf("loaders: a query checked before it was sent no longer parses: %w", err)
	}
	w, err := p.Wrap(q)
	if err != nil {
		return "", p, err
	}
	return w.String(), p, nil
}

// filterHits keeps the search hits the policy lets be read: a hit's space must be allowed; a
// page or blog post must not carry an excluded label; a comment or attachment is judged by its
// container (SearchQuery.WithContainers), and left out when its container is unknown.
func (l *Loaders) filterHits(ctx context.Context, p readpolicy.Policy, hits []SearchHit) ([]SearchHit, error) {
	if p.Empty() {
		return hits, nil
	}
	var pages []*Page
	var at []int
	keep := make([]bool, len(hits))
	for i, h := range hits {
		if h.SpaceKey != "" && !p.AllowsSpace(h.SpaceKey) || h.SpaceKey == "" && len(p.AllowedSpaces) > 0 {
			continue
		}
		switch h.Type {
		case "space":
			keep[i] = true
		case "page", "blogpost":
			pg := &Page{ID: h.ContentID}
			if h.Type == "blogpost" {
				pg.Content = KindBlogPost
			}
			if h.Labels != nil {
				keep[i] = p.AllowsLabels(h.Labels)
				continue
			}
			pages, at = append(pages, pg), append(at, i)
		default:
			if h.Container.ID == "" {
				continue // a comment or attachment whose page cannot be checked is hidden
			}
			pg := &Page{ID: h.Container.ID, Kind: h.Container.Kind}
			if h.Container.Kind == "blogpost" {
				pg.Content = KindBlogPost
			}
			pages, at = append(pages, pg), append(at, i)
		}
	}
	if len(pages) > 0 {
		ok, err := l.visible(ctx, pages)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			keep[i] = ok[j]
		}
	}
	out := hits[:0:0]
	for i, h := range hits {
		if keep[i] {
			out = append(out, h)
		}
	}
	return out, nil
}

// hiddenAncestors drops from refs the pages and blog posts the policy hides.
func (l *Loaders) hiddenAncestors(ctx context.Context, refs []ContentRef) ([]ContentRef, error) {
	p, err := l.policy(ctx)
	if err != nil || p.Empty() || len(refs) == 0 {
		return refs, err
	}
	ps := make([]*Page, len(refs))
	for i, r := range refs {
		ps[i] = &Page{ID: r.ID, Kind: r.Kind}
	}
	ok, err := l.visible(ctx, ps)
	if err != nil {
		return nil, err
	}
	out := make([]ContentRef, 0, len(refs))
	for i, r := range refs {
		if ok[i] {
			out = append(out, r)
		}
	}
	return out, nil
}

// checkSpace returns s, or a *NotFoundError when the policy hides it.
func (l *Loaders) checkSpace(ctx context.Context, s *Space, err error, key string) (*Space, error) {
	if err != nil || s == nil {
		return s, err
	}
	hidden, err := l.hiddenSpace(ctx, s)
	if err != nil {
		return nil, err
	}
	if hidden {
		return nil, &NotFoundError{Kind: "space", Key: key}
	}
	return s, nil
}

// checkContainer returns a *NotFoundError for attachment attID when the policy hides the page or
// blog post containerID it belongs to (an attachment of hidden content is hidden too).
func (l *Loaders) checkContainer(ctx context.Context, containerID, attID string) error {
	p, err := l.policy(ctx)
	if err != nil || p.Empty() {
		return err
	}
	if containerID == "" {
		return &NotFoundError{Kind: "attachment", Key: attID}
	}
	if _, err := l.Page(ctx, containerID); err == nil {
		return nil
	} else if !isNotFound(err) {
		return err
	}
	if _, err := l.BlogPost(ctx, containerID); err != nil {
		if isNotFound(err) {
			return &NotFoundError{Kind: "attachment", Key: attID}
		}
		return err
	}
	return nil
}
