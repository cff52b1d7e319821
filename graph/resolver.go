//go:generate go tool gqlgen generate

package graph

import (
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
)

// This file will not be regenerated automatically: it holds the resolver's dependencies.

// Resolver is the root of every resolver. It holds only dependencies; per-request state (the
// caller, the loaders) travels on the context. Build it with New.
type Resolver struct {
	integrations Integrations
	log          *slog.Logger
}

// Deps are the dependencies of the GraphQL layer. Every field may be zero.
type Deps struct {
	// Integrations serves confluenceIntegration and the four mutations; nil makes them fail with
	// INTERNAL ("integration settings are not configured").
	Integrations Integrations
	// Logger records failures of the integration service with the tenant and key they concern
	// (the error presenter logs the error itself); nil records nothing.
	Logger *slog.Logger
}

// New returns the executable schema the server wraps with handler.New. The server must also
// install NewErrorPresenter and NewRecover, put the Caller on
// each request's context (WithCaller) and the request's loaders (loaders.Middleware or
// loaders.With). The schema prices list fields by the items they may return (see
// complexity.go), so a complexity limit on the server bounds the nodes a query can produce.
func New(deps Deps) graphql.ExecutableSchema {
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg := Config{Resolvers: &Resolver{integrations: deps.Integrations, log: log}}
	setComplexity(&cfg.Complexity)
	return NewExecutableSchema(cfg)
}
