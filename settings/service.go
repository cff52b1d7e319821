package settings

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// Audit actions recorded by the Service.
const (
	ActionConnect    = "integration.connect"
	ActionUpdate     = "integration.update"
	ActionTest       = "integration.test"
	ActionDisconnect = "integration.disconnect"
	// ActionDecrypt is recorded when a stored token cannot be opened for
	// the read API (key service down, corrupt blob).
	ActionDecrypt = "integration.decrypt"
)

// TokenPurpose is the purpose in the encryption context of a sealed
// Confluence token.
const TokenPurpose = "confluence-api-token"

// DefaultValidationTimeout bounds the Confluence calls of one validation
// (Connect, Update, Test) when ServiceConfig.ValidationTimeout is zero.
const DefaultValidationTimeout = 20 * time.Second

// TokenContext is the encryption context a tenant's token is sealed with:
// {tenant_id, purpose "confluence-api-token", record_id "integrations/<tenant>"}
// (the integrations row is keyed by tenant).
func TokenContext(tenantID string) envelope.Context {
	return envelope.Context{TenantID: tenantID, Purpose: TokenPurpose, RecordID: "integrations/" + tenantID}
}

// Sealer encrypts and decrypts tokens; *envelope.Envelope implements it.
// Errors must wrap envelope.ErrKeyServiceUnavailable when the key service
// cannot be used (the Service reports ENCRYPTION_UNAVAILABLE then).
type Sealer interface {
	Encrypt(ctx context.Context, plaintext []byte, c envelope.Context) ([]byte, error)
	Decrypt(ctx context.Context, blob []byte, c envelope.Context) ([]byte, error)
}

// TenantCache is a cache with per-tenant entries that must be forgotten when
// the tenant's credential changes or is deleted. *loaders.Cache (the GraphQL
// cross-request cache) implements it.
type TenantCache interface {
	DropTenant(tenantID string)
}

// ServiceConfig configures NewService. Store and Sealer are required; every
// other zero value means the default stated on the field.
type ServiceConfig struct {
	// Store persists integrations and the audit log.
	Store Store
	// Sealer encrypts tokens before they reach the Store.
	Sealer Sealer
	// TokenCache keeps decrypted tokens in process, keyed by tenant and
	// credential version. Nil means envelope.NewCache with defaults.
	TokenCache *envelope.Cache
	// Client is the template of every Confluence client the Service
	// builds: GatewayURL, AllowedDevHost (the one plain-HTTP loopback
	// host, e.g. the simulator's "127.0.0.1:9090"; empty in production),
	// limits, timeouts and hooks. Its Site, Email, Token, TokenType and
	// CloudID are ignored (each tenant's record supplies them).
	Client confluence.Options
	// ValidationTimeout bounds the Confluence calls of one validation.
	// Zero means DefaultValidationTimeout.
	ValidationTimeout time.Duration
	// TenantCaches are dropped for a tenant on Disconnect and whenever its
	// credential changes (Connect, Update with a new token).
	TenantCaches []TenantCache
	// Now is the clock for LastValidatedAt. Nil means time.Now.
	Now func() time.Time
	// Logger receives one secret-free line per change or failed
	// validation, and audit-write failures. Nil means slog.Default().
	Logger *slog.Logger
	// DataCenterHosts are the Confluence Data Center hosts tenants may
	// connect (--allow-datacenter-host); nil or empty: none.
	DataCenterHosts *confluence.HostAllowList
	// DataCenterRootCAs verifies Data Center certificates (system roots plus
	// --datacenter-ca-file); nil: the system roots.
	DataCenterRootCAs *x509.CertPool
}

// Service connects tenants to Confluence: it validates credentials against
// Confluence before storing them encrypted, re-validates and deletes them,
// records every change and failed validation in the audit log, and hands
// the read API a pooled *confluence.Client per tenant (Client).
//
// A Service is safe for concurrent use. Changes to one tenant (Connect,
// Update, Test, Disconnect) are serialized within the process. Across
// replicas (services sharing a database) every change is written with its
// audit event in one transaction, and a change computed from a stored
// record is compare-and-set on the record's revision: it never writes over
// a newer record (see Update and Test).
type Service struct {
	store        Store
	sealer       Sealer
	tokens       *envelope.Cache
	base         confluence.Options
	timeout      time.Duration
	tenantCaches []TenantCache
	now          func() time.Time
	log          *slog.Logger

	dcHosts *confluence.HostAllowList
	dcCAs   *x509.CertPool

	locks [64]sync.Mutex // per-tenant change locks, by hash
	pool  clientPool
}

// NewService returns a Service. It fails when Store or Sealer is nil or
// the client template's GatewayURL or AllowedDevHost is not acceptable to
// confluence.NewClient. It contacts nothing.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Store == nil || cfg.Sealer == nil {
		return nil, errors.New("settings: NewService needs a Store and a Sealer")
	}
	s := &Service{
		store:        cfg.Store,
		sealer:       cfg.Sealer,
		tokens:       cfg.TokenCache,
		base:         cfg.Client,
		timeout:      cfg.ValidationTimeout,
		tenantCaches: cfg.TenantCaches,
		now:          cfg.Now,
		log:          cfg.Logger,
		dcHosts:      cfg.DataCenterHosts,
		dcCAs:        cfg.DataCenterRootCAs,
	}
	if s.tokens == nil {
		s.tokens = envelope.NewCache(envelope.CacheOptions{})
	}
	if s.timeout <= 0 {
		s.timeout = DefaultValidationTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	// Check the template once with placeholder credentials, so a bad
	// gateway URL or dev host fails at start, not at the first connect.
	probe := s.base
	probe.Site, probe.Email, probe.Token = "example.atlassian.net", "probe@example.com", "probe"
	probe.TokenType, probe.CloudID = confluence.TokenAuto, ""
	if _, err := confluence.NewClient(probe); err != nil {
		return nil, fmt.Errorf("settings: client options: %w", err)
	}
	s.pool.init()
	return s, nil
}

// Get returns the tenant's integration without its encrypted token, or an
// error wrapping ErrNotConnected when it has none.
func (s *Service) Get(ctx context.Context, tenantID string) (*Integration, error) {
	rec, err := s.store.GetIntegration(ctx, tenantID)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: tenant %q", ErrNotConnected, tenantID)
	}
	if err != nil {
		return nil, err
	}
	return public(rec), nil
}

// Connect validates in against Confluence and, only when the credential
// works and may search, stores it encrypted as the tenant's integration
// (replacing any previous one), drops the tenant's caches and returns it.
//
// Validation: the domain (NormalizeDomain) and email (ValidateEmail); the
// token type (site host first; on the site's 401 the gateway with the
// cloudId from /_edge/tenant_info); the capabilities READ_ME, READ_SPACES,
// READ_PAGES, SEARCH (required: spaces, pages, search) and, when a page is
// visible, READ_COMMENTS, READ_ATTACHMENTS, READ_LABELS.
//
// Expected failures come back as Result.UserErrors with nothing written:
// INVALID_DOMAIN, DOMAIN_NOT_ALLOWED, INVALID_EMAIL, TOKEN_REQUIRED,
// INVALID_CREDENTIALS, MISSING_SCOPES, SITE_NOT_FOUND, CONNECTION_TIMEOUT,
// RATE_LIMITED, ENCRYPTION_UNAVAILABLE (CONFLICT only from Update). A
// successful Connect replaces whatever is stored at the time it writes
// (it depends on nothing stored); its audit event is written in the same
// transaction. The error is non-nil only for a
// failure of the service itself (store, cancelled context). Every outcome
// is audited with actorKeyID.
func (s *Service) Connect(ctx context.Context, tenantID, actorKeyID string, in ConnectInput) (Result, error) {
	unlock, err := s.lockTenant(tenantID)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	if in.Deployment == DeploymentDataCenter {
		return s.connectDataCenter(ctx, tenantID, actorKeyID, in)
	}

	var errs []UserError
	site, ue := NormalizeDomain(in.Domain, s.base.AllowedDevHost)
	if ue != nil {
		if !strings.Contains(strings.ToLower(in.Domain), "atlassian.net") {
			ue.Hints = append(ue.Hints, "For a self-hosted Confluence Data Center choose the DATA_CENTER deployment and give its base URL, for example https://wiki.corp.example/confluence.")
		}
		errs = append(errs, *ue)
	}
	email, ue := ValidateEmail(in.Email)
	if ue != nil {
		errs = append(errs, *ue)
	}
	token, ue := checkToken(in.APIToken)
	if ue != nil {
		errs = append(errs, *ue)
	}
	if len(errs) > 0 {
		return s.refuse(ctx, tenantID, actorKeyID, ActionConnect, "", errs...), nil
	}
	return s.connectValidated(ctx, tenantID, actorKeyID, ActionConnect, site, email, token, "", nil)
}

// connectValidated validates a well-formed credential and stores it when it
// works. base is the stored record the change was computed from (Update),
// nil when it depends on nothing stored (Connect); the write is refused
// with CONFLICT when base changed meanwhile in a way the change depended
// on (see sameCredential). The caller holds the tenant lock.
//
// dcBase, when not empty, is a Data Center base URL: the credential is then a
// personal access token validated there (site is the base URL's host).
func (s *Service) connectValidated(ctx context.Context, tenantID, actorKeyID, action, site, email, token, dcBase string, base *Integration) (Result, error) {
	detail := fmt.Sprintf("domain=%s token_hint=%s", site, tokenHint(token))
	var v validation
	var err error
	if dcBase != "" {
		v, err = s.validateDC(ctx, dcBase, token)
	} else {
		v, err = s.validate(ctx, site, email, token, nil)
	}
	if err != nil {
		s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, detail+" error=validation")
		return Result{}, err
	}
	if len(v.errs) > 0 {
		s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, detail+" codes="+codesString(v.errs)+v.missingDetail())
		return Result{UserErrors: v.errs}, nil
	}
	rec := &Integration{
		TenantID:        tenantID,
		Domain:          site,
		Email:           email,
		TokenHint:       tokenHint(token),
		Status:          StatusConnected,
		LastValidatedAt: s.stamp(),
	}
	v.applyTo(rec)
	blob, err := s.sealer.Encrypt(ctx, []byte(token), TokenContext(tenantID))
	if err != nil {
		if errors.Is(err, envelope.ErrKeyServiceUnavailable) {
			res := s.refuse(ctx, tenantID, actorKeyID, action, detail, encryptionUnavailable())
			s.log.ErrorContext(ctx, "settings: key service unavailable; nothing stored", "tenant_id", tenantID, "action", action, "err", err)
			return res, nil
		}
		s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, detail+" error=encrypt")
		return Result{}, fmt.Errorf("settings: encrypt token: %w", err)
	}
	rec.EncryptedToken = blob
	ev := event(tenantID, actorKeyID, action, OutcomeSuccess, fmt.Sprintf("%s token_type=%s", detail, rec.TokenType))
	var reapply func(fresh *Integration) *Integration
	if base != nil {
		rec.Revision, rec.ReadPolicy = base.Revision, base.ReadPolicy
		reapply = func(fresh *Integration) *Integration {
			if !sameCredential(base, fresh) {
				return nil
			}
			r := rec.Clone()
			r.Revision, r.ReadPolicy = fresh.Revision, fresh.ReadPolicy
			return r
		}
	} else if reapply, err = s.keepPolicy(ctx, rec); err != nil {
		s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, detail+" error=store")
		return Result{}, fmt.Errorf("settings: read stored integration: %w", err)
	}
	rec, err = s.write(ctx, rec, ev, reapply)
	if errors.Is(err, errChanged) {
		return s.refuse(ctx, tenantID, actorKeyID, action, detail, conflict()), nil
	}
	if err != nil {
		s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, detail+" error=store")
		return Result{}, fmt.Errorf("settings: store integration: %w", err)
	}
	s.dropTenant(tenantID)
	s.warmClient(ctx, rec, token)
	s.log.InfoContext(ctx, "settings: integration stored", "tenant_id", tenantID, "action", action,
		"domain", site, "token_type", string(rec.TokenType), "credential_version", rec.CredentialVersion, "revision", rec.Revision)
	return Result{Integration: public(rec)}, nil
}

// Update changes the tenant's stored integration. A new token is validated
// like Connect and stored only when it works. A domain or email that
// differs from the stored one needs a new token (TOKEN_REQUIRED otherwise),
// since a token is never sent to a site or paired with an account it was
// not validated for. An input that changes nothing returns the stored
// integration without writing. A tenant with no integration gets
// NOT_CONNECTED. On failure the stored integration is unchanged and
// Result.Integration is nil. Errors and auditing are as for Connect.
//
// When the stored integration changes while the new token is validated
// (on another replica): the update is applied to the fresh record if its
// site, email and credential are the ones the update started from (only
// its validation status moved); otherwise (another token, a disconnect)
// nothing is written and the result has CONFLICT.
func (s *Service) Update(ctx context.Context, tenantID, actorKeyID string, in UpdateInput) (Result, error) {
	cur, unlock, refused, err := s.lockCurrent(ctx, tenantID, actorKeyID, ActionUpdate)
	if cur == nil {
		return refused, err
	}
	defer unlock()

	var errs []UserError
	site, email := cur.Domain, cur.Email
	if in.Domain != nil {
		d, ue := NormalizeDomain(*in.Domain, s.base.AllowedDevHost)
		if ue != nil {
			errs = append(errs, *ue)
		}
		site = d
	}
	if in.Email != nil {
		e, ue := ValidateEmail(*in.Email)
		if ue != nil {
			errs = append(errs, *ue)
		}
		email = e
	}
	var token string
	if in.APIToken != nil {
		t, ue := checkToken(*in.APIToken)
		if ue != nil {
			errs = append(errs, *ue)
		}
		token = t
	}
	if len(errs) == 0 && token == "" {
		if site == cur.Domain && email == cur.Email {
			return Result{Integration: public(cur)}, nil
		}
		errs = append(errs, UserError{Field: []string{"input", "apiToken"}, Code: CodeTokenRequired,
			Message: "A new domain or email needs a new API token.",
			Hints:   []string{"Enter the API token of the account and site you are switching to; the stored token is only used with the site and email it was validated for."}})
	}
	if len(errs) > 0 {
		return s.refuse(ctx, tenantID, actorKeyID, ActionUpdate, "", errs...), nil
	}
	dcBase := ""
	if cur.Deployment == DeploymentDataCenter {
		dcBase = cur.BaseURL
	}
	return s.connectValidated(ctx, tenantID, actorKeyID, ActionUpdate, site, email, token, dcBase, cur)
}

// keepPolicy makes a Connect that replaces a stored integration keep its
// read policy: rec takes the stored policy and revision, and the returned
// reapply takes a fresher record's (or, when it was deleted meanwhile, none:
// the Connect then writes whatever is stored at the time, as before).
func (s *Service) keepPolicy(ctx context.Context, rec *Integration) (func(fresh *Integration) *Integration, error) {
	prev, err := s.store.GetIntegration(ctx, rec.TenantID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec.Revision, rec.ReadPolicy = prev.Revision, prev.ReadPolicy
	return func(fresh *Integration) *Integration {
		r := rec.Clone()
		r.Revision, r.ReadPolicy = 0, readpolicy.Policy{}
		if fresh != nil {
			r.Revision, r.ReadPolicy = fresh.Revision, fresh.ReadPolicy
		}
		return r
	}, nil
}

// audit appends an event; a failure to append is logged, not returned,
// since the change it describes has already happened or been refused.
func (s *Service) audit(ctx context.Context, tenantID, actorKeyID, action, outcome, detail string) {
	e := event(tenantID, actorKeyID, action, outcome, detail)
	if err := s.store.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		s.log.ErrorContext(ctx, "settings: audit append failed", "tenant_id", tenantID, "action", action, "outcome", outcome, "err", err)
	}
}

// event is an audit event of the Service: action and outcome are the
// Service's constants, detail the facts it formats, bounded.
func event(tenantID, actorKeyID, action, outcome, detail string) *AuditEvent {
	return &AuditEvent{TenantID: tenantID, ActorKeyID: actorKeyID, Action: action, Outcome: outcome,
		Detail: BoundAuditDetail(detail)}
}

// refuse audits action as failed with the codes of errs (after detail when it is not "") and
// returns errs as the result's user errors.
func (s *Service) refuse(ctx context.Context, tenantID, actorKeyID, action, detail string, errs ...UserError) Result {
	codes := "codes=" + codesString(errs)
	if detail != "" {
		codes = detail + " " + codes
	}
	s.audit(ctx, tenantID, actorKeyID, action, OutcomeFailure, codes)
	return Result{UserErrors: errs}
}

// lockTenant takes the change lock of tenantID (see lock); an empty
// tenant id is an error wrapping ErrInvalid.
func (s *Service) lockTenant(tenantID string) (unlock func(), err error) {
	if tenantID == "" {
		return nil, fmt.Errorf("%w: empty tenant id", ErrInvalid)
	}
	return s.lock(tenantID), nil
}

// lockCurrent takes the tenant's change lock and reads its stored
// integration, for a change to it. When the integration is nil the lock is
// already released and the caller returns the result and error:
// NOT_CONNECTED (audited as action) for a tenant with none, else the
// failure (an empty tenant id, the store's). Otherwise the caller must
// call unlock.
func (s *Service) lockCurrent(ctx context.Context, tenantID, actorKeyID, action string) (cur *Integration, unlock func(), refused Result, err error) {
	unlock, err = s.lockTenant(tenantID)
	if err != nil {
		return nil, nil, Result{}, err
	}
	cur, err = s.store.GetIntegration(ctx, tenantID)
	if errors.Is(err, ErrNotFound) {
		refused = s.refuse(ctx, tenantID, actorKeyID, action, "", notConnected())
		unlock()
		return nil, nil, refused, nil
	}
	if err != nil {
		unlock()
		return nil, nil, Result{}, err
	}
	return cur, unlock, Result{}, nil
}

// lock takes the change lock of tenantID and returns its release.
func (s *Service) lock(tenantID string) func() {
	h := fnv.New32a()
	h.Write([]byte(tenantID))
	m := &s.locks[h.Sum32()%uint32(len(s.locks))]
	m.Lock()
	return m.Unlock
}

// stamp is the current time as the store keeps it.
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// public returns a copy of rec without the encrypted token.
func public(rec *Integration) *Integration {
	out := rec.Clone()
	out.EncryptedToken = nil
	return out
}

func notConnected() UserError {
	return UserError{Code: CodeNotConnected, Message: "Confluence is not connected for this tenant.",
		Hints: []string{"Connect it first with your site, email and API token."}}
}

func encryptionUnavailable() UserError {
	return UserError{Code: CodeEncryptionUnavailable,
		Message: "The key service that encrypts tokens is unavailable; nothing was stored.",
		Hints:   []string{"Try again in a few minutes; if it persists, ask the operator to check the KMS key and its permissions."}}
}
