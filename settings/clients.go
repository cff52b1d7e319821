package settings

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/envelope"
)

// clientPool holds one *confluence.Client per tenant, for the tenant's
// current credential version. gen counts drops per tenant, so a client
// built from a record read before a drop is never pooled after it.
type clientPool struct {
	mu      sync.Mutex
	clients map[string]pooledClient
	gen     map[string]uint64
	// decryptAudited is when a decrypt failure of the tenant was last
	// audited: while the key service is down every request fails, and the
	// audit log gets one event per decryptAuditEvery, not one per request.
	decryptAudited map[string]time.Time
}

// decryptAuditEvery spaces the audit events of repeated decrypt failures.
const decryptAuditEvery = time.Minute

// shouldAuditDecrypt reports whether a decrypt failure of tenantID at now
// should be audited, and if so records it.
func (p *clientPool) shouldAuditDecrypt(tenantID string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if last, ok := p.decryptAudited[tenantID]; ok {
		if d := now.Sub(last); d >= 0 && d < decryptAuditEvery {
			return false
		}
	}
	p.decryptAudited[tenantID] = now
	return true
}

type pooledClient struct {
	version int64
	client  *confluence.Client
}

func (p *clientPool) init() {
	p.clients = make(map[string]pooledClient)
	p.gen = make(map[string]uint64)
	p.decryptAudited = make(map[string]time.Time)
}

// Client returns the tenant's Confluence client for the read API: the
// stored record, its token decrypted through the token cache (keyed by
// tenant and credential version; concurrent cold misses share one
// decrypt), and a client pooled per tenant and credential version, so its
// rate limiter, breaker and de-duplication are shared by all requests.
// A credential change (new version) gets a new client.
//
// Errors: ErrNotConnected (wrapped) when the tenant has no integration;
// when the token cannot be opened (audited as integration.decrypt), one
// wrapping both ErrEncryptionUnavailable and
// envelope.ErrKeyServiceUnavailable while the key service is down, else
// one wrapping envelope.ErrDecrypt; store and context errors as they are.
// The GraphQL error presenter must report ErrNotConnected as
// NOT_CONNECTED and ErrEncryptionUnavailable as ENCRYPTION_UNAVAILABLE.
func (s *Service) Client(ctx context.Context, tenantID string) (*confluence.Client, error) {
	c, _, err := s.ClientVersion(ctx, tenantID)
	return c, err
}

// ClientVersion is Client that also returns the credential version the
// client reads with (Integration.CredentialVersion of the record read for
// this call), so a caller can key what it caches by credential: the
// version grows with every new token and never repeats for a tenant, even
// across Disconnect. Errors are Client's.
func (s *Service) ClientVersion(ctx context.Context, tenantID string) (*confluence.Client, int64, error) {
	c, rec, err := s.client(ctx, tenantID)
	if err != nil {
		return nil, 0, err
	}
	return c, rec.CredentialVersion, nil
}

// client is ClientVersion returning the stored record the client was
// built or found for.
func (s *Service) client(ctx context.Context, tenantID string) (*confluence.Client, *Integration, error) {
	rec, err := s.store.GetIntegration(ctx, tenantID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: tenant %q", ErrNotConnected, tenantID)
	}
	if err != nil {
		return nil, nil, err
	}
	s.pool.mu.Lock()
	if p, ok := s.pool.clients[tenantID]; ok && p.version == rec.CredentialVersion {
		s.pool.mu.Unlock()
		return p.client, rec, nil
	}
	gen := s.pool.gen[tenantID]
	s.pool.mu.Unlock()

	token, err := s.token(ctx, rec)
	if err != nil {
		if ctx.Err() == nil && s.pool.shouldAuditDecrypt(tenantID, s.now()) {
			s.audit(ctx, tenantID, "", ActionDecrypt, OutcomeFailure,
				fmt.Sprintf("credential_version=%d unavailable=%t", rec.CredentialVersion, errors.Is(err, envelope.ErrKeyServiceUnavailable)))
		}
		if errors.Is(err, envelope.ErrKeyServiceUnavailable) {
			return nil, nil, fmt.Errorf("%w: tenant %q: %w", ErrEncryptionUnavailable, tenantID, err)
		}
		return nil, nil, fmt.Errorf("settings: open token of tenant %q: %w", tenantID, err)
	}
	c, err := s.recordClient(rec, string(token))
	clear(token)
	if err != nil {
		return nil, nil, err
	}

	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.gen[tenantID] != gen {
		// Dropped while we built it: serve this caller, pool nothing.
		return c, rec, nil
	}
	if p, ok := s.pool.clients[tenantID]; ok && p.version >= rec.CredentialVersion {
		if p.version == rec.CredentialVersion {
			return p.client, rec, nil
		}
		return c, rec, nil
	}
	s.pool.clients[tenantID] = pooledClient{version: rec.CredentialVersion, client: c}
	return c, rec, nil
}

// token returns the plaintext token of rec through the token cache. The
// caller owns (and should clear) the returned slice.
func (s *Service) token(ctx context.Context, rec *Integration) ([]byte, error) {
	blob := rec.EncryptedToken
	return s.tokens.Get(ctx, envelope.CacheKey{TenantID: rec.TenantID, Version: rec.CredentialVersion},
		func(ctx context.Context) ([]byte, error) {
			return s.sealer.Decrypt(ctx, blob, TokenContext(rec.TenantID))
		})
}

// dropTenant forgets everything cached for tenantID: decrypted tokens, the
// pooled client and every TenantCache.
func (s *Service) dropTenant(tenantID string) {
	s.pool.mu.Lock()
	delete(s.pool.clients, tenantID)
	s.pool.gen[tenantID]++
	s.pool.mu.Unlock()
	s.tokens.Drop(tenantID)
	for _, c := range s.tenantCaches {
		c.DropTenant(tenantID)
	}
}

// newClient builds a client from the template for one credential. For
// validation the call timeout is the validation timeout.
func (s *Service) newClient(site, email, token string, tt TokenType, cloudID string, validation bool) (*confluence.Client, error) {
	o := s.base
	o.Site, o.Email, o.Token, o.CloudID = site, email, token, cloudID
	switch tt {
	case TokenClassic:
		o.TokenType = confluence.TokenClassic
	case TokenScoped:
		o.TokenType = confluence.TokenScoped
	default:
		o.TokenType = confluence.TokenAuto
	}
	return s.buildClient(o, validation, "confluence client")
}

// buildClient builds a client from o, the Service's template filled in for one credential; for
// validation the call timeout is the validation timeout. A failure is wrapped as "settings:
// what: ...".
func (s *Service) buildClient(o confluence.Options, validation bool, what string) (*confluence.Client, error) {
	if validation {
		o.CallTimeout = s.timeout
	}
	c, err := confluence.NewClient(o)
	if err != nil {
		return nil, fmt.Errorf("settings: %s: %w", what, err)
	}
	return c, nil
}

// recordClient builds the read client of a stored record with its token: Data Center's or
// Cloud's, as the record's deployment says.
func (s *Service) recordClient(rec *Integration, token string) (*confluence.Client, error) {
	if rec.Deployment == DeploymentDataCenter {
		return s.newDCClient(rec.BaseURL, token, false)
	}
	return s.newClient(rec.Domain, rec.Email, token, rec.TokenType, rec.CloudID, false)
}
