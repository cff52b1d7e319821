package envelope

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Encryption context keys. They hold opaque identifiers only: AWS logs the
// context in clear in CloudTrail.
const (
	ContextTenantID = "tenant_id"
	ContextPurpose  = "purpose"
	ContextRecordID = "record_id"
)

// Context binds a blob to what it protects. All three fields are required
// and must be identical on Encrypt and Decrypt (case-sensitive). They are not
// secret and must not contain names or emails.
type Context struct {
	TenantID string // opaque tenant id
	Purpose  string // e.g. "confluence-api-token"
	RecordID string // id of the row the blob is stored in
}

// Map returns the context as the key-value map passed to the key service.
func (c Context) Map() map[string]string {
	return map[string]string{
		ContextTenantID: c.TenantID,
		ContextPurpose:  c.Purpose,
		ContextRecordID: c.RecordID,
	}
}

func (c Context) validate() error {
	for _, f := range [...]struct{ name, v string }{
		{ContextTenantID, c.TenantID}, {ContextPurpose, c.Purpose}, {ContextRecordID, c.RecordID},
	} {
		if f.v == "" {
			return fmt.Errorf("%w: %s is empty", ErrInvalidContext, f.name)
		}
	}
	return nil
}

// EncodeContext returns the canonical encoding of an encryption context:
// pairs sorted by key, each key and value preceded by its length as a
// uvarint. Equal maps give equal bytes and distinct maps distinct bytes, so
// it is fit to be authenticated as associated data.
func EncodeContext(m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(m[k])))
		b = append(b, m[k]...)
	}
	return b
}
