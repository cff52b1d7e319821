package settings

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// Capability names, matching the GraphQL CapabilityName enum.
const (
	CapReadMe          = "READ_ME"
	CapReadSpaces      = "READ_SPACES"
	CapReadPages       = "READ_PAGES"
	CapSearch          = "SEARCH"
	CapReadComments    = "READ_COMMENTS"
	CapReadAttachments = "READ_ATTACHMENTS"
	CapReadLabels      = "READ_LABELS"
)

// Scopes a scoped token needs for each capability, as the
// x-atlassian-oauth2-scopes of Atlassian's Confluence REST API
// specifications list them (a scope is fixed when the token is created).
// search:confluence is a classic scope, not a read:* one, and is the one
// most often missing.
const (
	ScopeReadUser       = "read:confluence-user"
	ScopeReadSpace      = "read:space:confluence"
	ScopeReadPage       = "read:page:confluence"
	ScopeSearch         = "search:confluence"
	ScopeReadComment    = "read:comment:confluence"
	ScopeReadAttachment = "read:attachment:confluence"
)

// probe is one capability check: a cheap read that needs one scope.
type probe struct {
	name     string
	scope    string
	required bool // the integration is not stored without it
	what     string
	run      func(ctx context.Context, c *confluence.Client, pageID string) error
}

// callErr is the error of a probe's call: a probe asks only whether the call is answered, not
// what it returns.
func callErr[T any](_ T, _ *confluence.Response, err error) error { return err }

// pageProbes need a visible page id; they run only when READ_PAGES found one.
var (
	baseProbes = []probe{
		{name: CapReadSpaces, scope: ScopeReadSpace, required: true, what: "list spaces",
			run: func(ctx context.Context, c *confluence.Client, _ string) error {
				return callErr(c.Spaces.List(ctx, &confluence.SpaceListOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
			}},
		// READ_PAGES is run by validate itself, to learn a page id.
		{name: CapSearch, scope: ScopeSearch, required: true, what: "run CQL search",
			run: func(ctx context.Context, c *confluence.Client, _ string) error {
				return callErr(c.Search.CQL(ctx, &confluence.SearchOptions{CQL: "type = page", Limit: 1, Excerpt: "none"}))
			}},
	}
	pageProbes = []probe{
		{name: CapReadComments, scope: ScopeReadComment, what: "read comments",
			run: func(ctx context.Context, c *confluence.Client, id string) error {
				return callErr(c.Comments.ListFooter(ctx, id, &confluence.CommentListOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
			}},
		{name: CapReadAttachments, scope: ScopeReadAttachment, what: "read attachments",
			run: func(ctx context.Context, c *confluence.Client, id string) error {
				return callErr(c.Attachments.ListForPage(ctx, id, &confluence.AttachmentListOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
			}},
		{name: CapReadLabels, scope: ScopeReadPage, what: "read labels",
			run: func(ctx context.Context, c *confluence.Client, id string) error {
				return callErr(c.Labels.ListForPage(ctx, id, &confluence.LabelListOptions{ListOptions: confluence.ListOptions{Limit: 1}}))
			}},
	}
)

// validation is the outcome of probing one credential.
type validation struct {
	tokenType   TokenType
	cloudID     string
	accountID   string
	accountName string
	caps        []Capability
	missing     []string // required scopes the token lacks
	// status is what to store; "" means the validation could not decide
	// (rate limited), so the previous status stands.
	status Status
	errs   []UserError
	// readPath is the read path the probes chose ("" : v2; see probeV1).
	readPath ReadPath
	// deployment, baseURL and serverVersion are set by validateDC.
	deployment    Deployment
	baseURL       string
	serverVersion string
	username      string // the Data Center username, stored as Email when none was given
}

// applyTo copies what the validation learnt into rec.
func (v *validation) applyTo(rec *Integration) {
	if v.tokenType != "" {
		rec.TokenType = v.tokenType
	}
	if v.cloudID != "" {
		rec.CloudID = v.cloudID
	}
	if v.accountID != "" {
		rec.AccountID, rec.AccountName = v.accountID, v.accountName
	}
	if v.caps != nil {
		rec.Capabilities = v.caps
	}
	if v.status != "" {
		rec.ReadPath = cmp.Or(v.readPath, ReadPathV2)
	}
	if v.deployment != "" {
		rec.Deployment, rec.BaseURL = v.deployment, v.baseURL
		if rec.Email == "" {
			rec.Email = v.username
		}
		if v.serverVersion != "" {
			rec.ServerVersion = v.serverVersion
		}
	}
}

func (v *validation) missingDetail() string {
	if len(v.missing) == 0 {
		return ""
	}
	return " missing=" + strings.Join(v.missing, ",")
}

// validate probes the credential. known, when not nil, is the stored record
// whose token type and cloudId route the calls (Test); otherwise the token
// type is detected (site first, gateway on the site's 401). The error is
// non-nil only for failures of the service itself (bad client template,
// cancelled context); everything Confluence answers becomes v.errs.
func (s *Service) validate(ctx context.Context, site, email, token string, known *Integration) (validation, error) {
	var v validation
	tt, cloudID := TokenType(""), ""
	if known != nil {
		tt, cloudID = known.TokenType, known.CloudID
	}
	c, err := s.newClient(site, email, token, tt, cloudID, true)
	if err != nil {
		if errors.Is(err, confluence.ErrHostNotAllowed) {
			ue := domainError(CodeDomainNotAllowed, "Only Atlassian Cloud sites (<your-site>.atlassian.net) can be connected.")
			v.fail(*ue, StatusUnreachable)
			return v, nil
		}
		return v, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()

	// Who is this? The first call also settles the routing.
	me := Capability{Name: CapReadMe, RequiredScope: ScopeReadUser}
	u, _, err := c.Users.Current(ctx)
	switch {
	case err == nil:
		me.OK = true
		v.accountID, v.accountName = u.AccountID, u.DisplayName
		v.tokenType = fromClientType(c.TokenType())
	case errors.Is(err, confluence.ErrScopeMismatch):
		// Only the gateway checks scopes: the token is scoped and valid.
		me.Detail = "the token lacks " + ScopeReadUser
		v.tokenType = TokenScoped
	default:
		return v, v.fatal(ctx, err)
	}
	if v.tokenType == TokenScoped {
		v.cloudID = c.CloudID()
		if c.TokenType() != confluence.TokenScoped {
			// Route the remaining probes straight to the gateway.
			if c, err = s.newClient(site, email, token, TokenScoped, v.cloudID, true); err != nil {
				return v, err
			}
		}
	}
	v.caps = append(v.caps, me)

	// Pages first, to learn a page id for the per-page probes.
	pagesCap := Capability{Name: CapReadPages, RequiredScope: ScopeReadPage}
	var pageID string
	pages, _, err := c.Pages.List(ctx, &confluence.PageListOptions{ListOptions: confluence.ListOptions{Limit: 1}})
	if errors.Is(err, confluence.ErrScopeMismatch) {
		// v2 refuses the token's scopes: classic ones may read through v1 (readpath.go).
		if ok, err := v.probeV1(ctx, c); ok || err != nil {
			return v, err
		}
	}
	if ok, err := v.record(ctx, &pagesCap, true, err); err != nil {
		return v, err
	} else if !ok && len(v.errs) > 0 {
		return v, nil
	}
	if pagesCap.OK && len(pages) > 0 {
		pageID = pages[0].ID
	}
	for _, p := range baseProbes {
		cp := Capability{Name: p.name, RequiredScope: p.scope}
		ok, err := v.record(ctx, &cp, p.required, p.run(ctx, c, ""))
		if err != nil {
			return v, err
		}
		if !ok && len(v.errs) > 0 {
			return v, nil
		}
		if p.name == CapReadSpaces {
			v.caps = append(v.caps, cp, pagesCap)
			continue
		}
		v.caps = append(v.caps, cp)
	}
	if pageID != "" {
		for _, p := range pageProbes {
			cp := Capability{Name: p.name, RequiredScope: p.scope}
			ok, err := v.record(ctx, &cp, false, p.run(ctx, c, pageID))
			if err != nil {
				return v, err
			}
			if !ok && len(v.errs) > 0 {
				return v, nil
			}
			v.caps = append(v.caps, cp)
		}
	}
	if err := v.runMoreProbes(ctx, c, pageID); err != nil || len(v.errs) > 0 {
		return v, err
	}

	if len(v.missing) > 0 {
		hints := make([]string, 0, len(v.missing)+1)
		for _, sc := range v.missing {
			hints = append(hints, "Add the scope "+sc+" ("+scopeUse(sc)+").")
		}
		hints = append(hints, "Scopes are fixed when a token is created: create a new scoped API token with these scopes, then connect again.")
		v.fail(UserError{Field: []string{"input", "apiToken"}, Code: CodeMissingScopes,
			Message: "The token lacks scopes this service needs: " + strings.Join(v.missing, ", ") + ".",
			Hints:   hints}, StatusMissingScopes)
		return v, nil
	}
	v.status = StatusConnected
	return v, nil
}

// record classifies one probe's error into cp. It returns ok=false when the
// probe failed; when the failure is not about this capability (rejected
// credentials, timeout, rate limit) it also sets v.errs and the caller
// stops probing.
func (v *validation) record(ctx context.Context, cp *Capability, required bool, err error) (bool, error) {
	switch {
	case err == nil:
		cp.OK = true
		return true, nil
	case errors.Is(err, confluence.ErrScopeMismatch):
		cp.Detail = "the token lacks " + cp.RequiredScope
		if required && !slices.Contains(v.missing, cp.RequiredScope) {
			v.missing = append(v.missing, cp.RequiredScope)
		}
		return false, nil
	case errors.Is(err, confluence.ErrNotFound) && !required:
		// A per-page list answered 404 for a page we just listed: the scope
		// check passed (the gateway checks scopes first), so count it.
		cp.OK = true
		return true, nil
	case errors.Is(err, confluence.ErrForbidden) && !required:
		cp.Detail = "the account is not allowed to " + capWhat(cp.Name)
		return false, nil
	}
	return false, v.fatal(ctx, err)
}

// fatal turns an error that ends the validation into a user error, or
// returns it when it is the caller's own cancellation.
func (v *validation) fatal(ctx context.Context, err error) error {
	var (
		rl  *confluence.RateLimitError
		dns *net.DNSError
	)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded):
		return err
	case errors.Is(err, confluence.ErrUnauthorized), errors.Is(err, confluence.ErrForbidden):
		msg := "Confluence rejected the email and API token."
		if errors.Is(err, confluence.ErrScopedTokenOnSite) {
			msg = "The site rejected the token, and it could not be tried through the Atlassian API gateway."
		}
		v.fail(invalidCredentials(msg), StatusInvalidCredentials)
	case errors.As(err, &rl):
		secs := int(math.Ceil(rl.RetryAfter.Seconds()))
		hint := "Wait a minute and try again."
		if secs > 0 {
			hint = fmt.Sprintf("Wait %d seconds and try again.", secs)
		}
		v.fail(UserError{Code: CodeRateLimited, Message: "Confluence rate-limited the validation requests.",
			Hints: []string{hint}}, "")
	case errors.Is(err, confluence.ErrRateLimited):
		v.fail(UserError{Code: CodeRateLimited, Message: "Confluence rate-limited the validation requests.",
			Hints: []string{"Wait a minute and try again."}}, "")
	case errors.Is(err, confluence.ErrHostNotAllowed):
		ue := domainError(CodeDomainNotAllowed, "The domain resolves to an address this service may not connect to.")
		v.fail(*ue, StatusUnreachable)
	case errors.As(err, &dns) && dns.IsNotFound, errors.Is(err, confluence.ErrNotFound), errors.Is(err, confluence.ErrGone):
		ue := domainError(CodeSiteNotFound, "No Confluence Cloud site answers at this domain.")
		ue.Hints = []string{"Verify your domain: copy the host from your Confluence URL, for example acme.atlassian.net."}
		v.fail(*ue, StatusUnreachable)
	case errors.Is(err, confluence.ErrTimeout), errors.Is(err, confluence.ErrUnavailable),
		errors.Is(err, context.DeadlineExceeded), errors.As(err, &dns):
		ue := domainError(CodeConnectionTimeout, "Confluence did not answer in time (or the connection failed).")
		ue.Hints = []string{
			"Verify your domain: copy the host from your Confluence URL, for example acme.atlassian.net.",
			"If the domain is right, Confluence may be down or slow: try again in a few minutes.",
		}
		v.fail(*ue, StatusUnreachable)
	default:
		return fmt.Errorf("settings: validate credentials: %w", err)
	}
	return nil
}

func (v *validation) fail(ue UserError, st Status) {
	v.errs = append(v.errs, ue)
	v.status = st
}

func fromClientType(t confluence.TokenType) TokenType {
	if t == confluence.TokenScoped {
		return TokenScoped
	}
	return TokenClassic
}

func scopeUse(scope string) string {
	switch scope {
	case ScopeSearch:
		return "needed to search; it is not a read:* scope"
	case ScopeReadSpace:
		return "needed to list spaces"
	case ScopeReadPage:
		return "needed to read pages"
	case ScopeReadUser:
		return "needed to read the current user"
	default:
		return "needed by this service"
	}
}

func capWhat(name string) string {
	for _, p := range slices.Concat(baseProbes, pageProbes, morePageProbes, siteProbes) {
		if p.name == name {
			return p.what
		}
	}
	if name == CapReadPages {
		return "read pages"
	}
	return "do this"
}
