package tracing

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Extension is a gqlgen handler extension (srv.Use(tracing.Extension{}))
// that calls SetOperation for every operation, so the request's span is
// named after the operation, not the endpoint.
type Extension struct{}

var (
	_ graphql.HandlerExtension     = Extension{}
	_ graphql.OperationInterceptor = Extension{}
)

// ExtensionName implements graphql.HandlerExtension.
func (Extension) ExtensionName() string { return "Tracing" }

// Validate implements graphql.HandlerExtension.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation implements graphql.OperationInterceptor.
func (Extension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		typ, name := "", oc.OperationName // the request's operationName, if sent
		if oc.Operation != nil {
			typ = string(oc.Operation.Operation)
			name = oc.Operation.Name // the document's, also when operationName was not sent
		}
		SetOperation(ctx, typ, name)
	}
	return next(ctx)
}

// minResolverWait is the shortest wait RecordResolverWait records: a
// resolver answered at once (from the request's memo or the cache) did
// not wait.
const minResolverWait = time.Millisecond

// RecordResolverWait records, after the fact, that the GraphQL resolver
// running with ctx waited from start until now, for a loader's batch:
// a span "resolve Page.children" (the schema's type and field, never an
// alias or an argument) from start to now, under ctx's span. Waits
// shorter than a millisecond, and calls outside a resolver or a
// recording span, record nothing, so only the resolvers that waited
// appear in the trace.
func RecordResolverWait(ctx context.Context, start time.Time) {
	end := time.Now()
	if end.Sub(start) < minResolverWait || !trace.SpanFromContext(ctx).IsRecording() {
		return
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphQLName.MatchString(fc.Object) || !graphQLName.MatchString(fc.Field.Name) {
		return
	}
	_, span := tracer().Start(ctx, "resolve "+fc.Object+"."+fc.Field.Name, trace.WithTimestamp(start),
		trace.WithAttributes(attribute.String("graphql.field.type", fc.Object), attribute.String("graphql.field.name", fc.Field.Name)))
	span.End(trace.WithTimestamp(end))
}
