// Package confluencetest is an in-memory Confluence Cloud site for tests,
// benchmarks and the demo: the "httptest" of the confluence client.
//
// NewServer starts one on a random loopback port; Start listens on a given
// address (the `confluence-graph sim` command). The server answers the read
// API of Confluence Cloud (REST v2, https://developer.atlassian.com/cloud/confluence/rest/v2/,
// and the v1 search and content calls the client uses), in site mode
// (URL()+"/wiki/...") and gateway mode (URL()+"/ex/confluence/{cloudId}/wiki/..."),
// with Basic auth, classic and scoped tokens, v2 cursor pagination (Link
// header and _links.next), the documented error bodies, v1 CQL search (through
// package cql) and rate-limit headers. Datasets: "demo" (an SRE knowledge
// base) and "bench" (generated from a seed). Seed loads more content, from Go
// or as POST /__sim/seed.
//
// Every Confluence request is counted by route pattern (Stats, Count) so
// tests can assert exact upstream call counts. Write methods are answered
// 405 and counted in Stats.Writes. The /__sim/ control endpoints (stats,
// seed, latency, rate limit, faults) are neither authenticated nor counted.
//
// Where Atlassian documents nothing and no capture of a live site is known,
// the simulator chooses, and says so here:
//
//   - Cursors are opaque base64url JSON holding an offset; a malformed cursor
//     is 400 INVALID_REQUEST_PARAMETER.
//   - More than 250 ids (or 100 space-ids) is 400 INVALID_REQUEST_PARAMETER
//     with the same title pattern as the limit error ("Provided size {251}
//     for 'id' is greater than the max allowed: 250").
//   - A v2 list without more results still sends Link with rel="base" only.
//   - The 429 body is {"statusCode":429,"message":...}; RateLimit-Reason is
//     confluence-burst-based; X-RateLimit-Limit is the per-second rate.
//   - v1 search and content search silently cap limit at 250 (50 with a body
//     expansion, 25 with body.export_view or body.styled_view).
//   - Expanded children.page / children.comment / children.attachment hold
//     at most 25 items (with _links.next when more exist); metadata.labels
//     at most 200. As on Cloud, children.comment (and v1 child/comment) of a
//     page lists its top-level comments only, footer and inline; a comment's
//     children.comment lists its direct replies. Every comment carries
//     extensions.location ("footer" or "inline"); inline selection and
//     resolution only with the extensions.inlineProperties and
//     extensions.resolution expansions, ancestors (parent comments, root
//     first) only with the ancestors expansion. v1 child/comment caps limit
//     at 100; location=inline lists every inline comment, location=resolved
//     the resolved ones.
//   - Search without ORDER BY ranks a text search (text, title or
//     siteSearch ~) by relevance, a Lucene-classic score with title matches
//     boosted (cql's Query.SortRelevance); other searches, and ties, sort by
//     lastModified descending, then id descending. Archived and trashed
//     pages are not indexed.
//     Paging runs over the whole index and drops what the account may not
//     see afterwards, so a page of results can be short (even empty) and
//     still have a next link, as on Cloud.
//   - totalSize over-estimates: the visible total plus 1/40 of the results
//     not yet returned.
//   - Rate-limit buckets refill by the server clock (WithClock): a frozen
//     clock never refills them.
//   - Attachment download (v1 .../child/attachment/{id}/download) answers 302
//     to the simulator's own media path /media/file/{id}/binary?token=...,
//     which rejects requests carrying an Authorization header.
//   - The view body format is a simple HTML rendering of storage format.
//   - A scoped token may search with search:confluence or
//     read:content-details:confluence; the demo "scoped-nosearch" account
//     holds neither. The demo "scoped-nohier" account lacks
//     read:hierarchical-content:confluence and read:folder:confluence
//     (CONFCLOUD-82041); POST /__sim/scopes changes an account's scopes.
//   - Bad or revoked credentials give the v2 bare 404 and the v1 403 bodies
//     on both hosts.
//
// All Server methods are safe for concurrent use.
package confluencetest
