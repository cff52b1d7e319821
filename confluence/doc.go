// Package confluence is a read-only client for the Confluence Cloud REST
// API (v2 for pages, spaces, labels, versions, comments, attachments and
// users; v1 for CQL search, the current user and attachment downloads).
//
// # Use
//
//	c, err := confluence.NewClient(confluence.Options{
//		Site:      "acme.atlassian.net",
//		Email:     "bot@acme.com",
//		Token:     token,
//		TokenType: confluence.TokenAuto, // classic on the site, scoped through the gateway
//	})
//	if err != nil {
//		return err
//	}
//	page, _, err := c.Pages.Get(ctx, "123", &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage})
//	switch {
//	case errors.Is(err, confluence.ErrNotFound):
//		// missing, or not visible to this account
//	case errors.Is(err, confluence.ErrUnauthorized):
//		// ErrCredentialsRejected, ErrScopeMismatch or ErrScopedTokenOnSite say why
//	}
//	for row, err := range c.Search.CQLIter(ctx, &confluence.SearchOptions{CQL: `type = page AND label = "runbook"`}) {
//		...
//	}
//
// # Routing
//
// Classic API tokens use https://{site}/wiki/...; scoped tokens go through
// {gateway}/ex/confluence/{cloudId}/wiki/..., with the cloudId read from
// the site's /_edge/tenant_info. TokenAuto tries the site and falls back to
// the gateway on the site's 401; Client.TokenType reports which worked.
// Next links are resolved against whichever base is in use.
//
// # Pagination
//
// List methods return one page and a *Response whose NextCursor feeds the
// next call's Cursor option; every list also has an ...Iter method
// returning iter.Seq2[T, error] that follows next links until Confluence
// sends none.
//
// # Errors
//
// Upstream failures are *Error (matching ErrNotFound, ErrUnauthorized and
// its causes, ErrForbidden, ErrTimeout, ErrUnavailable, ErrGone ...),
// *RateLimitError (ErrRateLimited, with RetryAfter) or *CQLError
// (ErrInvalidCQL, with Confluence's message). Errors name the route
// pattern, never a URL, and never contain credentials. A canceled context
// returns context.Canceled.
//
// # Safety and resilience
//
// The transport sends only GET, HEAD and the read-only POSTs (users-bulk,
// convert-ids-to-types); anything else fails with ErrWriteRefused before a
// byte is sent. Hosts must be https *.atlassian.net, the gateway or an
// Atlassian media host (downloads), except one plain-HTTP loopback
// Options.AllowedDevHost for the simulator; every connection is checked
// again at dial time against private, loopback, link-local, CGNAT and
// metadata addresses. No proxy is taken from the environment; bodies are
// capped. Reads are retried on 429/502/503/504 and network errors with
// exponential backoff, full jitter and Retry-After as a minimum, within a
// retry budget and the call's deadline; a circuit breaker per client
// (site) opens on 5xx and network failures, not on 4xx; a rate limiter and
// a concurrency limit apply per client (Options.Limiter replaces the rate
// limiter with one shared between clients and replicas, keyed by site);
// identical concurrent GETs share one request.
package confluence
