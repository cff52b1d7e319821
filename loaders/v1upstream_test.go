package loaders_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// upstreamAs returns an upstream of the simulator's demo account: NewClientUpstream, or
// NewV1Upstream when v1.
func upstreamAs(t *testing.T, sim *confluencetest.Server, account string, v1 bool) loaders.Upstream {
	t.Helper()
	c := clientAs(t, sim, account)
	if v1 {
		return loaders.NewV1Upstream(c)
	}
	return loaders.NewClientUpstream(c)
}

// upstreamRead is one read of an Upstream, compared between the v1 and v2 upstreams.
type upstreamRead struct {
	name string
	read func(up loaders.Upstream) (any, error)
}

// all reads a whole upstream list, 2 items a call (so the paging is exercised).
func all[T any](ctx context.Context, f func(loaders.ListOptions) ([]T, string, error)) ([]T, error) {
	var out []T
	opt := loaders.ListOptions{Limit: 2}
	for {
		items, next, err := f(opt)
		if err != nil {
			return out, err
		}
		out = append(out, items...)
		if next == "" {
			return out, nil
		}
		opt.Cursor = next
	}
}

// TestV1UpstreamAnswersAsV2: every Upstream read answers the same through the v1 routes, with
// the guide-recipe token (which the v2 routes refuse), as through the v2 routes with the classic
// token, on the demo data.
func TestV1UpstreamAnswersAsV2(t *testing.T) {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	t.Cleanup(sim.Close)
	v2 := upstreamAs(t, sim, "classic", false)
	v1 := upstreamAs(t, sim, "scoped-guide", true)
	ctx := t.Context()
	if _, err := upstreamAs(t, sim, "scoped-guide", false).PagesByID(ctx, []string{"100003"}, ""); !errors.Is(err, confluence.ErrScopeMismatch) {
		t.Fatalf("v2 read with the guide recipe = %v; want a scope mismatch", err)
	}
	alice, eve := "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01", "712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e05"
	sortPages := func(ps []loaders.Page) []loaders.Page {
		slices.SortFunc(ps, func(a, b loaders.Page) int { return strings.Compare(a.ID, b.ID) })
		return ps
	}
	reads := []upstreamRead{
		{"pages by id", func(up loaders.Upstream) (any, error) {
			ps, err := up.PagesByID(ctx, []string{"100003", "100013", "100014", "999999", "100051", "100020"}, "")
			return sortPages(ps), err
		}},
		{"pages by id with storage bodies", func(up loaders.Upstream) (any, error) {
			ps, err := up.PagesByID(ctx, []string{"100003", "100008"}, "storage")
			return sortPages(ps), err
		}},
		{"page at version", func(up loaders.Upstream) (any, error) {
			return up.PageAt(ctx, loaders.KindPage, "100003", 2, "storage")
		}},
		{"page at current, view", func(up loaders.Upstream) (any, error) { return up.PageAt(ctx, loaders.KindPage, "100021", 0, "view") }},
		{"page at, adf", func(up loaders.Upstream) (any, error) {
			return up.PageAt(ctx, loaders.KindPage, "100006", 0, "atlas_doc_format")
		}},
		{"spaces", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Space, string, error) {
				return up.Spaces(ctx, loaders.SpaceFilter{}, o)
			})
		}},
		{"spaces by key", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Space, string, error) {
				return up.Spaces(ctx, loaders.SpaceFilter{Keys: []string{"PIR", "OPS"}}, o)
			})
		}},
		{"users", func(up loaders.Upstream) (any, error) {
			us, err := up.Users(ctx, []string{eve, "712020:nobody", alice})
			slices.SortFunc(us, func(a, b loaders.User) int { return strings.Compare(a.AccountID, b.AccountID) })
			return us, err
		}},
		{"space pages", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.SpacePages(ctx, loaders.SpacePagesQuery{SpaceID: "98305"}, o)
			})
		}},
		{"space root pages", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.SpacePages(ctx, loaders.SpacePagesQuery{SpaceID: "98306", RootOnly: true}, o)
			})
		}},
		{"children", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.Children(ctx, loaders.ContentRef{ID: "100002"}, o)
			})
			return treeRows(ps), err
		}},
		{"descendants", func(up loaders.Upstream) (any, error) {
			ps, err := all(ctx, func(o loaders.ListOptions) ([]loaders.Page, string, error) {
				return up.Descendants(ctx, loaders.ContentRef{ID: "100001"}, 3, o)
			})
			return treeRows(ps), err
		}},
		{"ancestors", func(up loaders.Upstream) (any, error) { return up.Ancestors(ctx, loaders.ContentRef{ID: "100004"}) }},
		{"labels", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Label, string, error) {
				return up.Labels(ctx, loaders.KindPage, "100008", o)
			})
		}},
		{"footer comments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Comments(ctx, loaders.KindPage, "100003", loaders.CommentFooter, o)
			})
		}},
		{"inline comments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Comments(ctx, loaders.KindPage, "100006", loaders.CommentInline, o)
			})
		}},
		{"replies", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Replies(ctx, "200004", loaders.CommentFooter, o)
			})
		}},
		{"inline replies", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Comment, string, error) {
				return up.Replies(ctx, "200010", loaders.CommentInline, o)
			})
		}},
		{"versions", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Version, string, error) {
				return up.Versions(ctx, loaders.VersionsQuery{PageID: "100008"}, o)
			})
		}},
		{"version", func(up loaders.Upstream) (any, error) { return up.Version(ctx, loaders.KindPage, "100008", 3) }},
		{"attachments", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Attachment, string, error) {
				return up.Attachments(ctx, loaders.KindPage, "100031", "", o)
			})
		}},
		{"attachments by media type", func(up loaders.Upstream) (any, error) {
			return all(ctx, func(o loaders.ListOptions) ([]loaders.Attachment, string, error) {
				return up.Attachments(ctx, loaders.KindPage, "100003", "image/png", o)
			})
		}},
		{"attachment", func(up loaders.Upstream) (any, error) { return up.Attachment(ctx, "att300003") }},
		{"missing page", func(up loaders.Upstream) (any, error) {
			_, err := up.PageAt(ctx, loaders.KindPage, "999999", 0, "storage")
			return errors.Is(err, confluence.ErrNotFound), nil
		}},
	}
	reads = append(reads, kindReads(ctx)...)
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			want, err := r.read(v2)
			if err != nil {
				t.Fatalf("v2: %v", err)
			}
			got, err := r.read(v1)
			if err != nil {
				t.Fatalf("v1: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("v1 answer differs from v2:\n v1 %+v\n v2 %+v", got, want)
				if g, w := reflect.ValueOf(got), reflect.ValueOf(want); g.Kind() == reflect.Slice && w.Kind() == reflect.Slice {
					for i := range min(g.Len(), w.Len()) {
						if !reflect.DeepEqual(g.Index(i).Interface(), w.Index(i).Interface()) {
							t.Errorf("first difference at %d:\n v1 %+v\n v2 %+v", i, g.Index(i).Interface(), w.Index(i).Interface())
							break
						}
					}
				}
			}
		})
	}
	if n := sim.Stats().ByEndpoint["GET /wiki/api/v2/pages"]; n == 0 {
		t.Errorf("the v2 reads made no v2 calls: %v", sim.Stats().ByEndpoint)
	}
}
