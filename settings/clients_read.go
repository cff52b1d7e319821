package settings

import (
	"context"
	"strings"

	"github.com/confluence-graph/confluence-graph/confluence"

	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// ReadClient is a tenant's pooled Confluence client with what the stored
// integration says about its credential.
type ReadClient struct {
	Client *confluence.Client
	// CredentialVersion is ClientVersion's version.
	CredentialVersion int64
	// TokenType is the stored token type.
	TokenType TokenType
	// Capabilities are the capabilities probed at the last validation
	// (a copy), in probe order.
	Capabilities []Capability
	// ReadPath is the read path decided when the credential was validated
	// (ReadPathV2 for records validated before read paths were stored).
	ReadPath ReadPath
	// ReadPolicy is the stored read policy (a copy): what the tenant's
	// reads may return. Read with the credential on every request, so a
	// policy set on any replica applies from the next request on.
	ReadPolicy readpolicy.Policy
}

// ReadClient is ClientVersion with the stored token type and capabilities,
// from the same record read, so the read path can route around what the
// token cannot do. Errors are Client's.
func (s *Service) ReadClient(ctx context.Context, tenantID string) (ReadClient, error) {
	c, rec, err := s.client(ctx, tenantID)
	if err != nil {
		return ReadClient{}, err
	}
	rp := rec.ReadPath
	if rp != ReadPathV1 {
		rp = ReadPathV2
	}
	// rec is this call's own copy (Store: returned records are fresh copies owned by the
	// caller), so its capabilities and policy are handed on without another copy.
	return ReadClient{Client: c, CredentialVersion: rec.CredentialVersion, TokenType: rec.TokenType,
		Capabilities: rec.Capabilities, ReadPolicy: rec.ReadPolicy, ReadPath: rp}, nil
}

// HierarchyFallback reports what the capabilities say about the page tree
// routes: noHierarchy when the v2 direct-children and descendants probe
// failed for a missing scope, noAncestors likewise for v2 ancestors.
func HierarchyFallback(caps []Capability) (noHierarchy, noAncestors bool) {
	for _, c := range caps {
		if !c.lacksScope() {
			continue
		}
		switch c.Name {
		case CapReadHierarchy:
			noHierarchy = true
		case CapReadAncestors:
			noAncestors = true
		}
	}
	return noHierarchy, noAncestors
}

// lacksScope reports a capability whose probe was refused for a missing
// scope (the gateway's 401 scope mismatch).
func (c Capability) lacksScope() bool {
	return !c.OK && strings.HasPrefix(c.Detail, "the token lacks")
}
