package confluencetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// store holds the simulator's content and its indexes. It is guarded by
// Server.mu.
type store struct {
	spaces      map[string]*Space // by id
	spaceByKey  map[string]*Space // by lower-case key
	pages       map[string]*pageRec
	pageOrder   []*pageRec            // by numeric id
	blogs       map[string]*pageRec   // blog posts by id (kind "blogpost")
	blogOrder   []*pageRec            // by numeric id
	children    map[string][]*pageRec // parent id -> children by position
	roots       map[string][]*pageRec // space key (lower) -> root pages by position
	comments    map[string]*Comment
	pageCmts    map[string][]*Comment // page id -> comments by id
	replies     map[string][]*Comment // comment id -> replies by id
	attachments map[string]*Attachment
	pageAtts    map[string][]*Attachment
	nodes       map[string]*nodeRec   // folders, whiteboards, databases, embeds by id
	tree        map[string][]treeItem // parent id -> children of every kind by position
	users       map[string]*User
	accounts    []*Account
	labelIDs    map[string]string
	gen         int // bumped by every reindex
}

// pageRec is a page plus what is derived from its current body.
type pageRec struct {
	*Page
	kind   string // "page" or "blogpost" (blogRec)
	space  *Space
	info   bodyInfo // of the current version
	parsed bool
	anc    []string // root first
}

func (p *pageRec) current() Version { return p.Versions[len(p.Versions)-1] }

func newStore() *store {
	return &store{
		spaces: map[string]*Space{}, spaceByKey: map[string]*Space{},
		pages: map[string]*pageRec{}, blogs: map[string]*pageRec{}, comments: map[string]*Comment{},
		attachments: map[string]*Attachment{}, users: map[string]*User{}, nodes: map[string]*nodeRec{},
		labelIDs: map[string]string{},
	}
}

// lessID orders decimal ids numerically (shorter first, then lexically).
func lessID(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// seed merges d into the store and rebuilds the indexes.
func (st *store) seed(d Dataset, now time.Time) error {
	var errs []error
	for _, sp := range d.Spaces {
		if sp.ID == "" || sp.Key == "" {
			errs = append(errs, fmt.Errorf("confluencetest: space %q needs id and key", sp.Key))
			continue
		}
		sp.Type = cmp.Or(sp.Type, "global")
		sp.Status = cmp.Or(sp.Status, "current")
		sp.Name = cmp.Or(sp.Name, sp.Key)
		if sp.CreatedAt.IsZero() {
			sp.CreatedAt = now
		}
		if old, ok := st.spaces[sp.ID]; ok {
			delete(st.spaceByKey, strings.ToLower(old.Key))
		}
		st.spaces[sp.ID] = &sp
		st.spaceByKey[strings.ToLower(sp.Key)] = &sp
	}
	for _, u := range d.Users {
		if u.AccountID == "" {
			errs = append(errs, errors.New("confluencetest: user needs accountId"))
			continue
		}
		st.users[u.AccountID] = &u
	}
	for _, a := range d.Accounts {
		if a.Email == "" || a.Token == "" {
			errs = append(errs, errors.New("confluencetest: account needs email and token"))
			continue
		}
		a.Type = cmp.Or(a.Type, TokenClassic)
		if a.Type != TokenClassic && a.Type != TokenScoped {
			errs = append(errs, fmt.Errorf("confluencetest: account %s: type %q is not classic or scoped", a.Email, a.Type))
			continue
		}
		if i := slices.IndexFunc(st.accounts, func(x *Account) bool { return strings.EqualFold(x.Email, a.Email) }); i >= 0 {
			st.accounts[i] = &a
		} else {
			st.accounts = append(st.accounts, &a)
		}
	}
	for _, p := range d.Pages {
		if p.ID == "" || p.SpaceKey == "" {
			errs = append(errs, fmt.Errorf("confluencetest: page %q needs id and spaceKey", p.Title))
			continue
		}
		p.Status = cmp.Or(p.Status, "current")
		normalizeVersions(&p, now)
		st.pages[p.ID] = &pageRec{Page: &p, kind: "page"}
	}
	errs = append(errs, st.seedBlogPosts(d.BlogPosts, now)...)
	for _, c := range d.Comments {
		if c.ID == "" || c.PageID == "" {
			errs = append(errs, errors.New("confluencetest: comment needs id and pageId"))
			continue
		}
		c.Kind = cmp.Or(c.Kind, "footer")
		c.Status = cmp.Or(c.Status, "current")
		if c.Kind == "inline" && c.ResolutionStatus == "" {
			c.ResolutionStatus = "open"
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		st.comments[c.ID] = &c
	}
	for _, a := range d.Attachments {
		if a.ID == "" || a.PageID == "" {
			errs = append(errs, errors.New("confluencetest: attachment needs id and pageId"))
			continue
		}
		if !strings.HasPrefix(a.ID, "att") {
			a.ID = "att" + a.ID
		}
		a.Version = cmp.Or(a.Version, 1)
		a.MediaType = cmp.Or(a.MediaType, "application/octet-stream")
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		st.attachments[a.ID] = &a
	}
	errs = append(errs, st.seedNodes(d.Nodes, now)...)
	if err := st.reindex(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// normalizeVersions gives a page (or blog post) at least one version, numbers and dates its
// versions and fills its creation time and author from the first one.
func normalizeVersions(p *Page, now time.Time) {
	if len(p.Versions) == 0 {
		p.Versions = []Version{{}}
	}
	p.Versions = slices.Clone(p.Versions)
	for i := range p.Versions {
		v := &p.Versions[i]
		v.Number = cmp.Or(v.Number, i+1)
		v.AuthorID = cmp.Or(v.AuthorID, p.AuthorID)
		if v.CreatedAt.IsZero() {
			v.CreatedAt = cmp.Or(p.CreatedAt, now)
		}
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.Versions[0].CreatedAt
	}
	p.AuthorID = cmp.Or(p.AuthorID, p.Versions[0].AuthorID)
}

// link ties a page or blog post to its space, parses its current body and registers its
// labels; an unknown space is an error.
func (st *store) link(p *pageRec) error {
	sp := st.spaceByKey[strings.ToLower(p.SpaceKey)]
	if sp == nil {
		return fmt.Errorf("confluencetest: %s %s: unknown space %q", p.kind, p.ID, p.SpaceKey)
	}
	p.space = sp
	if !p.parsed {
		p.info, p.parsed = parseStorage(p.current().Body), true
	}
	for _, l := range p.Labels {
		st.labelID(l)
	}
	return nil
}

// reindex rebuilds every derived index from the primary maps.
func (st *store) reindex() error {
	var errs []error
	st.gen++
	for _, sp := range st.spaces {
		for _, l := range sp.Labels {
			st.labelID(l)
		}
	}
	st.pageOrder = st.pageOrder[:0]
	st.children = map[string][]*pageRec{}
	st.roots = map[string][]*pageRec{}
	for id, p := range st.pages {
		if err := st.link(p); err != nil {
			errs = append(errs, err)
			delete(st.pages, id)
			continue
		}
		st.pageOrder = append(st.pageOrder, p)
	}
	slices.SortFunc(st.pageOrder, func(a, b *pageRec) int { return lessID(a.ID, b.ID) })
	errs = append(errs, st.reindexBlogPosts()...)
	for _, p := range st.pageOrder {
		if p.ParentID != "" && st.pages[p.ParentID] != nil && p.Status != "trashed" {
			st.children[p.ParentID] = append(st.children[p.ParentID], p)
		} else if p.ParentID == "" {
			k := strings.ToLower(p.SpaceKey)
			st.roots[k] = append(st.roots[k], p)
		}
	}
	byPos := func(a, b *pageRec) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), lessID(a.ID, b.ID))
	}
	for _, c := range st.children {
		slices.SortFunc(c, byPos)
	}
	for _, c := range st.roots {
		slices.SortFunc(c, byPos)
	}
	if err := st.indexNodes(); err != nil {
		errs = append(errs, err)
	}
	for _, p := range st.pageOrder {
		p.anc = st.ancestorsOf(p.ID, p.ParentID)
	}
	st.pageCmts = map[string][]*Comment{}
	st.replies = map[string][]*Comment{}
	for _, c := range st.comments {
		if c.ParentID != "" {
			st.replies[c.ParentID] = append(st.replies[c.ParentID], c)
		} else {
			st.pageCmts[c.PageID] = append(st.pageCmts[c.PageID], c)
		}
	}
	for _, m := range []map[string][]*Comment{st.pageCmts, st.replies} {
		for _, cs := range m {
			slices.SortFunc(cs, func(a, b *Comment) int { return lessID(a.ID, b.ID) })
		}
	}
	st.pageAtts = map[string][]*Attachment{}
	for _, a := range st.attachments {
		st.pageAtts[a.PageID] = append(st.pageAtts[a.PageID], a)
	}
	for _, as := range st.pageAtts {
		slices.SortFunc(as, func(a, b *Attachment) int {
			return lessID(strings.TrimPrefix(a.ID, "att"), strings.TrimPrefix(b.ID, "att"))
		})
	}
	return errors.Join(errs...)
}

// labelID returns the stable id of a global label name, allocating one.
func (st *store) labelID(name string) string {
	if id, ok := st.labelIDs[name]; ok {
		return id
	}
	id := fmt.Sprint(7340032 + len(st.labelIDs))
	st.labelIDs[name] = id
	return id
}

// account finds the account for Basic credentials; nil if none matches or it
// is revoked.
func (st *store) account(email, token string) *Account {
	for _, a := range st.accounts {
		if strings.EqualFold(a.Email, email) && a.Token == token && !a.Revoked {
			return a
		}
	}
	return nil
}

// canSee reports whether a may see content in the space with key.
func canSee(a *Account, key string) bool {
	if a == nil || len(a.Spaces) == 0 {
		return true
	}
	return slices.ContainsFunc(a.Spaces, func(k string) bool { return strings.EqualFold(k, key) })
}

// visiblePage returns the page if it exists and a may see it.
func (st *store) visiblePage(a *Account, id string) *pageRec {
	p := st.pages[id]
	if p == nil || !canSee(a, p.SpaceKey) {
		return nil
	}
	return p
}

// visibleComment returns comment id and its page or blog post if visible to a.
func (st *store) visibleComment(a *Account, id string) (*Comment, *pageRec) {
	c := st.comments[id]
	if c == nil {
		return nil, nil
	}
	p := st.visibleContent(a, c.PageID)
	if p == nil {
		return nil, nil
	}
	return c, p
}
