package sqlstore

import (
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

// The integration row is read on every GraphQL request and its JSON columns (capabilities, read
// policy) rarely change, so their decoded values are kept by their stored text: the same text
// decodes to the same value. Callers get their own copies.

// decodeMemoSize bounds each memo (distinct stored texts; a tenant has one of each at a time).
const decodeMemoSize = 4096

var (
	capsMemo, _   = lru.New[string, []settings.Capability](decodeMemoSize)
	policyMemo, _ = lru.New[string, readpolicy.Policy](decodeMemoSize)
)

// decodeCapabilitiesMemo is decodeCapabilities through the memo.
func decodeCapabilitiesMemo(b []byte) ([]settings.Capability, error) {
	if c, ok := capsMemo.Get(string(b)); ok {
		return settings.CloneCapabilities(c), nil
	}
	c, err := decodeCapabilities(b)
	if err != nil {
		return nil, err
	}
	capsMemo.Add(string(b), settings.CloneCapabilities(c))
	return c, nil
}

// decodeReadPolicyMemo is decodeReadPolicy through the memo.
func decodeReadPolicyMemo(b []byte) (readpolicy.Policy, error) {
	if p, ok := policyMemo.Get(string(b)); ok {
		return p.Clone(), nil
	}
	p, err := decodeReadPolicy(b)
	if err != nil {
		return readpolicy.Policy{}, err
	}
	policyMemo.Add(string(b), p.Clone())
	return p, nil
}
