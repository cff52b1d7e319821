package loaders

import (
	"cmp"
	"errors"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The v1 upstream's mapping of v1 content, spaces and versions, and its descendants listing.

// v1Page maps v1 content (with v1PageExpand) onto a full Page or blog post (kind); bodyFormat
// names the body to keep. A historical version reads as the page's current state at that
// version. The parent is the last ancestor, of any tree kind, as v2's parentId and parentType.
func (u *v1Upstream) v1Page(kind ContentKind, x confluence.Content, bodyFormat string) Page {
	status := x.Status
	if status == "historical" {
		status = "current"
	}
	p := Page{ID: x.ID, Title: x.Title, Status: statusOf(status), URL: u.abs(x.Links.WebUI), Content: kind}
	if n := len(x.Ancestors); n > 0 {
		p.ParentID, p.ParentType = x.Ancestors[n-1].ID, cmp.Or(x.Ancestors[n-1].Type, confluence.KindPage)
	}
	if x.Space != nil {
		p.SpaceID = x.Space.ID
	}
	if h := x.History; h != nil {
		p.Created = h.CreatedDate
		if h.CreatedBy != nil {
			p.AuthorID = h.CreatedBy.ID()
		}
	}
	if pos := position(x); pos != nil {
		p.Position, p.HasPosition = *pos, true
	}
	if v := x.Version; v != nil {
		p.Current = v1Version(x.ID, *v)
	}
	p.Current.Kind = kind
	if b := x.Body; b != nil && bodyFormat != "" {
		if v := b.Get(confluence.BodyFormat(bodyFormat)); v != nil {
			p.Body = v.Value
		}
	}
	return p
}

// position is a page's child position, nil when Confluence sent none.
func position(x confluence.Content) *int {
	if x.Extensions != nil {
		return x.Extensions.Position
	}
	return nil
}

func v1Version(pageID string, v confluence.ContentVersion) Version {
	out := version(pageID, confluence.Version{Number: v.Number, Message: v.Message, MinorEdit: v.MinorEdit, CreatedAt: v.When})
	if v.By != nil {
		out.AuthorID = v.By.ID()
	}
	return out
}

func (u *v1Upstream) v1Space(s confluence.V1Space) Space {
	u.mu.Lock()
	u.spaceKeys[s.ID] = s.Key
	u.mu.Unlock()
	out := Space{ID: s.ID, Key: s.Key, Name: s.Name, Type: spaceTypeOf(s.Type), Status: s.Status, URL: u.abs(s.Links.WebUI)}
	if out.URL == "" {
		out.URL = u.abs("/spaces/" + s.Key)
		if u.c.DataCenter() {
			out.URL = u.abs("/display/" + s.Key)
		}
	}
	if s.Homepage != nil {
		out.HomepageID = s.Homepage.ID
	}
	if d := s.Description; d != nil && d.Plain != nil {
		out.Description = strPtr(d.Plain.Value)
	}
	return out
}

// isMissing reports a v1 answer that the content is not there (or not visible).
func isMissing(err error) bool {
	return errors.Is(err, confluence.ErrNotFound)
}
