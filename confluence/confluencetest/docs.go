package confluencetest

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
)

// doc is one searchable entity: a page, comment, attachment or space. It
// implements cql.Document. The constructors fill the members every kind
// has (id, title, creator, created) from the kind's record.
type doc struct {
	kind    string // page, comment, attachment, space
	page    *pageRec
	comment *Comment
	att     *Attachment
	space   *Space
	node    *nodeRec // a folder, whiteboard, database or embed
	text    string
	info    bodyInfo

	id, title, creator string
	created            time.Time
	modified           time.Time // a page's or blog post's current version's; versions change only by Seed, which rebuilds the docs

	terms     sync.Once // fills titleTerms and textTerms on the first text search
	titleTerm []string
	textTerm  []string
}

var _ cql.AnalyzedDocument = (*doc)(nil)

func pageDoc(p *pageRec) *doc {
	return &doc{kind: cmpOr(p.kind, "page"), page: p, text: p.info.text, info: p.info,
		id: p.ID, title: p.Title, creator: p.AuthorID, created: p.CreatedAt, modified: p.Versions[len(p.Versions)-1].CreatedAt}
}

// nodeDoc is a folder, whiteboard, database or embed: no text (full text
// never matches one), its kind as the CQL type.
func nodeDoc(n *nodeRec) *doc {
	return &doc{kind: n.Type, node: n, id: n.ID, title: n.Title, creator: n.AuthorID, created: n.CreatedAt}
}

func spaceDoc(sp *Space) *doc {
	return &doc{kind: "space", space: sp, text: sp.Description,
		id: sp.ID, title: sp.Name, creator: sp.AuthorID, created: sp.CreatedAt}
}

// commentDoc is a comment on page p; its title is "Re: " and the page's.
func commentDoc(p *pageRec, c *Comment, info bodyInfo) *doc {
	return &doc{kind: "comment", page: p, comment: c, text: info.text, info: info,
		id: c.ID, title: "Re: " + p.Title, creator: c.AuthorID, created: c.CreatedAt}
}

// attachmentDoc is an attachment of page p with the searchable text of its
// file ("" when not indexed).
func attachmentDoc(p *pageRec, a *Attachment, text string) *doc {
	return &doc{kind: "attachment", page: p, att: a, text: text,
		id: a.ID, title: a.Title, creator: a.AuthorID, created: a.CreatedAt}
}

func (d *doc) ID() string { return d.id }

// isContent reports whether d is a page or a blog post (not a comment, attachment or space).
func (d *doc) isContent() bool { return d.kind == "page" || d.kind == kindBlogPost }

func (d *doc) Type() string { return d.kind }

func (d *doc) SpaceKey() string {
	if d.kind == "space" {
		return d.space.Key
	}
	if d.node != nil {
		return d.node.SpaceKey
	}
	return d.page.SpaceKey
}

func (d *doc) Title() string { return d.title }

// TitleTerms and TextTerms are the document's analyzed title and text, kept for every later
// search (cql.AnalyzedDocument); a doc is rebuilt whenever the store changes.
func (d *doc) TitleTerms() []string { d.analyze(); return d.titleTerm }
func (d *doc) TextTerms() []string  { d.analyze(); return d.textTerm }

func (d *doc) analyze() {
	d.terms.Do(func() { d.titleTerm, d.textTerm = cql.IndexTerms(d.title), cql.IndexTerms(d.text) })
}

func (d *doc) Text() string { return d.text }

func (d *doc) Labels() []string {
	switch d.kind {
	case "page", kindBlogPost:
		return d.page.Labels
	case "space":
		return d.space.Labels
	}
	return nil
}

func (d *doc) ParentID() string {
	if d.node != nil {
		return d.node.ParentID
	}
	switch d.kind {
	case "page", kindBlogPost:
		return d.page.ParentID
	case "space":
		return ""
	}
	return d.page.ID
}

func (d *doc) AncestorIDs() []string {
	if d.node != nil {
		return d.node.anc
	}
	switch d.kind {
	case "page", kindBlogPost:
		return d.page.anc
	case "space":
		return nil
	}
	return append(append([]string(nil), d.page.anc...), d.page.ID)
}

func (d *doc) Creator() string { return d.creator }

func (d *doc) Contributors() []string {
	if !d.isContent() {
		return []string{d.Creator()}
	}
	var out []string
	for _, v := range d.page.Versions {
		if v.AuthorID != "" && !slices.Contains(out, v.AuthorID) {
			out = append(out, v.AuthorID)
		}
	}
	return out
}

func (d *doc) Mentions() []string { return d.info.mentions }

func (d *doc) Watchers() []string {
	if d.isContent() {
		return d.page.Watchers
	}
	return nil
}

func (d *doc) Favourites() []string {
	if d.isContent() {
		return d.page.Favourites
	}
	return nil
}

func (d *doc) Macros() []string { return d.info.macros }

func (d *doc) Created() time.Time { return d.created }

func (d *doc) LastModified() time.Time {
	if d.isContent() {
		return d.modified
	}
	return d.Created()
}

// searchDocs returns the search index of current pages and blog posts (archived and trashed
// pages are not indexed, as on Cloud), their comments and attachments, and
// current spaces. It is cached until the next Seed. The caller holds s.mu
// (read); building takes the index lock.
func (s *Server) searchDocs() *docIndex {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if s.idx != nil && s.idxGen == s.st.gen {
		return s.idx
	}
	var out []*doc
	for _, sp := range s.st.spaces {
		if sp.Status == "current" {
			out = append(out, spaceDoc(sp))
		}
	}
	for _, p := range slices.Concat(s.st.pageOrder, s.st.blogOrder) {
		if p.Status != "current" {
			continue
		}
		out = append(out, pageDoc(p))
		for _, c := range s.st.pageCmts[p.ID] {
			out = append(out, s.commentDocs(p, c)...)
		}
		for _, a := range s.st.pageAtts[p.ID] {
			t := ""
			if strings.HasPrefix(a.MediaType, "text/") {
				t = string(a.Content)
			}
			out = append(out, attachmentDoc(p, a, t))
		}
	}
	for _, n := range s.st.nodes {
		if n.Status == "current" {
			out = append(out, nodeDoc(n))
		}
	}
	s.idx, s.idxGen = newDocIndex(out), s.st.gen
	return s.idx
}

func (s *Server) commentDocs(p *pageRec, c *Comment) []*doc {
	if c.Status != "current" {
		return nil
	}
	info := parseStorage(c.Body)
	out := []*doc{commentDoc(p, c, info)}
	for _, r := range s.st.replies[c.ID] {
		out = append(out, s.commentDocs(p, r)...)
	}
	return out
}
