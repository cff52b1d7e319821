package loaders

import (
	"cmp"
	"context"
	"html"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// ClientSource adapts a function returning the tenant's *confluence.Client (typically
// settings' pooled client lookup) into a Source. The function should return an error matching
// ErrNotConnected when the tenant has no integration. The Upstream counts as credential
// version 0; prefer VersionedClientSource where the version is known.
func ClientSource(get func(ctx context.Context) (*confluence.Client, error)) Source {
	return VersionedClientSource(func(ctx context.Context) (*confluence.Client, int64, error) {
		c, err := get(ctx)
		return c, 0, err
	})
}

// VersionedClientSource is ClientSource for a lookup that also returns the version of the
// credential the client reads with (settings.Service.ClientVersion); the Upstream is
// Credentialed with it, so cross-request cache entries are keyed by that credential.
func VersionedClientSource(get func(ctx context.Context) (*confluence.Client, int64, error)) Source {
	return func(ctx context.Context) (Upstream, error) {
		c, v, err := get(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, ErrNotConnected
		}
		return &clientUpstream{c: c, cred: v}, nil
	}
}

// NewClientUpstream returns the Upstream that reads through c. It is safe for concurrent use.
// It is an ExpandingUpstream: its ContentSearch decodes the v1 children expansions.
func NewClientUpstream(c *confluence.Client) Upstream {
	return &clientUpstream{c: c}
}

// clientUpstream reads through the confluence client and maps its answers (client_map.go). Links in
// Confluence answers are relative to the site's wiki base, which it learns from the first
// answer that carries _links.base.
type clientUpstream struct {
	c    *confluence.Client
	cred int64 // credential version (Credentialed)
	mu   sync.Mutex
	base string
}

// CredentialVersion implements Credentialed.
func (u *clientUpstream) CredentialVersion() int64 { return u.cred }

// Site implements Sited: the client's normalised site host.
func (u *clientUpstream) Site() string { return u.c.Site() }

var (
	_ ExpandingUpstream = (*clientUpstream)(nil)
	_ Credentialed      = (*clientUpstream)(nil)
	_ Sited             = (*clientUpstream)(nil)
)

func listOptions(opt ListOptions) confluence.ListOptions {
	return confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}
}

// mapped returns what turns one answer of a client list method into the loaders' form: the items
// f keeps, mapped by f, and the next cursor; it learns the wiki base and passes errors on.
func mapped[T, V any](u *clientUpstream, f func(T) (V, bool)) func([]T, *confluence.Response, error) ([]V, string, error) {
	return func(items []T, resp *confluence.Response, err error) ([]V, string, error) {
		if err != nil {
			return nil, "", err
		}
		u.learn(resp)
		out := make([]V, 0, len(items))
		for _, x := range items {
			if v, ok := f(x); ok {
				out = append(out, v)
			}
		}
		return out, resp.NextCursor, nil
	}
}

// every keeps every item, mapped by f (for mapped).
func every[T, V any](f func(T) V) func(T) (V, bool) {
	return func(x T) (V, bool) { return f(x), true }
}

// isCurrentTreeItem reports whether a listing row is current content of the page tree (a page,
// folder, whiteboard, database or embed; rows without a type count as pages, without a status
// as current).
func isCurrentTreeItem(typ, status string) bool {
	return (typ == "" || confluence.IsTreeKind(typ)) && (status == "" || status == "current")
}

func (u *clientUpstream) learn(resp *confluence.Response) {
	if resp == nil || resp.Base == "" {
		return
	}
	u.mu.Lock()
	if u.base == "" {
		u.base = strings.TrimRight(resp.Base, "/")
	}
	u.mu.Unlock()
}

// abs makes a link absolute against the wiki base.
func (u *clientUpstream) abs(link string) string {
	if link == "" || strings.Contains(link, "://") {
		return link
	}
	u.mu.Lock()
	base := u.base
	u.mu.Unlock()
	if base == "" {
		base = u.c.WikiURL()
	}
	if !strings.HasPrefix(link, "/") {
		link = "/" + link
	}
	return base + link
}

func (u *clientUpstream) PagesByID(ctx context.Context, ids []string, bodyFormat string) ([]Page, error) {
	return u.ContentByID(ctx, KindPage, ids, bodyFormat)
}

func (u *clientUpstream) ContentByID(ctx context.Context, kind ContentKind, ids []string, bodyFormat string) ([]Page, error) {
	var out []Page
	opt := &confluence.PageListOptions{IDs: ids, BodyFormat: confluence.BodyFormat(bodyFormat),
		ListOptions: confluence.ListOptions{Limit: maxBatch}}
	lister := u.c.Pages.List
	if kind == KindBlogPost {
		lister = u.c.BlogPosts.List
	}
	for {
		ps, resp, err := lister(ctx, opt)
		if err != nil {
			return nil, err
		}
		u.learn(resp)
		for _, p := range ps {
			out = append(out, u.contentOf(kind, p))
		}
		if resp.NextCursor == "" {
			return out, nil
		}
		opt.Cursor = resp.NextCursor
	}
}

func (u *clientUpstream) PageAt(ctx context.Context, kind ContentKind, id string, version int, bodyFormat string) (Page, error) {
	get := u.c.Pages.Get
	if kind == KindBlogPost {
		get = u.c.BlogPosts.Get
	}
	p, resp, err := get(ctx, id, &confluence.PageGetOptions{BodyFormat: confluence.BodyFormat(bodyFormat), Version: version})
	if err != nil {
		return Page{}, err
	}
	u.learn(resp)
	out := u.contentOf(kind, *p)
	if v := p.Body.Get(confluence.BodyFormat(bodyFormat)); v != nil {
		out.Body = v.Value
	}
	return out, nil
}

func (u *clientUpstream) Spaces(ctx context.Context, f SpaceFilter, opt ListOptions) ([]Space, string, error) {
	return mapped(u, every(u.space))(u.c.Spaces.List(ctx, &confluence.SpaceListOptions{IDs: f.IDs, Keys: f.Keys,
		Type: f.Type, DescriptionFormat: "plain", ListOptions: listOptions(opt)}))
}

func (u *clientUpstream) Users(ctx context.Context, accountIDs []string) ([]User, error) {
	us, err := u.c.Users.GetMany(ctx, accountIDs)
	return users(us), err
}

// users maps accounts (nil for none).
func users(us []confluence.User) []User {
	if us == nil {
		return nil
	}
	out := make([]User, len(us))
	for i, x := range us {
		out[i] = user(x.ID(), x.DisplayName, x.PublicName, x.Email)
	}
	return out
}

func (u *clientUpstream) SpacePages(ctx context.Context, q SpacePagesQuery, opt ListOptions) ([]Page, string, error) {
	depth := "all"
	if q.RootOnly {
		depth = "root"
	}
	list := u.c.Spaces.ListPages
	if q.Content == KindBlogPost {
		list = u.c.BlogPosts.ListInSpace
	}
	return mapped(u, every(func(p confluence.Page) Page { return u.contentOf(q.Content, p) }))(list(ctx, q.SpaceID,
		&confluence.SpacePagesOptions{Depth: depth, Status: []string{"current"}, ListOptions: listOptions(opt)}))
}

// treeKind is the confluence kind of ref ("" is a page).
func treeKind(ref ContentRef) string {
	if ref.Kind == "" {
		return confluence.KindPage
	}
	return ref.Kind
}

func (u *clientUpstream) Children(ctx context.Context, parent ContentRef, opt ListOptions) ([]Page, string, error) {
	return mapped(u, func(c confluence.ChildContent) (Page, bool) {
		p := listedPage(c.ID, c.Title, c.Status, parent.ID, c.ChildPosition)
		p.SpaceID, p.Kind, p.ParentType = c.SpaceID, c.Type, treeKind(parent)
		return p, isCurrentTreeItem(c.Type, c.Status)
	})(u.c.Tree.ListDirectChildren(ctx, treeKind(parent), parent.ID, &confluence.ChildrenOptions{ListOptions: listOptions(opt)}))
}

func (u *clientUpstream) Descendants(ctx context.Context, of ContentRef, depth int, opt ListOptions) ([]Page, string, error) {
	ds, resp, err := u.c.Tree.ListDescendants(ctx, treeKind(of), of.ID, &confluence.DescendantsOptions{Depth: depth, ListOptions: listOptions(opt)})
	if err != nil {
		return nil, "", err
	}
	u.learn(resp)
	kinds := map[string]string{of.ID: treeKind(of)} // the rows' parents come before them (top to bottom)
	var out []Page
	for _, d := range ds {
		kinds[d.ID] = d.Type
		if !isCurrentTreeItem(d.Type, d.Status) {
			continue
		}
		p := listedPage(d.ID, d.Title, d.Status, d.ParentID, d.ChildPosition)
		p.Depth, p.Kind, p.ParentType = d.Depth, d.Type, kinds[d.ParentID]
		out = append(out, p)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Ancestors(ctx context.Context, of ContentRef) ([]ContentRef, error) {
	as, err := u.c.Tree.AllAncestors(ctx, treeKind(of), of.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ContentRef, 0, len(as))
	for _, a := range as {
		out = append(out, ContentRef{ID: a.ID, Kind: cmp.Or(a.Type, confluence.KindPage)})
	}
	return out, nil
}

func (u *clientUpstream) Node(ctx context.Context, ref ContentRef) (TreeNode, error) {
	n, resp, err := u.c.Tree.Get(ctx, treeKind(ref), ref.ID)
	if err != nil {
		return TreeNode{}, err
	}
	u.learn(resp)
	return u.node(*n), nil
}

func (u *clientUpstream) ContentTypes(ctx context.Context, ids []string) (map[string]string, error) {
	return u.c.Tree.ContentTypes(ctx, ids)
}

func (u *clientUpstream) Labels(ctx context.Context, content ContentKind, pageID string, opt ListOptions) ([]Label, string, error) {
	list := u.c.Labels.ListForPage
	if content == KindBlogPost {
		list = u.c.BlogPosts.ListLabels
	}
	return mapped(u, every(func(l confluence.Label) Label { return label(l.ID, l.Name, l.Prefix) }))(
		list(ctx, pageID, &confluence.LabelListOptions{ListOptions: listOptions(opt)}))
}

// commentLister is one of the Comments service's list methods (footer or inline, comments or replies).
type commentLister func(context.Context, string, *confluence.CommentListOptions) ([]confluence.Comment, *confluence.Response, error)

// listComments reads one page of the comments under id with the inline lister when kind is
// CommentInline and the footer lister otherwise, and maps them with pageID.
func (u *clientUpstream) listComments(ctx context.Context, id, pageID string, kind CommentKind, opt ListOptions, inline, footer commentLister) ([]Comment, string, error) {
	o := &confluence.CommentListOptions{BodyFormat: confluence.FormatStorage, ListOptions: listOptions(opt)}
	list := inline
	if kind != CommentInline {
		kind, list = CommentFooter, footer
	}
	return mapped(u, every(func(c confluence.Comment) Comment { return u.comment(c, pageID, kind) }))(list(ctx, id, o))
}

func (u *clientUpstream) Comments(ctx context.Context, content ContentKind, pageID string, kind CommentKind, opt ListOptions) ([]Comment, string, error) {
	if content == KindBlogPost {
		return u.listComments(ctx, pageID, pageID, kind, opt, u.c.BlogPosts.ListInlineComments, u.c.BlogPosts.ListFooterComments)
	}
	return u.listComments(ctx, pageID, pageID, kind, opt, u.c.Comments.ListInline, u.c.Comments.ListFooter)
}

func (u *clientUpstream) Replies(ctx context.Context, commentID string, kind CommentKind, opt ListOptions) ([]Comment, string, error) {
	out, next, err := u.listComments(ctx, commentID, "", kind, opt, u.c.Comments.ListInlineReplies, u.c.Comments.ListFooterReplies)
	for i := range out {
		if out[i].ParentID == "" {
			out[i].ParentID = commentID
		}
	}
	return out, next, err
}

func (u *clientUpstream) Versions(ctx context.Context, q VersionsQuery, opt ListOptions) ([]Version, string, error) {
	o := &confluence.VersionListOptions{ListOptions: listOptions(opt)}
	if q.WithBodies {
		o.BodyFormat = confluence.FormatStorage
	}
	list := u.c.Versions.List
	if q.Content == KindBlogPost {
		list = u.c.BlogPosts.ListVersions
	}
	vs, resp, err := list(ctx, q.PageID, o)
	if err != nil {
		return nil, "", err
	}
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = version(q.PageID, v)
		p := v.Page
		if p == nil {
			p = v.BlogPost
		}
		if q.WithBodies && p != nil && p.Body.Storage != nil {
			out[i].HasBody, out[i].Title, out[i].Body = true, p.Title, p.Body.Storage.Value
		}
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Version(ctx context.Context, content ContentKind, pageID string, number int) (Version, error) {
	get := u.c.Versions.Get
	if content == KindBlogPost {
		get = u.c.BlogPosts.GetVersion
	}
	v, _, err := get(ctx, pageID, number)
	if err != nil {
		return Version{}, err
	}
	return version(pageID, confluence.Version{Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit,
		CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}), nil
}

func (u *clientUpstream) Attachments(ctx context.Context, content ContentKind, pageID, mediaType string, opt ListOptions) ([]Attachment, string, error) {
	list := u.c.Attachments.ListForPage
	if content == KindBlogPost {
		list = u.c.BlogPosts.ListAttachments
	}
	return mapped(u, every(u.attachment))(list(ctx, pageID,
		&confluence.AttachmentListOptions{MediaType: mediaType, ListOptions: listOptions(opt)}))
}

// hlMarkers are the highlight markers of v1 search row titles and excerpts.
var hlMarkers = strings.NewReplacer("@@@hl@@@", "", "@@@endhl@@@", "")

func (u *clientUpstream) Search(ctx context.Context, q SearchQuery, opt ListOptions) (SearchPage, error) {
	bodies := q.WithBodies
	expand := []string{"content.space"}
	if bodies {
		expand = append(expand, "content.body.storage", "content.version")
	}
	if q.WithDetails {
		expand = append(expand, "content.metadata.labels", "content.ancestors")
	}
	if q.WithContainers {
		expand = append(expand, "content.container")
	}
	res, resp, err := u.c.Search.CQL(ctx, &confluence.SearchOptions{CQL: q.CQL, Expand: expand,
		Cursor: opt.Cursor, Limit: opt.Limit})
	if err != nil {
		return SearchPage{}, err
	}
	u.learn(resp)
	out := SearchPage{Next: resp.NextCursor, Total: res.TotalSize, CQL: res.CQLQuery}
	for _, r := range res.Results {
		h := SearchHit{Title: html.UnescapeString(hlMarkers.Replace(r.Title)), Excerpt: strings.TrimSpace(html.UnescapeString(hlMarkers.Replace(r.Excerpt))),
			URL: u.abs(r.URL), LastModified: r.LastModified}
		switch {
		case r.Content != nil:
			h.Type, h.ContentID = r.Content.Type, r.Content.ID
			if r.Content.Title != "" {
				h.Title = r.Content.Title
			}
			if r.Content.Space != nil {
				h.SpaceKey = r.Content.Space.Key
			}
			if c := r.Content.Container; c != nil && c.ID != "" {
				h.Container = ContentRef{ID: c.ID, Kind: c.Type}
			}
			if b := r.Content.Body; bodies && b != nil && b.Storage != nil && r.Content.Version != nil {
				h.HasBody, h.Body, h.Version = true, b.Storage.Value, r.Content.Version.Number
			}
			if q.WithDetails {
				if md := r.Content.Metadata; md != nil && md.Labels != nil {
					for _, l := range md.Labels.Results {
						h.Labels = append(h.Labels, l.Name)
					}
				}
				for _, a := range r.Content.Ancestors {
					h.Ancestors = append(h.Ancestors, a.Title)
				}
			}
		case r.Space != nil:
			h.Type, h.SpaceKey = "space", r.Space.Key
		default:
			h.Type = r.EntityType
		}
		if r.ResultGlobalContainer != nil {
			if h.SpaceKey == "" {
				h.SpaceKey = spaceKeyFromURL(r.ResultGlobalContainer.DisplayURL)
			}
			h.SpaceName = r.ResultGlobalContainer.Title
		}
		out.Hits = append(out.Hits, h)
	}
	return out, nil
}

// spaceKeyFromURL reads KEY from "/spaces/KEY" or "/display/KEY".
func spaceKeyFromURL(s string) string {
	parts := strings.Split(strings.Trim(s, "/"), "/")
	if len(parts) >= 2 && (parts[0] == "spaces" || parts[0] == "display") {
		return parts[1]
	}
	return ""
}

// ExpandsChildren reports that ContentSearch decodes the children.comment and
// children.attachment expansions, so the loaders read many pages' comments and attachments in
// one v1 content search.
func (u *clientUpstream) ExpandsChildren() bool { return true }

// ContentSearch maps the client's v1 content rows onto Content: the page (with its child
// position and parent), its labels, and its comments and attachments when children.comment and
// children.attachment were expanded. A list is Complete only when Confluence sent all of it; an
// expanded collection holds at most 25 items, and a longer one is read through the per-page
// endpoint by the loaders.
func (u *clientUpstream) ContentSearch(ctx context.Context, cql string, expand []string, opt ListOptions) ([]Content, string, error) {
	return mapped(u, func(c confluence.Content) (Content, bool) {
		return u.content(c), isCurrentTreeItem(c.Type, c.Status) || (c.Type == "blogpost" && c.Status == "current")
	})(
		u.c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: cql, Expand: expand, Cursor: opt.Cursor, Limit: opt.Limit}))
}
