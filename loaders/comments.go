package loaders

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// Comments of many pages: with an ExpandingUpstream one details search (details.go) for up to 50
// pages; otherwise, and for a page whose expanded list is cut, the per-page endpoints (footer and
// inline read at once). Replies: one content search per 50 comments (replies.go).

// Comments returns the first first top-level comments of a page of kind (CommentFooter,
// CommentInline, or "" for footer comments followed by inline ones).
func (l *Loaders) Comments(ctx context.Context, pageID string, kind CommentKind, first int) (List[Comment], error) {
	return l.CommentsFrom(ctx, pageID, kind, first, ListFrom{})
}

// CommentsFrom is Comments read from from. A cursor only resumes one kind: with kind "" only
// the list's start ("" Cursor) can be resumed, and the answer has no Next.
func (l *Loaders) CommentsFrom(ctx context.Context, pageID string, kind CommentKind, first int, from ListFrom) (List[Comment], error) {
	return l.ContentCommentsFrom(ctx, KindPage, pageID, kind, first, from)
}

// ContentCommentsFrom is CommentsFrom for content of kind content (a page or a blog post).
func (l *Loaders) ContentCommentsFrom(ctx context.Context, content ContentKind, id string, kind CommentKind, first int, from ListFrom) (List[Comment], error) {
	key := commentsKey{PageID: id, Content: content, Kind: kind, N: first, From: from}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[commentsKey, List[Comment]] { return l.batchers().comments }, key)
}

// Replies returns the first first replies to a comment of the given kind.
func (l *Loaders) Replies(ctx context.Context, commentID string, kind CommentKind, first int) (List[Comment], error) {
	return l.RepliesFrom(ctx, commentID, kind, first, ListFrom{})
}

// RepliesFrom is Replies read from from.
func (l *Loaders) RepliesFrom(ctx context.Context, commentID string, kind CommentKind, first int, from ListFrom) (List[Comment], error) {
	key := repliesKey{CommentID: commentID, Kind: kind, N: first, From: from}
	return load(ctx, l, func(l *Loaders) *dataloader.Loader[repliesKey, List[Comment]] { return l.batchers().replies }, key)
}

func (l *Loaders) loadComments(ctx context.Context, keys []commentsKey) []*dataloader.Result[List[Comment]] {
	out := fromDetails(ctx, l, pageIDs(keys), 0, func(ct *Content, i int) (List[Comment], bool) {
		return trim(topLevel(ct.Comments, keys[i].Kind), keys[i].N), ct.CommentsComplete
	})
	return fillRest(ctx, l, keys, out, commentsOf)
}

// commentsOf reads the top-level comments of one page through the per-page endpoints.
func commentsOf(ctx context.Context, up Upstream, k commentsKey) (List[Comment], error) {
	cursor := k.From.Cursor
	if k.Kind == "" {
		cursor = "" // one cursor cannot resume two lists
	}
	list := func(kind CommentKind) (List[Comment], error) {
		return collectFrom(ctx, cursor, k.N, func(opt ListOptions) ([]Comment, string, error) {
			return up.Comments(ctx, k.Content, k.PageID, kind, opt)
		})
	}
	if k.Kind != "" {
		return list(k.Kind)
	}
	// Both kinds: footer comments first, then inline ones. The two lists are read at the
	// same time, so the field costs one round trip.
	var (
		footer, inline List[Comment]
		ferr, ierr     error
		wg             sync.WaitGroup
	)
	wg.Go(func() { footer, ferr = list(CommentFooter) })
	inline, ierr = list(CommentInline)
	wg.Wait()
	if ferr != nil {
		return List[Comment]{}, ferr
	}
	if ierr != nil {
		return List[Comment]{}, ierr
	}
	all := trim(append(footer.Items, inline.Items...), k.N)
	all.More = all.More || footer.More || inline.More
	return all, nil
}

// topLevel returns the top-level comments of kind among cs ("" : footer ones, then inline ones).
func topLevel(cs []Comment, kind CommentKind) []Comment {
	var footer, inline []Comment
	for _, c := range cs {
		switch {
		case c.ParentID != "":
		case c.Kind == CommentInline:
			inline = append(inline, c)
		default:
			footer = append(footer, c)
		}
	}
	switch kind {
	case CommentFooter:
		return footer
	case CommentInline:
		return inline
	}
	return append(footer, inline...)
}
