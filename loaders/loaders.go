package loaders

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/dataloader/v7"
)

// Source returns the Upstream of the tenant the request belongs to. It returns an error matching
// ErrNotConnected when the tenant has no Confluence integration; other errors reach the client
// through the GraphQL error presenter. It is called at most once per request, lazily, and
// always before the request's first cross-request cache read: it is where the tenant's stored
// integration is checked, and the Upstream it returns names the credential (Credentialed) the
// request's cache entries are keyed by.
type Source func(ctx context.Context) (Upstream, error)

// Credentialed is implemented by an Upstream that reads with one stored credential of its
// tenant. CredentialVersion names that credential: it must change whenever the token or the
// site changes and never repeat for a tenant (settings' Integration.CredentialVersion). The
// cross-request cache keys entries by it, so entries read with another credential are never
// served. An Upstream that does not implement it counts as version 0.
type Credentialed interface {
	CredentialVersion() int64
}

// Config configures the loaders of one request. Source is required; the rest may be zero.
type Config struct {
	Source Source
	// Tenant names the tenant for cross-request cache keys; nil or "" disables Cache for the
	// request.
	Tenant func(ctx context.Context) string
	// Cache is shared across requests; nil caches nothing across requests.
	Cache *Cache
	// Wait is how long a loader collects keys before it calls upstream; 0 means 2 ms.
	Wait time.Duration
	// MaxConcurrency bounds the concurrent per-page upstream calls of one request; 0 means 64.
	// The confluence client's per-tenant concurrency and rate limits still apply below it; this
	// only bounds the goroutines one request may start.
	MaxConcurrency int
	// NoCQLBatching makes labels and children use one per-page call each instead of one CQL
	// content search for many pages (for comparisons and for sites where CQL misbehaves).
	NoCQLBatching bool
	// MaxAttachmentBytes caps an attachment download (Download, AttachmentText); 0 means
	// attachtext.DefaultMaxBytes (20 MiB).
	MaxAttachmentBytes int64
}

// maxBatch is Confluence's bulk limit (ids per /pages or /spaces call, accounts per users-bulk).
const maxBatch = 250

// cqlChunk bounds the ids per CQL `id in (...)`/`parent in (...)` clause, keeping URLs short.
const cqlChunk = 100

// Loaders is the per-request set of dataloaders. Its methods are safe for concurrent use. Build
// one per request with New; never share one across requests (it memoises results).
type Loaders struct {
	cfg    Config
	tenant string
	gen    uint64 // the tenant's cache generation when the loaders were built

	once  sync.Once
	up    Upstream
	upErr error
	bound atomic.Bool // set once up is bound without error; cache use needs it
	cred  int64       // up's credential version (Credentialed); written before bound is set
	sem   chan struct{}
	// spaceLists holds this request's reads of space page lists (spacelist.go), space id ->
	// spaceListRead, for when the cross-request cache is off.
	spaceLists sync.Map

	// dataloaders are built on first use (batchers): a request answered from the cross-request
	// cache uses none, and building them was a third of such a request's allocations.
	dataloadersOnce sync.Once
	dataloaders     dataloaders
}

// dataloaders are the batching loaders of one request.
type dataloaders struct {
	pages       *dataloader.Loader[string, *Page]
	blogPosts   *dataloader.Loader[string, *Page] // the page loader's function for KindBlogPost
	bodies      *dataloader.Loader[BodyRequest, *Page]
	spacesByID  *dataloader.Loader[string, *Space]
	spacesByKey *dataloader.Loader[string, *Space]
	users       *dataloader.Loader[string, *User]
	labels      *dataloader.Loader[contentKey, []Label]
	versionOne  *dataloader.Loader[versionKey, *Version]
	ancestors   *dataloader.Loader[ContentRef, []ContentRef]
	nodes       *dataloader.Loader[ContentRef, TreeNode]
	children    *dataloader.Loader[childrenKey, List[Page]]
	descendants *dataloader.Loader[descendantsKey, List[Page]]
	spacePages  *dataloader.Loader[spacePagesKey, List[Page]]
	comments    *dataloader.Loader[commentsKey, List[Comment]]
	replies     *dataloader.Loader[repliesKey, List[Comment]]
	versions    *dataloader.Loader[versionsKey, List[Version]]
	attachments *dataloader.Loader[attachmentsKey, List[Attachment]]
	details     *dataloader.Loader[string, *Content]
	links       *dataloader.Loader[linkKey, string]
}

// batchers returns the request's dataloaders, building them on the first call.
func (l *Loaders) batchers() *dataloaders {
	l.dataloadersOnce.Do(l.buildDataloaders)
	return &l.dataloaders
}

func (l *Loaders) buildDataloaders() {
	d := &l.dataloaders
	d.pages = newLoader(l, "pages", l.loadContent(KindPage))
	d.blogPosts = newLoader(l, "blogPosts", l.loadContent(KindBlogPost))
	d.bodies = newLoader(l, "bodies", l.loadBodies)
	d.spacesByID = newLoader(l, "spacesByID", l.loadSpacesByID)
	d.spacesByKey = newLoader(l, "spacesByKey", l.loadSpacesByKey)
	d.users = newLoader(l, "users", l.loadUsers)
	d.labels = newLoader(l, "labels", cachedBatch(l, func(k contentKey) entryKey { return entryKey{Kind: entryLabels, ID: k.ID} }, shareItems, l.loadLabels))
	d.versionOne = newLoader(l, "versionOne", l.loadVersion)
	d.ancestors = newLoader(l, "ancestors", l.loadAncestors)
	d.nodes = newLoader(l, "nodes", l.loadNodes)
	d.children = newLoader(l, "children", cachedBatch(l, listEntry[childrenKey](entryChildren), shareList, resumedApart(l, l.loadChildren, childrenOf)))
	d.descendants = newLoader(l, "descendants", l.loadDescendants)
	d.spacePages = newLoader(l, "spacePages", cachedBatch(l, listEntry[spacePagesKey](entrySpacePages), shareList, l.loadSpacePages))
	d.comments = newLoader(l, "comments", cachedBatch(l, listEntry[commentsKey](entryComments), shareList, resumedApart(l, l.loadComments, commentsOf)))
	d.replies = newLoader(l, "replies", resumedApart(l, l.loadReplies, repliesOf))
	d.versions = newLoader(l, "versions", cachedBatch(l, listEntry[versionsKey](entryVersions), shareList, l.loadVersions))
	d.attachments = newLoader(l, "attachments", cachedBatch(l, listEntry[attachmentsKey](entryAttachments), shareList, resumedApart(l, l.loadAttachments, attachmentsOf)))
	d.details = newLoader(l, "details", cachedBatch(l, pageEntry(entryDetails), shareAsIs, l.loadDetails))
	d.links = newLoader(l, "links", l.loadLinks)
}

// New returns the loaders of one request. ctx supplies the tenant (Config.Tenant).
func New(ctx context.Context, cfg Config) *Loaders {
	if cfg.Wait <= 0 {
		cfg.Wait = 2 * time.Millisecond
	}
	if cfg.MaxConcurrency <= 0 {
		cfg.MaxConcurrency = 64
	}
	l := &Loaders{cfg: cfg, sem: make(chan struct{}, cfg.MaxConcurrency)}
	if cfg.Tenant != nil && cfg.Cache != nil {
		l.tenant = cfg.Tenant(ctx)
		// Taken before the Source is ever called, so a credential change (DropTenant) after
		// this point discards whatever this request writes to the cache.
		l.gen = cfg.Cache.generation(l.tenant)
	}
	return l
}

type ctxKey struct{}

// With returns a context carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders on ctx, or nil when there are none.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}

// Middleware builds fresh loaders for every request (after authentication, so that
// Config.Tenant can read the caller) and puts them on the request context.
func Middleware(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		next.ServeHTTP(w, r.WithContext(With(ctx, New(ctx, cfg))))
	})
}

// upstream binds the request to the tenant's Confluence on first use.
func (l *Loaders) upstream(ctx context.Context) (Upstream, error) {
	l.once.Do(func() {
		if l.cfg.Source == nil {
			l.upErr = ErrNotConnected
			return
		}
		l.up, l.upErr = l.cfg.Source(ctx)
		if l.upErr == nil && l.up == nil {
			l.upErr = ErrNotConnected
		}
		if l.upErr == nil {
			if c, ok := l.up.(Credentialed); ok {
				l.cred = c.CredentialVersion()
			}
			l.bound.Store(true)
		}
	})
	return l.up, l.upErr
}

// Sited is implemented by an Upstream that knows its tenant's site host (as stored with the
// integration: "acme.atlassian.net", or "host:port" for a development host).
type Sited interface {
	Site() string
}

// Site binds the request to its tenant's Upstream (the Source: ErrNotConnected and the like
// are returned as they are) and returns the tenant's site host, or "" when the Upstream does
// not know it (not Sited). On nil loaders it returns ErrNoLoaders.
func (l *Loaders) Site(ctx context.Context) (string, error) {
	if l == nil {
		return "", ErrNoLoaders
	}
	up, err := l.upstream(ctx)
	if err != nil {
		return "", err
	}
	if s, ok := up.(Sited); ok {
		return s.Site(), nil
	}
	return "", nil
}

// acquire takes a slot for one concurrent upstream call.
func (l *Loaders) acquire(ctx context.Context) error {
	select {
	case l.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Loaders) release() { <-l.sem }
