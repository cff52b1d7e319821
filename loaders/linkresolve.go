package loaders

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/storage"
	"github.com/confluence-graph/confluence-graph/cql"
)

// maxLinkCQL bounds the characters of one link search's CQL, so its URL stays well under the
// 8 KB request lines proxies accept; 200 titles of a space fit in one search.
const maxLinkCQL = 6000

// linkResolver resolves one batch of link keys: searchContent, then findAttachments, then url.
type linkResolver struct {
	keys    []linkKey
	todo    []int
	spaceOf func(pageID string) string // a page's space key from the cache, "" when unknown

	holderSpace map[string]string    // holder page id -> space key
	byID        map[string]SearchHit // content id -> hit
	byTitle     map[string]SearchHit // titleKey(type, space, title) -> hit
	anyTitle    map[string][]SearchHit
	spaces      map[string]string       // space key -> URL
	files       map[string][]Attachment // page id -> its attachments
	// restrict, when set, adds the tenant's read policy to each lookup query (a link to hidden
	// content then resolves to nothing, like a link to a page that does not exist).
	restrict func(cql string) (string, error)
}

func newLinkResolver(keys []linkKey, todo []int, spaceOf func(string) string) *linkResolver {
	r := &linkResolver{keys: keys, todo: todo, spaceOf: spaceOf, holderSpace: map[string]string{},
		byID: map[string]SearchHit{}, byTitle: map[string]SearchHit{}, anyTitle: map[string][]SearchHit{},
		spaces: map[string]string{}, files: map[string][]Attachment{}}
	for _, i := range todo {
		h := keys[i].Holder
		if _, ok := r.holderSpace[h.PageID]; ok {
			continue
		}
		k := h.SpaceKey
		if k == "" {
			k = spaceOf(h.PageID)
		}
		r.holderSpace[h.PageID] = k
	}
	return r
}

func titleKey(typ, space, title string) string {
	return typ + "\x00" + strings.ToUpper(space) + "\x00" + strings.ToLower(strings.TrimSpace(title))
}

// contentType is the CQL type of a page-like target kind.
func contentType(k storage.LinkKind) string {
	if k == storage.LinkBlogPost {
		return "blogpost"
	}
	return "page"
}

// contentOf returns the content a key names (the container for a file), and whether it names
// content other than the holder page.
func contentOf(k linkKey) (kind storage.LinkKind, ok bool) {
	t := k.Target
	switch t.Kind {
	case storage.LinkAttachment:
		if t.Container == 0 || (t.ContentID == "" && t.Title == "") {
			return 0, false
		}
		return t.Container, true
	case storage.LinkSpace:
		return 0, false
	}
	return t.Kind, true
}

// searchContent runs the CQL search(es) for every page, blog post and space the batch names.
func (r *linkResolver) searchContent(ctx context.Context, up Upstream) error {
	ids := map[string]bool{}
	titles := map[[2]string][]string{} // (type, space) -> titles; space "" means any space
	seenTitle := map[string]bool{}
	spaceKeys := map[string]bool{}
	for _, i := range r.todo {
		k := r.keys[i]
		t := k.Target
		if t.Kind == storage.LinkSpace {
			spaceKeys[t.SpaceKey] = true
			continue
		}
		kind, ok := contentOf(k)
		if !ok {
			continue
		}
		if t.ContentID != "" {
			if t.Kind != storage.LinkAttachment {
				ids[t.ContentID] = true
			}
			continue
		}
		space := t.SpaceKey
		if space == "" {
			space = r.holderSpace[k.Holder.PageID]
			if space == "" {
				ids[k.Holder.PageID] = true // its hit names the current space
			}
		}
		g := [2]string{contentType(kind), space}
		if tk := titleKey(g[0], g[1], t.Title); !seenTitle[tk] {
			seenTitle[tk] = true
			titles[g] = append(titles[g], t.Title)
		}
	}
	var parts []cql.Expr
	for _, c := range chunks(slices.Sorted(maps.Keys(ids)), cqlChunk) {
		parts = append(parts, cql.Field("id").In(cql.Strings(c...)...))
	}
	groups := slices.SortedFunc(maps.Keys(titles), func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	})
	for _, g := range groups {
		ts := titles[g]
		for _, c := range chunks(ts, cqlChunk) {
			x := cql.And(cql.Field("type").Eq(cql.String(g[0])), cql.Field("title").In(cql.Strings(c...)...))
			if g[1] != "" {
				x = cql.And(cql.Field("type").Eq(cql.String(g[0])), cql.Field("space").Eq(cql.String(g[1])),
					cql.Field("title").In(cql.Strings(c...)...))
			}
			parts = append(parts, x)
		}
	}
	for _, c := range chunks(slices.Sorted(maps.Keys(spaceKeys)), cqlChunk) {
		parts = append(parts, cql.And(cql.Field("type").Eq(cql.String("space")), cql.Field("space").In(cql.Strings(c...)...)))
	}
	queries, err := packCQL(parts)
	if err != nil {
		return err
	}
	for _, q := range queries {
		if r.restrict != nil {
			if q, err = r.restrict(q); err != nil {
				return err
			}
		}
		hits, err := collectAll(ctx, func(opt ListOptions) ([]SearchHit, string, error) {
			sp, err := up.Search(ctx, SearchQuery{CQL: q}, opt)
			return sp.Hits, sp.Next, err
		})
		if err != nil {
			return err
		}
		r.index(hits)
	}
	return nil
}

// packCQL ORs parts into as few queries of at most maxLinkCQL characters as it can.
func packCQL(parts []cql.Expr) ([]string, error) {
	var out []string
	var cur []cql.Expr
	size := 0
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		q, err := cql.Build(cql.Or(cur...))
		if err != nil {
			return err
		}
		out = append(out, q.String())
		cur, size = nil, 0
		return nil
	}
	for _, p := range parts {
		q, err := cql.Build(p)
		if err != nil {
			return nil, err
		}
		n := len(q.String()) + len(" OR ()")
		if size+n > maxLinkCQL {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		cur, size = append(cur, p), size+n
	}
	return out, flush()
}

func (r *linkResolver) index(hits []SearchHit) {
	for _, h := range hits {
		switch h.Type {
		case "space":
			r.spaces[strings.ToUpper(h.SpaceKey)] = h.URL
			continue
		case "page", "blogpost":
		default:
			continue
		}
		r.byID[h.ContentID] = h
		if _, ok := r.holderSpace[h.ContentID]; ok && r.holderSpace[h.ContentID] == "" {
			r.holderSpace[h.ContentID] = h.SpaceKey
		}
		r.byTitle[titleKey(h.Type, h.SpaceKey, h.Title)] = h
		tk := titleKey(h.Type, "", h.Title)
		r.anyTitle[tk] = append(r.anyTitle[tk], h)
	}
}

// content finds the hit of the content key names (the container, for a file).
func (r *linkResolver) content(k linkKey) (SearchHit, bool) {
	t := k.Target
	kind, ok := contentOf(k)
	if !ok {
		return SearchHit{}, false
	}
	if t.ContentID != "" {
		h, ok := r.byID[t.ContentID]
		return h, ok
	}
	space := t.SpaceKey
	if space == "" {
		space = r.holderSpace[k.Holder.PageID]
	}
	if space != "" {
		h, ok := r.byTitle[titleKey(contentType(kind), space, t.Title)]
		return h, ok
	}
	if hs := r.anyTitle[titleKey(contentType(kind), "", t.Title)]; len(hs) == 1 {
		return hs[0], true
	}
	return SearchHit{}, false
}

// container returns the id and kind of the page or blog post holding the file key names; ""
// when it is not found.
func (r *linkResolver) container(k linkKey) (string, ContentKind) {
	t := k.Target
	switch {
	case t.Container == 0 || (t.ContentID == "" && t.Title == ""):
		return k.Holder.PageID, k.Holder.Content
	case t.ContentID != "":
		if h, ok := r.byID[t.ContentID]; ok && h.Type == "blogpost" {
			return t.ContentID, KindBlogPost
		}
		return t.ContentID, KindPage
	}
	h, _ := r.content(k)
	if h.Type == "blogpost" {
		return h.ContentID, KindBlogPost
	}
	return h.ContentID, KindPage
}

// findAttachments lists the files of every page the batch's file targets live on, in one
// batch of the attachment loader.
func (r *linkResolver) findAttachments(ctx context.Context, l *Loaders) error {
	var keys []attachmentsKey
	seen := map[string]bool{}
	for _, i := range r.todo {
		if r.keys[i].Target.Kind != storage.LinkAttachment {
			continue
		}
		if id, kind := r.container(r.keys[i]); id != "" && !seen[id] {
			seen[id] = true
			keys = append(keys, attachmentsKey{PageID: id, Content: kind, N: maxBatch})
		}
	}
	if len(keys) == 0 {
		return nil
	}
	lists, errs := l.batchers().attachments.LoadMany(ctx, keys)()
	for i, k := range keys {
		if errs != nil && errs[i] != nil {
			if errors.Is(errs[i], confluence.ErrNotFound) {
				continue
			}
			return errs[i]
		}
		r.files[k.PageID] = lists[i].Items
	}
	return nil
}

// diagramSuffixes are the file names a draw.io or Gliffy diagram named d may be stored under,
// after d itself.
var diagramSuffixes = []string{".drawio", ".drawio.png", ".gliffy", ".png"}

// url is the resolved URL of k, "" when its target does not exist.
func (r *linkResolver) url(k linkKey) string {
	t := k.Target
	switch t.Kind {
	case storage.LinkSpace:
		return r.spaces[strings.ToUpper(t.SpaceKey)]
	case storage.LinkAttachment:
		id, _ := r.container(k)
		files := r.files[id]
		for _, name := range append([]string{t.Filename}, suffixed(t.Filename)...) {
			for _, a := range files {
				if a.Title == name {
					if a.DownloadURL != "" {
						return a.DownloadURL
					}
					return a.WebURL
				}
			}
		}
		return ""
	}
	h, _ := r.content(k)
	return h.URL
}

func suffixed(name string) []string {
	out := make([]string, len(diagramSuffixes))
	for i, s := range diagramSuffixes {
		out[i] = name + s
	}
	return out
}
