package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

// requestState is what the layers of one request tell the access log and
// the metrics. It lives on the request context; every field is guarded by mu
// because gqlgen may run extension hooks on other goroutines.
type requestState struct {
	id string

	mu        sync.Mutex
	tenant    string
	keyID     string
	role      string
	opName    string
	opType    string
	outcome   string
	errorsN   int
	graphql   bool
	authError string // why authentication failed (a fixed phrase, never the key)
}

func (s *requestState) set(f func(s *requestState)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

type stateKey struct{}

func stateFrom(ctx context.Context) *requestState {
	s, _ := ctx.Value(stateKey{}).(*requestState)
	if s == nil {
		return &requestState{} // detached: writes are dropped
	}
	return s
}

// RequestID returns the id of the request ctx belongs to, "" outside a
// request served by this package.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(stateKey{}).(*requestState)
	if s == nil {
		return ""
	}
	return s.id
}

// validRequestID accepts client ids of 1..64 characters from
// [A-Za-z0-9._:-]; anything else is replaced, so ids are safe to log.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails (crypto/rand crashes instead)
	return hex.EncodeToString(b)
}

// statusRecorder remembers the status code written.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe wraps a handler with the request id, the access log line and the
// request metrics. name is the handler label ("graphql", "healthz", ...).
// Nothing from the request's headers or body is logged except the
// validated request id, the method and the path.
func (s *Server) observe(name string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		st := &requestState{id: id}
		w.Header().Set(RequestIDHeader, id)
		rec := &statusRecorder{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), stateKey{}, st)
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		dur := time.Since(start)
		s.metrics.observeHTTP(name, rec.status)

		st.mu.Lock()
		defer st.mu.Unlock()
		outcome := st.outcome
		if outcome == "" {
			outcome = OutcomeRejected
		}
		if st.graphql {
			s.metrics.observeOperation(st.opName, st.opType, outcome, dur)
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		if name == "healthz" || name == "metrics" {
			level = slog.LevelDebug
		}
		if !s.log.Enabled(ctx, level) {
			return // the access line would be dropped: do not build it
		}
		attrs := []slog.Attr{ // the request id comes from ctx (contextHandler)
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(dur.Microseconds())/1000),
		}
		if st.tenant != "" {
			attrs = append(attrs, slog.String("tenant", st.tenant), slog.String("key_id", st.keyID), slog.String("role", st.role))
		}
		if st.graphql {
			attrs = append(attrs, slog.String("operation", st.opName), slog.String("operation_type", st.opType),
				slog.String("outcome", outcome))
			if st.errorsN > 0 {
				attrs = append(attrs, slog.Int("errors", st.errorsN))
			}
		}
		if st.authError != "" {
			attrs = append(attrs, slog.String("auth_error", st.authError))
		}
		s.log.LogAttrs(ctx, level, "request", attrs...)
	})
}

// WithRequestIDs returns l with every record logged with a request's
// context carrying that request's id (request_id), for the packages the
// server calls (the settings service). The server applies it to
// Config.Logger itself.
func WithRequestIDs(l *slog.Logger) *slog.Logger {
	if _, ok := l.Handler().(contextHandler); ok {
		return l
	}
	return slog.New(contextHandler{l.Handler()})
}

// contextHandler adds the request id of the record's context to every log
// record, so lines logged deeper in the stack (the error presenter, the
// settings service) can be joined with the access log line.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
