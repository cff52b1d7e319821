package confluencetest

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// v2Error writes the v2 error envelope; detail nil is JSON null.
func v2Error(w http.ResponseWriter, code int, errCode, title string, detail *string) {
	writeJSON(w, code, map[string]any{"errors": []any{map[string]any{
		"status": code, "code": errCode, "title": title, "detail": detail,
	}}})
}

func v2BadParam(w http.ResponseWriter, title string, detail *string) {
	v2Error(w, http.StatusBadRequest, "INVALID_REQUEST_PARAMETER", title, detail)
}

// v1Error writes the v1 error envelope.
func v1Error(w http.ResponseWriter, code int, message string) {
	writeJSON(w, code, map[string]any{
		"statusCode": code,
		"data":       map[string]any{"authorized": true, "valid": true, "errors": []any{}, "successful": false},
		"message":    message,
	})
}

// ts formats a timestamp the way Confluence does: UTC, milliseconds, Z.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// TinyUI returns the tiny link path of a page ("/x/AYBfAg" for 39813121):
// the id's little-endian bytes, trailing zero bytes dropped, in URL-safe
// base64 without padding. Non-numeric ids give "".
func TinyUI(id string) string {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return ""
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	k := len(b)
	for k > 1 && b[k-1] == 0 {
		k--
	}
	return "/x/" + base64.RawURLEncoding.EncodeToString(b[:k])
}

// slug is the title part of a web UI link.
func slug(title string) string { return url.QueryEscape(title) }

// listParams reads v2 `limit` (default def, 1..250) and `cursor`. It writes
// the 400 and returns ok=false on bad values.
func listParams(w http.ResponseWriter, r *http.Request, def int) (limit, offset int, ok bool) {
	q := r.URL.Query()
	limit = def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			v2BadParam(w, fmt.Sprintf("Provided value {%s} for 'limit' is not the correct type. Expected type is int", v), nil)
			return 0, 0, false
		case n > 250:
			v2BadParam(w, fmt.Sprintf("Provided size {%d} for 'limit' is greater than the max allowed: 250", n), nil)
			return 0, 0, false
		case n < 1:
			v2BadParam(w, fmt.Sprintf("Provided size {%d} for 'limit' is less than the min allowed: 1", n), nil)
			return 0, 0, false
		}
		limit = n
	}
	if c := q.Get("cursor"); c != "" {
		o, err := decodeCursor(c)
		if err != nil {
			v2BadParam(w, fmt.Sprintf("Provided value {%s} for 'cursor' is not valid", c), nil)
			return 0, 0, false
		}
		offset = o
	}
	return limit, offset, true
}

type cursorBody struct {
	Offset int    `json:"offset"`
	Order  string `json:"contentOrder"`
}

func encodeCursor(offset int) string {
	b, _ := json.Marshal(cursorBody{Offset: offset, Order: "id"})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, err
	}
	var cb cursorBody
	if err := json.Unmarshal(b, &cb); err != nil {
		return 0, err
	}
	if cb.Offset < 0 {
		return 0, fmt.Errorf("confluencetest: negative cursor")
	}
	return cb.Offset, nil
}

// nextURL is the request's site-mode path and query with cursor replaced.
func nextURL(r *http.Request, cursor string, drop ...string) string {
	q := r.URL.Query()
	q.Del("cursor")
	for _, d := range drop {
		q.Del(d)
	}
	q.Set("cursor", cursor)
	return r.URL.Path + "?" + q.Encode()
}

// writeV2List pages items by limit/cursor and writes a MultiEntityResult
// with _links.next and a Link header when more remain, and neither on the
// last page.
func (s *Server) writeV2List(w http.ResponseWriter, r *http.Request, n, def int, item func(i int) any) {
	limit, offset, ok := listParams(w, r, def)
	if !ok {
		return
	}
	results := []any{}
	end := min(n, offset+limit)
	for i := offset; i < end; i++ {
		results = append(results, item(i))
	}
	links := map[string]any{"base": s.base(r)}
	if end < n {
		// The Link header comes only with a next page (the v2 OpenAPI document
		// describes it as carrying the rel="next" URL, with rel="base" beside
		// it); the last page has neither the header nor _links.next.
		next := nextURL(r, encodeCursor(end))
		links["next"] = next
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="base"`, next, s.base(r)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "_links": links})
}

// multiParam reads the values of a multi-valued parameter (as multi does) and, when there are
// more than max, answers INVALID_REQUEST_PARAMETER with Confluence's title and reports false.
func multiParam(w http.ResponseWriter, r *http.Request, name string, max int) ([]string, bool) {
	v := multi(r, name)
	if len(v) > max {
		v2BadParam(w, fmt.Sprintf("Provided size {%d} for '%s' is greater than the max allowed: %d", len(v), name, max), nil)
		return nil, false
	}
	return v, true
}

// single reads a parameter the v2 OpenAPI document declares as one value
// (a string or an enum, not an array) the way Confluence's Spring binding
// does: repeated values arrive joined with commas, so "type=global&type=personal"
// and "type=global,personal" are both the one value "global,personal", which
// fails the enum check.
func single(r *http.Request, name string) string {
	return strings.Join(r.URL.Query()[name], ",")
}

// multi reads an array query parameter. The v2 OpenAPI document declares
// array parameters (id, space-id, ids, keys, labels, status, ...) without
// style/explode, which in OpenAPI 3.0 means repeated (id=1&id=2); their
// descriptions say comma-separated, and Cloud accepts both, so both are read.
func multi(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// enumParam validates values of name against allowed; on failure it writes
// the 400 with the Confluence title/detail pattern naming typ.
func enumParam(w http.ResponseWriter, name, typ string, values, allowed []string) bool {
	for _, v := range values {
		if !slices.Contains(allowed, v) {
			up := make([]string, len(allowed))
			for i, a := range allowed {
				up[i] = strings.ToUpper(strings.ReplaceAll(a, "-", "_"))
			}
			d := fmt.Sprintf("%s is one of [%s].", typ, strings.Join(up, ", "))
			v2BadParam(w, fmt.Sprintf("Provided value {%s} for '%s' is not the correct type. Expected type is %s", strings.Join(values, ","), name, typ), &d)
			return false
		}
	}
	return true
}
