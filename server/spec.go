package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// graphQLOverHTTP adapts gqlgen's answers to request errors (the document
// does not parse or validate, variables do not coerce, a limit is exceeded,
// the body is not JSON) to the GraphQL-over-HTTP spec:
//
//   - with the legacy application/json media type such a request gets 200,
//     not gqlgen's 422 (application/graphql-response+json keeps 400);
//   - the answer has no "data" entry, since execution never started (gqlgen
//     writes "data": null).
//
// Successful and partially successful answers pass through untouched.
func graphQLOverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &specWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		sw.finish()
	})
}

type specWriter struct {
	http.ResponseWriter
	status    int
	buffering bool
	buf       bytes.Buffer
}

func (w *specWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	if code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.buffering = true
	ct := w.Header().Get("Content-Type")
	if code == http.StatusUnprocessableEntity && !strings.Contains(ct, "application/graphql-response+json") {
		w.status = http.StatusOK
	}
}

func (w *specWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.buffering {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *specWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish writes a buffered request-error answer without its "data" entry.
func (w *specWriter) finish() {
	if !w.buffering {
		return
	}
	body := w.buf.Bytes()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err == nil {
		if d, ok := m["data"]; ok && string(bytes.TrimSpace(d)) == "null" {
			delete(m, "data")
			if b, err := json.Marshal(m); err == nil {
				body = append(b, '\n')
			}
		}
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(body)
}
