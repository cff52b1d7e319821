package loaders

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The v1 upstream's mapping of v1 content, spaces and versions, and its descendants listing.

// v1Page maps v1 content (with v1PageExpand) onto a full Page; bodyFormat names the body to keep.
// A historical version reads as the page's current state at that version.
func (u *v1Upstream) v1Page(x confluence.Content, bodyFormat string) Page {
	status := x.Status
	if status == "historical" {
		status = "current"
	}
	p := Page{ID: x.ID, Title: x.Title, Status: statusOf(status), URL: u.abs(x.Links.WebUI)}
	for _, a := range x.Ancestors {
		if a.Type == "" || a.Type == "page" {
			p.ParentID = a.ID
		} else {
			p.ParentID = "" // a folder, whiteboard, ... is not a page parent
		}
	}
	if x.Space != nil {
		p.SpaceID = x.Space.ID
	}
	if h := x.History; h != nil {
		p.Created = h.CreatedDate
		if h.CreatedBy != nil {
			p.AuthorID = h.CreatedBy.AccountID
		}
	}
	if pos := position(x); pos != nil {
		p.Position, p.HasPosition = *pos, true
	}
	if v := x.Version; v != nil {
		p.Current = v1Version(x.ID, *v)
	}
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
		out.AuthorID = v.By.AccountID
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

// Descendants lists the current pages below pageID down to depth levels, breadth-first, each
// level in child order (as the v2 descendants route does), from one CQL content search
// ancestor = pageID with the ancestors expansion (read to its end on every call; the cursor is
// the offset into that order).
func (u *v1Upstream) Descendants(ctx context.Context, pageID string, depth int, opt ListOptions) ([]Page, string, error) {
	if !isDigits(pageID) {
		return nil, "", nil
	}
	rows, err := collectAll(ctx, func(o ListOptions) ([]confluence.Content, string, error) {
		cs, resp, err := u.c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "type = page AND ancestor = " + pageID,
			Expand: []string{"ancestors"}, Cursor: o.Cursor, Limit: maxBatch})
		if err != nil {
			return nil, "", err
		}
		u.learn(resp)
		return cs, resp.NextCursor, nil
	})
	if err != nil {
		return nil, "", err
	}
	kids := map[string][]Page{}
	for _, x := range rows {
		i := slices.IndexFunc(x.Ancestors, func(a confluence.Content) bool { return a.ID == pageID })
		if i < 0 || len(x.Ancestors)-i > depth || !isCurrentPage(x.Type, x.Status) {
			continue
		}
		parent := x.Ancestors[len(x.Ancestors)-1].ID
		p := listedPage(x.ID, x.Title, x.Status, parent, position(x))
		p.Depth = len(x.Ancestors) - i
		kids[parent] = append(kids[parent], p)
	}
	for _, ks := range kids {
		slices.SortStableFunc(ks, func(a, b Page) int {
			if a.Position != b.Position {
				return a.Position - b.Position
			}
			if lessID(a.ID, b.ID) {
				return -1
			}
			return 1
		})
	}
	var all []Page
	for level := []string{pageID}; len(level) > 0; {
		var next []string
		for _, id := range level {
			for _, k := range kids[id] {
				all = append(all, k)
				next = append(next, k.ID)
			}
		}
		level = next
	}
	from := min(start(opt), len(all))
	end := len(all)
	if opt.Limit > 0 {
		end = min(end, from+opt.Limit)
	}
	nextCur := ""
	if end < len(all) {
		nextCur = strconv.Itoa(end)
	}
	return all[from:end], nextCur, nil
}
