package settings

import (
	"context"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// warmClient pools the read client of rec, built from the plaintext token
// the caller just validated, and primes the token cache with it, so the tenant's first read on this replica
// finds its client ready: no token decrypt (a key-service call with a
// KMS), no client construction on the request path. It must be called
// after the record is stored and the tenant dropped (dropTenant); a client
// pooled meanwhile for the same or a newer credential version is kept.
// A client that cannot be built is not pooled (the first read builds it
// and reports the error).
func (s *Service) warmClient(ctx context.Context, rec *Integration, token string) {
	if rec == nil || rec.Status != StatusConnected {
		return
	}
	if p, err := s.tokens.Get(ctx, envelope.CacheKey{TenantID: rec.TenantID, Version: rec.CredentialVersion},
		func(context.Context) ([]byte, error) { return []byte(token), nil }); err == nil {
		clear(p)
	}
	s.pool.mu.Lock()
	gen := s.pool.gen[rec.TenantID]
	s.pool.mu.Unlock()
	c, err := s.recordClient(rec, token)
	if err != nil {
		return
	}
	s.pool.mu.Lock()
	defer s.pool.mu.Unlock()
	if s.pool.gen[rec.TenantID] != gen {
		return
	}
	if p, ok := s.pool.clients[rec.TenantID]; ok && p.version >= rec.CredentialVersion {
		return
	}
	s.pool.clients[rec.TenantID] = pooledClient{version: rec.CredentialVersion, client: c}
}
