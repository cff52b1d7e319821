package loaders

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// NewV1Upstream returns the Upstream that reads only through v1 routes and CQL: the read path
// of a token the v2 routes refuse, such as a scoped token holding the classic read:confluence-*
// scopes (v2 accepts granular scopes only). It answers as NewClientUpstream does: pages and blog
// posts by id through a CQL content search `type = page|blogpost AND id in (...)` with
// expansions (v1 content is type-agnostic), the tree of every kind through the CQL reads
// WithHierarchyFallback uses (`type in (page, folder, ...) AND parent = X`), ancestors, folders
// and other tree nodes through /content/{id}, content types through a CQL `id in (...)` search,
// versions, labels, comments and attachments through /content/{id}/..., spaces through /space,
// users through /user/bulk, and batched comment replies through the same CQL content search as
// NewClientUpstream. Lists page by offset; the cursor is the decimal start of the next page
// ("fb:<offset>" for tree lists). Tree lists are read whole once and memoised for the
// upstream's lifetime, so use one per request (as a Source does). It is an ExpandingUpstream and
// safe for concurrent use.
func NewV1Upstream(c *confluence.Client) Upstream {
	return newV1Upstream(c, 0)
}

func newV1Upstream(c *confluence.Client, cred int64) *v1Upstream {
	u := &v1Upstream{clientUpstream: &clientUpstream{c: c, cred: cred}, spaceKeys: map[string]string{}}
	u.tree = newCQLTree(u)
	return u
}

// v1Upstream overrides the v2 reads of clientUpstream (whose Search, ContentSearch,
// CommentReplies, Download, SiteURL and mapping it shares) with v1 ones.
type v1Upstream struct {
	*clientUpstream
	tree      *cqlTree
	mu        sync.Mutex
	spaceKeys map[string]string // space id -> key, learnt from space answers
}

var (
	_ ExpandingUpstream = (*v1Upstream)(nil)
	_ Credentialed      = (*v1Upstream)(nil)
	_ Sited             = (*v1Upstream)(nil)
)

// v1PageExpand are the expansions that make a v1 page a full Page record.
var v1PageExpand = []string{"space", "version", "history", "ancestors"}

// v1CommentExpand are the expansions of a v1 comment listing.
var v1CommentExpand = []string{"body.storage", "version", "ancestors", "container", "extensions.inlineProperties", "extensions.resolution"}

// start reads a v1 cursor (the decimal offset; "" is 0).
func start(opt ListOptions) int {
	n, _ := strconv.Atoi(opt.Cursor)
	return max(n, 0)
}

func v1List(opt ListOptions) confluence.V1ListOptions {
	return confluence.V1ListOptions{Start: start(opt), Limit: opt.Limit}
}

// nextCursor is the cursor of the page after resp, "" at the end.
func nextCursor(resp *confluence.Response) string {
	if n := resp.NextStart(); n > 0 {
		return strconv.Itoa(n)
	}
	return ""
}

// v1Mapped is mapped for v1 lists: the next cursor is the next page's start.
func v1Mapped[T, V any](u *v1Upstream, f func(T) (V, bool)) func([]T, *confluence.Response, error) ([]V, string, error) {
	return func(items []T, resp *confluence.Response, err error) ([]V, string, error) {
		out, _, err := mapped(u.clientUpstream, f)(items, resp, err)
		if err != nil {
			return nil, "", err
		}
		return out, nextCursor(resp), nil
	}
}

func withBody(expand []string, bodyFormat string) []string {
	out := append([]string(nil), expand...)
	if bodyFormat != "" {
		out = append(out, "body."+bodyFormat)
	}
	return out
}

func (u *v1Upstream) PagesByID(ctx context.Context, ids []string, bodyFormat string) ([]Page, error) {
	return u.ContentByID(ctx, KindPage, ids, bodyFormat)
}

// v1Type is the v1 content type of kind.
func v1Type(kind ContentKind) string {
	if kind == KindBlogPost {
		return "blogpost"
	}
	return "page"
}

func (u *v1Upstream) ContentByID(ctx context.Context, kind ContentKind, ids []string, bodyFormat string) ([]Page, error) {
	expand := withBody(v1PageExpand, bodyFormat)
	found := map[string]bool{}
	var out []Page
	for _, c := range chunks(ids, maxBatch) {
		list := cqlIDs(c)
		if list == "" {
			continue
		}
		cur := ""
		for {
			cs, resp, err := u.c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: fmt.Sprintf("type = %s AND id in (%s)", v1Type(kind), list),
				Expand: expand, Cursor: cur, Limit: maxBatch})
			if err != nil {
				return nil, err
			}
			u.learn(resp)
			for _, x := range cs {
				if !found[x.ID] && x.Type == v1Type(kind) {
					found[x.ID] = true
					out = append(out, u.v1Page(kind, x, bodyFormat))
				}
			}
			if cur = resp.NextCursor; cur == "" {
				break
			}
		}
	}
	if kind == KindBlogPost {
		return out, nil // v2 lists current blog posts only, as CQL does
	}
	// CQL does not see archived pages; v2 lists them. Read the rest one by one.
	for _, id := range ids {
		if found[id] || !isDigits(id) {
			continue
		}
		found[id] = true
		x, resp, err := u.c.Content.Get(ctx, id, &confluence.ContentGetOptions{Expand: expand, Status: []string{"current", "archived"}})
		if isMissing(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		u.learn(resp)
		if x.Type == "" || x.Type == "page" {
			out = append(out, u.v1Page(kind, *x, bodyFormat))
		}
	}
	return out, nil
}

func (u *v1Upstream) PageAt(ctx context.Context, kind ContentKind, id string, version int, bodyFormat string) (Page, error) {
	o := &confluence.ContentGetOptions{Expand: withBody(v1PageExpand, bodyFormat), Version: version, Status: []string{"current", "archived"}}
	if version > 0 {
		o.Status = append(o.Status, "historical")
	}
	x, resp, err := u.c.Content.Get(ctx, id, o)
	if err != nil {
		return Page{}, err
	}
	u.learn(resp)
	if x.Type != "" && x.Type != v1Type(kind) {
		return Page{}, &NotFoundError{Kind: kindName(kind), Key: id} // v2 answers 404 there
	}
	return u.v1Page(kind, *x, bodyFormat), nil
}

func (u *v1Upstream) Spaces(ctx context.Context, f SpaceFilter, opt ListOptions) ([]Space, string, error) {
	return v1Mapped(u, every(u.v1Space))(u.c.Content.Spaces(ctx, &confluence.V1SpaceListOptions{Keys: f.Keys, IDs: f.IDs, Type: f.Type,
		Expand: []string{"description.plain", "homepage"}, V1ListOptions: v1List(opt)}))
}

func (u *v1Upstream) Users(ctx context.Context, accountIDs []string) ([]User, error) {
	if u.c.DataCenter() {
		return u.dcUsers(ctx, accountIDs)
	}
	us, err := u.c.Content.UsersBulk(ctx, accountIDs)
	return users(us), err
}

// spaceKey returns the key of space id, asking Confluence once.
func (u *v1Upstream) spaceKey(ctx context.Context, id string) (string, error) {
	u.mu.Lock()
	key, ok := u.spaceKeys[id]
	u.mu.Unlock()
	if ok {
		return key, nil
	}
	ss, _, err := u.Spaces(ctx, SpaceFilter{IDs: []string{id}}, ListOptions{Limit: 1})
	if err != nil {
		return "", err
	}
	for _, s := range ss {
		if s.ID == id {
			return s.Key, nil
		}
	}
	return "", &NotFoundError{Kind: "space", Key: id}
}

func (u *v1Upstream) SpacePages(ctx context.Context, q SpacePagesQuery, opt ListOptions) ([]Page, string, error) {
	key, err := u.spaceKey(ctx, q.SpaceID)
	if err != nil {
		return nil, "", err
	}
	depth := "all"
	if q.RootOnly && q.Content != KindBlogPost {
		depth = "root"
	}
	typ := v1Type(q.Content)
	return v1Mapped(u, func(x confluence.Content) (Page, bool) {
		return u.v1Page(q.Content, x, ""), x.Type == typ && (x.Status == "" || x.Status == "current")
	})(u.c.Content.SpaceContent(ctx, key, typ, &confluence.SpaceContentOptions{Depth: depth, Expand: v1PageExpand, V1ListOptions: v1List(opt)}))
}

func (u *v1Upstream) Labels(ctx context.Context, _ ContentKind, pageID string, opt ListOptions) ([]Label, string, error) {
	o := v1List(opt)
	return v1Mapped(u, every(func(l confluence.Label) Label { return label(l.ID, l.Name, l.Prefix) }))(u.c.Content.Labels(ctx, pageID, &o))
}

// v1Comments lists the comments under id (a page's top-level ones of kind, or a comment's
// replies), mapped as comments of pageID ("" : the comment's container).
func (u *v1Upstream) v1Comments(ctx context.Context, id, pageID string, kind CommentKind, opt ListOptions) ([]Comment, string, error) {
	o := &confluence.ChildOptions{Expand: v1CommentExpand, V1ListOptions: v1List(opt)}
	if pageID != "" {
		o.Location = []string{"footer"}
		if kind == CommentInline {
			o.Location = []string{"inline", "resolved"}
		}
	}
	return v1Mapped(u, every(func(x confluence.Content) Comment {
		pid := pageID
		if pid == "" && x.Container != nil {
			pid = x.Container.ID
		}
		c, _ := v1Comment(x, pid)
		return c
	}))(u.c.Content.Children(ctx, id, "comment", o))
}

func (u *v1Upstream) Comments(ctx context.Context, _ ContentKind, pageID string, kind CommentKind, opt ListOptions) ([]Comment, string, error) {
	return u.v1Comments(ctx, pageID, pageID, kind, opt)
}

func (u *v1Upstream) Replies(ctx context.Context, commentID string, kind CommentKind, opt ListOptions) ([]Comment, string, error) {
	out, next, err := u.v1Comments(ctx, commentID, "", kind, opt)
	for i := range out {
		if out[i].ParentID == "" {
			out[i].ParentID = commentID
		}
	}
	return out, next, err
}

func (u *v1Upstream) Versions(ctx context.Context, q VersionsQuery, opt ListOptions) ([]Version, string, error) {
	// v1 lists no bodies with the versions; the loaders read them through PageAt.
	o := v1List(opt)
	return v1Mapped(u, every(func(v confluence.ContentVersion) Version { return v1Version(q.PageID, v) }))(
		u.c.Content.Versions(ctx, q.PageID, &o))
}

func (u *v1Upstream) Version(ctx context.Context, _ ContentKind, pageID string, number int) (Version, error) {
	v, _, err := u.c.Content.Version(ctx, pageID, number)
	if err != nil {
		return Version{}, err
	}
	return v1Version(pageID, *v), nil
}

func (u *v1Upstream) Attachments(ctx context.Context, _ ContentKind, pageID, mediaType string, opt ListOptions) ([]Attachment, string, error) {
	return v1Mapped(u, func(x confluence.Content) (Attachment, bool) {
		a := u.v1Attachment(x, pageID)
		return a, mediaType == "" || strings.EqualFold(a.MediaType, mediaType)
	})(u.c.Content.Children(ctx, pageID, "attachment", &confluence.ChildOptions{Expand: []string{"version"}, V1ListOptions: v1List(opt)}))
}

func (u *v1Upstream) Attachment(ctx context.Context, id string) (Attachment, error) {
	if !strings.HasPrefix(id, "att") {
		id = "att" + id
	}
	x, resp, err := u.c.Content.Get(ctx, id, &confluence.ContentGetOptions{Expand: []string{"version", "container"}})
	if err != nil {
		return Attachment{}, err
	}
	u.learn(resp)
	pageID := ""
	if x.Container != nil {
		pageID = x.Container.ID
	}
	return u.v1Attachment(*x, pageID), nil
}

// ReadPathClientSource is VersionedClientSource for a lookup that also reports whether the
// tenant's token reads through the v1 routes (settings.ReadClient.ReadPath): the Upstream
// is then NewV1Upstream's, Credentialed with the version; otherwise NewClientUpstream's.
func ReadPathClientSource(get func(ctx context.Context) (c *confluence.Client, version int64, v1 bool, err error)) Source {
	return func(ctx context.Context) (Upstream, error) {
		c, v, useV1, err := get(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, ErrNotConnected
		}
		if useV1 {
			return newV1Upstream(c, v), nil
		}
		return &clientUpstream{c: c, cred: v}, nil
	}
}
