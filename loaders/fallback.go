package loaders

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The page tree without the hierarchy scopes. A scoped token may lack
// read:hierarchical-content:confluence (v2 direct-children and descendants; Atlassian's token
// page did not offer it, CONFCLOUD-82041) or read:content.metadata:confluence (v2 ancestors).
// WithHierarchyFallback reads the same answers through CQL content search, which the batched
// children read uses already: children by `parent = X`, descendants level by level by
// `parent in (...)`, ancestors by `id = X` with the v1 ancestors expansion.

// HierarchyRoutes names the v2 hierarchy routes a token cannot use.
type HierarchyRoutes struct {
	// NoHierarchy: v2 direct-children and descendants are refused (no
	// read:hierarchical-content:confluence).
	NoHierarchy bool
	// NoAncestors: v2 ancestors is refused (no read:content.metadata:confluence).
	NoAncestors bool
}

func (r HierarchyRoutes) or(o HierarchyRoutes) HierarchyRoutes {
	return HierarchyRoutes{NoHierarchy: r.NoHierarchy || o.NoHierarchy, NoAncestors: r.NoAncestors || o.NoAncestors}
}

// FallbackMemo remembers, per tenant and credential version, the hierarchy routes a tenant's
// token was refused at run time, so later requests go to the fallback at once. It holds one
// entry per tenant (the newest credential version seen). Safe for concurrent use; share one
// across requests.
type FallbackMemo struct {
	mu sync.Mutex
	m  map[string]memoEntry
}

type memoEntry struct {
	version int64
	routes  HierarchyRoutes
}

// NewFallbackMemo returns an empty memo.
func NewFallbackMemo() *FallbackMemo { return &FallbackMemo{m: map[string]memoEntry{}} }

// Routes returns what was learnt for tenant's credential version.
func (m *FallbackMemo) Routes(tenant string, version int64) HierarchyRoutes {
	if m == nil {
		return HierarchyRoutes{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.m[tenant]; ok && e.version == version {
		return e.routes
	}
	return HierarchyRoutes{}
}

// learn adds r to what is known of tenant's credential version; an older version's entry is
// replaced, and a call for an older version than the stored one is ignored.
func (m *FallbackMemo) learn(tenant string, version int64, r HierarchyRoutes) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[tenant]
	switch {
	case ok && e.version > version:
		return
	case ok && e.version == version:
		e.routes = e.routes.or(r)
	default:
		e = memoEntry{version: version, routes: r}
	}
	m.m[tenant] = e
}

// MissingScopesError is a field no route could serve: the token lacks Scopes (the v2 route's
// and the fallback's). It wraps the fallback's error, so it matches confluence.ErrScopeMismatch.
type MissingScopesError struct {
	Scopes []string
	Err    error
}

func (e *MissingScopesError) Error() string {
	return "loaders: the token lacks the scopes " + strings.Join(e.Scopes, ", ") + ": " + e.Err.Error()
}

// Unwrap returns the fallback's error.
func (e *MissingScopesError) Unwrap() error { return e.Err }

// WithHierarchyFallback wraps up so that Children, Descendants and Ancestors use the CQL routes
// when the token cannot use the v2 ones: from the start when known (the stored capability
// probe) or memo says so for tenant and up's credential version (Credentialed), and after a
// v2 call answered 401 scope mismatch, which memo then remembers; that call is retried once
// through the fallback. The answers are the v2 routes': children in child order, descendants
// level by level (each level in child order) with Depth, ancestors top-most first. Fallback
// list cursors start with "fb:"; a v2 cursor is always sent to v2. Every other method, and the
// optional interfaces (Credentialed, Sited, ExpandingUpstream), pass through to up. When the
// fallback is refused for a scope too, the error is a *MissingScopesError naming both scopes.
func WithHierarchyFallback(up Upstream, memo *FallbackMemo, tenant string, known HierarchyRoutes) Upstream {
	f := &fallbackUpstream{wrapped: wrapped{up}, memo: memo, tenant: tenant, known: known, tree: newCQLTree(up)}
	f.cred = f.wrapped.CredentialVersion()
	return f
}

type fallbackUpstream struct {
	wrapped
	memo   *FallbackMemo
	tenant string
	cred   int64
	known  HierarchyRoutes
	tree   *cqlTree
}

var (
	_ ExpandingUpstream = (*fallbackUpstream)(nil)
	_ Credentialed      = (*fallbackUpstream)(nil)
	_ Sited             = (*fallbackUpstream)(nil)
)

// CredentialVersion implements Credentialed: up's version (0 when up is not Credentialed).
func (f *fallbackUpstream) CredentialVersion() int64 { return f.cred }

func (f *fallbackUpstream) routes() HierarchyRoutes {
	return f.known.or(f.memo.Routes(f.tenant, f.cred))
}

const fbCursor = "fb:"

// refused reports whether err is the gateway's scope refusal and, if so, remembers r.
func (f *fallbackUpstream) refused(err error, r HierarchyRoutes) bool {
	if !errors.Is(err, confluence.ErrScopeMismatch) {
		return false
	}
	f.memo.learn(f.tenant, f.cred, r)
	return true
}

// unservable turns a failed fallback read into the error of a field no route serves.
func unservable(err error, v2Scope string) error {
	if !errors.Is(err, confluence.ErrScopeMismatch) {
		return err
	}
	return &MissingScopesError{Scopes: append([]string{v2Scope}, confluence.MissingScopes(err)...), Err: err}
}

func (f *fallbackUpstream) Children(ctx context.Context, parent ContentRef, opt ListOptions) ([]Page, string, error) {
	if !strings.HasPrefix(opt.Cursor, fbCursor) && (opt.Cursor != "" || !f.routes().NoHierarchy) {
		ps, next, err := f.Upstream.Children(ctx, parent, opt)
		if !f.refused(err, HierarchyRoutes{NoHierarchy: true}) || opt.Cursor != "" {
			return ps, next, err
		}
	}
	ps, next, err := f.tree.listChildren(ctx, parent, opt)
	if err != nil {
		return nil, "", unservable(err, confluence.ScopeReadHierarchy)
	}
	return ps, next, nil
}

func (f *fallbackUpstream) Descendants(ctx context.Context, of ContentRef, depth int, opt ListOptions) ([]Page, string, error) {
	if !strings.HasPrefix(opt.Cursor, fbCursor) && (opt.Cursor != "" || !f.routes().NoHierarchy) {
		ps, next, err := f.Upstream.Descendants(ctx, of, depth, opt)
		if !f.refused(err, HierarchyRoutes{NoHierarchy: true}) || opt.Cursor != "" {
			return ps, next, err
		}
	}
	ps, next, err := f.tree.listDescendants(ctx, of, depth, opt)
	if err != nil {
		return nil, "", unservable(err, confluence.ScopeReadHierarchy)
	}
	return ps, next, nil
}

func (f *fallbackUpstream) Ancestors(ctx context.Context, of ContentRef) ([]ContentRef, error) {
	if !f.routes().NoAncestors {
		refs, err := f.Upstream.Ancestors(ctx, of)
		if !f.refused(err, HierarchyRoutes{NoAncestors: true}) {
			return refs, err
		}
	}
	if !isDigits(of.ID) {
		return nil, &NotFoundError{Kind: cmp.Or(of.Kind, "page"), Key: of.ID}
	}
	rows, err := contentSearchAll(ctx, f.Upstream, "id = "+of.ID, []string{"ancestors"})
	if err != nil {
		return nil, unservable(err, confluence.ScopeReadMetadata)
	}
	for _, r := range rows {
		if r.Page.ID == of.ID {
			return nonNil(r.AncestorRefs), nil
		}
	}
	// CQL does not see archived pages: their ancestors are unknown here.
	return []ContentRef{}, nil
}

// windowOf reads a fallback cursor ("fb:<offset>") and the page size.
func windowOf(opt ListOptions) (from, limit int) {
	if n, err := strconv.Atoi(strings.TrimPrefix(opt.Cursor, fbCursor)); err == nil && n > 0 {
		from = n
	}
	limit = opt.Limit
	if limit <= 0 {
		limit = 25
	}
	return from, limit
}

// window cuts one page out of a whole list, with the fallback cursor of the next.
func window(all []Page, opt ListOptions) ([]Page, string, error) {
	from, limit := windowOf(opt)
	if from >= len(all) {
		return []Page{}, "", nil
	}
	end := min(from+limit, len(all))
	next := ""
	if end < len(all) {
		next = fbCursor + strconv.Itoa(end)
	}
	return append([]Page(nil), all[from:end]...), next, nil
}
