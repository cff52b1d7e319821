package loaders

import (
	"context"
	"html"
	"sort"
	"strings"
	"sync"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// ClientSource adapts a function returning the tenant's *confluence.Client (typically
// settings' pooled client lookup) into a Source. The function should return an error matching
// ErrNotConnected when the tenant has no integration.
func ClientSource(get func(ctx context.Context) (*confluence.Client, error)) Source {
	return func(ctx context.Context) (Upstream, error) {
		c, err := get(ctx)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, ErrNotConnected
		}
		return NewClientUpstream(c), nil
	}
}

// NewClientUpstream returns the Upstream that reads through c. It is safe for concurrent use.
// It is an ExpandingUpstream: its ContentSearch decodes the v1 children expansions.
func NewClientUpstream(c *confluence.Client) Upstream {
	return &clientUpstream{c: c}
}

// clientUpstream maps the confluence client's types onto the loaders' records. Links in
// Confluence answers are relative to the site's wiki base, which it learns from the first
// answer that carries _links.base.
type clientUpstream struct {
	c    *confluence.Client
	mu   sync.Mutex
	base string
}

var _ ExpandingUpstream = (*clientUpstream)(nil)

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

func (u *clientUpstream) page(p confluence.Page) Page {
	out := Page{
		ID:       p.ID,
		Title:    p.Title,
		Status:   p.Status,
		SpaceID:  p.SpaceID,
		ParentID: p.ParentID,
		AuthorID: p.AuthorID,
		Created:  p.CreatedAt,
		WebURL:   u.abs(p.Links.WebUI),
	}
	if p.ParentType != "" && p.ParentType != "page" {
		out.ParentID = "" // a folder, whiteboard, ... is not a page parent
	}
	if p.Position != nil {
		out.Position, out.HasPosition = *p.Position, true
	}
	if v := p.Version; v != nil {
		out.Version = Version{PageID: p.ID, Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit, CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}
	}
	if b := p.Body.Storage; b != nil {
		out.Body = b.Value
	} else if b := p.Body.AtlasDocFormat; b != nil {
		out.Body = b.Value
	} else if b := p.Body.View; b != nil {
		out.Body = b.Value
	}
	return out
}

func (u *clientUpstream) PagesByID(ctx context.Context, ids []string, bodyFormat string) ([]Page, error) {
	var out []Page
	opt := &confluence.PageListOptions{IDs: ids, BodyFormat: confluence.BodyFormat(bodyFormat),
		ListOptions: confluence.ListOptions{Limit: maxBatch}}
	for {
		ps, resp, err := u.c.Pages.List(ctx, opt)
		if err != nil {
			return nil, err
		}
		u.learn(resp)
		for _, p := range ps {
			out = append(out, u.page(p))
		}
		if resp.NextCursor == "" {
			return out, nil
		}
		opt.Cursor = resp.NextCursor
	}
}

func (u *clientUpstream) PageAt(ctx context.Context, id string, version int, bodyFormat string) (Page, error) {
	p, resp, err := u.c.Pages.Get(ctx, id, &confluence.PageGetOptions{BodyFormat: confluence.BodyFormat(bodyFormat), Version: version})
	if err != nil {
		return Page{}, err
	}
	u.learn(resp)
	out := u.page(*p)
	if v := p.Body.Get(confluence.BodyFormat(bodyFormat)); v != nil {
		out.Body = v.Value
	}
	return out, nil
}

func (u *clientUpstream) space(s confluence.Space) Space {
	out := Space{ID: s.ID, Key: s.Key, Name: s.Name, Type: s.Type, Status: s.Status, HomepageID: s.HomepageID,
		WebURL: u.abs(s.Links.WebUI)}
	if out.WebURL == "" {
		out.WebURL = u.abs("/spaces/" + s.Key)
	}
	if d := s.Description; d != nil && d.Plain != nil {
		out.Description = d.Plain.Value
	}
	return out
}

func (u *clientUpstream) Spaces(ctx context.Context, ids, keys []string, typ string, opt ListOptions) ([]Space, string, error) {
	ss, resp, err := u.c.Spaces.List(ctx, &confluence.SpaceListOptions{IDs: ids, Keys: keys, Type: typ,
		DescriptionFormat: "plain", ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	u.learn(resp)
	out := make([]Space, len(ss))
	for i, s := range ss {
		out[i] = u.space(s)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Users(ctx context.Context, accountIDs []string) ([]User, error) {
	us, err := u.c.Users.GetMany(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	out := make([]User, len(us))
	for i, x := range us {
		name := x.DisplayName
		if name == "" {
			name = x.PublicName
		}
		out[i] = User{AccountID: x.AccountID, DisplayName: name, Email: x.Email}
	}
	return out, nil
}

func (u *clientUpstream) SpacePages(ctx context.Context, spaceID string, root bool, opt ListOptions) ([]Page, string, error) {
	depth := "all"
	if root {
		depth = "root"
	}
	ps, resp, err := u.c.Spaces.ListPages(ctx, spaceID, &confluence.SpacePagesOptions{Depth: depth, Status: []string{"current"},
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	u.learn(resp)
	out := make([]Page, len(ps))
	for i, p := range ps {
		out[i] = u.page(p)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Children(ctx context.Context, pageID string, opt ListOptions) ([]Page, string, error) {
	cs, resp, err := u.c.Pages.ListDirectChildren(ctx, pageID, &confluence.ChildrenOptions{
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	var out []Page
	for _, c := range cs {
		if (c.Type != "" && c.Type != "page") || (c.Status != "" && c.Status != "current") {
			continue
		}
		p := Page{ID: c.ID, Title: c.Title, Status: c.Status, SpaceID: c.SpaceID, ParentID: pageID, Partial: true}
		if c.ChildPosition != nil {
			p.Position, p.HasPosition = *c.ChildPosition, true
		}
		out = append(out, p)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Descendants(ctx context.Context, pageID string, depth int, opt ListOptions) ([]Page, string, error) {
	ds, resp, err := u.c.Pages.ListDescendants(ctx, pageID, &confluence.DescendantsOptions{Depth: depth,
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	var out []Page
	for _, d := range ds {
		if (d.Type != "" && d.Type != "page") || (d.Status != "" && d.Status != "current") {
			continue
		}
		p := Page{ID: d.ID, Title: d.Title, Status: d.Status, ParentID: d.ParentID, Depth: d.Depth, Partial: true}
		if d.ChildPosition != nil {
			p.Position, p.HasPosition = *d.ChildPosition, true
		}
		out = append(out, p)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Ancestors(ctx context.Context, pageID string) ([]string, error) {
	as, err := u.c.Pages.AllAncestors(ctx, pageID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range as {
		if a.Type == "" || a.Type == "page" {
			out = append(out, a.ID)
		}
	}
	return out, nil
}

func (u *clientUpstream) Labels(ctx context.Context, pageID string, opt ListOptions) ([]Label, string, error) {
	ls, resp, err := u.c.Labels.ListForPage(ctx, pageID, &confluence.LabelListOptions{
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	out := make([]Label, len(ls))
	for i, l := range ls {
		out[i] = Label{ID: l.ID, Name: l.Name, Prefix: l.Prefix}
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) comment(c confluence.Comment, pageID, kind string) Comment {
	out := Comment{ID: c.ID, PageID: c.PageID, Kind: kind, ParentID: c.ParentCommentID, ResolutionStatus: c.ResolutionStatus}
	if out.PageID == "" {
		out.PageID = pageID
	}
	if c.Version != nil {
		out.AuthorID, out.CreatedAt = c.Version.AuthorID, c.Version.CreatedAt
	}
	if c.Body.Storage != nil {
		out.Storage = c.Body.Storage.Value
	}
	if c.Properties != nil {
		out.Selection = c.Properties.InlineOriginalSelection
	}
	return out
}

// commentLister is one of the Comments service's list methods (footer or inline, comments or replies).
type commentLister func(context.Context, string, *confluence.CommentListOptions) ([]confluence.Comment, *confluence.Response, error)

// listComments reads one page of the comments under id with the inline lister when kind is
// CommentInline and the footer lister otherwise, and maps them with pageID.
func (u *clientUpstream) listComments(ctx context.Context, id, pageID, kind string, opt ListOptions, inline, footer commentLister) ([]Comment, string, error) {
	o := &confluence.CommentListOptions{BodyFormat: confluence.FormatStorage,
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}}
	list := inline
	if kind != CommentInline {
		kind, list = CommentFooter, footer
	}
	cs, resp, err := list(ctx, id, o)
	if err != nil {
		return nil, "", err
	}
	out := make([]Comment, len(cs))
	for i, c := range cs {
		out[i] = u.comment(c, pageID, kind)
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Comments(ctx context.Context, pageID, kind string, opt ListOptions) ([]Comment, string, error) {
	return u.listComments(ctx, pageID, pageID, kind, opt, u.c.Comments.ListInline, u.c.Comments.ListFooter)
}

func (u *clientUpstream) Replies(ctx context.Context, commentID, kind string, opt ListOptions) ([]Comment, string, error) {
	out, next, err := u.listComments(ctx, commentID, "", kind, opt, u.c.Comments.ListInlineReplies, u.c.Comments.ListFooterReplies)
	for i := range out {
		if out[i].ParentID == "" {
			out[i].ParentID = commentID
		}
	}
	return out, next, err
}

func (u *clientUpstream) Versions(ctx context.Context, pageID string, opt ListOptions, bodies bool) ([]Version, string, error) {
	o := &confluence.VersionListOptions{ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}}
	if bodies {
		o.BodyFormat = confluence.FormatStorage
	}
	vs, resp, err := u.c.Versions.List(ctx, pageID, o)
	if err != nil {
		return nil, "", err
	}
	out := make([]Version, len(vs))
	for i, v := range vs {
		out[i] = Version{PageID: pageID, Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit, CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}
		if p := v.Page; bodies && p != nil && p.Body.Storage != nil {
			out[i].HasBody, out[i].Title, out[i].Body = true, p.Title, p.Body.Storage.Value
		}
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) Version(ctx context.Context, pageID string, number int) (Version, error) {
	v, _, err := u.c.Versions.Get(ctx, pageID, number)
	if err != nil {
		return Version{}, err
	}
	return Version{PageID: pageID, Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit, CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}, nil
}

func (u *clientUpstream) Attachments(ctx context.Context, pageID, mediaType string, opt ListOptions) ([]Attachment, string, error) {
	as, resp, err := u.c.Attachments.ListForPage(ctx, pageID, &confluence.AttachmentListOptions{MediaType: mediaType,
		ListOptions: confluence.ListOptions{Cursor: opt.Cursor, Limit: opt.Limit}})
	if err != nil {
		return nil, "", err
	}
	out := make([]Attachment, len(as))
	for i, a := range as {
		x := Attachment{ID: a.ID, PageID: a.PageID, Title: a.Title, MediaType: a.MediaType, Comment: a.Comment,
			FileSize: a.FileSize, CreatedAt: a.CreatedAt, WebURL: u.abs(a.Links.WebUI)}
		if a.Version != nil {
			x.Version, x.AuthorID = a.Version.Number, a.Version.AuthorID
		}
		dl := a.Links.Download
		if dl == "" {
			dl = a.DownloadLink
		}
		x.DownloadURL = u.abs(dl)
		if x.WebURL == "" {
			x.WebURL = u.abs(a.WebUILink)
		}
		out[i] = x
	}
	return out, resp.NextCursor, nil
}

// hlMarkers are the highlight markers of v1 search row titles and excerpts.
var hlMarkers = strings.NewReplacer("@@@hl@@@", "", "@@@endhl@@@", "")

func (u *clientUpstream) Search(ctx context.Context, cql string, opt ListOptions, bodies bool) (SearchPage, error) {
	expand := []string{"content.space"}
	if bodies {
		expand = append(expand, "content.body.storage", "content.version")
	}
	res, resp, err := u.c.Search.CQL(ctx, &confluence.SearchOptions{CQL: cql, Expand: expand,
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
			if b := r.Content.Body; bodies && b != nil && b.Storage != nil && r.Content.Version != nil {
				h.HasBody, h.Body, h.Version = true, b.Storage.Value, r.Content.Version.Number
			}
		case r.Space != nil:
			h.Type, h.SpaceKey = "space", r.Space.Key
		default:
			h.Type = r.EntityType
		}
		if h.SpaceKey == "" && r.ResultGlobalContainer != nil {
			h.SpaceKey = spaceKeyFromURL(r.ResultGlobalContainer.DisplayURL)
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
	cs, resp, err := u.c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: cql, Expand: expand, Cursor: opt.Cursor, Limit: opt.Limit})
	if err != nil {
		return nil, "", err
	}
	u.learn(resp)
	out := make([]Content, 0, len(cs))
	for _, c := range cs {
		if (c.Type != "" && c.Type != "page") || (c.Status != "" && c.Status != "current") {
			continue
		}
		out = append(out, u.content(c))
	}
	return out, resp.NextCursor, nil
}

func (u *clientUpstream) content(c confluence.Content) Content {
	p := Page{ID: c.ID, Title: c.Title, Status: c.Status, WebURL: u.abs(c.Links.WebUI), Partial: true}
	if n := len(c.Ancestors); n > 0 {
		p.ParentID = c.Ancestors[n-1].ID
	}
	if c.Space != nil {
		p.SpaceID = c.Space.ID
	}
	if e := c.Extensions; e != nil && e.Position != nil {
		p.Position, p.HasPosition = *e.Position, true
	}
	ct := Content{Page: p}
	if md := c.Metadata; md != nil && md.Labels != nil {
		ct.LabelsComplete = md.Labels.Complete()
		ct.Labels = make([]Label, len(md.Labels.Results))
		for i, l := range md.Labels.Results {
			ct.Labels[i] = Label{ID: l.ID, Name: l.Name, Prefix: l.Prefix}
		}
	}
	if ch := c.Children; ch != nil && ch.Comment != nil {
		ct.CommentsComplete = ch.Comment.Complete()
		for _, x := range ch.Comment.Results {
			cm, by := v1Comment(x, p.ID)
			ct.Comments = append(ct.Comments, cm)
			if by != nil {
				ct.Users = append(ct.Users, *by)
			}
		}
	}
	if ch := c.Children; ch != nil && ch.Attachment != nil {
		ct.AttachmentsComplete = ch.Attachment.Complete()
		for _, x := range ch.Attachment.Results {
			ct.Attachments = append(ct.Attachments, u.v1Attachment(x, p.ID))
		}
		// The v2 attachment list (the per-page form) is in id order; keep the answers equal.
		sort.SliceStable(ct.Attachments, func(i, j int) bool {
			return lessID(strings.TrimPrefix(ct.Attachments[i].ID, "att"), strings.TrimPrefix(ct.Attachments[j].ID, "att"))
		})
	}
	return ct
}

// v1Comment maps an expanded comment of page pageID, returning its author when named.
func v1Comment(x confluence.Content, pageID string) (Comment, *User) {
	cm := Comment{ID: x.ID, PageID: pageID, Kind: CommentFooter}
	for _, a := range x.Ancestors {
		if a.Type == "comment" {
			cm.ParentID = a.ID // ancestors run top-most first: the last comment is the direct parent
		}
	}
	if e := x.Extensions; e != nil {
		// Confluence's comment locations are footer, inline and resolved (a resolved inline
		// comment); inline properties only come with inline comments.
		if e.Location == CommentInline || e.Location == "resolved" || e.InlineProperties != nil {
			cm.Kind = CommentInline
		}
		if e.InlineProperties != nil {
			cm.Selection = e.InlineProperties.OriginalSelection
		}
		if e.Resolution != nil {
			cm.ResolutionStatus = e.Resolution.Status
		}
	}
	if x.Body != nil && x.Body.Storage != nil {
		cm.Storage = x.Body.Storage.Value
	}
	var by *User
	if v := x.Version; v != nil {
		cm.CreatedAt = v.When
		if b := v.By; b != nil && b.AccountID != "" {
			cm.AuthorID = b.AccountID
			name := b.DisplayName
			if name == "" {
				name = b.PublicName
			}
			by = &User{AccountID: b.AccountID, DisplayName: name, Email: b.Email}
		}
	}
	return cm, by
}

// v1Attachment maps an expanded attachment of page pageID.
func (u *clientUpstream) v1Attachment(x confluence.Content, pageID string) Attachment {
	a := Attachment{ID: x.ID, PageID: pageID, Title: x.Title, FileSize: -1,
		DownloadURL: u.abs(x.Links.Download), WebURL: u.abs(x.Links.WebUI)}
	if e := x.Extensions; e != nil {
		a.MediaType, a.Comment = e.MediaType, e.Comment
		if e.FileSize != nil {
			a.FileSize = *e.FileSize
		}
	}
	if v := x.Version; v != nil {
		a.Version, a.CreatedAt = v.Number, v.When
		if v.By != nil {
			a.AuthorID = v.By.AccountID
		}
	}
	return a
}
