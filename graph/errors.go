package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/cql"
	"github.com/confluence-graph/confluence-graph/loaders"
	"github.com/confluence-graph/confluence-graph/settings"
)

// Error codes in extensions.code: the contract with clients, also listed at the top of
// schema.graphqls.
const (
	// CodeUnauthenticated: no or an unknown API key.
	CodeUnauthenticated = "UNAUTHENTICATED"
	// CodeForbidden: the operation needs an admin API key.
	CodeForbidden = "FORBIDDEN"
	// CodeNotConnected: the tenant has no Confluence integration.
	CodeNotConnected = "NOT_CONNECTED"
	// CodeConfluenceUnauthorized: Confluence rejected the stored credentials (or their scopes).
	CodeConfluenceUnauthorized = "CONFLUENCE_UNAUTHORIZED"
	// CodeConfluenceForbidden: the credentials work, but the connected account may not see this
	// item (Confluence answered 403 for it); only the field asking for it fails.
	CodeConfluenceForbidden = "CONFLUENCE_FORBIDDEN"
	CodeNotFound            = "NOT_FOUND"
	CodeInvalidCQL          = "INVALID_CQL"
	CodeRateLimited         = "RATE_LIMITED"
	CodeUpstreamTimeout     = "UPSTREAM_TIMEOUT"
	CodeUpstreamUnavailable = "UPSTREAM_UNAVAILABLE"
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeInternal            = "INTERNAL"
	// CodeEncryptionUnavailable: the key service that opens the stored token is down (retryable).
	CodeEncryptionUnavailable = "ENCRYPTION_UNAVAILABLE"
)

// InputError is an argument the caller must fix (BAD_USER_INPUT); Field names the argument.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return "graph: " + e.Message }

func inputErrorf(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// notFoundError is a NOT_FOUND the graph layer itself decides (a version, a section).
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return "graph: " + e.msg }

func notFoundf(format string, args ...any) error {
	return &notFoundError{msg: fmt.Sprintf(format, args...)}
}

// NewErrorPresenter returns the presenter to install with handler.Server.SetErrorPresenter. It
// maps typed errors to extensions.code (presentError is the one table) and replaces anything
// unknown by "internal error" (INTERNAL), logging the detail to log. log is required: it panics
// when log is nil, so a wiring mistake shows at start-up rather than as lost error logs.
func NewErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	mustLogger(log, "NewErrorPresenter")
	return func(ctx context.Context, err error) *gqlerror.Error { return presentError(ctx, err, log) }
}

// NewRecover returns the panic handler to install with handler.Server.SetRecoverFunc: it logs
// the panic with its stack to log, where the presenter logs (same request attributes), and
// returns an error the presenter shows as INTERNAL. log is required, as for NewErrorPresenter.
func NewRecover(log *slog.Logger) graphql.RecoverFunc {
	mustLogger(log, "NewRecover")
	return func(ctx context.Context, p any) error { return recoverPanic(ctx, p, log) }
}

func mustLogger(log *slog.Logger, who string) {
	if log == nil {
		panic("graph: " + who + " needs a logger")
	}
}

func recoverPanic(ctx context.Context, p any, log *slog.Logger) error {
	log.ErrorContext(ctx, "graph: panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
	return errPanic
}

var errPanic = errors.New("graph: panic")

// presentError is the one table from typed errors to GraphQL errors.
func presentError(ctx context.Context, err error, log *slog.Logger) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	cause := gqlErr.Err
	if cause == nil {
		// Parse and validation errors and errors built as *gqlerror.Error: keep them.
		return gqlErr
	}
	var inner *gqlerror.Error
	if errors.As(cause, &inner) && inner.Err == nil && inner != gqlErr {
		return gqlErr
	}
	ext := map[string]any{}
	for k, v := range gqlErr.Extensions {
		ext[k] = v
	}
	set := func(code, msg string) {
		ext["code"] = code
		gqlErr.Message = msg
	}

	var (
		inputErr  *InputError
		cqlErr    *cql.Error
		upCQLErr  *confluence.CQLError
		rateErr   *confluence.RateLimitError
		notFound  *notFoundError
		loaderNF  *loaders.NotFoundError
		panicWrap = errors.Is(cause, errPanic)
	)
	switch {
	case panicWrap:
		set(CodeInternal, "internal error")
	case errors.Is(cause, ErrUnauthenticated):
		set(CodeUnauthenticated, "authentication required: send an API key as Authorization: Bearer cg_...")
	case errors.Is(cause, ErrForbidden):
		set(CodeForbidden, "this operation needs an admin API key")
	case errors.Is(cause, loaders.ErrNotConnected), errors.Is(cause, settings.ErrNotConnected):
		set(CodeNotConnected, "Confluence is not connected for this tenant; an admin must run connectConfluence")
	case errors.Is(cause, settings.ErrEncryptionUnavailable):
		ext["retryable"], ext["retryAfterSeconds"] = true, 5
		set(CodeEncryptionUnavailable, "the key service that decrypts the stored Confluence token is temporarily unavailable; retry in a few seconds")
	case errors.Is(cause, ErrTypeNotFound), errors.Is(cause, ErrUnknownType):
		// The generated federation code refuses a malformed _entities representation: the
		// router's input, not our failure.
		set(CodeBadUserInput, "an _entities representation names an unknown type or lacks its key fields (Page: id; Space: id or key)")
	case attachmentError(cause) != "":
		set(CodeBadUserInput, attachmentError(cause))
	case errors.As(cause, &inputErr):
		set(CodeBadUserInput, inputErr.Message)
		if inputErr.Field != "" {
			ext["field"] = inputErr.Field
		}
	case errors.As(cause, &cqlErr):
		set(CodeInvalidCQL, cqlErr.Error())
		if cqlErr.Line > 0 {
			ext["line"] = cqlErr.Line
			ext["column"] = cqlErr.Column
		}
	case errors.As(cause, &upCQLErr):
		// Our checker passed the query (search parses it first, and built queries come from
		// the cql builder), so we know no position; Confluence's own text is never copied: an
		// error body may echo the request, credentials included.
		ext["upstreamStatus"] = upCQLErr.Status
		set(CodeInvalidCQL, "Confluence rejected the CQL query although it passed this API's checks; "+
			"a field, value or function may not exist on this site (validateCql shows how the query was read)")
	case errors.As(cause, &rateErr):
		secs := int(math.Ceil(rateErr.RetryAfter.Seconds()))
		if secs < 1 {
			secs = 1
		}
		ext["retryAfterSeconds"] = secs
		if rateErr.Local {
			// Nothing was sent: the tenant's requests are over its rate budget, or the site is
			// paused after a 429, and waiting would outlast this request.
			set(CodeRateLimited, fmt.Sprintf("too many Confluence requests of this tenant are waiting; retry after %d s", secs))
		} else {
			set(CodeRateLimited, fmt.Sprintf("Confluence rate-limited this tenant; retry after %d s", secs))
		}
	case errors.Is(cause, confluence.ErrRateLimited):
		ext["retryAfterSeconds"] = 1
		set(CodeRateLimited, "Confluence rate-limited this tenant; retry later")
	case errors.As(cause, &notFound):
		set(CodeNotFound, notFound.msg)
	case errors.As(cause, &loaderNF):
		set(CodeNotFound, fmt.Sprintf("%s %s not found (or not visible to the connected account)", loaderNF.Kind, loaderNF.Key))
	case errors.Is(cause, confluence.ErrUnauthorized):
		set(CodeConfluenceUnauthorized, confluenceAuthMessage(cause))
		if scopes := missingScopes(cause); len(scopes) > 0 {
			ext["missingScopes"] = scopes
			need := scopes[0] + " this field needs"
			if len(scopes) > 1 {
				need += ", and " + strings.Join(scopes[1:], ", ") + " its fallback route needs"
			}
			gqlErr.Message = "the Confluence token lacks the scope " + need +
				"; an admin must create a token with the scope and reconnect"
		}
	case errors.Is(cause, confluence.ErrForbidden):
		set(CodeConfluenceForbidden, "the Confluence account cannot see this "+itemOf(ctx)+"; give it read access in Confluence")
	case errors.Is(cause, confluence.ErrNotFound):
		set(CodeNotFound, "not found (or not visible to the connected account)")
	case errors.Is(cause, confluence.ErrTimeout), errors.Is(cause, context.DeadlineExceeded):
		set(CodeUpstreamTimeout, "Confluence did not answer in time")
	case errors.Is(cause, confluence.ErrUnavailable), errors.Is(cause, confluence.ErrGone),
		errors.Is(cause, confluence.ErrResponseTooLarge):
		set(CodeUpstreamUnavailable, "Confluence is unavailable; try again later")
	case errors.Is(cause, context.Canceled):
		set(CodeUpstreamTimeout, "the request was cancelled")
	default:
		log.ErrorContext(ctx, "graph: internal error", "path", gqlErr.Path.String(), "err", safeText(cause))
		set(CodeInternal, "internal error")
	}
	gqlErr.Extensions = ext
	return gqlErr
}

// safeText describes err for the log without text Confluence (or a proxy in front of it) sent:
// an upstream error in the chain is logged by its type, route and status only, since its body
// may echo the request's Authorization header. Other errors are logged as they are (ours hold no
// secrets).
func safeText(err error) string {
	var (
		up *confluence.Error
		cq *confluence.CQLError
	)
	switch {
	case errors.As(err, &up) && up.Status == 0:
		// No answer was received: the message is the client's own description of the failure.
		return fmt.Sprintf("confluence error: %s: %s", up.Endpoint, up.Message)
	case errors.As(err, &up):
		return fmt.Sprintf("confluence error: %s: status %d (upstream text withheld)", up.Endpoint, up.Status)
	case errors.As(err, &cq):
		return fmt.Sprintf("confluence CQL error: %s: status %d (upstream text withheld)", cq.Endpoint, cq.Status)
	}
	return err.Error()
}

// missingScopes names the scopes a scoped token lacked for err: those of a field no route could
// serve (the v2 route's, then its fallback's), or the scope of the refused route. The gateway's
// 401 body never names the scope, so the route does. nil when err is no scope refusal.
func missingScopes(err error) []string {
	var ms *loaders.MissingScopesError
	if errors.As(err, &ms) {
		return ms.Scopes
	}
	return confluence.MissingScopes(err)
}

// confluenceAuthMessage says which credential problem Confluence reported, without secrets.
func confluenceAuthMessage(err error) string {
	switch {
	case errors.Is(err, confluence.ErrScopeMismatch):
		return "the Confluence token lacks a scope this field needs; an admin must add it and reconnect"
	case errors.Is(err, confluence.ErrScopedTokenOnSite):
		return "the scoped Confluence token was sent to the site host; an admin must reconnect"
	default:
		return "Confluence rejected the stored credentials (revoked or expired token); an admin must reconnect"
	}
}

// itemOf names what the failed field returns ("page" for Page, [Page!] or PageConnection), for
// messages about one item; "item" when there is no field.
func itemOf(ctx context.Context) string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || fc.Field.Definition.Type == nil {
		return "item"
	}
	name := strings.TrimSuffix(fc.Field.Definition.Type.Name(), "Connection")
	if name == "" || strings.HasPrefix(name, "_") {
		return "item"
	}
	return strings.ToLower(name[:1]) + name[1:]
}
