package tracing

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
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
