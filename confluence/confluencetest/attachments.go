package confluencetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) attachmentJSON(r *http.Request, at *Attachment, p *pageRec, single bool) map[string]any {
	q := url.Values{"version": {strconv.Itoa(at.Version)}, "modificationDate": {strconv.FormatInt(at.CreatedAt.UnixMilli(), 10)}, "api": {"v2"}}
	download := "/download/attachments/" + p.ID + "/" + url.PathEscape(at.Title) + "?" + q.Encode()
	webui := "/pages/viewpageattachments.action?pageId=" + p.ID + "&preview=" + url.QueryEscape("/"+p.ID+"/"+at.ID+"/"+at.Title)
	links := map[string]any{"webui": webui, "download": download}
	if single {
		links["base"] = s.base(r)
	}
	container := "pageId"
	if p.kind == kindBlogPost {
		container = "blogPostId"
	}
	return map[string]any{
		"id": at.ID, "status": "current", "title": at.Title, "createdAt": ts(at.CreatedAt), container: p.ID,
		"mediaType": at.MediaType, "mediaTypeDescription": mediaDescription(at.MediaType), "comment": at.Comment,
		"fileId": s.fileID(at), "fileSize": len(at.Content), "webuiLink": webui, "downloadLink": download,
		"version": versionJSON(Version{Number: at.Version, AuthorID: at.AuthorID, CreatedAt: at.CreatedAt}),
		"_links":  links,
	}
}

func mediaDescription(mt string) string {
	switch {
	case mt == "application/pdf":
		return "PDF Document"
	case mt == "image/png":
		return "PNG Image"
	case mt == "image/svg+xml":
		return "SVG Image"
	case strings.HasPrefix(mt, "image/"):
		return "Image"
	case mt == "text/markdown":
		return "Markdown Document"
	case strings.HasPrefix(mt, "text/"):
		return "Text File"
	}
	return "File"
}

// fileID is a stable media-file uuid for an attachment.
func (s *Server) fileID(at *Attachment) string {
	h := sha256.Sum256([]byte(s.cfg.cloudID + "/" + at.ID))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func (s *Server) mediaToken(at *Attachment) string {
	h := sha256.Sum256([]byte("media:" + s.cfg.cloudID + "/" + at.ID))
	return hex.EncodeToString(h[:12])
}

func (s *Server) pageAttachments(w http.ResponseWriter, r *http.Request, a *Account) {
	q := r.URL.Query()
	sortBy := q.Get("sort")
	if sortBy != "" && !enumParam(w, "sort", "AttachmentSortOrder", []string{sortBy}, []string{"created-date", "-created-date", "modified-date", "-modified-date"}) {
		return
	}
	statuses := multi(r, "status")
	if !enumParam(w, "status", "AttachmentStatus", statuses, []string{"current", "archived", "trashed"}) {
		return
	}
	p := s.findPage(w, r, a)
	if p == nil {
		return
	}
	var out []*Attachment
	for _, at := range s.st.pageAtts[p.ID] {
		if mt := q.Get("mediaType"); mt != "" && !strings.EqualFold(mt, at.MediaType) {
			continue
		}
		if fn := q.Get("filename"); fn != "" && fn != at.Title {
			continue
		}
		if len(statuses) > 0 && !slices.Contains(statuses, "current") {
			continue
		}
		out = append(out, at)
	}
	if strings.HasPrefix(sortBy, "-") {
		slices.Reverse(out)
	}
	s.writeV2List(w, r, len(out), 50, func(i int) any { return s.attachmentJSON(r, out[i], p, false) })
}

func (s *Server) findAttachment(a *Account, id string) (*Attachment, *pageRec) {
	if !strings.HasPrefix(id, "att") {
		id = "att" + id
	}
	at := s.st.attachments[id]
	if at == nil {
		return nil, nil
	}
	p := s.st.visibleContent(a, at.PageID)
	if p == nil {
		return nil, nil
	}
	return at, p
}

func (s *Server) getAttachment(w http.ResponseWriter, r *http.Request, a *Account) {
	id := r.PathValue("id")
	at, p := s.findAttachment(a, id)
	if at == nil {
		v2Error(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Cannot find an attachment with id [%s]", id), nil)
		return
	}
	writeJSON(w, http.StatusOK, s.attachmentJSON(r, at, p, true))
}

// downloadAttachment answers like Cloud: a 302 to the media host (here the
// simulator's own /media/file/{id}/binary) with a query token.
func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request, a *Account) {
	at, p := s.findAttachment(a, r.PathValue("att"))
	if at == nil || p.ID != r.PathValue("id") {
		v1Error(w, http.StatusNotFound, fmt.Sprintf("No attachment found with id: %s", r.PathValue("att")))
		return
	}
	q := url.Values{"token": {s.mediaToken(at)}, "client": {"confluence-simulator"}, "name": {at.Title}}
	http.Redirect(w, r, s.url+"/media/file/"+at.ID+"/binary?"+q.Encode(), http.StatusFound)
}

func (s *Server) mediaBinary(w http.ResponseWriter, r *http.Request, _ *Account) {
	at := s.st.attachments[r.PathValue("att")]
	if at == nil || r.URL.Query().Get("token") != s.mediaToken(at) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "Unauthorized"})
		return
	}
	if r.Header.Get("Authorization") != "" {
		// The media host must not receive Confluence credentials.
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unexpected Authorization header on media request"})
		return
	}
	w.Header().Set("Content-Type", at.MediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(at.Content)))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", at.Title))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(at.Content)
}
