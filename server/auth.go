package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/settings"
)

// KeyStore is what authentication needs from the settings store
// (settings.Store satisfies it). Implementations must be safe for
// concurrent use.
type KeyStore interface {
	// GetAPIKey returns the key with id, revoked or not, or an error
	// wrapping settings.ErrNotFound.
	GetAPIKey(ctx context.Context, id string) (*settings.APIKey, error)
	// TouchAPIKey records that the key authenticated a request now.
	TouchAPIKey(ctx context.Context, id string) error
}

var _ KeyStore = settings.Store(nil)

// Reasons authentication fails, as logged (auth_error) and as the message
// of the UNAUTHENTICATED error. None of them repeats the credential.
const (
	authMissing   = "missing API key: send Authorization: Bearer cg_..."
	authMalformed = "malformed API key: expected Authorization: Bearer cg_<id>_<secret>"
	authInvalid   = "invalid API key"
	authRevoked   = "revoked API key"
	authStore     = "API keys cannot be checked right now"
)

// authFailure is why a credential was refused: one of the auth* phrases,
// never the credential itself.
type authFailure string

func (f authFailure) Error() string { return string(f) }

// errAuthUnavailable marks a store failure during authentication (503, not 401).
var errAuthUnavailable = errors.New("server: key store unavailable")

// authenticator checks API keys and throttles last-used writes.
type authenticator struct {
	keys          KeyStore
	touchInterval time.Duration
	now           func() time.Time

	mu      sync.Mutex
	touched map[string]time.Time
}

// maxTouched bounds the last-touch map; it is cleared when full.
const maxTouched = 10000

// authenticate returns the caller for the request's credential, or an
// error whose message is one of the auth* phrases.
func (a *authenticator) authenticate(r *http.Request) (graph.Caller, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return graph.Caller{}, authFailure(authMissing)
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return graph.Caller{}, authFailure(authMalformed)
	}
	id, secret, err := settings.ParseAPIKey(strings.TrimSpace(token))
	if err != nil {
		return graph.Caller{}, authFailure(authMalformed)
	}
	ctx := r.Context()
	k, err := a.keys.GetAPIKey(ctx, id)
	switch {
	case errors.Is(err, settings.ErrNotFound):
		return graph.Caller{}, authFailure(authInvalid)
	case err != nil:
		return graph.Caller{}, errAuthUnavailable
	}
	// Verify compares SHA-256 hashes in constant time.
	if !k.Verify(secret) || k.ID != id {
		return graph.Caller{}, authFailure(authInvalid)
	}
	if k.Revoked() {
		return graph.Caller{}, authFailure(authRevoked)
	}
	if k.TenantID == "" || !k.Role.Valid() {
		return graph.Caller{}, authFailure(authInvalid)
	}
	a.touch(ctx, k.ID)
	return graph.Caller{TenantID: k.TenantID, KeyID: k.ID, Role: string(k.Role)}, nil
}

// touch records the key's use at most once per touchInterval per key (the
// store write is not on every request). A failed write is ignored: it must
// not fail the request.
func (a *authenticator) touch(ctx context.Context, id string) {
	now := a.now()
	a.mu.Lock()
	last, ok := a.touched[id]
	if ok && now.Sub(last) < a.touchInterval {
		a.mu.Unlock()
		return
	}
	if len(a.touched) >= maxTouched {
		clear(a.touched)
	}
	a.touched[id] = now
	a.mu.Unlock()
	_ = a.keys.TouchAPIKey(context.WithoutCancel(ctx), id)
}

// requireKey authenticates every request except OPTIONS; on success the
// caller is on the context (graph.WithCaller), on failure the answer is
// HTTP 401 with a GraphQL-shaped body (extensions.code UNAUTHENTICATED), or
// 503 when the key store cannot be read.
func (s *Server) requireKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		st := stateFrom(r.Context())
		st.set(func(st *requestState) { st.graphql = true })
		c, err := s.auth.authenticate(r)
		if err != nil {
			if errors.Is(err, errAuthUnavailable) {
				st.set(func(st *requestState) { st.outcome = OutcomeRejected; st.authError = authStore })
				writeGraphQLError(w, r, http.StatusServiceUnavailable, authStore, "UNAVAILABLE")
				return
			}
			st.set(func(st *requestState) { st.outcome = OutcomeUnauthenticated; st.authError = err.Error() })
			w.Header().Set("WWW-Authenticate", `Bearer realm="confluence-graph"`)
			writeGraphQLError(w, r, http.StatusUnauthorized, err.Error(), graph.CodeUnauthenticated)
			return
		}
		st.set(func(st *requestState) { st.tenant, st.keyID, st.role = c.TenantID, c.KeyID, c.Role })
		next.ServeHTTP(w, r.WithContext(graph.WithCaller(r.Context(), c)))
	})
}

// writeGraphQLError answers with a GraphQL response holding one error, in
// the media type the client accepts (application/graphql-response+json
// when asked for, else application/json).
func writeGraphQLError(w http.ResponseWriter, r *http.Request, status int, msg, code string) {
	e := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
	ct := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		ct = "application/graphql-response+json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_ = jsonEncode(w, map[string]any{"errors": gqlerror.List{e}})
}
