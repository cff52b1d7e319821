package settings

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// Deployment is where a tenant's Confluence runs.
type Deployment string

// The deployments. Their values match the GraphQL ConfluenceDeployment enum in lower case.
const (
	// DeploymentCloud is Confluence Cloud (<site>.atlassian.net); "" reads as Cloud.
	DeploymentCloud Deployment = "cloud"
	// DeploymentDataCenter is a self-hosted Confluence Data Center (7.9 or later) reached at its
	// base URL with a personal access token.
	DeploymentDataCenter Deployment = "datacenter"
)

// CapServerVersion is the capability that reports a Data Center's version (OK with Detail the
// version, or not OK when the instance did not say).
const CapServerVersion = "SERVER_VERSION"

var baseURLField = []string{"input", "baseUrl"}

func baseURLError(code ErrorCode, msg string, hints ...string) UserError {
	if len(hints) == 0 {
		hints = []string{"Use the address you open Confluence at, with its context path, for example https://wiki.corp.example/confluence."}
	}
	return UserError{Field: baseURLField, Code: code, Message: msg, Hints: hints}
}

// normalizeBaseURL checks a Data Center base URL as typed: an absolute https URL (plain http
// only for the development host) without user, query or fragment, and not a Confluence Cloud
// site. It returns the URL without a trailing slash, and its host.
func normalizeBaseURL(raw, devHost string) (base, host string, ue *UserError) {
	s := strings.TrimSpace(raw)
	if s == "" {
		e := baseURLError(CodeInvalidDomain, "Enter the base URL of your Confluence Data Center.")
		return "", "", &e
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" || (u.Scheme != "https" && u.Scheme != "http") {
		e := baseURLError(CodeInvalidDomain, "The base URL must be an absolute https:// URL.")
		return "", "", &e
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		e := baseURLError(CodeInvalidDomain, "The base URL must not contain a user name, a query (?) or a fragment (#).")
		return "", "", &e
	}
	host = strings.ToLower(u.Host)
	if u.Scheme == "http" && !(devHost != "" && host == strings.ToLower(devHost)) {
		e := baseURLError(CodeDomainNotAllowed, "Confluence Data Center is connected over HTTPS only.")
		return "", "", &e
	}
	if h := u.Hostname(); strings.HasSuffix(strings.ToLower(strings.TrimSuffix(h, ".")), ".atlassian.net") {
		e := baseURLError(CodeDomainNotAllowed, h+" is a Confluence Cloud site, not Data Center.",
			"Choose the CLOUD deployment and give the site, for example acme.atlassian.net, with an Atlassian API token.")
		return "", "", &e
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.Host = host
	return u.String(), host, nil
}

// connectDataCenter is Connect for DeploymentDataCenter: the base URL is checked against the
// operator's host list, the personal access token validated there (validateDC) and stored
// only when it works.
func (s *Service) connectDataCenter(ctx context.Context, tenantID, actorKeyID string, in ConnectInput) (Result, error) {
	var errs []UserError
	base, host, ue := normalizeBaseURL(in.BaseURL, s.base.AllowedDevHost)
	if ue != nil {
		errs = append(errs, *ue)
	}
	email := ""
	if strings.TrimSpace(in.Email) != "" {
		e, ue := ValidateEmail(in.Email)
		if ue != nil {
			errs = append(errs, *ue)
		}
		email = e
	}
	token, ue := checkToken(in.APIToken)
	if ue != nil {
		ue.Message = strings.ReplaceAll(ue.Message, "Atlassian API token", "personal access token")
		ue.Hints = []string{"Create one in Confluence Data Center: your avatar, Settings, Personal Access Tokens, Create token."}
		errs = append(errs, *ue)
	}
	if len(errs) > 0 {
		return s.refuse(ctx, tenantID, actorKeyID, ActionConnect, "", errs...), nil
	}
	return s.connectValidated(ctx, tenantID, actorKeyID, ActionConnect, host, email, token, base, nil)
}

// newDCClient builds a Data Center client for base and pat from the Service's template, host
// list and CA bundle.
func (s *Service) newDCClient(base, pat string, validation bool) (*confluence.Client, error) {
	o := s.base
	o.DataCenter = &confluence.DataCenterOptions{BaseURL: base, PAT: pat, Hosts: s.dcHosts, RootCAs: s.dcCAs}
	return s.buildClient(o, validation, "confluence data center client")
}

// validateDC probes a personal access token at a Data Center base URL: who it is (user key and
// name), then every read capability through the v1 routes and CQL (probeV1), and the version
// (GET /rest/api/server-information). The error is validate's: only the service's own failures.
func (s *Service) validateDC(ctx context.Context, base, pat string) (validation, error) {
	var v validation
	u, err := url.Parse(base)
	if err != nil {
		return v, fmt.Errorf("settings: data center base URL: %w", err)
	}
	host := u.Hostname()
	c, err := s.newDCClient(base, pat, true)
	if errors.Is(err, confluence.ErrHostNotAllowed) {
		v.fail(baseURLError(CodeDomainNotAllowed, "The host "+host+" is not on this service's list of Confluence Data Center hosts.",
			"Ask the operator of this service to allow it (--allow-datacenter-host "+host+" or CG_ALLOW_DATACENTER_HOST)."), StatusUnreachable)
		return v, nil
	}
	if err != nil {
		return v, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	me := Capability{Name: CapReadMe}
	cur, _, err := c.Users.Current(ctx)
	if err != nil {
		return v, v.fatalDC(ctx, err, base)
	}
	me.OK = true
	v.accountID, v.accountName, v.tokenType, v.username = cur.ID(), cur.DisplayName, TokenClassic, cur.Username
	v.caps = append(v.caps, me)
	ok, err := v.probeV1(ctx, c)
	if err != nil || len(v.errs) > 0 {
		return v, err
	}
	if !ok {
		v.fail(UserError{Field: []string{"input", "apiToken"}, Code: CodeMissingScopes,
			Message: "The token's account cannot list spaces, read pages or run searches in Confluence Data Center.",
			Hints:   []string{"Give the account the 'Can use' global permission and view permission on the spaces to read, or use another account's token."}},
			StatusMissingScopes)
		return v, nil
	}
	ver := Capability{Name: CapServerVersion}
	if info, _, err := c.ServerInformation(ctx); err == nil && info.Version != "" {
		ver.OK, ver.Detail = true, "Confluence Data Center "+info.Version
		v.serverVersion = info.Version
	} else {
		ver.Detail = "the instance did not report its version (GET /rest/api/server-information)"
	}
	v.caps = append(v.caps, ver)
	v.deployment, v.baseURL = DeploymentDataCenter, base
	return v, nil
}

// fatalDC is fatal for a Data Center's first answer, with messages that name Data Center's fixes.
func (v *validation) fatalDC(ctx context.Context, err error, base string) error {
	var ce *confluence.Error
	switch {
	case errors.As(err, &ce) && ce.Code == "UNTRUSTED_CERTIFICATE":
		v.fail(baseURLError(CodeConnectionTimeout, "The Confluence Data Center certificate is not trusted by this service (self-signed or a private CA).",
			"Ask the operator of this service to give the CA bundle that signed it (--datacenter-ca-file or CG_DATACENTER_CA_FILE)."), StatusUnreachable)
	case errors.Is(err, confluence.ErrUnauthorized), errors.Is(err, confluence.ErrForbidden):
		ue := invalidCredentials("Confluence Data Center rejected the personal access token: it is wrong, expired or revoked.")
		ue.Hints = []string{"Create a new token in Confluence Data Center (your avatar, Settings, Personal Access Tokens) and connect again."}
		v.fail(ue, StatusInvalidCredentials)
	case errors.Is(err, confluence.ErrNotFound), errors.Is(err, confluence.ErrGone):
		v.fail(baseURLError(CodeSiteNotFound, "No Confluence Data Center REST API answers at "+base+".",
			"Include the context path if Confluence has one, for example https://wiki.corp.example/confluence (the address before /display/ or /pages/ in a page link)."), StatusUnreachable)
	case errors.Is(err, confluence.ErrHostNotAllowed):
		v.fail(baseURLError(CodeDomainNotAllowed, "The base URL's host resolves to an address this service may not connect to.",
			"Ask the operator of this service to allow the instance's network (--allow-datacenter-host with a CIDR)."), StatusUnreachable)
	default:
		if err := v.fatal(ctx, err); err != nil {
			return err
		}
		for i := range v.errs {
			if v.errs[i].Code == CodeConnectionTimeout || v.errs[i].Code == CodeSiteNotFound {
				v.errs[i].Field = baseURLField
				v.errs[i].Hints = []string{"Check the base URL, and that this service can reach the instance's network."}
			}
		}
	}
	return nil
}
