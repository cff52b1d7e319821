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
//	labels of many pages        one CQL content search: id in (...) with metadata.labels
//	children of many pages      one CQL content search: parent in (...)
//	other per-page lists        one call per page, all pages concurrently
//
// List results prime the page loader, so a page listed once is not fetched again.
//
// Across requests, a Cache keeps immutable items (a page body at a version) until evicted by
// size, and metadata (pages, spaces, users) for a TTL. Every key starts with the tenant, and
// DropTenant forgets a tenant's entries.
package loaders
