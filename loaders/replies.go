package loaders

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
)

// Replies of many comments: Confluence Cloud lists a page's top-level comments only (v1
// children.comment and child/comment ignore depth; v2 lists roots), so every reply level costs a
// read. The replies of every comment a request loads at one level are read together: one v1
// content search per repliesChunk comment ids (Upstream.CommentReplies), the chunks at the same
// time. A comment the search does not answer (not returned, or its replies cut at the expanded
// collection's 25 when more are asked) is read through the per-comment v2 children endpoint, so
// a list never claims to be complete when it is not.

// repliesChunk is the most comment ids one batched replies read names: reply bodies cap a v1
// content search page at 50 rows.
const repliesChunk = 50

// Thread is a comment and its direct replies as a batched read returned them.
type Thread struct {
	CommentID string
	Replies   []Comment
	// Complete reports that Replies holds every direct reply: the expansion was not cut.
	Complete bool
	// Users are the replies' authors the expansion named, for priming.
	Users []User
}

func (k repliesKey) from() ListFrom { return k.From }

// loadReplies answers a batch of reply lists from the batched read where it can, and the rest
// with one per-comment read each.
func (l *Loaders) loadReplies(ctx context.Context, keys []repliesKey) []*dataloader.Result[List[Comment]] {
	out := make([]*dataloader.Result[List[Comment]], len(keys))
	var ids []string
	seen := map[string]bool{}
	for _, k := range keys {
		if !seen[k.CommentID] && isDigits(k.CommentID) {
			seen[k.CommentID] = true
			ids = append(ids, k.CommentID)
		}
	}
	if !l.cfg.NoCQLBatching && len(ids) >= 2 {
		threads, err := l.threads(ctx, ids)
		if err != nil {
			return fail[List[Comment]](len(keys), err)
		}
		for i, k := range keys {
			// A cut thread still answers a key that asks fewer replies than it holds.
			if t, ok := threads[k.CommentID]; ok && (t.Complete || (k.N > 0 && len(t.Replies) > k.N)) {
				rs := make([]Comment, len(t.Replies))
				for j, c := range t.Replies {
					rs[j] = asReplyOf(c, k.CommentID, k.Kind)
				}
				out[i] = &dataloader.Result[List[Comment]]{Data: trim(rs, k.N)}
			}
		}
	}
	return fillRest(ctx, l, keys, out, repliesOf)
}

// threads reads the replies of ids, repliesChunk ids a search, the searches at the same time. A
// search Confluence refuses (canFallBack) leaves its comments out, for the per-comment reads;
// another failure is returned.
func (l *Loaders) threads(ctx context.Context, ids []string) (map[string]Thread, error) {
	up, err := l.upstream(ctx)
	if err != nil {
		return nil, err
	}
	cs := chunks(ids, repliesChunk)
	got := make([][]Thread, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			if err := l.acquire(ctx); err != nil {
				errs[i] = err
				return
			}
			defer l.release()
			got[i], errs[i] = collectAll(ctx, func(opt ListOptions) ([]Thread, string, error) {
				return up.CommentReplies(ctx, c, opt)
			})
		})
	}
	wg.Wait()
	out := map[string]Thread{}
	for i := range cs {
		if errs[i] != nil {
			if canFallBack(errs[i]) {
				continue
			}
			return nil, errs[i]
		}
		for _, t := range got[i] {
			out[t.CommentID] = t
			for _, u := range t.Users {
				if u.AccountID != "" && u.DisplayName != nil {
					l.primeUser(ctx, u)
				}
			}
		}
	}
	return out, nil
}

// asReplyOf is reply c of comment parentID as the per-comment endpoint of kind reports it: of
// the parent's kind (footer for ""), with the parent named.
func asReplyOf(c Comment, parentID string, kind CommentKind) Comment {
	if c.ParentID == "" {
		c.ParentID = parentID
	}
	if kind != CommentInline {
		kind = CommentFooter
	}
	if c.Kind != kind {
		c.Kind = kind
		if kind != CommentInline {
			c.ResolutionStatus, c.HighlightedText = nil, nil
		}
	}
	return c
}

// repliesOf reads the replies to one comment through the per-comment endpoint of its kind.
func repliesOf(ctx context.Context, up Upstream, k repliesKey) (List[Comment], error) {
	return collectFrom(ctx, k.From.Cursor, k.N, func(opt ListOptions) ([]Comment, string, error) {
		return up.Replies(ctx, k.CommentID, k.Kind, opt)
	})
}
