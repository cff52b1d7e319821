// The column encodings both dialects store the same way.

package sqlstore

import (
	"encoding/json"
	"fmt"

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
