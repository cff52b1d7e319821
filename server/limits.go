package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// Error codes of the request limits (extensions.code). They are registered
// as protocol errors, so they are answered like a validation error: HTTP 400
// with application/graphql-response+json, 200 with application/json (see
// graphQLOverHTTP), without a data entry.
const (
	CodeComplexityLimit = "COMPLEXITY_LIMIT_EXCEEDED"
	CodeDepthLimit      = "DEPTH_LIMIT_EXCEEDED"
	CodeAliasLimit      = "ALIAS_LIMIT_EXCEEDED"
	CodeBodyTooLarge    = "REQUEST_TOO_LARGE"
	CodeBadRequest      = "BAD_REQUEST"
)

func init() {
	errcode.RegisterErrorType(CodeComplexityLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(CodeDepthLimit, errcode.KindProtocol)
	errcode.RegisterErrorType(CodeAliasLimit, errcode.KindProtocol)
}

// shapeLimit refuses operations nested deeper than maxDepth fields or using
// more than maxAliases aliases (fragments expanded). Introspection fields
// (names starting with "__") do not count toward the depth: they are
// allowed only when introspection is, and gqlparser bounds them.
type shapeLimit struct {
	maxDepth   int
	maxAliases int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = shapeLimit{}

func (shapeLimit) ExtensionName() string                   { return "ShapeLimit" }
func (shapeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l shapeLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	w := shapeWalker{doc: opCtx.Doc, depth: map[string]int{}, aliases: map[string]int{}, busy: map[string]bool{}}
	d, a := w.walk(opCtx.Operation.SelectionSet)
	if l.maxDepth > 0 && d > l.maxDepth {
		err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", d, l.maxDepth)
		errcode.Set(err, CodeDepthLimit)
		return err
	}
	if l.maxAliases > 0 && a > l.maxAliases {
		err := gqlerror.Errorf("operation uses %d aliases, which exceeds the limit of %d", a, l.maxAliases)
		errcode.Set(err, CodeAliasLimit)
		return err
	}
	return nil
}

// shapeWalker computes the field depth and alias count of a selection set,
// each fragment once (memoised), so a fragment used many times costs its
// size once to compute but counts every time it is used.
type shapeWalker struct {
	doc     *ast.QueryDocument
	depth   map[string]int
	aliases map[string]int
	busy    map[string]bool
}

func (w shapeWalker) walk(set ast.SelectionSet) (depth, aliases int) {
	for _, sel := range set {
		var d, a int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			cd, ca := w.walk(s.SelectionSet)
			d, a = cd+1, ca
			if s.Alias != "" && s.Alias != s.Name {
				a++
			}
		case *ast.InlineFragment:
			d, a = w.walk(s.SelectionSet)
		case *ast.FragmentSpread:
			d, a = w.fragment(s)
		}
		depth = max(depth, d)
		aliases += a
	}
	return depth, aliases
}

func (w shapeWalker) fragment(s *ast.FragmentSpread) (int, int) {
	if d, ok := w.depth[s.Name]; ok {
		return d, w.aliases[s.Name]
	}
	def := s.Definition
	if def == nil && w.doc != nil {
		def = w.doc.Fragments.ForName(s.Name)
	}
	if def == nil || w.busy[s.Name] { // unknown or cyclic: validation reports it
		return 0, 0
	}
	w.busy[s.Name] = true
	d, a := w.walk(def.SelectionSet)
	delete(w.busy, s.Name)
	w.depth[s.Name], w.aliases[s.Name] = d, a
	return d, a
}

// federationSDL lets the federation `_service { sdl }` field run when
// introspection is otherwise off: gqlgen gates it with the same flag, and
// routers and composition tools need it. It applies only to operations
// whose root fields are all _service or __typename.
type federationSDL struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = federationSDL{}

func (federationSDL) ExtensionName() string                   { return "FederationSDL" }
func (federationSDL) Validate(graphql.ExecutableSchema) error { return nil }

func (federationSDL) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if !opCtx.DisableIntrospection || opCtx.Operation == nil || opCtx.Operation.Operation != ast.Query {
		return nil
	}
	sawService := false
	for _, sel := range opCtx.Operation.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			return nil
		}
		switch f.Name {
		case "_service":
			sawService = true
		case "__typename":
		default:
			return nil
		}
	}
	if sawService {
		opCtx.DisableIntrospection = false
	}
	return nil
}

// operationRecorder notes the operation's name and type and, once it has
// run, its outcome, for the access log and the metrics. onResponse, if
// set, sees every response (the audit of refused mutations).
type operationRecorder struct {
	onResponse func(ctx context.Context, resp *graphql.Response)
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = operationRecorder{}

func (operationRecorder) ExtensionName() string                   { return "OperationRecorder" }
func (operationRecorder) Validate(graphql.ExecutableSchema) error { return nil }

func (operationRecorder) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	name := p.OperationName
	stateFrom(ctx).set(func(s *requestState) { s.opName = name })
	return nil
}

func (operationRecorder) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if op := opCtx.Operation; op != nil {
		name, typ := op.Name, string(op.Operation)
		stateFrom(ctx).set(func(s *requestState) { s.opName, s.opType = name, typ })
	}
	return nil
}

func (r operationRecorder) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return resp
	}
	if r.onResponse != nil {
		r.onResponse(ctx, resp)
	}
	n := len(resp.Errors)
	stateFrom(ctx).set(func(s *requestState) {
		s.errorsN += n
		if n == 0 {
			if s.outcome == "" {
				s.outcome = OutcomeOK
			}
		} else {
			s.outcome = OutcomeError
		}
	})
	return resp
}

// limitBody reads the whole body under a cap before gqlgen sees it: a
// declared or actual size over max is answered 413 with a GraphQL-shaped
// error (gqlgen itself has no cap and would answer 200).
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			stateFrom(r.Context()).set(func(s *requestState) { s.outcome = OutcomeRejected })
			writeGraphQLError(w, r, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body exceeds the limit of %d bytes", max), CodeBodyTooLarge)
		}
		if r.ContentLength > max {
			tooLarge()
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			tooLarge()
			return
		case err != nil:
			stateFrom(r.Context()).set(func(s *requestState) { s.outcome = OutcomeRejected })
			writeGraphQLError(w, r, http.StatusBadRequest, "could not read the request body", CodeBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds the request's context (and so every resolver and
// upstream call) by d.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// withOperation gives each GraphQL request what its operation needs, on one context (one copy
// of the request instead of one per layer): the deadline d (none when 0, as withTimeout), fresh
// loaders bound to the caller's tenant (as loaders.Middleware) and the public base URL
// (publicURL).
func (s *Server) withOperation(d time.Duration, lc loaders.Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if d > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		ctx = loaders.With(ctx, loaders.New(ctx, lc))
		ctx = graph.WithPublicURL(ctx, s.publicURL(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
