package loaders

import (
	"context"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// repliesExpand are the expansions of the batched replies read: the comment's page (container)
// and its direct replies with their bodies, authors, inline selection and resolution (Cloud sends
// the last two only when expanded).
var repliesExpand = []string{"container", "children.comment.body.storage", "children.comment.version",
	"children.comment.extensions.inlineProperties", "children.comment.extensions.resolution"}

func (u *clientUpstream) CommentReplies(ctx context.Context, commentIDs []string, opt ListOptions) ([]Thread, string, error) {
	in := cqlIDs(commentIDs)
	if in == "" {
		return nil, "", nil
	}
	return mapped(u, thread)(u.c.Search.Content(ctx, &confluence.ContentSearchOptions{
		CQL: "type = comment AND id in (" + in + ")", Expand: repliesExpand, Cursor: opt.Cursor, Limit: opt.Limit}))
}

// thread maps a comment row of the batched replies read; rows of another type or status are
// left out.
func thread(c confluence.Content) (Thread, bool) {
	if c.Type != "comment" || (c.Status != "" && c.Status != "current") {
		return Thread{}, false
	}
	t := Thread{CommentID: c.ID}
	pageID := ""
	if c.Container != nil {
		pageID = c.Container.ID
	}
	if ch := c.Children; ch != nil && ch.Comment != nil {
		t.Complete = ch.Comment.Complete()
		for _, x := range ch.Comment.Results {
			cm, by := v1Comment(x, pageID)
			if cm.ParentID == "" {
				cm.ParentID = c.ID
			}
			t.Replies = append(t.Replies, cm)
			if by != nil {
				t.Users = append(t.Users, *by)
			}
		}
	}
	return t, true
}
