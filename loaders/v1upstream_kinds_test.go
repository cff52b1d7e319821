package loaders_test

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/loaders"
)

func isNotFound(err error) bool { return errors.Is(err, confluence.ErrNotFound) }

// treeRows keeps what a tree listing row carries on both routes (v2 direct-children and
// descendants, and the CQL content search): the URL and space of a row are extras of one form.
// Below the first level, v2 descendants know a row's parent kind only when the parent came in
// the same page of the listing, so ParentType is compared on the first level only.
func treeRows(ps []loaders.Page) []loaders.Page {
	out := make([]loaders.Page, len(ps))
	for i, p := range ps {
		out[i] = loaders.Page{ID: p.ID, Title: p.Title, Status: p.Status, Kind: p.Kind, ParentID: p.ParentID,
			Depth: p.Depth, Position: p.Position, HasPosition: p.HasPosition, Partial: p.Partial}
		if p.Depth <= 1 {
			out[i].ParentType = p.ParentType
		}
	}
	return out
}

// kindReads are the reads of blog posts, the tree's other kinds, content types and batched
// comment replies, for TestV1UpstreamAnswersAsV2. Demo data: blog posts 100201 (comments 200201
// with reply 200202, inline 200203; attachment att300201) and 100203 in OPS; folder 400001 under
// 100001 holds page 100061 and folder 400002, which holds page 100060; whiteboard 400003 under
// 100001; database 400004 under 100020.
func kindReads(ctx context.Context) []upstreamRead {
	blog, folder := loaders.KindBlogPost, loaders.ContentRef{ID: "400001", Kind: "folder"}
	sortPages := func(ps []loaders.Page) []loaders.Page {
		slices.SortFunc(ps, func(a, b loaders.Page) int { return strings.Compare(a.ID, b.ID) })
		return ps
	}
	return []upstreamRead{
		{"blog posts by id", func(up loaders.Upstream) (any, error) {
			ps, err := up.ContentByID(ctx, blog, []string{"100201", "100203", "100003", "999999"}, "storage")
			return sortPages(ps), err
		}},
		{"pages by id leave blog posts out", func(up loaders.Upstream) (any, error) {
			ps, err := up.ContentByID(ctx, loaders.KindPage, []string{"100201", "100003"}, "")
			return sortPages(ps), err
		}},
		{"blog post at version", func(up loaders.Upstream) (any, error) { return up.PageAt(ctx, blog, "100201", 1, "storage") }},
		{"blog post current, view", func(up loaders.Upstream) (any, error) { return up.PageAt(ctx, blog, "100203", 0, "view") }},
		{"a page read as a blog post is not found", func(up loaders.Upstream) (any, error) {
			_, err := up.PageAt(ctx, blog, "100003", 0, "")
			return isNotFound(err), nil
		}},
		{"space blog posts", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.SpacePages(ctx, loaders.SpacePagesQuery{SpaceID: "98307", Content: blog}, o)
			})
		}},
		{"blog post labels", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Label, string, error) { return up.Labels(ctx, blog, "100201", o) })
		}},
		{"blog post footer comments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Comments(ctx, blog, "100201", loaders.CommentFooter, o)
			})
		}},
		{"blog post inline comments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Comments(ctx, blog, "100201", loaders.CommentInline, o)
			})
		}},
		{"blog post versions", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Version, string, error) {
				return up.Versions(ctx, loaders.VersionsQuery{PageID: "100201", Content: blog}, o)
			})
		}},
		{"blog post version", func(up loaders.Upstream) (any, error) { return up.Version(ctx, blog, "100201", 1) }},
		{"blog post attachments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Attachment, string, error) {
				return up.Attachments(ctx, blog, "100201", "", o)
			})
		}},
		{"children of every kind", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.Children(ctx, loaders.ContentRef{ID: "100001"}, o)
			})
			return treeRows(ps), err
		}},
		{"children of a folder", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) { return up.Children(ctx, folder, o) })
			return treeRows(ps), err
		}},
		{"descendants through folders", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.Descendants(ctx, loaders.ContentRef{ID: "100001"}, 3, o)
			})
			return treeRows(ps), err
		}},
		{"descendants of a folder", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) { return up.Descendants(ctx, folder, 2, o) })
			return treeRows(ps), err
		}},
		{"ancestors through folders", func(up loaders.Upstream) (any, error) {
			return up.Ancestors(ctx, loaders.ContentRef{ID: "100060"})
		}},
		{"ancestors of a folder", func(up loaders.Upstream) (any, error) {
			return up.Ancestors(ctx, loaders.ContentRef{ID: "400002", Kind: "folder"})
		}},
		{"a page under a folder", func(up loaders.Upstream) (any, error) {
			return up.PagesByID(ctx, []string{"100060"}, "")
		}},
		{"folder", func(up loaders.Upstream) (any, error) {
			return up.Node(ctx, loaders.ContentRef{ID: "400002", Kind: "folder"})
		}},
		{"database", func(up loaders.Upstream) (any, error) {
			return up.Node(ctx, loaders.ContentRef{ID: "400004", Kind: "database"})
		}},
		{"a whiteboard read as a folder is not found", func(up loaders.Upstream) (any, error) {
			_, err := up.Node(ctx, loaders.ContentRef{ID: "400003", Kind: "folder"})
			return isNotFound(err), nil
		}},
		{"content types", func(up loaders.Upstream) (any, error) {
			return up.ContentTypes(ctx, []string{"100003", "100201", "400001", "400003", "400004", "400005", "200201", "200203", "999999"})
		}},
		{"batched comment replies", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Thread, string, error) {
				return up.CommentReplies(ctx, []string{"200201", "200004", "200010", "200202"}, o)
			})
		}},
		{"blog post comment replies", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Replies(ctx, "200201", loaders.CommentFooter, o)
			})
		}},
	}
}
