package loaders

import (
	"errors"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// ErrUnsupported is returned by an Upstream for an optional capability it lacks.
var ErrUnsupported = errors.New("loaders: not supported by this upstream")

// ErrNotConnected means the tenant has no Confluence integration. A Source returns an error
// matching it (errors.Is) for such a tenant; the GraphQL layer reports NOT_CONNECTED.
var ErrNotConnected = errors.New("loaders: confluence is not connected for this tenant")

// ErrNoLoaders is returned by the helpers when the context carries no *Loaders (a wiring bug).
var ErrNoLoaders = errors.New("loaders: no loaders on the context")

// NotFoundError is the per-key error of a key Confluence did not return. It matches
// confluence.ErrNotFound through errors.Is.
type NotFoundError struct {
	Kind string // "page", "space", "user", "version", ...
	Key  string
}

func (e *NotFoundError) Error() string { return "loaders: " + e.Kind + " " + e.Key + " not found" }

// Is matches confluence.ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == confluence.ErrNotFound }

// canFallBack reports whether a failed batched (CQL) read may be retried through the per-page
// endpoints: yes when the batched form itself is refused (unsupported, a token without the
// search scope, CQL Confluence rejects, a removed endpoint); no when Confluence is rate limiting,
// failing or slow, where fanning out into per-page calls would only add load.
func canFallBack(err error) bool {
	return errors.Is(err, ErrUnsupported) || errors.Is(err, confluence.ErrInvalidCQL) ||
		errors.Is(err, confluence.ErrUnauthorized) || errors.Is(err, confluence.ErrForbidden) ||
		errors.Is(err, confluence.ErrGone) || errors.Is(err, confluence.ErrNotFound)
}
