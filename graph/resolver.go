//go:generate go tool gqlgen generate

package graph

import (
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// This file will not be regenerated automatically: it holds the resolver's dependencies.

// Resolver is the root of every resolver. It holds only dependencies; per-request state (the
// caller, the loaders) travels on the context. Build it with New.
type Resolver struct {
	integrations Integrations
	log          *slog.Logger
	now          func() time.Time
}

// Deps are the dependencies of the GraphQL layer. Every field may be zero.
type Deps struct {
	// Integrations serves confluenceIntegration and the four mutations; nil makes them fail with
	// INTERNAL ("integration settings are not configured").
	Integrations Integrations
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock (modifiedWithinDays in searchPages); nil means time.Now.
	Now func() time.Time
}

// New returns the executable schema the server wraps with handler.New. The server must also
// install ErrorPresenter (or NewErrorPresenter) and Recover, put the Caller on each request's
// context (WithCaller) and the request's loaders (loaders.Middleware or loaders.With).
func New(deps Deps) graphql.ExecutableSchema {
	return NewExecutableSchema(Config{Resolvers: newResolver(deps)})
}

func newResolver(deps Deps) *Resolver {
	r := &Resolver{integrations: deps.Integrations, log: deps.Logger, now: deps.Now}
	if r.log == nil {
		r.log = slog.Default()
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}
