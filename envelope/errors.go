package envelope

import (
	"errors"
	"fmt"
)

// ErrKeyServiceUnavailable means the key service could not do its part:
// unreachable or timed-out endpoint, throttling, missing credentials or
// permissions, or a missing or disabled master key. Nothing was encrypted or
// decrypted. The wrapping error names the endpoint and key id to check. The
// settings service maps it to ENCRYPTION_UNAVAILABLE.
var ErrKeyServiceUnavailable = errors.New("envelope: key service unavailable")

// ErrDecrypt means a blob cannot be opened with the given context: it was
// tampered with, belongs to another tenant, purpose or record, or was sealed
// under a different master key. Retrying does not help.
var ErrDecrypt = errors.New("envelope: cannot decrypt blob")

// ErrMalformed means a blob is truncated, has trailing bytes or a field of
// the wrong size. It matches [ErrDecrypt] too.
var ErrMalformed = fmt.Errorf("%w: malformed blob", ErrDecrypt)

// ErrUnsupportedVersion means a blob starts with a format version this
// package does not know. It matches [ErrMalformed] and [ErrDecrypt] too.
var ErrUnsupportedVersion = fmt.Errorf("%w: unsupported format version", ErrMalformed)

// ErrInvalidContext means a [Context] field is empty; nothing is sealed or
// opened without a full context.
var ErrInvalidContext = errors.New("envelope: invalid encryption context")
