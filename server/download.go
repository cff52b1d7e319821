package server

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// The attachment download route: GET /attachments/{id}/download streams a file of the caller's
// tenant, fetched with the tenant's Confluence credentials, to a caller holding an API key of
// that tenant. The attachment is looked up on the tenant's own site, so an attachment of another
// tenant's site is not found there (404); files over Config.MaxAttachmentBytes answer 413.

// DefaultMaxAttachmentBytes is the default of Config.MaxAttachmentBytes: 20 MiB.
const DefaultMaxAttachmentBytes = 20 << 20

// downloadStatus is the HTTP status of each error code the download route answers.
var downloadStatus = map[string]int{
	graph.CodeNotFound:               http.StatusNotFound,
	graph.CodeNotConnected:           http.StatusConflict,
	graph.CodeConfluenceForbidden:    http.StatusForbidden,
	graph.CodeConfluenceUnauthorized: http.StatusBadGateway,
	graph.CodeRateLimited:            http.StatusTooManyRequests,
	graph.CodeUpstreamTimeout:        http.StatusGatewayTimeout,
	graph.CodeUpstreamUnavailable:    http.StatusBadGateway,
	graph.CodeBadUserInput:           http.StatusBadRequest,
	graph.CodeInternal:               http.StatusInternalServerError,
	graph.CodeUnauthenticated:        http.StatusUnauthorized,
	graph.CodeForbidden:              http.StatusForbidden,
	graph.CodeInvalidCQL:             http.StatusBadRequest,
	"":                               http.StatusInternalServerError,
}

// downloadHandler is the download route behind authentication, with the request's loaders
// bound to the caller's tenant.
func (s *Server) downloadHandler() http.Handler {
	present := graph.NewErrorPresenter(s.log)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		l := loaders.For(ctx)
		a, err := l.AttachmentByID(ctx, r.PathValue("id"))
		var f *loaders.File
		if err == nil {
			f, err = l.Download(ctx, a)
		}
		if err != nil {
			e := present(ctx, err)
			code, _ := e.Extensions["code"].(string)
			status := downloadStatus[code]
			if status == 0 {
				status = http.StatusBadGateway
			}
			if _, ok := errors.AsType[*loaders.FileTooLargeError](err); ok {
				status = http.StatusRequestEntityTooLarge
			}
			writeGraphQLError(w, r, status, e.Message, code)
			return
		}
		ct := a.MediaType
		if ct == "" {
			ct = f.ContentType
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		hd := w.Header()
		hd.Set("Content-Type", ct)
		hd.Set("Content-Length", strconv.Itoa(len(f.Data)))
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "private, no-store")
		hd.Set("Content-Security-Policy", "sandbox")
		if cd := mime.FormatMediaType("attachment", map[string]string{"filename": a.Title}); cd != "" {
			hd.Set("Content-Disposition", cd)
		} else {
			hd.Set("Content-Disposition", "attachment")
		}
		_, _ = w.Write(f.Data)
	})
	h = loaders.Middleware(s.loaderConfig(), h)
	if s.cfg.OperationTimeout > 0 {
		h = withTimeout(s.cfg.OperationTimeout, h)
	}
	return s.requireKey(h)
}

// withPublicURL puts the service's public base URL on each request's context, so downloadUrl
// answers are absolute: Config.PublicURL when set, else the scheme and Host the request came
// with (https when it came over TLS or a proxy says X-Forwarded-Proto: https).
func (s *Server) withPublicURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := s.cfg.PublicURL
		if base == "" && r.Host != "" {
			scheme := "http"
			if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
				scheme = "https"
			}
			base = scheme + "://" + r.Host
		}
		next.ServeHTTP(w, r.WithContext(graph.WithPublicURL(r.Context(), base)))
	})
}
