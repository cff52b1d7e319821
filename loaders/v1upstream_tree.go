package loaders

import (
	"cmp"
	"context"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The v1 upstream's page tree: children and descendants of every kind through the CQL reads of
// the hierarchy fallback (cqlTree), ancestors and tree nodes through GET /content/{id} (v1
// serves folders, whiteboards, databases and embeds there, with their type), and content types
// through one CQL content search.

func (u *v1Upstream) Children(ctx context.Context, parent ContentRef, opt ListOptions) ([]Page, string, error) {
	return u.tree.listChildren(ctx, parent, opt)
}

func (u *v1Upstream) Descendants(ctx context.Context, of ContentRef, depth int, opt ListOptions) ([]Page, string, error) {
	return u.tree.listDescendants(ctx, of, depth, opt)
}

func (u *v1Upstream) Ancestors(ctx context.Context, of ContentRef) ([]ContentRef, error) {
	x, resp, err := u.c.Content.Get(ctx, of.ID, &confluence.ContentGetOptions{Expand: []string{"ancestors"}, Status: []string{"current", "archived"}})
	if err != nil {
		return nil, err
	}
	u.learn(resp)
	if x.Type != "" && x.Type != treeKind(of) {
		return nil, &NotFoundError{Kind: treeKind(of), Key: of.ID}
	}
	out := make([]ContentRef, 0, len(x.Ancestors))
	for _, a := range x.Ancestors {
		if a.Type == "" || confluence.IsTreeKind(a.Type) {
			out = append(out, ContentRef{ID: a.ID, Kind: cmp.Or(a.Type, confluence.KindPage)})
		}
	}
	return out, nil
}

func (u *v1Upstream) Node(ctx context.Context, ref ContentRef) (TreeNode, error) {
	x, resp, err := u.c.Content.Get(ctx, ref.ID, &confluence.ContentGetOptions{Expand: []string{"space", "version", "history", "ancestors"},
		Status: []string{"current", "archived", "trashed"}})
	if err != nil {
		return TreeNode{}, err
	}
	u.learn(resp)
	if x.Type != treeKind(ref) || x.Type == confluence.KindPage {
		return TreeNode{}, &NotFoundError{Kind: treeKind(ref), Key: ref.ID}
	}
	p := u.v1Page(KindPage, *x, "")
	n := TreeNode{ID: p.ID, Title: p.Title, Kind: x.Type, Status: p.Status, URL: p.URL, SpaceID: p.SpaceID,
		AuthorID: p.AuthorID, Created: p.Created}
	if x.Status != "trashed" { // v2 answers a trashed node without parent or position
		n.ParentID, n.ParentType, n.Position, n.HasPosition = p.ParentID, p.ParentType, p.Position, p.HasPosition
	}
	return n, nil
}

// ContentTypes reads the types through a CQL content search `id in (...)` (v2's
// convert-ids-to-types needs granular scopes), named as v2 names them: a comment is
// footer-comment or inline-comment by its location.
func (u *v1Upstream) ContentTypes(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, c := range chunks(ids, maxBatch) {
		list := cqlIDs(c)
		if list == "" {
			continue
		}
		rows, err := collectAll(ctx, func(o ListOptions) ([]confluence.Content, string, error) {
			cs, resp, err := u.c.Search.Content(ctx, &confluence.ContentSearchOptions{CQL: "id in (" + list + ")", Cursor: o.Cursor, Limit: o.Limit})
			if err != nil {
				return nil, "", err
			}
			u.learn(resp)
			return cs, resp.NextCursor, nil
		})
		if err != nil {
			return nil, err
		}
		for _, x := range rows {
			typ := x.Type
			if typ == "comment" {
				typ = "footer-comment"
				if e := x.Extensions; e != nil && (e.Location == "inline" || e.Location == "resolved") {
					typ = "inline-comment"
				}
			}
			out[strings.TrimPrefix(x.ID, "att")] = typ
		}
	}
	return out, nil
}
