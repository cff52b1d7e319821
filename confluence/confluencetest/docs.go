package confluencetest

import (
	"slices"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/cql"
)

// doc is one searchable entity: a page, comment, attachment or space. It
// implements cql.Document.
type doc struct {
	kind    string // page, comment, attachment, space
	page    *pageRec
	comment *Comment
	att     *Attachment
	space   *Space
	text    string
	info    bodyInfo
}

var _ cql.Document = (*doc)(nil)

func (d *doc) ID() string {
	switch d.kind {
	case "comment":
		return d.comment.ID
	case "attachment":
		return d.att.ID
	case "space":
		return d.space.ID
	}
	return d.page.ID
}

func (d *doc) Type() string { return d.kind }

func (d *doc) SpaceKey() string {
	if d.kind == "space" {
		return d.space.Key
	}
	return d.page.SpaceKey
}

func (d *doc) Title() string {
	switch d.kind {
	case "comment":
		return "Re: " + d.page.Title
	case "attachment":
		return d.att.Title
	case "space":
		return d.space.Name
	}
	return d.page.Title
}

func (d *doc) Text() string { return d.text }

func (d *doc) Labels() []string {
	switch d.kind {
	case "page":
		return d.page.Labels
	case "space":
		return d.space.Labels
	}
	return nil
}

func (d *doc) ParentID() string {
	switch d.kind {
	case "page":
		return d.page.ParentID
	case "space":
		return ""
	}
	return d.page.ID
}

func (d *doc) AncestorIDs() []string {
	switch d.kind {
	case "page":
		return d.page.anc
	case "space":
		return nil
	}
	return append(append([]string(nil), d.page.anc...), d.page.ID)
}

func (d *doc) Creator() string {
	switch d.kind {
	case "comment":
		return d.comment.AuthorID
	case "attachment":
		return d.att.AuthorID
	case "space":
		return d.space.AuthorID
	}
	return d.page.AuthorID
}

func (d *doc) Contributors() []string {
	if d.kind != "page" {
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
	if d.kind == "page" {
		return d.page.Watchers
	}
	return nil
}

func (d *doc) Favourites() []string {
	if d.kind == "page" {
		return d.page.Favourites
	}
	return nil
}

func (d *doc) Macros() []string { return d.info.macros }

func (d *doc) Created() time.Time {
	switch d.kind {
	case "comment":
		return d.comment.CreatedAt
	case "attachment":
		return d.att.CreatedAt
	case "space":
		return d.space.CreatedAt
	}
	return d.page.CreatedAt
}

func (d *doc) LastModified() time.Time {
	if d.kind == "page" {
		return d.page.current().CreatedAt
	}
	return d.Created()
}

// searchDocs returns the search index: current pages (archived and trashed
// pages are not indexed, as on Cloud), their comments and attachments, and
// current spaces. It is cached until the next Seed. The caller holds s.mu
// (read); building takes the index lock.
func (s *Server) searchDocs() []*doc {
	s.idxMu.Lock()
	defer s.idxMu.Unlock()
	if s.idx != nil && s.idxGen == s.st.gen {
		return s.idx
	}
	var out []*doc
	for _, sp := range s.st.spaces {
		if sp.Status == "current" {
			out = append(out, &doc{kind: "space", space: sp, text: sp.Description})
		}
	}
	for _, p := range s.st.pageOrder {
		if p.Status != "current" {
			continue
		}
		out = append(out, &doc{kind: "page", page: p, text: p.info.text, info: p.info})
		for _, c := range s.st.pageCmts[p.ID] {
			out = append(out, s.commentDocs(p, c)...)
		}
		for _, a := range s.st.pageAtts[p.ID] {
			t := ""
			if strings.HasPrefix(a.MediaType, "text/") {
				t = string(a.Content)
			}
			out = append(out, &doc{kind: "attachment", page: p, att: a, text: t})
		}
	}
	s.idx, s.idxGen = out, s.st.gen
	return out
}

func (s *Server) commentDocs(p *pageRec, c *Comment) []*doc {
	if c.Status != "current" {
		return nil
	}
	info := parseStorage(c.Body)
	out := []*doc{{kind: "comment", page: p, comment: c, text: info.text, info: info}}
	for _, r := range s.st.replies[c.ID] {
		out = append(out, s.commentDocs(p, r)...)
	}
	return out
}
