package confluencetest

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/cql"
)

const badRequestPrefix = "com.atlassian.confluence.api.service.exceptions.BadRequestException: "

// searchRun is a parsed and evaluated v1 search request.
type searchRun struct {
	query  *cql.Query
	raw    string
	all    []*doc // every index match, sorted (what the cursor pages over)
	offset int
	limit  int
	page   []*doc // the visible part of all[offset:offset+limit]
	more   bool
	total  int // visible matches
	exp    expansion
}

// runSearch parses cql, evaluates it and pages the result; on failure it
// writes the Confluence error and returns nil.
func (s *Server) runSearch(w http.ResponseWriter, r *http.Request, a *Account, expandRoot string) *searchRun {
	q := r.URL.Query()
	raw := q.Get("cql")
	if strings.TrimSpace(raw) == "" {
		v1Error(w, http.StatusBadRequest, badRequestPrefix+"cql is a required parameter")
		return nil
	}
	query, err := cql.Parse(raw)
	if err != nil {
		writeCQLError(w, raw, err)
		return nil
	}
	if msg := badValue(query.Expr(), raw); msg != "" {
		v1Error(w, http.StatusBadRequest, badRequestPrefix+msg)
		return nil
	}
	run := &searchRun{query: query, raw: raw, exp: parseExpand(multi(r, "expand"))}
	run.limit = 25
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			v1Error(w, http.StatusBadRequest, badRequestPrefix+"limit must be a non-negative integer")
			return nil
		}
		run.limit = n
	}
	run.limit = min(run.limit, run.exp.bodyCap())
	if c := q.Get("cursor"); c != "" {
		o, ok := decodeSearchCursor(c)
		if !ok {
			v1Error(w, http.StatusBadRequest, badRequestPrefix+"Invalid cursor")
			return nil
		}
		run.offset = o
	}
	env := cql.Env{Now: s.now, CurrentUser: a.AccountID}
	if cc := q.Get("cqlcontext"); cc != "" {
		var ctx struct {
			SpaceKey string `json:"spaceKey"`
		}
		if json.Unmarshal([]byte(cc), &ctx) == nil {
			env.CurrentSpace = ctx.SpaceKey
		}
	}
	var matched []cql.Document
	for _, d := range s.searchDocs().candidates(query, env) {
		ok, err := query.Match(d, env)
		if err != nil {
			writeCQLError(w, raw, err)
			return nil
		}
		if ok && (d.node == nil || !fullText(query.Expr())) {
			matched = append(matched, d)
		}
	}
	query.SortRelevance(matched, env)
	for _, m := range matched {
		d := m.(*doc)
		run.all = append(run.all, d)
		if canSee(a, d.SpaceKey()) {
			run.total++
		}
	}
	end := min(len(run.all), run.offset+run.limit)
	for i := run.offset; i < end; i++ {
		if canSee(a, run.all[i].SpaceKey()) {
			run.page = append(run.page, run.all[i])
		}
	}
	run.more = end < len(run.all)
	return run
}

func writeCQLError(w http.ResponseWriter, raw string, err error) {
	var ce *cql.Error
	if !errors.As(err, &ce) {
		v1Error(w, http.StatusInternalServerError, "java.lang.RuntimeException: "+err.Error())
		return
	}
	switch ce.Kind {
	case cql.KindSyntax, cql.KindOperator, cql.KindValue:
		// Confluence names no position and gives no hint: a query its parser
		// refuses (bad syntax, an operator or function the field does not take,
		// an unquoted IN list, an ISO date) is "Could not parse cql : <cql>".
		// Unknown fields, unknown type values and empty text terms have their
		// own texts, below and in badValue.
		v1Error(w, http.StatusBadRequest, badRequestPrefix+"Could not parse cql : "+raw)
	case cql.KindUnknownField:
		msg := fmt.Sprintf("No field exists with the name: '%s'", ce.Field)
		if len(ce.Suggestions) > 0 {
			msg += "\nDid you mean one of : " + strings.Join(ce.Suggestions, ", ")
		}
		v1Error(w, http.StatusBadRequest, badRequestPrefix+msg)
	case cql.KindEmptyText:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"statusCode": 500, "message": "java.lang.NullPointerException: query parameter is required."})
	default:
		v1Error(w, http.StatusBadRequest, badRequestPrefix+"Could not parse cql : "+raw)
	}
}

func encodeSearchCursor(offset int, forward bool) string {
	p := "_f_"
	if !forward {
		p = "_p_"
	}
	return p + base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(offset)))
}

func decodeSearchCursor(c string) (int, bool) {
	if len(c) < 3 {
		return 0, false
	}
	b, err := base64.StdEncoding.DecodeString(c[3:])
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil && n >= 0
}

// searchLinks returns _links for a v1 search response: next (dropping
// excerpt, keeping cql/limit/expand and a useless start) and prev.
func (s *Server) searchLinks(r *http.Request, endpoint string, run *searchRun, dropExcerpt bool) map[string]any {
	links := map[string]any{"base": s.base(r), "context": "/wiki", "self": s.base(r) + endpoint + "?" + r.URL.RawQuery}
	mk := func(dir string, offset int) string {
		q := r.URL.Query()
		for _, k := range []string{"cursor", "next", "prev", "start"} {
			q.Del(k)
		}
		if dropExcerpt {
			q.Del("excerpt")
		}
		q.Set("limit", strconv.Itoa(run.limit))
		q.Set("start", strconv.Itoa(offset))
		q.Set(dir, "true")
		q.Set("cursor", encodeSearchCursor(offset, dir == "next"))
		return endpoint + "?" + q.Encode()
	}
	if run.more {
		links["next"] = mk("next", run.offset+run.limit)
	}
	if run.offset > 0 {
		links["prev"] = mk("prev", max(0, run.offset-run.limit))
	}
	return links
}

// search is v1 GET /wiki/rest/api/search.
func (s *Server) search(w http.ResponseWriter, r *http.Request, a *Account) {
	start := time.Now()
	run := s.runSearch(w, r, a, "content")
	if run == nil {
		return
	}
	mode := r.URL.Query().Get("excerpt")
	if mode == "" {
		mode = "highlight"
	}
	terms := textTerms(run.query.Expr())
	results := []any{}
	for _, d := range run.page {
		results = append(results, s.searchRow(r, d, run.exp, mode, terms))
	}
	remaining := max(0, run.total-run.offset-len(run.page))
	writeJSON(w, http.StatusOK, map[string]any{
		"results": results, "start": run.offset, "limit": run.limit, "size": len(results),
		"totalSize": run.total + (remaining+39)/40, "cqlQuery": run.raw,
		"searchDuration": time.Since(start).Milliseconds(), "archivedResultCount": 0,
		"_links": s.searchLinks(r, "/rest/api/search", run, true),
	})
}

func (s *Server) searchRow(r *http.Request, d *doc, e expansion, mode string, terms []string) map[string]any {
	title, excerpt := excerptFor(d.Title(), d.Text(), mode, terms)
	row := map[string]any{
		"title": title, "excerpt": excerpt, "breadcrumbs": []any{},
		"lastModified": ts(d.LastModified()), "friendlyLastModified": friendly(d.LastModified()),
		"score": json.Number("0.0"),
	}
	if d.kind == "space" {
		sp := d.space
		row["space"] = map[string]any{"key": sp.Key, "name": sp.Name, "status": sp.Status, "type": sp.Type,
			"_links": map[string]any{"webui": "/spaces/" + sp.Key, "self": s.base(r) + "/rest/api/space/" + sp.Key}}
		row["entityType"] = "space"
		row["url"] = "/spaces/" + sp.Key
		row["iconCssClass"] = "aui-icon content-type-space"
		row["resultGlobalContainer"] = map[string]any{"title": sp.Name, "displayUrl": "/spaces/" + sp.Key}
		return row
	}
	content := s.v1Content(r, d, e["content"])
	row["content"] = content
	row["entityType"] = "content"
	row["url"] = content["_links"].(map[string]any)["webui"]
	row["iconCssClass"] = "aui-icon content-type-" + d.kind
	if d.node != nil {
		row["resultGlobalContainer"] = map[string]any{"title": d.node.space.Name, "displayUrl": "/spaces/" + d.node.SpaceKey}
		return row
	}
	row["resultGlobalContainer"] = map[string]any{"title": d.page.space.Name, "displayUrl": "/spaces/" + d.page.SpaceKey}
	if !d.isContent() {
		row["resultParentContainer"] = map[string]any{"title": d.page.Title, "displayUrl": webPath(d.page)}
	}
	return row
}

// contentSearch is v1 GET /wiki/rest/api/content/search.
func (s *Server) contentSearch(w http.ResponseWriter, r *http.Request, a *Account) {
	run := s.runSearch(w, r, a, "")
	if run == nil {
		return
	}
	results := []any{}
	for _, d := range run.page {
		if d.kind == "space" {
			continue
		}
		results = append(results, s.v1Content(r, d, run.exp))
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"results": results, "start": run.offset, "limit": run.limit, "size": len(results),
		"_links": s.searchLinks(r, "/rest/api/content/search", run, false),
	})
}

// textTerms collects the terms of text, title and siteSearch ~ clauses for
// highlighting: the stem of each word (cql.Stem; stop words left out) and,
// for a wildcard term, its lowercase part before the first wildcard
// followed by "*".
func textTerms(x cql.Expr) []string {
	var out []string
	add := func(t string) {
		if t != "" && t != "*" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	var walk func(x cql.Expr)
	walk = func(x cql.Expr) {
		switch x := x.(type) {
		case *cql.BinaryExpr:
			walk(x.X)
			walk(x.Y)
		case *cql.NotExpr:
		case *cql.Clause:
			if x.Op != cql.OpContains || (x.Field != "text" && x.Field != "title" && x.Field != "siteSearch") {
				return
			}
			for _, v := range x.Values {
				if l, ok := v.(*cql.Literal); ok {
					for _, w := range strings.FieldsFunc(l.Text, func(r rune) bool { return r == ' ' || r == '"' || r == '\\' }) {
						if i := strings.IndexAny(w, "*?"); i > 0 {
							add(strings.ToLower(w[:i]) + "*")
							continue
						}
						if i := strings.LastIndex(w, "~"); i > 0 {
							w = w[:i] // fuzzy
						}
						for _, span := range wordSpans(w) {
							add(cql.Stem(span.text))
						}
					}
				}
			}
		}
	}
	walk(x)
	return out
}

// wordSpan is one word of a text and its byte offset.
type wordSpan struct {
	text string
	at   int
}

// wordSpans splits s into words as text search does: runs of letters,
// digits, marks and underscores, with an apostrophe inside a word kept.
func wordSpans(s string) []wordSpan {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' }
	var out []wordSpan
	start := -1
	for i, r := range s {
		switch {
		case isWord(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '\u2019') && start >= 0:
			if next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):]); isWord(next) {
				continue
			}
			fallthrough
		default:
			if start >= 0 {
				out = append(out, wordSpan{s[start:i], start})
				start = -1
			}
		}
	}
	if start >= 0 {
		out = append(out, wordSpan{s[start:], start})
	}
	return out
}

// termHit reports whether a word of a document is one the terms of
// textTerms match.
func termHit(word string, terms []string) bool {
	st := cql.Stem(word)
	lower := strings.ToLower(word)
	for _, t := range terms {
		if p, ok := strings.CutSuffix(t, "*"); ok && strings.HasPrefix(lower, p) || st != "" && t == st {
			return true
		}
	}
	return false
}

// excerptFor returns the row title and excerpt for an excerpt mode.
func excerptFor(title, text, mode string, terms []string) (string, string) {
	escape := !strings.HasSuffix(mode, "_unescaped")
	switch strings.TrimSuffix(mode, "_unescaped") {
	case "highlight":
		return highlight(title, terms, true), highlight(snippet(text, terms, 200), terms, escape)
	case "indexed":
		ex := []rune(text)
		if len(ex) > 50 {
			ex = ex[:50]
		}
		return highlight(title, nil, true), highlight(string(ex), nil, escape)
	}
	return highlight(title, nil, true), ""
}

// snippet is up to n runes of text around the first word a term matches.
func snippet(text string, terms []string, n int) string {
	rs := []rune(text)
	if len(rs) <= n {
		return text
	}
	at := -1
	for _, w := range wordSpans(text) {
		if termHit(w.text, terms) {
			at = w.at
			break
		}
	}
	start := 0
	if at > 0 {
		start = max(0, len([]rune(text[:at]))-n/4)
	}
	end := min(len(rs), start+n)
	return string(rs[start:end])
}

// highlight wraps the words that terms match (termHit) in @@@hl@@@
// markers, HTML-escaping the rest when escape is set.
func highlight(s string, terms []string, escape bool) string {
	esc := func(x string) string {
		if escape {
			return htmlEscape(x)
		}
		return x
	}
	if len(terms) == 0 {
		return esc(s)
	}
	var b strings.Builder
	i := 0
	for _, w := range wordSpans(s) {
		if !termHit(w.text, terms) {
			continue
		}
		b.WriteString(esc(s[i:w.at]))
		b.WriteString("@@@hl@@@" + esc(w.text) + "@@@endhl@@@")
		i = w.at + len(w.text)
	}
	b.WriteString(esc(s[i:]))
	return b.String()
}

// searchTypes are the values CQL's type field accepts, as Confluence's
// "Unsupported value for type" message lists them (it adds app types,
// which the simulator does not model).
var searchTypes = []string{"space", "user", "page", "blogpost", "comment", "attachment", "database", "whiteboard", "slide", "embed", "folder"}

// badValue returns Confluence's message for a clause value the search
// service rejects after parsing with a 400 v1 envelope: a type outside
// searchTypes, or an empty exact title (`title = ""`; its message was not
// captured, so the parse-error text stands in), else "".
func badValue(x cql.Expr, raw string) string {
	switch x := x.(type) {
	case *cql.BinaryExpr:
		return cmpOr(badValue(x.X, raw), badValue(x.Y, raw))
	case *cql.NotExpr:
		return badValue(x.X, raw)
	case *cql.Clause:
		for _, v := range x.Values {
			l, ok := v.(*cql.Literal)
			if !ok {
				continue
			}
			switch {
			case x.Field == "type" && !slices.Contains(searchTypes, strings.ToLower(l.Text)):
				return fmt.Sprintf("Unsupported value for type, got : %s, expected one of : [%s]", l.Text, strings.Join(searchTypes, ", "))
			case x.Field == "title" && x.Op != cql.OpContains && x.Op != cql.OpNotContains && strings.TrimSpace(l.Text) == "":
				return "Could not parse cql : " + raw
			}
		}
	}
	return ""
}
