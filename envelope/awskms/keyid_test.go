package awskms_test

import (
	"context"
	"errors"
	"testing"

	"github.com/confluence-graph/confluence-graph/envelope/awskms"
)

func TestOpenRefusesMalformedKeyIDs(t *testing.T) {
	for _, id := range []string{
		"confluence-graph",             // an alias without alias/
		"alias/",                       // no name
		"alias/has space",              // not an alias character
		"1234abcd-12ab-34cd-56ef-1234", // a cut-off UUID
		"arn:aws:kms:us-east-1:123:key/1234abcd-12ab-34cd-56ef-1234567890ab", // account id too short
		"arn:aws:s3:::bucket",
	} {
		_, err := awskms.Open(context.Background(), awskms.Config{KeyID: id})
		var kerr *awskms.KeyIDError
		if !errors.As(err, &kerr) || kerr.KeyID != id {
			t.Errorf("Open(%q) = %v, want a *KeyIDError naming it", id, err)
		}
	}
	for _, id := range []string{
		"1234abcd-12ab-34cd-56ef-1234567890ab",
		"mrk-1234abcd12ab34cd56ef1234567890ab",
		"alias/confluence-graph",
		"alias/team/confluence_graph-prod",
		"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/confluence-graph",
	} {
		if _, err := awskms.Open(context.Background(), awskms.Config{KeyID: id}); errors.As(err, new(*awskms.KeyIDError)) {
			t.Errorf("Open(%q) refused a well-formed key id: %v", id, err)
		}
	}
}
