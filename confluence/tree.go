package confluence

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"time"
)

// TreeService reads the content tree's other kinds (folders, whiteboards, databases, embeds)
// and the mixed-type hierarchy routes every kind of tree content has (v2 /{kind}s/{id}/...).
type TreeService service

// Content tree kinds, as Confluence names them in `type` and `parentType`.
const (
	KindPage       = "page"
	KindFolder     = "folder"
	KindWhiteboard = "whiteboard"
	KindDatabase   = "database"
	KindEmbed      = "embed"
)

// treeSegments maps a tree kind to its v2 route segment.
var treeSegments = map[string]string{KindPage: "pages", KindFolder: "folders", KindWhiteboard: "whiteboards",
	KindDatabase: "databases", KindEmbed: "embeds"}

// IsTreeKind reports whether kind is one of the content tree's kinds.
func IsTreeKind(kind string) bool { _, ok := treeSegments[kind]; return ok }

// treeRoute is the route template of kind's route with suffix ("" for the object itself), or
// an error for a kind that is not in the tree.
func treeRoute(kind, suffix string) (string, error) {
	seg, ok := treeSegments[kind]
	if !ok {
		return "", fmt.Errorf("confluence: %q is not a content tree kind", kind)
	}
	return "/wiki/api/v2/" + seg + "/{id}" + suffix, nil
}

// treeRequest is a GET of kind's route with suffix for id.
func treeRequest(kind, suffix string, q query, id string) *request {
	route, err := treeRoute(kind, suffix)
	if err != nil {
		return &request{method: "GET", route: "/wiki/api/v2/{kind}/{id}" + suffix, err: err}
	}
	return getRoute(route, q, id)
}

// Node is a folder, whiteboard, database or embed (v2 FolderSingle, WhiteboardSingle,
// DatabaseSingle, SmartLinkSingle: the same core fields).
type Node struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Status string `json:"status"`
	Title  string `json:"title"`
	// ParentID and ParentType are "" at the space root and for trashed content.
	ParentID   string    `json:"parentId"`
	ParentType string    `json:"parentType"`
	Position   *int      `json:"position"`
	AuthorID   string    `json:"authorId"`
	OwnerID    string    `json:"ownerId"`
	CreatedAt  time.Time `json:"createdAt"`
	SpaceID    string    `json:"spaceId"`
	Version    *Version  `json:"version,omitempty"`
	// EmbedURL is the link an embed (Smart Link) shows.
	EmbedURL string `json:"embedUrl,omitempty"`
	Links    Links  `json:"_links"`
}

// UnmarshalJSON accepts RFC 3339 or epoch-ms timestamps (an epoch-ms folder createdAt has been
// reported).
func (n *Node) UnmarshalJSON(b []byte) error { return decodeLenient(b, n) }

// Get returns a folder, whiteboard, database or embed by kind and id. An id of another kind is
// an *Error matching ErrNotFound, as Confluence answers it.
//
// Confluence API: GET /wiki/api/v2/{folders,whiteboards,databases,embeds}/{id}
func (s *TreeService) Get(ctx context.Context, kind, id string) (*Node, *Response, error) {
	if kind == KindPage {
		return nil, nil, fmt.Errorf("confluence: TreeService.Get reads folders, whiteboards, databases and embeds; use Pages.Get")
	}
	return getOne[Node](ctx, s.client, treeRequest(kind, "", query{}, id))
}

// treeChildrenRequest lists the direct children of the content id of kind (KindPage included).
func treeChildrenRequest(kind, id string, opts *ChildrenOptions) *request {
	return treeRequest(kind, "/direct-children", opts.query(), id)
}

// ListDirectChildren returns one page of the direct children of every kind of the content id
// of kind, in child order (Cloud's rows carry no spaceId).
//
// Confluence API: GET /wiki/api/v2/{kind}s/{id}/direct-children
func (s *TreeService) ListDirectChildren(ctx context.Context, kind, id string, opts *ChildrenOptions) ([]ChildContent, *Response, error) {
	return list[ChildContent](ctx, s.client, treeChildrenRequest(kind, id, opts))
}

// ListDirectChildrenIter yields every direct child.
//
// Confluence API: GET /wiki/api/v2/{kind}s/{id}/direct-children
func (s *TreeService) ListDirectChildrenIter(ctx context.Context, kind, id string, opts *ChildrenOptions) iter.Seq2[ChildContent, error] {
	return iterate[ChildContent](ctx, s.client, treeChildrenRequest(kind, id, opts))
}

// treeDescendantsRequest lists the descendants of the content id of kind (KindPage included).
func treeDescendantsRequest(kind, id string, opts *DescendantsOptions) *request {
	return treeRequest(kind, "/descendants", opts.query(), id)
}

// ListDescendants returns one page of the descendants of every kind below the content id of
// kind, top to bottom (rows carry parentId and depth, no spaceId).
//
// Confluence API: GET /wiki/api/v2/{kind}s/{id}/descendants
func (s *TreeService) ListDescendants(ctx context.Context, kind, id string, opts *DescendantsOptions) ([]Descendant, *Response, error) {
	return list[Descendant](ctx, s.client, treeDescendantsRequest(kind, id, opts))
}

// ListAncestors returns up to limit ancestors (0 = Confluence's default 25) of the content id
// of kind, highest first, each with its kind. The endpoint has no cursor; see AllAncestors.
//
// Confluence API: GET /wiki/api/v2/{kind}s/{id}/ancestors
func (s *TreeService) ListAncestors(ctx context.Context, kind, id string, limit int) ([]Ancestor, *Response, error) {
	q := query{}
	q.int("limit", limit)
	return list[Ancestor](ctx, s.client, treeRequest(kind, "/ancestors", q, id))
}

// AllAncestors returns every ancestor (of every kind) of the content id of kind, highest first.
// When a call returns a full page it asks again from the highest ancestor found, through that
// ancestor's own kind of route, since the endpoint has no cursor.
//
// Confluence API: GET /wiki/api/v2/{kind}s/{id}/ancestors?limit=250
func (s *TreeService) AllAncestors(ctx context.Context, kind, id string) ([]Ancestor, error) {
	var out []Ancestor
	seen := map[string]bool{id: true}
	for {
		got, _, err := s.ListAncestors(ctx, kind, id, maxBatch)
		if err != nil {
			return nil, err
		}
		out = append(append([]Ancestor(nil), got...), out...)
		if len(got) < maxBatch || seen[got[0].ID] || !IsTreeKind(got[0].Type) {
			return out, nil
		}
		id, kind = got[0].ID, got[0].Type
		seen[id] = true
	}
}

// ContentTypes returns the content type of each id Confluence knows (page, blogpost, folder,
// whiteboard, database, embed, attachment, footer-comment, inline-comment, ...), 100 ids per
// request; an id that does not exist or is not visible is absent.
//
// Confluence API: POST /wiki/api/v2/content/convert-ids-to-types (read-only)
func (s *TreeService) ContentTypes(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, chunk := range chunks(ids, 100) {
		body, err := json.Marshal(map[string][]string{"contentIds": chunk})
		if err != nil {
			return out, err
		}
		req := &request{method: "POST", route: "/wiki/api/v2/content/convert-ids-to-types", path: "/wiki/api/v2/content/convert-ids-to-types", body: body}
		res, _, err := getOne[struct {
			Results map[string]*string `json:"results"`
		}](ctx, s.client, req)
		if err != nil {
			return out, err
		}
		for id, t := range res.Results {
			if t != nil && *t != "" {
				out[id] = *t
			}
		}
	}
	return out, nil
}
