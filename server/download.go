package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// The attachment download route: GET /attachments/{id}/download streams a file of the caller's
// tenant, fetched with the tenant's Confluence credentials, to a caller holding an API key of
// that tenant. The attachment is looked up on the tenant's own site, so an attachment of another
// tenant's site is not found there (404), nor is one on a page the tenant's read policy hides;
// files over Config.MaxAttachmentBytes answer 413 (see downloadHandler for a file whose size is
// known only once it is read).

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
//
// The file is streamed: its bytes pass from the media host to the caller through a fixed-size
// buffer, whatever the file's size. The cap (Config.MaxAttachmentBytes) is enforced before
// the first byte when the size is known, from the attachment's fileSize or else the media
// host's Content-Length: 413 with a JSON error, nothing of the file sent. Content-Length is
// then set. When neither tells the size, the file is sent chunked and, should it pass the cap,
// or should the upstream fail mid-file, the response is aborted: its chunked encoding never
// ends (HTTP/2: the stream is reset), which every client reports as an error (Go:
// io.ErrUnexpectedEOF; curl: exit 18), so a cut file is never taken for a whole one. The
// whole transfer must end within Config.OperationTimeout.
func (s *Server) downloadHandler() http.Handler {
	present := graph.NewErrorPresenter(s.log)
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		// A download is not a GraphQL operation: the access log and http_requests_total
		// record it by status, graphql_operations_total does not count it.
		stateFrom(ctx).set(func(st *requestState) { st.graphql = false })
		l := loaders.For(ctx)
		a, err := l.AttachmentByID(ctx, r.PathValue("id"))
		var f *loaders.FileStream
		if err == nil {
			f, err = l.OpenFile(ctx, a)
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
		defer func() { _ = f.Body.Close() }()
		ct := a.MediaType
		if ct == "" {
			ct = f.ContentType
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		hd := w.Header()
		hd.Set("Content-Type", ct)
		if f.Size >= 0 {
			hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "private, no-store")
		hd.Set("Content-Security-Policy", "sandbox")
		if cd := mime.FormatMediaType("attachment", map[string]string{"filename": a.Title}); cd != "" {
			hd.Set("Content-Disposition", cd)
		} else {
			hd.Set("Content-Disposition", "attachment")
		}
		w.WriteHeader(http.StatusOK)
		if f.Size < 0 {
			// Chunked: the status goes out now, so a cut below shows as a broken body.
			_ = http.NewResponseController(w).Flush()
		}
		buf := make([]byte, downloadBuffer)
		n, err := io.CopyBuffer(writerOnly{w}, f.Body, buf)
		if err == nil && f.Size >= 0 && n != f.Size {
			err = fmt.Errorf("the file ended after %d of the %d bytes announced", n, f.Size)
		}
		if err != nil {
			attrs := []any{slog.String("attachment", a.ID), slog.Int64("sent_bytes", n)}
			if tl, ok := errors.AsType[*loaders.FileTooLargeError](err); ok {
				s.log.WarnContext(ctx, "download cut at the size cap", append(attrs, slog.Int64("limit", tl.Limit))...)
			} else {
				s.log.WarnContext(ctx, "download failed mid-file", append(attrs, slog.String("error", present(ctx, err).Message))...)
			}
			panic(http.ErrAbortHandler) // the client sees a broken transfer, never a short file
		}
	})
	h = loaders.Middleware(s.loaderConfig(), h)
	// A download streams up to the size cap to a caller of any speed: it gets its own, longer
	// deadline than a GraphQL operation (each upstream call still has the client's timeouts).
	h = withTimeout(max(s.cfg.OperationTimeout, downloadTimeout), h)
	return s.requireKey(h)
}

// downloadTimeout bounds a whole download: 20 MB at 35 KB/s.
const downloadTimeout = 10 * time.Minute

// downloadBuffer is the size of the one buffer a download passes through.
const downloadBuffer = 32 << 10

// writerOnly hides the writer's io.ReaderFrom, so io.CopyBuffer uses the route's own buffer.
type writerOnly struct{ io.Writer }

// publicURL is the service's public base URL, put on each GraphQL request's context
// (withOperation) so downloadUrl answers are absolute: Config.PublicURL when set, else the scheme
// and Host the request came with (https when it came over TLS or a proxy says
// X-Forwarded-Proto: https).
func (s *Server) publicURL(r *http.Request) string {
	base := s.cfg.PublicURL
	if base == "" && r.Host != "" {
		scheme := "http"
		if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return base
}
