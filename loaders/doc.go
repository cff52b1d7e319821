// Package loaders batches and caches the Confluence reads of one GraphQL request.
//
// A *Loaders is built per request (New, or Middleware for HTTP) and reached from resolvers with
// For(ctx). It is bound lazily to the tenant's Confluence through a Source: the source is called
// at most once, on the first upstream read, so a request that only touches the integration
// settings never needs a client, and a tenant without one gets ErrNotConnected per field.
//
// Every loader is key-aligned: the value for key i answers key i, and a key Confluence did not
// return gets a *NotFoundError for that key alone. Loads issued within Config.Wait of each other
// (sibling fields at one nesting level) are sent together, up to 250 keys per upstream call:
//
//	pages, page bodies          GET /wiki/api/v2/pages?id=...&limit=250[&body-format=storage]
//	spaces by id / key          GET /wiki/api/v2/spaces?ids=... / ?keys=...
//	users                       POST /wiki/api/v2/users-bulk
//	labels of many pages        one CQL content search: id in (...) with metadata.labels (100
//	                            pages a query); up to 50 pages ride on the details search below
//	children of many pages      one CQL content search: parent in (...) (with the children's
//	                            labels and positions), plus one bulk page read for child order
//	                            when the upstream does not report positions
//	comments, attachments       with an ExpandingUpstream (NewClientUpstream is one): one CQL
//	                            content search id in (...) with the children.comment /
//	                            children.attachment expansions, comment bodies and authors (50
//	                            pages a call); a page whose expanded collection is cut (more than
//	                            25 items) is read per page, so nothing is dropped; otherwise one
//	                            call per page (footer and inline at once)
//	versions                    one call per page (no bulk form); with bodies when asked
//	search                      one call per result page; with the hits' bodies when asked
//
// A batched (CQL) read that Confluence refuses (missing search scope, unsupported) falls back to
// the per-page endpoints; one it rate-limits or fails is reported, never fanned out.
//
// List results prime the page loader, so a page listed once is not fetched again; bodies that
// arrive with a search or a version list prime the body loader. A current body read in bulk
// (PagesWithBody, or Body for the current version) primes the page loader with the metadata
// that came with it, so a page wanted with its body costs one call, not two.
//
// The values are the GraphQL layer's entity types (graph/model, aliased here as Page, Space, ...):
// the upstream adapter maps the confluence client's answers into them once (client_map.go) and
// nothing converts them again. Keys are typed (BodyRequest, and one key struct per list kind);
// options travel in request structs (BodyRequest, VersionsRequest, SearchRequest, ...).
//
// Files: loaders.go (Config, the per-request Loaders, Middleware), batch.go (how a batch of keys
// becomes upstream calls), keys.go, one file per entity family (pages.go, bodies.go, spaces.go,
// users.go, labels.go, tree.go, comments.go, attachments.go, versions.go, search.go, details.go
// for the batched CQL read), cache.go, upstream.go (the Upstream interface the loaders consume),
// client.go and client_map.go (its implementation over *confluence.Client).
//
// Across requests, a Cache keeps immutable items (a page body at a version) until evicted by
// size, and metadata (pages, spaces, users) for a TTL. Every key names the tenant and the
// tenant's generation; DropTenant forgets a tenant's entries and starts a new generation, so a
// request that was running across a credential change cannot refill the cache with what it read
// under the old credential.
package loaders
