package loaders

import (
	"cmp"
	"sort"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// The one mapping step: the confluence client's types (v2 and v1 shapes) into the entity types
// the loaders return and the GraphQL layer binds (graph/model). Links become absolute here, enum
// values are read here, and "" becomes nil for the fields GraphQL reports as null when empty.

func (u *clientUpstream) page(p confluence.Page) Page {
	out := Page{
		ID:       p.ID,
		Title:    p.Title,
		Status:   statusOf(p.Status),
		SpaceID:  p.SpaceID,
		ParentID: p.ParentID,
		AuthorID: p.AuthorID,
		Created:  p.CreatedAt,
		URL:      u.abs(p.Links.WebUI),
		// The parent may be a folder, whiteboard, database or embed as well as a page.
		ParentType: p.ParentType,
	}
	if out.ParentID != "" && out.ParentType == "" {
		out.ParentType = confluence.KindPage
	}
	if p.Position != nil {
		out.Position, out.HasPosition = *p.Position, true
	}
	if v := p.Version; v != nil {
		out.Current = version(p.ID, *v)
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

// contentOf maps a v2 page or blog post (kind) and marks its kind.
func (u *clientUpstream) contentOf(kind ContentKind, p confluence.Page) Page {
	out := u.page(p)
	out.Content, out.Current.Kind = kind, kind
	return out
}

// listedPage maps a child or descendant listing row (a Partial record).
func listedPage(id, title, status, parentID string, position *int) Page {
	p := Page{ID: id, Title: title, Status: statusOf(status), ParentID: parentID, Partial: true}
	if position != nil {
		p.Position, p.HasPosition = *position, true
	}
	return p
}

func version(pageID string, v confluence.Version) Version {
	return Version{PageID: pageID, Number: v.Number, Message: strPtr(v.Message), MinorEdit: v.MinorEdit,
		CreatedAt: v.CreatedAt, AuthorID: v.AuthorID}
}

// statuses and spaceTypes read Confluence's values; "" is the default, anything else OTHER.
var (
	statuses = map[string]model.ContentStatus{"": model.ContentStatusCurrent, "current": model.ContentStatusCurrent,
		"archived": model.ContentStatusArchived, "draft": model.ContentStatusDraft, "trashed": model.ContentStatusTrashed}
	spaceTypes = map[string]model.SpaceType{"": model.SpaceTypeGlobal, "global": model.SpaceTypeGlobal,
		"personal": model.SpaceTypePersonal, "collaboration": model.SpaceTypeCollaboration,
		"knowledge_base": model.SpaceTypeKnowledgeBase}
)

func statusOf(s string) model.ContentStatus { return enumOf(statuses, s, model.ContentStatusOther) }

func spaceTypeOf(t string) model.SpaceType { return enumOf(spaceTypes, t, model.SpaceTypeOther) }

// enumOf looks s up case-insensitively in values; other when it is not there.
func enumOf[E any](values map[string]E, s string, other E) E {
	if v, ok := values[strings.ToLower(s)]; ok {
		return v
	}
	return other
}

func (u *clientUpstream) space(s confluence.Space) Space {
	out := Space{ID: s.ID, Key: s.Key, Name: s.Name, Type: spaceTypeOf(s.Type), Status: s.Status, HomepageID: s.HomepageID,
		URL: u.abs(s.Links.WebUI)}
	if out.URL == "" {
		out.URL = u.abs("/spaces/" + s.Key)
	}
	if d := s.Description; d != nil && d.Plain != nil {
		out.Description = strPtr(d.Plain.Value)
	}
	return out
}

// user maps an account; Confluence's public name stands in for a hidden display name.
func user(accountID, displayName, publicName, email string) User {
	if displayName == "" {
		displayName = publicName
	}
	return User{AccountID: accountID, DisplayName: strPtr(displayName), Email: strPtr(email)}
}

// label maps a label; a label without a prefix is global.
func label(id, name, prefix string) Label {
	if prefix == "" {
		prefix = "global"
	}
	return Label{ID: id, Name: name, Prefix: prefix}
}

// comment builds a comment; the resolution and the highlighted text are kept for inline ones only.
func comment(id, pageID string, kind CommentKind, parentID, resolution, selection, storage string) Comment {
	c := Comment{ID: id, PageID: pageID, Kind: kind, ParentID: parentID, Storage: storage}
	if kind == CommentInline {
		c.ResolutionStatus, c.HighlightedText = strPtr(resolution), strPtr(selection)
	}
	return c
}

func (u *clientUpstream) comment(c confluence.Comment, pageID string, kind CommentKind) Comment {
	if id := cmp.Or(c.PageID, c.BlogPostID); id != "" {
		pageID = id
	}
	var storage, selection string
	if c.Body.Storage != nil {
		storage = c.Body.Storage.Value
	}
	if c.Properties != nil {
		selection = c.Properties.InlineOriginalSelection
	}
	out := comment(c.ID, pageID, kind, c.ParentCommentID, c.ResolutionStatus, selection, storage)
	if c.Version != nil {
		out.AuthorID, out.CreatedAt = c.Version.AuthorID, c.Version.CreatedAt
	}
	return out
}

func (u *clientUpstream) attachment(a confluence.Attachment) Attachment {
	x := Attachment{ID: a.ID, PageID: cmp.Or(a.PageID, a.BlogPostID), Title: a.Title, MediaType: a.MediaType, Comment: strPtr(a.Comment),
		FileSize: fileSize(a.FileSize), CreatedAt: a.CreatedAt, WebURL: u.abs(a.Links.WebUI)}
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
	return x
}

// fileSize is n bytes as GraphQL's 32-bit Int; nil when unknown (negative) or too large.
func fileSize(n int64) *int {
	if n < 0 || n > 1<<31-1 {
		return nil
	}
	v := int(n)
	return &v
}

// strPtr returns nil for "" and &s otherwise.
func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// content maps a v1 content row with its expansions.
func (u *clientUpstream) content(c confluence.Content) Content {
	p := Page{ID: c.ID, Title: c.Title, Status: statusOf(c.Status), URL: u.abs(c.Links.WebUI), Partial: true, Kind: c.Type}
	if n := len(c.Ancestors); n > 0 {
		p.ParentID, p.ParentType = c.Ancestors[n-1].ID, cmp.Or(c.Ancestors[n-1].Type, confluence.KindPage)
	}
	if c.Space != nil {
		p.SpaceID = c.Space.ID
	}
	if e := c.Extensions; e != nil && e.Position != nil {
		p.Position, p.HasPosition = *e.Position, true
	}
	if c.Type == "blogpost" {
		p.Content = KindBlogPost
	}
	ct := Content{Page: p}
	for _, a := range c.Ancestors {
		if a.Type == "" || a.Type == "page" {
			ct.AncestorIDs = append(ct.AncestorIDs, a.ID)
		}
		ct.AncestorRefs = append(ct.AncestorRefs, ContentRef{ID: a.ID, Kind: cmp.Or(a.Type, confluence.KindPage)})
	}
	if md := c.Metadata; md != nil && md.Labels != nil {
		ct.LabelsComplete = md.Labels.Complete()
		ct.Labels = make([]Label, len(md.Labels.Results))
		for i, l := range md.Labels.Results {
			ct.Labels[i] = label(l.ID, l.Name, l.Prefix)
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
	kind, parentID := CommentFooter, ""
	for _, a := range x.Ancestors {
		if a.Type == "comment" {
			parentID = a.ID // ancestors run top-most first: the last comment is the direct parent
		}
	}
	var resolution, selection, storage string
	if e := x.Extensions; e != nil {
		// Confluence's comment locations are footer, inline and resolved (a resolved inline
		// comment); inline properties only come with inline comments.
		if e.Location == "inline" || e.Location == "resolved" || e.InlineProperties != nil {
			kind = CommentInline
		}
		if e.InlineProperties != nil {
			selection = e.InlineProperties.OriginalSelection
		}
		if e.Resolution != nil {
			resolution = e.Resolution.Status
		}
	}
	if x.Body != nil && x.Body.Storage != nil {
		storage = x.Body.Storage.Value
	}
	cm := comment(x.ID, pageID, kind, parentID, resolution, selection, storage)
	var by *User
	if v := x.Version; v != nil {
		cm.CreatedAt = v.When
		if b := v.By; b != nil && b.ID() != "" {
			cm.AuthorID = b.ID()
			a := user(b.ID(), b.DisplayName, b.PublicName, b.Email)
			by = &a
		}
	}
	return cm, by
}

// v1Attachment maps an expanded attachment of page pageID.
func (u *clientUpstream) v1Attachment(x confluence.Content, pageID string) Attachment {
	a := Attachment{ID: x.ID, PageID: pageID, Title: x.Title,
		DownloadURL: u.abs(x.Links.Download), WebURL: u.abs(x.Links.WebUI)}
	if e := x.Extensions; e != nil {
		a.MediaType, a.Comment = e.MediaType, strPtr(e.Comment)
		if e.FileSize != nil {
			a.FileSize = fileSize(*e.FileSize)
		}
	}
	if v := x.Version; v != nil {
		a.Version, a.CreatedAt = v.Number, v.When
		if v.By != nil {
			a.AuthorID = v.By.ID()
		}
	}
	return a
}

// node maps a v2 folder, whiteboard, database or embed.
func (u *clientUpstream) node(n confluence.Node) TreeNode {
	out := TreeNode{ID: n.ID, Title: n.Title, Kind: n.Type, Status: statusOf(n.Status), SpaceID: n.SpaceID,
		ParentID: n.ParentID, ParentType: n.ParentType, AuthorID: n.AuthorID, Created: n.CreatedAt, URL: u.abs(n.Links.WebUI)}
	if n.Position != nil {
		out.Position, out.HasPosition = *n.Position, true
	}
	return out
}
