package graph

import (
	"context"
	"errors"
)

// Roles a Caller can have.
const (
	// RoleReader may run queries (Annie's keys).
	RoleReader = "reader"
	// RoleAdmin may also run the integration mutations (the settings page).
	RoleAdmin = "admin"
)

// Caller is the authenticated party of a request. The server derives it from the API key and
// puts it on the context with WithCaller; the tenant never comes from a GraphQL argument.
type Caller struct {
	TenantID string // the tenant every upstream call and cache entry is scoped to
	KeyID    string // the API key's public id, for audit
	Role     string // RoleReader or RoleAdmin
}

type callerKey struct{}

// WithCaller returns a context carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller WithCaller stored; ok is false when there is none.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok && c.TenantID != ""
}

// ErrUnauthenticated is returned when the request carries no caller.
var ErrUnauthenticated = errors.New("graph: authentication required")

// ErrForbidden is returned when the caller's role does not allow the operation.
var ErrForbidden = errors.New("graph: this operation needs an admin API key")

// requireCaller returns the caller or ErrUnauthenticated.
func requireCaller(ctx context.Context) (Caller, error) {
	c, ok := CallerFrom(ctx)
	if !ok {
		return Caller{}, ErrUnauthenticated
	}
	return c, nil
}

// requireAdmin returns the caller when it is an admin, ErrUnauthenticated or ErrForbidden
// otherwise.
func requireAdmin(ctx context.Context) (Caller, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return c, err
	}
	if c.Role != RoleAdmin {
		return c, ErrForbidden
	}
	return c, nil
}
