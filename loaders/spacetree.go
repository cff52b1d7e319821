package loaders

import (
	"context"
	"fmt"

	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// spaceNodesCQL lists a space's tree content that is not a page. v2 has no such list (the
// folders list is reported to fail), so it is a CQL content search; the ancestors expansion
// gives each row's parent and the row's extensions its child position.
const spaceNodesCQL = "type in (folder, whiteboard, database, embed) AND space = %s"

// SpaceTreeNodes returns the current folders, whiteboards, databases and embeds of the space
// with key spaceKey as listing records (Kind, ParentID, ParentType and, when Confluence reports
// it, Position), in one CQL content search per 250. It answers nil without error when the
// upstream cannot run content searches (ErrUnsupported or a refusal canFallBack accepts): the
// caller then finds the nodes through their pages' parents (ResolveParents).
func (l *Loaders) SpaceTreeNodes(ctx context.Context, spaceKey string) ([]Page, error) {
	rows, err := direct(ctx, l, func(up Upstream) ([]Content, error) {
		return contentSearchAll(ctx, up, fmt.Sprintf(spaceNodesCQL, cql.Quote(spaceKey)), []string{"ancestors"})
	})
	if err != nil {
		if canFallBack(err) {
			return nil, nil
		}
		return nil, err
	}
	out := make([]Page, 0, len(rows))
	for _, r := range rows {
		if !model.IsPageKind(r.Page.Kind) {
			out = append(out, r.Page)
		}
	}
	return out, nil
}

// ResolveParents reads, by id, the parents of items that are not among items and whose
// ParentType names a folder, whiteboard, database or embed, and their parents in turn, so that
// a tree built from items orphans nothing. It returns the nodes read, as listing records.
func (l *Loaders) ResolveParents(ctx context.Context, items []Page) ([]Page, error) {
	known := make(map[string]bool, len(items))
	for _, p := range items {
		known[p.ID] = true
	}
	var out []Page
	pending := items
	for range 20 { // folders nest; Confluence's tree depth is bounded well below this
		var refs []ContentRef
		for _, p := range pending {
			if p.ParentID != "" && !known[p.ParentID] && !model.IsPageKind(p.ParentType) {
				known[p.ParentID] = true
				refs = append(refs, ContentRef{ID: p.ParentID, Kind: p.ParentType})
			}
		}
		if len(refs) == 0 {
			return out, nil
		}
		pending = nil
		for _, ref := range refs {
			n, err := l.Node(ctx, ref)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			p := Page{ID: n.ID, Title: n.Title, Kind: n.Kind, Partial: true, Status: n.Status, SpaceID: n.SpaceID,
				ParentID: n.ParentID, ParentType: n.ParentType, Position: n.Position, HasPosition: n.HasPosition}
			out = append(out, p)
			pending = append(pending, p)
		}
	}
	return out, nil
}
