package bench

import (
	"context"
	"net/url"
	"strconv"

	"github.com/confluence-graph/confluence-graph/internal/testquery"
)

// Nested is the normalised answer of the nested query.
type Nested struct {
	SpaceName string
	Pages     []NestedPage
}

// NestedPage is one page of the nested answer. Labels keep Confluence's order.
type NestedPage struct {
	ID, Title   string
	Labels      []string
	Author      string
	Children    []NestedChild
	Comments    []NestedComment
	Attachments []NestedAttachment
	Versions    []NestedVersion
}

// NestedChild is a child page with its labels.
type NestedChild struct {
	ID, Title string
	Labels    []string
}

// NestedComment is a comment's author and body (Markdown through the API, storage format
// through the naive client).
type NestedComment struct {
	Author string
	Body   string
}

// NestedAttachment is an attachment's title and media type.
type NestedAttachment struct{ Title, MediaType string }

// NestedVersion is a version's number and message.
type NestedVersion struct {
	Number  int
	Message string
}

func nestedQuery() *Query {
	return &Query{
		Name:    "nested",
		Title:   "space → 25 pages → labels, author, 10 children with labels, 5 comments with author and body, 5 attachments, 3 versions (the read API's reference query)",
		GraphQL: testquery.Nested,
		Depth:   4,
		Floor:   30,
		FloorNote: "space by key, its root pages, one v1 content search `id in (...)` expanding labels, comments and attachments, " +
			"one CQL `parent in (...)` with labels for the children, one users-bulk, and 25 version lists (no bulk form)",
		api:   nestedAPI,
		naive: nestedNaive,
		mesh: func(ctx context.Context, m *Mesh, t Targets) (any, error) {
			return m.Nested(ctx, t.SpaceKey)
		},
	}
}

func nestedAPI(ctx context.Context, a *API, t Targets) (any, error) {
	var res struct {
		Space struct {
			Name  string `json:"name"`
			Pages struct {
				Nodes []struct {
					ID       string    `json:"id"`
					Title    string    `json:"title"`
					Labels   []gqlName `json:"labels"`
					Author   *gqlUser  `json:"author"`
					Children struct {
						Nodes []struct {
							ID     string    `json:"id"`
							Title  string    `json:"title"`
							Labels []gqlName `json:"labels"`
						} `json:"nodes"`
					} `json:"children"`
					Comments struct {
						Nodes []struct {
							Author *gqlUser `json:"author"`
							Body   struct {
								Value string `json:"value"`
							} `json:"body"`
						} `json:"nodes"`
					} `json:"comments"`
					Attachments struct {
						Nodes []NestedAttachment `json:"nodes"`
					} `json:"attachments"`
					Versions struct {
						Nodes []struct {
							Number  int     `json:"number"`
							Message *string `json:"message"`
						} `json:"nodes"`
					} `json:"versions"`
				} `json:"nodes"`
			} `json:"pages"`
		} `json:"space"`
	}
	if err := a.Query(ctx, testquery.Nested, map[string]any{"key": t.SpaceKey}, &res); err != nil {
		return nil, err
	}
	out := Nested{SpaceName: res.Space.Name}
	for _, p := range res.Space.Pages.Nodes {
		np := NestedPage{ID: p.ID, Title: p.Title, Labels: labelNames(p.Labels), Author: p.Author.name(),
			Attachments: p.Attachments.Nodes}
		for _, c := range p.Children.Nodes {
			np.Children = append(np.Children, NestedChild{ID: c.ID, Title: c.Title, Labels: labelNames(c.Labels)})
		}
		for _, c := range p.Comments.Nodes {
			np.Comments = append(np.Comments, NestedComment{Author: c.Author.name(), Body: c.Body.Value})
		}
		for _, v := range p.Versions.Nodes {
			np.Versions = append(np.Versions, nestedVersion(v.Number, v.Message))
		}
		out.Pages = append(out.Pages, np)
	}
	return out, nil
}

// nestedNaive walks the same answer one REST call per node: the space, its root pages, then per
// page its labels, its author, its children and each child's labels, its comments (footer, then
// inline if fewer than 5) and each comment's author, its attachments and its versions.
func nestedNaive(ctx context.Context, n *Naive, t Targets) (any, error) {
	sp, err := n.spaceByKey(ctx, t.SpaceKey)
	if err != nil {
		return nil, err
	}
	var pages v2List[v2Page]
	q := url.Values{"depth": {"root"}, "status": {"current"}, "limit": {"25"}}
	if err := n.get(ctx, "/wiki/api/v2/spaces/"+sp.ID+"/pages", q, &pages); err != nil {
		return nil, err
	}
	out := Nested{SpaceName: sp.Name, Pages: make([]NestedPage, len(pages.Results))}
	err = n.each(len(pages.Results), func(i int) error {
		p := pages.Results[i]
		np := &out.Pages[i]
		np.ID, np.Title = p.ID, p.Title
		return n.all(
			func() (err error) { np.Labels, err = n.labels(ctx, p.ID); return err },
			func() (err error) { np.Author, err = n.user(ctx, p.AuthorID); return err },
			func() error { return n.nestedChildren(ctx, p.ID, np) },
			func() error { return n.nestedComments(ctx, p.ID, np) },
			func() error {
				var res v2List[NestedAttachment]
				if err := n.get(ctx, "/wiki/api/v2/pages/"+p.ID+"/attachments", limit(5), &res); err != nil {
					return err
				}
				np.Attachments = res.Results
				return nil
			},
			func() error {
				var res v2List[v2Version]
				if err := n.get(ctx, "/wiki/api/v2/pages/"+p.ID+"/versions", limit(3), &res); err != nil {
					return err
				}
				for _, v := range res.Results {
					np.Versions = append(np.Versions, NestedVersion{Number: v.Number, Message: v.Message})
				}
				return nil
			},
		)
	})
	return out, err
}

func (n *Naive) nestedChildren(ctx context.Context, pageID string, np *NestedPage) error {
	cs, err := n.children(ctx, pageID, 10)
	if err != nil {
		return err
	}
	np.Children = make([]NestedChild, len(cs))
	return n.each(len(cs), func(i int) error {
		if cs[i].Type != "" && cs[i].Type != "page" {
			np.Children[i] = NestedChild{ID: cs[i].ID, Title: cs[i].Title} // labels are asked of pages only
			return nil
		}
		ls, err := n.labels(ctx, cs[i].ID)
		np.Children[i] = NestedChild{ID: cs[i].ID, Title: cs[i].Title, Labels: ls}
		return err
	})
}

// nestedComments reads up to five comments as the API defines them: footer comments first,
// then inline ones.
func (n *Naive) nestedComments(ctx context.Context, pageID string, np *NestedPage) error {
	const want = 5
	var cs []v2Comment
	for _, kind := range []string{"footer-comments", "inline-comments"} {
		if len(cs) >= want {
			break
		}
		var res v2List[v2Comment]
		q := url.Values{"limit": {strconv.Itoa(want - len(cs))}, "body-format": {"storage"}}
		if err := n.get(ctx, "/wiki/api/v2/pages/"+pageID+"/"+kind, q, &res); err != nil {
			return err
		}
		cs = append(cs, res.Results...)
	}
	np.Comments = make([]NestedComment, len(cs))
	return n.each(len(cs), func(i int) error {
		name, err := n.user(ctx, cs[i].Version.AuthorID)
		np.Comments[i] = NestedComment{Author: name, Body: cs[i].Body.Storage.Value}
		return err
	})
}

// nestedVersion is a version of the nested answer; a version without a message (null) has "".
func nestedVersion(number int, message *string) NestedVersion {
	v := NestedVersion{Number: number}
	if message != nil {
		v.Message = *message
	}
	return v
}
