package confluencetest

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// v1 comments as Confluence Cloud serves them: GET /wiki/rest/api/content/{id}/child/comment and
// the children.comment expansion list a page's top-level comments only (Cloud's v1 documentation
// of depth: "Currently, this parameter is not used. Comments are returned at the root level
// only."); a comment's replies are its own children.comment. Inline selection and resolution come
// only with the extensions.inlineProperties and extensions.resolution expansions.

// commentExtensions renders a comment's extensions: its location always, its inline properties
// and resolution (inline comments only) when x, the extensions expansion, names them.
func (s *Server) commentExtensions(c *Comment, x expansion) map[string]any {
	ext := map[string]any{"location": c.Kind}
	if c.Kind != "inline" {
		return ext
	}
	if x.has("inlineProperties") {
		ext["inlineProperties"] = map[string]any{"originalSelection": c.Selection, "markerRef": "marker-" + c.ID}
	}
	if x.has("resolution") {
		ext["resolution"] = map[string]any{"status": c.ResolutionStatus, "lastModifier": s.v1User(c.AuthorID), "lastModifiedDate": ts(c.CreatedAt)}
	}
	return ext
}

// commentsOnly returns the current comments among cs (of page p) that keep lets through (nil:
// all), as documents, without their replies.
func (s *Server) commentsOnly(p *pageRec, cs []*Comment, keep func(*Comment) bool) []*doc {
	var out []*doc
	for _, c := range cs {
		if c.Status == "current" && (keep == nil || keep(c)) {
			out = append(out, commentDoc(p, c, parseStorage(c.Body)))
		}
	}
	return out
}

// v1CommentLimit is the most comments one child/comment call returns (Cloud: "this may be
// restricted by fixed system limits"; the simulator's choice).
const v1CommentLimit = 100

// contentComments answers GET /wiki/rest/api/content/{id}/child/comment: the page's or blog
// post's top-level comments, or a comment's direct replies (reported by third-party tools,
// unverified live), (depth is accepted and ignored, as on Cloud), filtered by location (footer, inline,
// resolved; several allowed, none: all), offset-paged by start and limit (default 25).
// parentVersion is accepted; only the latest version exists here.
func (s *Server) contentComments(w http.ResponseWriter, r *http.Request, a *Account) {
	id := r.PathValue("id")
	// v1 content is type-agnostic: a page's or a blog post's comments, or a comment's replies.
	var cs []*Comment
	p := s.st.visibleContent(a, id)
	if p != nil {
		cs = s.st.pageCmts[p.ID]
	} else if c, cp := s.st.visibleComment(a, id); c != nil {
		p, cs = cp, s.st.replies[c.ID]
	}
	if p == nil || p.Status != "current" {
		v1Error(w, http.StatusNotFound, "No content found with id: ContentId{id="+id+"}")
		return
	}
	q := r.URL.Query()
	start, limit := 0, 25
	for name, dst := range map[string]*int{"start": &start, "limit": &limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				v1Error(w, http.StatusBadRequest, badRequestPrefix+name+" must be a non-negative integer")
				return
			}
			*dst = n
		}
	}
	if v := q.Get("parentVersion"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			v1Error(w, http.StatusBadRequest, badRequestPrefix+"parentVersion must be an integer")
			return
		}
	}
	e := parseExpand(multi(r, "expand"))
	limit = min(limit, v1CommentLimit, e.bodyCap())
	locs := multi(r, "location")
	for _, l := range locs {
		if !slices.Contains([]string{"footer", "inline", "resolved"}, l) {
			v1Error(w, http.StatusBadRequest, badRequestPrefix+"Invalid location: "+l)
			return
		}
	}
	if s.cfg.flavor == FlavorDataCenter && q.Get("depth") == "all" && p.ID == id {
		cs = s.withReplies(cs) // Data Center honours depth=all: replies follow their parent
	}
	ds := s.commentsOnly(p, cs, func(c *Comment) bool {
		return len(locs) == 0 || slices.Contains(locs, c.Kind) ||
			(c.Kind == "inline" && c.ResolutionStatus == "resolved" && slices.Contains(locs, "resolved"))
	})
	res := []any{}
	for i := start; i < min(len(ds), start+limit); i++ {
		res = append(res, s.v1Content(r, ds[i], e))
	}
	self := "/rest/api/content/" + id + "/child/comment"
	links := map[string]any{"base": s.base(r), "context": "/wiki", "self": s.base(r) + self}
	if start+limit < len(ds) && limit > 0 {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("start", strconv.Itoa(start+limit))
		nq.Set("limit", strconv.Itoa(limit))
		links["next"] = self + "?" + nq.Encode()
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "start": start, "limit": limit, "size": len(res), "_links": links})
}

// withReplies lists cs with every reply after its parent, depth first.
func (s *Server) withReplies(cs []*Comment) []*Comment {
	var out []*Comment
	for _, c := range cs {
		out = append(out, c)
		out = append(out, s.withReplies(s.st.replies[c.ID])...)
	}
	return out
}
