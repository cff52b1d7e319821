package graph

import (
	"context"
	"errors"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/graph/model"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// maxIDs caps pages(ids) and spaces(keys) at Confluence's bulk size. Federation _entities
// batches are not capped: the router sends every representation of a type at once, and the
// loaders split them into bulk calls of this size.
const maxIDs = 250

// isNotFound reports whether err means "does not exist or not visible".
func isNotFound(err error) bool { return errors.Is(err, confluence.ErrNotFound) }

// nullIfNotFound turns a not-found into (nil, nil) for nullable fields documented as
// "null when not visible".
func nullIfNotFound[T any](v *T, err error) (*T, error) {
	if isNotFound(err) {
		return nil, nil
	}
	return v, err
}

// loadPage returns a page by id (NotFound when missing), read with its current body when the
// selection below the field asks for it (readPages).
func loadPage(ctx context.Context, id string) (*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	ps, errs := readPages(ctx, []string{id})
	if errs[0] != nil {
		return nil, errs[0]
	}
	return ps[0], nil
}

// fullPage returns obj when it is complete, else the complete record of the same page (or
// blog post, by obj.Kind).
func fullPage(ctx context.Context, obj *model.Page) (*model.Page, error) {
	if !obj.Partial {
		return obj, nil
	}
	if obj.IsBlogPost() {
		return loadContent(ctx, loaders.KindBlogPost, obj.ID)
	}
	return loadPage(ctx, obj.ID)
}

func loadPages(ctx context.Context, ids []string) ([]*model.Page, error) {
	if _, err := requireCaller(ctx); err != nil {
		return nil, err
	}
	if len(ids) > maxIDs {
		return nil, inputErrorf("ids", "at most %d ids per call, got %d", maxIDs, len(ids))
	}
	ps, errs := readPages(ctx, ids)
	out := make([]*model.Page, len(ids))
	for i := range ids {
		if errs[i] != nil {
			if isNotFound(errs[i]) {
				continue
			}
			return nil, errs[i]
		}
		out[i] = ps[i]
	}
	return out, nil
}

func pageStatus(ctx context.Context, obj *model.Page) (model.ContentStatus, error) {
	if obj.Status != "" {
		return obj.Status, nil
	}
	p, err := fullPage(ctx, obj)
	if err != nil {
		return "", err
	}
	return p.Status, nil
}

func pageURL(ctx context.Context, obj *model.Page) (string, error) {
	p, err := fullPage(ctx, obj)
	if err != nil {
		return "", err
	}
	return p.URL, nil
}

func pageCreatedAt(ctx context.Context, obj *model.Page) (*time.Time, error) {
	p, err := fullPage(ctx, obj)
	if err != nil {
		return nil, err
	}
	return timePtr(p.Created), nil
}

func pageUpdatedAt(ctx context.Context, obj *model.Page) (*time.Time, error) {
	p, err := fullPage(ctx, obj)
	if err != nil {
		return nil, err
	}
	return timePtr(p.Current.CreatedAt), nil
}

func pageCurrentVersion(ctx context.Context, obj *model.Page) (*model.Version, error) {
	p, err := fullPage(ctx, obj)
	if err != nil {
		return nil, err
	}
	return &p.Current, nil
}

func pageSpace(ctx context.Context, obj *model.Page) (*model.Space, error) {
	spaceID := obj.SpaceID
	if spaceID == "" {
		p, err := fullPage(ctx, obj)
		if err != nil {
			return nil, err
		}
		spaceID = p.SpaceID
	}
	return loaders.For(ctx).SpaceByID(ctx, spaceID)
}

func pageAuthor(ctx context.Context, obj *model.Page) (*model.User, error) {
	p, err := fullPage(ctx, obj)
	if err != nil {
		return nil, err
	}
	return loadUser(ctx, p.AuthorID)
}

// loadUser returns the account, or nil when id is empty or the account is not visible.
func loadUser(ctx context.Context, id string) (*model.User, error) {
	if id == "" {
		return nil, nil
	}
	return nullIfNotFound(loaders.For(ctx).User(ctx, id))
}

func pageConnection(list loaders.List[loaders.Page], w window) *model.PageConnection {
	nodes, edges, info := edgesOf(list, w, ptrTo[model.Page],
		func(c string, n *model.Page) *model.PageEdge { return &model.PageEdge{Cursor: c, Node: n} })
	return &model.PageConnection{Nodes: nodes, Edges: edges, PageInfo: info}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// listConnection answers a connection field: it validates first (default def) and after, loads
// the items the window needs from where the window's read starts and cuts the window out of
// them with conn.
func listConnection[T, C any](first *int, after *string, def int, load func(need int, from loaders.ListFrom) (loaders.List[T], error), conn func(loaders.List[T], window) *C) (*C, error) {
	w, err := pageWindow(first, after, def)
	if err != nil {
		return nil, err
	}
	list, err := load(w.need(), w.From)
	if err != nil {
		return nil, err
	}
	return conn(list, w), nil
}

func pageLabels(ctx context.Context, obj *model.Page) ([]*model.Label, error) {
	ls, err := loaders.For(ctx).ContentLabels(ctx, obj.Content, obj.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Label, len(ls))
	for i := range ls {
		out[i] = &ls[i]
	}
	return out, nil
}

func commentKindArg(kind *model.CommentKind) model.CommentKind {
	if kind == nil {
		return ""
	}
	return *kind
}

func commentConnection(list loaders.List[loaders.Comment], w window) *model.CommentConnection {
	nodes, edges, info := edgesOf(list, w, ptrTo[model.Comment],
		func(c string, n *model.Comment) *model.CommentEdge { return &model.CommentEdge{Cursor: c, Node: n} })
	return &model.CommentConnection{Nodes: nodes, Edges: edges, PageInfo: info}
}

func pageComments(ctx context.Context, obj *model.Page, kind *model.CommentKind, first *int, after *string) (*model.CommentConnection, error) {
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Comment], error) {
		return loaders.For(ctx).ContentCommentsFrom(ctx, obj.Content, obj.ID, commentKindArg(kind), need, from)
	}, commentConnection)
}

func commentReplies(ctx context.Context, obj *model.Comment, first *int, after *string) (*model.CommentConnection, error) {
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Comment], error) {
		return loaders.For(ctx).RepliesFrom(ctx, obj.ID, obj.Kind, need, from)
	}, commentConnection)
}

func pageVersions(ctx context.Context, obj *model.Page, first *int, after *string) (*model.VersionConnection, error) {
	bodies := selects(ctx, "VersionConnection", "nodes", "Version", "body") || selects(ctx, "VersionConnection", "edges", "VersionEdge", "node", "Version", "body")
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Version], error) {
		return loaders.For(ctx).Versions(ctx, loaders.VersionsRequest{
			VersionsQuery: loaders.VersionsQuery{PageID: obj.ID, Content: obj.Content, WithBodies: bodies}, First: need, Current: currentNumber(obj), From: from})
	}, func(list loaders.List[model.Version], w window) *model.VersionConnection {
		nodes, edges, info := edgesOf(list, w, ptrTo[model.Version],
			func(c string, n *model.Version) *model.VersionEdge { return &model.VersionEdge{Cursor: c, Node: n} })
		return &model.VersionConnection{Nodes: nodes, Edges: edges, PageInfo: info}
	})
}

func pageVersion(ctx context.Context, obj *model.Page, number int) (*model.Version, error) {
	if number < 1 {
		return nil, nil
	}
	if currentNumber(obj) == number {
		return &obj.Current, nil
	}
	return nullIfNotFound(loaders.For(ctx).ContentVersion(ctx, obj.Content, obj.ID, number))
}

func pageAttachments(ctx context.Context, obj *model.Page, mediaType *string, first *int, after *string) (*model.AttachmentConnection, error) {
	mt := ""
	if mediaType != nil {
		mt = *mediaType
	}
	return listConnection(first, after, 25, func(need int, from loaders.ListFrom) (loaders.List[model.Attachment], error) {
		return loaders.For(ctx).ContentAttachmentsFrom(ctx, obj.Content, obj.ID, mt, need, from)
	}, func(list loaders.List[model.Attachment], w window) *model.AttachmentConnection {
		nodes, edges, info := edgesOf(list, w, ptrTo[model.Attachment],
			func(c string, n *model.Attachment) *model.AttachmentEdge {
				return &model.AttachmentEdge{Cursor: c, Node: n}
			})
		return &model.AttachmentConnection{Nodes: nodes, Edges: edges, PageInfo: info}
	})
}
