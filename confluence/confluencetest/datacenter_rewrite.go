package confluencetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// rewriteDC writes rec, the Cloud route's answer, in Data Center's shapes: users by userKey and
// username (no accountId, email or accountType), links under the context path (_links.base the
// base URL, _links.context the context path), web links in Data Center's forms
// (/display/KEY/Title for a page whose title is plain, else /pages/viewpage.action?pageId=N),
// next links by start (no cursor; version lists under /rest/experimental), and errors with
// Data Center's body (statusCode, data, message, reason).
func (s *Server) rewriteDC(w http.ResponseWriter, rec *httptest.ResponseRecorder, rest string) {
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.Header().Del("Server")
	body := rec.Body.Bytes()
	if !strings.Contains(rec.Header().Get("Content-Type"), "json") {
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
		return
	}
	if rec.Code >= 400 {
		msg := http.StatusText(rec.Code)
		if m, ok := v.(map[string]any); ok {
			if s, ok := m["message"].(string); ok && s != "" {
				msg = s
			}
		}
		// Data Center writes "No content found with id: ContentId{id=N}" (Cloud: "id : ").
		dcError(w, rec.Code, strings.Replace(msg, "with id : ", "with id: ", 1))
		return
	}
	v = s.dcValue(v, strings.HasPrefix(rest, "/rest/experimental/"))
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(b.Bytes())
}

// dcValue rewrites one JSON value (see rewriteDC).
func (s *Server) dcValue(v any, experimental bool) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = s.dcValue(x[i], experimental)
		}
		return x
	case map[string]any:
		if id, ok := x["accountId"].(string); ok {
			if _, named := x["displayName"]; named {
				return s.dcUser(id)
			}
			delete(x, "accountId")
		}
		if u, ok := x["url"].(string); ok {
			if c, ok := x["content"].(map[string]any); ok {
				x["url"] = s.dcWebUI(u, c) // a search result's web link
			}
		}
		for k, e := range x {
			if k == "_links" {
				if l, ok := e.(map[string]any); ok {
					s.dcLinks(l, x, experimental)
				}
				continue
			}
			x[k] = s.dcValue(e, experimental)
		}
		return x
	case string:
		return s.dcString(x)
	}
	return v
}

// accountIDAttr is a storage-format mention by account id; Data Center writes ri:userkey.
var accountIDAttr = regexp.MustCompile(`ri:account-id="([^"]*)"`)

// dcString moves absolute and /wiki-relative paths under the base URL, and writes mentions in
// bodies by user key.
func (s *Server) dcString(v string) string {
	if strings.Contains(v, `ri:account-id="`) {
		v = accountIDAttr.ReplaceAllStringFunc(v, func(m string) string {
			return `ri:userkey="` + UserKey(accountIDAttr.FindStringSubmatch(m)[1]) + `"`
		})
	}
	if s.url != "" && strings.HasPrefix(v, s.url+"/wiki") {
		return s.BaseURL() + strings.TrimPrefix(v, s.url+"/wiki")
	}
	if strings.HasPrefix(v, "/wiki/") {
		return s.cfg.contextPath + strings.TrimPrefix(v, "/wiki")
	}
	return v
}

// dcUser is the Data Center user object of accountID.
func (s *Server) dcUser(id string) map[string]any {
	s.mu.RLock()
	u := s.st.users[id]
	s.mu.RUnlock()
	if u == nil {
		u = &User{AccountID: id, DisplayName: id}
	}
	key, name := UserKey(id), dcUsername(u)
	return map[string]any{
		"type": "known", "username": name, "userKey": key, "displayName": u.DisplayName,
		"profilePicture": map[string]any{"path": s.cfg.contextPath + "/images/icons/profilepics/default.svg", "width": 48, "height": 48, "isDefault": true},
		"_links":         map[string]any{"self": s.BaseURL() + "/rest/api/user?key=" + key},
		"_expandable":    map[string]any{"status": ""},
	}
}

var (
	cloudPageWeb = regexp.MustCompile(`^/spaces/([^/]+)/pages/(\d+)(?:/[^?]*)?(\?focusedCommentId=(\d+))?$`)
	cloudBlogWeb = regexp.MustCompile(`^/spaces/([^/]+)/blog/\d{4}/\d{2}/\d{2}/(\d+)(?:/[^?]*)?(\?focusedCommentId=(\d+))?$`)
	cloudSpace   = regexp.MustCompile(`^/spaces/([^/]+)(?:/overview)?$`)
	plainTitle   = regexp.MustCompile(`^[A-Za-z0-9 ]+$`)
)

// dcLinks rewrites an object's _links; obj is the object (its title picks the web link form).
func (s *Server) dcLinks(l map[string]any, obj map[string]any, experimental bool) {
	if _, ok := l["base"]; ok {
		l["base"] = s.BaseURL()
	}
	if _, ok := l["context"]; ok {
		l["context"] = s.cfg.contextPath
	}
	for k, e := range l {
		str, ok := e.(string)
		if !ok {
			continue
		}
		switch k {
		case "base", "context":
		case "webui":
			l[k] = s.dcWebUI(str, obj)
		case "next", "prev":
			l[k] = dcPageLink(str, experimental)
		default:
			l[k] = s.dcString(str)
		}
	}
}

// dcWebUI is Data Center's web link for a Cloud one.
func (s *Server) dcWebUI(web string, obj map[string]any) string {
	title, _ := obj["title"].(string)
	if m := cloudPageWeb.FindStringSubmatch(web); m != nil {
		if m[4] != "" {
			return "/pages/viewpage.action?pageId=" + m[2] + "&focusedCommentId=" + m[4] + "#comment-" + m[4]
		}
		if obj["type"] == "page" && title != "" && plainTitle.MatchString(title) {
			return "/display/" + m[1] + "/" + strings.ReplaceAll(title, " ", "+")
		}
		return "/pages/viewpage.action?pageId=" + m[2]
	}
	if m := cloudBlogWeb.FindStringSubmatch(web); m != nil {
		if m[4] != "" {
			return "/pages/viewpage.action?pageId=" + m[2] + "&focusedCommentId=" + m[4] + "#comment-" + m[4]
		}
		return "/pages/viewpage.action?pageId=" + m[2]
	}
	if m := cloudSpace.FindStringSubmatch(web); m != nil {
		return "/display/" + m[1]
	}
	return s.dcString(web)
}

// dcPageLink rewrites a next or prev link: start only (no cursor or next/prev flags), and the
// version lists under /rest/experimental.
func dcPageLink(link string, experimental bool) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	q := u.Query()
	for _, k := range []string{"cursor", "next", "prev"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	if experimental {
		u.Path = "/rest/experimental/" + strings.TrimPrefix(u.Path, "/rest/api/")
	}
	return u.String()
}
