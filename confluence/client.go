package confluence

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"

	"github.com/sony/gobreaker/v2"
	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"
)

// Client is a read-only Confluence Cloud REST client for one site and one
// set of credentials (one tenant). It is safe for concurrent use; create
// one per tenant and reuse it, since its rate limiter, concurrency limit,
// circuit breaker and request de-duplication are per Client.
//
// The API groups hang off the Client as services, in the style of
// go-github: c.Pages.Get, c.Spaces.List, c.Search.CQL, ...
type Client struct {
	opts     Options
	site     string   // normalised site host
	siteBase *url.URL // scheme://site
	gateway  *url.URL // gateway base (scheme://host[/prefix])
	http     *http.Client
	auth     string // Authorization header value; never logged

	mu      sync.Mutex
	mode    TokenType // resolved routing; TokenAuto until known
	dc      bool      // Options.DataCenter: siteBase is the instance base URL
	cloudID string

	cloudIDGroup singleflight.Group
	reads        singleflight.Group
	breaker      *gobreaker.CircuitBreaker[*rawResponse]
	limiter      *rate.Limiter
	aimd         *aimd   // adapts limiter's rate; nil when fixed or unlimited
	shared       Limiter // Options.Limiter; replaces limiter when non-nil
	pause        pauseGate
	sem          *semaphore.Weighted
	budget       *retryBudget

	common service

	Attachments *AttachmentsService
	BlogPosts   *BlogPostsService
	Comments    *CommentsService
	Content     *ContentService
	Labels      *LabelsService
	Pages       *PagesService
	Search      *SearchService
	Spaces      *SpacesService
	Tree        *TreeService
	Users       *UsersService
	Versions    *VersionsService
}

type service struct {
	client *Client
}

// NewClient validates opts and returns a Client. It sends nothing.
//
// Errors: Site not a *.atlassian.net host (nor AllowedDevHost), a
// non-https gateway other than AllowedDevHost, a non-loopback
// AllowedDevHost, or missing credentials. Host errors match
// ErrHostNotAllowed.
func NewClient(opts Options) (*Client, error) {
	opts.applyDefaults()
	if opts.DataCenter != nil {
		return newDataCenterClient(opts)
	}
	if opts.Email == "" || opts.Token == "" {
		return nil, fmt.Errorf("confluence: email and token are required")
	}
	if opts.TokenType < TokenAuto || opts.TokenType > TokenScoped {
		return nil, fmt.Errorf("confluence: unknown token type %d", opts.TokenType)
	}
	var guard dialGuard
	devHost := strings.ToLower(opts.AllowedDevHost)
	if devHost != "" {
		ap, err := validateDevHost(devHost)
		if err != nil {
			return nil, err
		}
		guard.dev = ap
	}
	c := &Client{opts: opts}
	if devHost != "" && strings.ToLower(opts.Site) == devHost {
		c.site = devHost
		c.siteBase = &url.URL{Scheme: "http", Host: devHost}
	} else {
		site, err := NormalizeSite(opts.Site)
		if err != nil {
			return nil, err
		}
		c.site = site
		c.siteBase = &url.URL{Scheme: "https", Host: site}
	}
	gw, err := url.Parse(opts.GatewayURL)
	if err != nil || gw.Host == "" || gw.User != nil || gw.RawQuery != "" || gw.Fragment != "" {
		return nil, fmt.Errorf("%w: gateway URL %q", ErrHostNotAllowed, opts.GatewayURL)
	}
	gw.Host = strings.ToLower(gw.Host)
	gw.Path = strings.TrimSuffix(gw.Path, "/")
	if !(gw.Scheme == "https" || (gw.Scheme == "http" && gw.Host == devHost && devHost != "")) {
		return nil, fmt.Errorf("%w: gateway URL %q must be https", ErrHostNotAllowed, opts.GatewayURL)
	}
	if _, err := netip.ParseAddr(gw.Hostname()); err == nil && gw.Host != devHost {
		return nil, fmt.Errorf("%w: gateway URL %q must name a host, not an address", ErrHostNotAllowed, opts.GatewayURL)
	}
	c.gateway = gw
	if opts.CloudID != "" {
		if err := validateCloudID(opts.CloudID); err != nil {
			return nil, err
		}
		c.cloudID = opts.CloudID
	}
	c.mode = opts.TokenType

	base := opts.Transport
	if base == nil {
		base = newBaseTransport(guard)
	}
	if opts.Tracer != nil {
		base = opts.Tracer.Transport(base)
	}
	gwHost := gw.Hostname()
	c.http = &http.Client{
		Transport: &guardTransport{
			next:    base,
			devHost: devHost,
			hostOK: func(host string) bool {
				host = strings.ToLower(host)
				return host == c.site || host == gwHost || mediaHost(host)
			},
		},
		// Redirects are never followed automatically: the read endpoints do
		// not redirect, and downloads follow theirs by hand without
		// credentials (attachments.go).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(opts.Email+":"+opts.Token))
	return c.init(), nil
}

// init builds the limits, breaker and services shared by both deployments.
func (c *Client) init() *Client {
	opts := c.opts
	c.shared = opts.Limiter
	c.limiter = rate.NewLimiter(rate.Inf, 0)
	if opts.RateLimit > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), opts.RateBurst)
		if !opts.RateFixed {
			c.aimd = newAIMD(opts.RateLimit, opts.RateMin, opts.RateRecovery)
		}
	}
	c.sem = semaphore.NewWeighted(int64(opts.MaxConcurrency))
	c.budget = newRetryBudget(opts.RetryBudgetRatio, opts.RetryBudgetMax)
	c.breaker = newBreaker(c.site, opts)

	c.common.client = c
	c.Attachments = (*AttachmentsService)(&c.common)
	c.BlogPosts = (*BlogPostsService)(&c.common)
	c.Comments = (*CommentsService)(&c.common)
	c.Content = (*ContentService)(&c.common)
	c.Labels = (*LabelsService)(&c.common)
	c.Pages = (*PagesService)(&c.common)
	c.Search = (*SearchService)(&c.common)
	c.Spaces = (*SpacesService)(&c.common)
	c.Tree = (*TreeService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Versions = (*VersionsService)(&c.common)
	return c
}

// String describes the client without credentials.
func (c *Client) String() string {
	return fmt.Sprintf("confluence.Client{site:%s tokenType:%s}", c.site, c.TokenType())
}

// Site returns the normalised site host the client was built for.
func (c *Client) Site() string { return c.site }

// WikiURL is the site's wiki base URL, such as "https://acme.atlassian.net/wiki"
// (plain http only for the allowed development host). It is what Confluence's
// _links.base names, so callers can make relative links absolute before any
// response has told them the base.
// On Data Center it is the base URL with its context path.
func (c *Client) WikiURL() string {
	if c.dc {
		return c.siteBase.String()
	}
	return c.siteBase.String() + "/wiki"
}

// TokenType reports the routing in use: TokenClassic (site host) or
// TokenScoped (gateway). For a client created with TokenAuto it returns
// TokenAuto until a request has succeeded on one of them, then the one
// that worked.
func (c *Client) TokenType() TokenType {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// CloudID returns the site's cloudId once known (from Options.CloudID or
// the tenant_info lookup), else "".
func (c *Client) CloudID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cloudID
}

// BreakerState returns the site's circuit breaker state: "closed",
// "half-open" or "open".
func (c *Client) BreakerState() string { return c.breaker.State().String() }

func validateCloudID(id string) error {
	if len(id) < 8 || len(id) > 64 {
		return fmt.Errorf("confluence: invalid cloudId %q", id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("confluence: invalid cloudId %q", id)
		}
	}
	return nil
}

// gatewayBase returns {gateway}/ex/confluence/{cloudId}, looking the
// cloudId up once if needed.
func (c *Client) gatewayBase(ctx context.Context) (*url.URL, error) {
	id := c.CloudID()
	if id == "" {
		info, err := c.TenantInfo(ctx)
		if err != nil {
			return nil, err
		}
		id = info.CloudID
	}
	u := *c.gateway
	u.Path = c.gateway.Path + "/ex/confluence/" + id
	return &u, nil
}

// pathID escapes one id for a URL path, refusing ids that would change
// the path's shape with an *Error matching ErrNotFound (no such object can
// exist).
func pathID(id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\\?#%") {
		return "", &Error{Code: "INVALID_ID", Message: fmt.Sprintf("invalid id %q", id), kind: ErrNotFound}
	}
	return url.PathEscape(id), nil
}
