// Package graph is the GraphQL adapter: the resolvers behind schema.graphqls (generated code in
// generated.go, federation.go and model/), the error presenter and the federation entities.
//
// Wiring happens once, in package app (the composition root): app builds the schema with
// graph.New(graph.Deps{Integrations, Logger}) and hands it to server.New, which installs
// graph.NewErrorPresenter(logger) and graph.NewRecover(logger) (the logger is required) and
// wraps the handler in loaders.Middleware with graph.SettingsSource as the loaders' source;
// per request, after authenticating the API key, graph.WithCaller(ctx, graph.Caller{...})
// on the context that reaches h. Without a caller every field fails with UNAUTHENTICATED;
// mutations need RoleAdmin (FORBIDDEN otherwise).
//
// Resolvers are one-line calls into helpers grouped by area (pages.go, spaces.go, search.go,
// content.go, entities.go, integrations.go); every Confluence read goes through the request's
// loaders, so sibling fields at one nesting level share one batched or concurrent round trip.
// Errors are typed where they arise and mapped to extensions.code in one place, errors.go.
//
// Regenerate with `go generate ./graph` (gqlgen is pinned as a Go tool); never edit the
// generated files.
package graph
