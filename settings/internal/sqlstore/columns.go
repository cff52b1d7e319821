// The column encodings both dialects store the same way.

package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

// encodeCapabilities returns the JSON the capabilities column holds; nil
// is stored as an empty array, never as null.
func encodeCapabilities(c []settings.Capability) ([]byte, error) {
	if c == nil {
		c = []settings.Capability{}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode capabilities: %w", err)
	}
	return b, nil
}

// decodeCapabilities reads the capabilities column; an empty array reads
// back as nil, so a record round-trips unchanged.
func decodeCapabilities(b []byte) ([]settings.Capability, error) {
	var c []settings.Capability
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode capabilities: %w", err)
	}
	if len(c) == 0 {
		return nil, nil
	}
	return c, nil
}

// storedPolicy is the JSON of the read_policy column.
type storedPolicy struct {
	AllowedSpaces  []string `json:"allowedSpaces,omitempty"`
	ExcludedLabels []string `json:"excludedLabels,omitempty"`
}

// encodeReadPolicy returns the JSON the read_policy column holds; the
// empty policy is "{}".
func encodeReadPolicy(p readpolicy.Policy) ([]byte, error) {
	b, err := json.Marshal(storedPolicy(p))
	if err != nil {
		return nil, fmt.Errorf("encode read policy: %w", err)
	}
	return b, nil
}

// decodeReadPolicy reads the read_policy column; empty lists read back as
// nil, so a record round-trips unchanged.
func decodeReadPolicy(b []byte) (readpolicy.Policy, error) {
	var p storedPolicy
	if err := json.Unmarshal(b, &p); err != nil {
		return readpolicy.Policy{}, fmt.Errorf("decode read policy: %w", err)
	}
	if len(p.AllowedSpaces) == 0 {
		p.AllowedSpaces = nil
	}
	if len(p.ExcludedLabels) == 0 {
		p.ExcludedLabels = nil
	}
	return readpolicy.Policy(p), nil
}

// secretHash reads an API key's stored SHA-256; id names the key in the
// error when the stored value has the wrong length.
func secretHash(id string, b []byte) ([32]byte, error) {
	var h [32]byte
	if len(b) != len(h) {
		return h, fmt.Errorf("api key %s: stored secret hash has %d bytes", id, len(b))
	}
	copy(h[:], b)
	return h, nil
}
