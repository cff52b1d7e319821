package confluencetest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) commentJSON(r *http.Request, c *Comment, p *pageRec, format string, single bool) map[string]any {
	title := "Re: " + p.Title
	m := map[string]any{
		"id": c.ID, "status": c.Status, "title": title,
		"version": versionJSON(Version{Number: 1, AuthorID: c.AuthorID, CreatedAt: c.CreatedAt}),
		"body":    s.bodyJSON(format, c.Body, p.ID, p.SpaceKey),
		"_links": map[string]any{
			"webui": webPath(p) + "?focusedCommentId=" + c.ID,
		},
	}
	if p.kind == kindBlogPost {
		m["blogPostId"] = c.PageID
	} else {
		m["pageId"] = c.PageID
	}
	if c.ParentID != "" {
		m["parentCommentId"] = c.ParentID
	}
	if c.Kind == "inline" {
		m["resolutionStatus"] = c.ResolutionStatus
		m["properties"] = map[string]any{"inlineMarkerRef": "marker-" + c.ID, "inlineOriginalSelection": c.Selection}
		if single {
			m["resolutionLastModifierId"] = c.AuthorID
			m["resolutionLastModifiedAt"] = ts(c.CreatedAt)
		}
	}
	if single {
		m["_links"].(map[string]any)["base"] = s.base(r)
	}
	return m
}

// commentList writes the comments cs (already filtered to one kind).
func (s *Server) commentList(w http.ResponseWriter, r *http.Request, cs []*Comment, p *pageRec) {
	q := r.URL.Query()
	format, sortBy := q.Get("body-format"), q.Get("sort")
	if format != "" && !enumParam(w, "body-format", "PrimaryBodyRepresentation", []string{format}, []string{"storage", "atlas_doc_format"}) {
		return
	}
	if sortBy != "" && !enumParam(w, "sort", "CommentSortOrder", []string{sortBy}, []string{"created-date", "-created-date", "modified-date", "-modified-date"}) {
		return
	}
	statuses := multi(r, "status")
	if !enumParam(w, "status", "CommentStatus", statuses, []string{"current", "archived", "trashed", "deleted", "historical", "draft"}) {
		return
	}
	res := multi(r, "resolution-status")
	if !enumParam(w, "resolution-status", "InlineCommentResolutionStatus", res, []string{"resolved", "open", "dangling", "reopened"}) {
		return
	}
	var out []*Comment
	for _, c := range cs {
		if (len(statuses) == 0 && c.Status != "current") || (len(statuses) > 0 && !slices.Contains(statuses, c.Status)) {
			continue
		}
		if len(res) > 0 && !slices.Contains(res, c.ResolutionStatus) {
			continue
		}
		out = append(out, c)
	}
	if strings.HasPrefix(sortBy, "-") {
		slices.Reverse(out)
	}
	s.writeV2List(w, r, len(out), 25, func(i int) any { return s.commentJSON(r, out[i], p, format, false) })
}

func ofKind(cs []*Comment, kind string) []*Comment {
	var out []*Comment
	for _, c := range cs {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) footerComments(w http.ResponseWriter, r *http.Request, a *Account) {
	if p := s.findPage(w, r, a); p != nil {
		s.commentList(w, r, ofKind(s.st.pageCmts[p.ID], "footer"), p)
	}
}

func (s *Server) inlineComments(w http.ResponseWriter, r *http.Request, a *Account) {
	if p := s.findPage(w, r, a); p != nil {
		s.commentList(w, r, ofKind(s.st.pageCmts[p.ID], "inline"), p)
	}
}

func (s *Server) findComment(w http.ResponseWriter, r *http.Request, a *Account, kind string) (*Comment, *pageRec) {
	id := r.PathValue("id")
	c, p := s.st.visibleComment(a, id)
	if c == nil || c.Kind != kind {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find a %s-comment with id [%s]", kind, id), nil)
		return nil, nil
	}
	return c, p
}

func (s *Server) getComment(w http.ResponseWriter, r *http.Request, a *Account, kind string) {
	format := r.URL.Query().Get("body-format")
	if format != "" && !enumParam(w, "body-format", "PrimaryBodyRepresentationSingle", []string{format}, singleBodyFormats) {
		return
	}
	if c, p := s.findComment(w, r, a, kind); c != nil {
		writeJSON(w, http.StatusOK, s.commentJSON(r, c, p, format, true))
	}
}

func (s *Server) getFooterComment(w http.ResponseWriter, r *http.Request, a *Account) {
	s.getComment(w, r, a, "footer")
}

func (s *Server) getInlineComment(w http.ResponseWriter, r *http.Request, a *Account) {
	s.getComment(w, r, a, "inline")
}

func (s *Server) footerChildren(w http.ResponseWriter, r *http.Request, a *Account) {
	if c, p := s.findComment(w, r, a, "footer"); c != nil {
		s.commentList(w, r, s.st.replies[c.ID], p)
	}
}

func (s *Server) inlineChildren(w http.ResponseWriter, r *http.Request, a *Account) {
	if c, p := s.findComment(w, r, a, "inline"); c != nil {
		s.commentList(w, r, s.st.replies[c.ID], p)
	}
}
