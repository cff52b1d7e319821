package awskms

import (
	"errors"

	"github.com/aws/smithy-go"
)

// apiCode returns the KMS error code of err, or "" if KMS did not answer.
func apiCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
