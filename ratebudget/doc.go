// Package ratebudget is a request-rate budget shared through Redis by all
// replicas of the service, so that N replicas together send a tenant's
// Confluence site at most one budget's worth of requests, not N times it.
//
// A [Limiter] is a token bucket per key, kept in a Redis hash under
// Config.Prefix + key ("cg:rate:" + the site host by default) and updated
// atomically by one Lua script that reads the time with Redis TIME, so the
// replicas' clocks do not matter. It implements confluence.Limiter:
//
//	lim, err := ratebudget.New(redis.NewClient(opts), ratebudget.Config{Rate: 20, Burst: 50})
//	clientOpts.Limiter = lim
//
// The budget also carries what Confluence says about it, for all replicas:
// Pause (after a 429 with Retry-After) stops every grant for the key until
// the pause ends on the Redis clock, and SlowDown (a 429 or a near-limit
// answer) cuts the key's rate multiplicatively, after which it grows back
// additively to Config.Rate; the rate is stored in the same hash. Wait
// returns a *DelayError at once, instead of sleeping, when the next grant
// comes after its context's deadline.
//
// When Redis cannot be reached the Limiter fails open: it logs the outage
// once and limits each key with an in-process token bucket of the same rate
// and burst (so each replica alone keeps today's per-process limit) until
// Redis answers again, rather than failing every Confluence call.
package ratebudget
