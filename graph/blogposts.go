package graph

import (
	"context"
	"slices"

	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Blog posts read like pages: a BlogPost is the same record as a Page (Kind BLOGPOST), and its
// fields run the page resolvers' code on (*model.Page)(obj), which passes the kind to the
// loaders (the /blogposts routes for per-content calls, the same batched reads otherwise).

// contentImplementors are the types whose fields read a page or blog post record, for the
// selection checks that decide what a read brings along (bulkBodyFormat).
var contentImplementors = slices.Concat(pageImplementors, blogPostImplementors)

// asPage is the page record behind a blog post.
func asPage(b *model.BlogPost) *model.Page { return (*model.Page)(b) }

// asBlogPost marks a record read for a blog post as one and returns it as a BlogPost.
func asBlogPost(p *model.Page) *model.BlogPost {
	if p == nil {
		return nil
	}
	p.Content = model.ContentTypeBlogpost
	return (*model.BlogPost)(p)
}

// loadContent returns a page or blog post (kind) by id, NotFound when missing, read with its
// current body when the selection below the field asks for it.
func loadContent(ctx context.Context, kind loaders.ContentKind, id string) (*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	ps, errs := readContent(ctx, kind, []string{id})
	if errs[0] != nil {
		return nil, errs[0]
	}
	return ps[0], nil
}

func loadBlogPost(ctx context.Context, id string) (*model.BlogPost, error) {
	p, err := loadContent(ctx, loaders.KindBlogPost, id)
	return asBlogPost(p), err
}

// findBlogPosts resolves BlogPost entities, one bulk read for every representation.
func findBlogPosts(ctx context.Context, reps []*model.BlogPostRepresentation) ([]*model.BlogPost, error) {
	ids := make([]string, len(reps))
	for i, r := range reps {
		if r.ID != nil {
			ids[i] = *r.ID
		}
	}
	ps, err := findContent(ctx, loaders.KindBlogPost, ids)
	out := make([]*model.BlogPost, len(ps))
	for i, p := range ps {
		out[i] = asBlogPost(p)
	}
	return out, err
}

// searchResultContent returns the hit's page or blog post as a partial record (like
// searchResultPage): other fields load it, batched with the other hits, only when asked.
func searchResultContent(ctx context.Context, obj *model.SearchResult) (model.Content, error) {
	if obj.ContentID == "" {
		return nil, nil
	}
	switch obj.Type {
	case model.ContentTypePage:
		return &model.Page{ID: obj.ContentID, Title: obj.Title, Partial: true}, nil
	case model.ContentTypeBlogpost:
		return asBlogPost(&model.Page{ID: obj.ContentID, Title: obj.Title, Partial: true}), nil
	}
	return nil, nil
}

func spaceBlogPosts(ctx context.Context, obj *model.Space, first *int, after *string) (*model.BlogPostConnection, error) {
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Page], error) {
		return loaders.For(ctx).SpacePages(ctx, loaders.SpacePagesRequest{
			SpacePagesQuery: loaders.SpacePagesQuery{SpaceID: obj.ID, Content: loaders.KindBlogPost}, First: need, From: from})
	}, func(list loaders.List[model.Page], w window) *model.BlogPostConnection {
		nodes, edges, info := edgesOf(list, w, func(p model.Page) *model.BlogPost { return asBlogPost(&p) },
			func(c string, n *model.BlogPost) *model.BlogPostEdge { return &model.BlogPostEdge{Cursor: c, Node: n} })
		return &model.BlogPostConnection{Nodes: nodes, Edges: edges, PageInfo: info}
	})
}
