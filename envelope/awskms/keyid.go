package awskms

import (
	"fmt"
	"regexp"
)

// keyIDForms are the ways AWS KMS lets a caller name a key for encryption
// (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id):
// a key id (a UUID, or mrk- and 32 hex digits for a multi-Region key), a key
// ARN, an alias name (alias/ then letters, digits, '/', '_' or '-', at most
// 256 characters in all) or an alias ARN.
var keyIDForms = regexp.MustCompile(`^(?:` +
	`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}` +
	`|mrk-[0-9a-fA-F]{32}` +
	`|alias/[a-zA-Z0-9/_-]{1,250}` +
	`|arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(?:key/(?:[0-9a-fA-F-]{36}|mrk-[0-9a-fA-F]{32})|alias/[a-zA-Z0-9/_-]{1,250})` +
	`)$`)

// KeyIDError reports a key id that is none of the forms KMS accepts; it is
// returned at start, before any call, so a typo is not found on the first
// connect.
type KeyIDError struct{ KeyID string }

func (e *KeyIDError) Error() string {
	return fmt.Sprintf("awskms: %q is not a KMS key id, key ARN, alias (alias/NAME) or alias ARN", e.KeyID)
}

// checkKeyID returns a *KeyIDError unless id has one of keyIDForms.
func checkKeyID(id string) error {
	if !keyIDForms.MatchString(id) {
		return &KeyIDError{KeyID: id}
	}
	return nil
}
