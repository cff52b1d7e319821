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

// deniedOther is the action of a refused mutation field that deniedActions
// does not name: the server names every action, never the request.
const deniedOther = "graphql.mutation"

// auditDenied appends one OutcomeDenied event per distinct action among the
// top-level mutation fields of resp that were refused with FORBIDDEN. An
// event records facts the server knows: the caller's tenant, key and role,
// and the action of the field's schema name (an alias chooses nothing and
// is never written). A request that repeats a field under many aliases
// still writes at most one event per action. A failed append is logged and
// does not change the response.
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
	names := responseFieldNames(op.SelectionSet, map[string]string{})
	done := map[string]bool{}
	for _, e := range resp.Errors {
		if code, _ := e.Extensions["code"].(string); code != graph.CodeForbidden || len(e.Path) != 1 {
			continue
		}
		key, ok := e.Path[0].(ast.PathName)
		if !ok {
			continue
		}
		action, ok := deniedActions[names[string(key)]]
		if !ok {
			action = deniedOther
		}
		if done[action] {
			continue
		}
		done[action] = true
		ev := &settings.AuditEvent{TenantID: caller.TenantID, ActorKeyID: caller.KeyID, Action: action,
			Outcome: settings.OutcomeDenied, Detail: "role=" + caller.Role}
		if err := s.cfg.Audit.AppendAudit(ctx, ev); err != nil {
			s.log.ErrorContext(ctx, "audit append failed", "tenant", caller.TenantID, "action", action, "err", err)
		}
	}
}

// responseFieldNames maps each response key of set (an alias, or the field
// name) to the schema field it selects, looking into inline fragments and
// fragment spreads.
func responseFieldNames(set ast.SelectionSet, into map[string]string) map[string]string {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			into[key] = s.Name
		case *ast.InlineFragment:
			responseFieldNames(s.SelectionSet, into)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				responseFieldNames(s.Definition.SelectionSet, into)
			}
		}
	}
	return into
}
