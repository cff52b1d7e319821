package server

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/settings"
)

// AuditLog receives the audit events the server itself records: mutations
// refused to a caller whose role may not run them (authorization failures,
// outcome "denied"). The settings store implements it. It must be safe for
// concurrent use.
type AuditLog interface {
	AppendAudit(ctx context.Context, e *settings.AuditEvent) error
}

var _ AuditLog = settings.Store(nil)

// deniedActions names the audit action of each integration mutation, as the
// settings service names the same action when it runs.
var deniedActions = map[string]string{
	"connectConfluence":        settings.ActionConnect,
	"updateConfluence":         settings.ActionUpdate,
	"testConfluenceConnection": settings.ActionTest,
	"disconnectConfluence":     settings.ActionDisconnect,
}

// auditDenied appends one OutcomeDenied event per top-level mutation field
// of resp that was refused with FORBIDDEN. The event names the caller's
// tenant, key and role, never anything from the request's arguments. A
// failed append is logged and does not change the response.
func (s *Server) auditDenied(ctx context.Context, resp *graphql.Response) {
	if s.cfg.Audit == nil || resp == nil || len(resp.Errors) == 0 || !graphql.HasOperationContext(ctx) {
		return
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil || op.Operation != ast.Mutation {
		return
	}
	caller, ok := graph.CallerFrom(ctx)
	if !ok || caller.TenantID == "" {
		return
	}
	for _, e := range resp.Errors {
		if code, _ := e.Extensions["code"].(string); code != graph.CodeForbidden || len(e.Path) != 1 {
			continue
		}
		field, ok := e.Path[0].(ast.PathName)
		if !ok {
			continue
		}
		action, ok := deniedActions[string(field)]
		if !ok {
			action = "graphql." + string(field)
		}
		ev := &settings.AuditEvent{TenantID: caller.TenantID, ActorKeyID: caller.KeyID, Action: action,
			Outcome: settings.OutcomeDenied, Detail: "role=" + caller.Role}
		if err := s.cfg.Audit.AppendAudit(ctx, ev); err != nil {
			s.log.ErrorContext(ctx, "audit append failed", "tenant", caller.TenantID, "action", action, "err", err)
		}
	}
}
