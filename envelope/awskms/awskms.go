// Package awskms is an envelope.KeyService backed by AWS KMS through
// aws-sdk-go-v2/service/kms: GenerateDataKey (AES_256) and Decrypt with the
// key id and encryption context, and DescribeKey for Ping.
//
// [Open] uses the SDK's standard configuration chain (AWS_REGION,
// credentials, shared config), so AWS_ENDPOINT_URL_KMS redirects it to
// another endpoint (such as nsmithuk/local-kms) unless Config.Endpoint is
// set; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables that.
package awskms

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// Defaults for the zero fields of [Config].
const (
	DefaultTimeout     = 5 * time.Second
	DefaultMaxAttempts = 3
	DefaultMaxBackoff  = time.Second
)

// Config configures [Open].
type Config struct {
	// KeyID is the KMS key id, ARN, alias name ("alias/...") or alias ARN
	// used for GenerateDataKey and Ping. Required.
	KeyID string
	// Endpoint, if set, overrides the endpoint from the environment or
	// shared config (for example "http://127.0.0.1:4599"). Empty means the
	// standard chain decides (AWS_ENDPOINT_URL_KMS, then the region's
	// public endpoint).
	Endpoint string
	// Timeout bounds each HTTP attempt, connection included.
	// Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxAttempts bounds attempts per call (1 = no retries).
	// Zero means DefaultMaxAttempts.
	MaxAttempts int
	// MaxBackoff caps the jittered delay between attempts.
	// Zero means DefaultMaxBackoff.
	MaxBackoff time.Duration
	// LoadOptions are extra options for config.LoadDefaultConfig, such as
	// config.WithRegion or config.WithCredentialsProvider. They are applied
	// after the timeout and retry options above, so they can replace them.
	LoadOptions []func(*config.LoadOptions) error
}

// KeyService is an envelope.KeyService over one KMS key. It is safe for
// concurrent use.
type KeyService struct {
	client   *kms.Client
	keyID    string
	endpoint string // for error messages
}

var _ envelope.KeyService = (*KeyService)(nil)

// Open loads the standard AWS configuration and returns a KeyService for
// cfg.KeyID. It does not contact KMS; call Ping for that. It fails when
// cfg.KeyID is empty or the configuration cannot be loaded.
func Open(ctx context.Context, cfg Config) (*KeyService, error) {
	if cfg.KeyID == "" {
		return nil, errors.New("awskms: key id is required")
	}
	if err := checkKeyID(cfg.KeyID); err != nil {
		return nil, err
	}
	timeout := cmpOr(cfg.Timeout, DefaultTimeout)
	attempts := cmpOr(cfg.MaxAttempts, DefaultMaxAttempts)
	backoff := cmpOr(cfg.MaxBackoff, DefaultMaxBackoff)
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(awshttp.NewBuildableClient().WithTimeout(timeout)),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = backoff
			})
		}),
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, append(opts, cfg.LoadOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("awskms: load AWS configuration: %w", err)
	}
	client := kms.NewFromConfig(awsCfg, func(o *kms.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	return New(client, cfg.KeyID), nil
}

// New returns a KeyService that uses client and keyID as they are.
func New(client *kms.Client, keyID string) *KeyService {
	endpoint := "the default endpoint of region " + client.Options().Region
	if ep := client.Options().BaseEndpoint; ep != nil {
		endpoint = *ep
	}
	return &KeyService{client: client, keyID: keyID, endpoint: endpoint}
}

// Endpoint describes where requests go: the configured base endpoint, or
// the region's default endpoint.
func (s *KeyService) Endpoint() string { return s.endpoint }

// GenerateDataKey calls KMS GenerateDataKey with KeySpec AES_256 and encCtx.
// The returned KeyID is the key ARN KMS reports. Every error wraps
// envelope.ErrKeyServiceUnavailable and names the endpoint and key id.
func (s *KeyService) GenerateDataKey(ctx context.Context, encCtx map[string]string) (envelope.DataKey, error) {
	out, err := s.client.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{
		KeyId:             aws.String(s.keyID),
		KeySpec:           types.DataKeySpecAes256,
		EncryptionContext: encCtx,
	})
	if err != nil {
		return envelope.DataKey{}, fmt.Errorf("%w: awskms: GenerateDataKey with key %q at %s: %w; check the endpoint, region, credentials and that the key exists, is enabled and allows kms:GenerateDataKey",
			envelope.ErrKeyServiceUnavailable, s.keyID, s.endpoint, err)
	}
	keyID := aws.ToString(out.KeyId)
	if keyID == "" {
		keyID = s.keyID
	}
	return envelope.DataKey{KeyID: keyID, Plaintext: out.Plaintext, Wrapped: out.CiphertextBlob}, nil
}

// Decrypt calls KMS Decrypt with keyID and encCtx. Errors caused by the
// ciphertext, context or key id (InvalidCiphertext, IncorrectKey, NotFound,
// InvalidKeyUsage, Validation) wrap envelope.ErrDecrypt; all others
// (network, timeouts, throttling, access, disabled key) wrap
// envelope.ErrKeyServiceUnavailable.
func (s *KeyService) Decrypt(ctx context.Context, keyID string, wrapped []byte, encCtx map[string]string) ([]byte, error) {
	out, err := s.client.Decrypt(ctx, &kms.DecryptInput{
		KeyId:             aws.String(keyID),
		CiphertextBlob:    wrapped,
		EncryptionContext: encCtx,
	})
	if err != nil {
		if apiCode(err) == "NotFoundException" {
			return nil, fmt.Errorf("%w: awskms: Decrypt: key %q not found at %s: %w; check the region and endpoint, and that the key was not deleted",
				envelope.ErrDecrypt, keyID, s.endpoint, err)
		}
		if isBlobError(err) {
			return nil, fmt.Errorf("%w: awskms: Decrypt with key %q at %s: %w; the blob was tampered with, sealed under another key, or the encryption context differs",
				envelope.ErrDecrypt, keyID, s.endpoint, err)
		}
		return nil, fmt.Errorf("%w: awskms: Decrypt with key %q at %s: %w; check the endpoint, region, credentials and that the key is enabled and allows kms:Decrypt",
			envelope.ErrKeyServiceUnavailable, keyID, s.endpoint, err)
	}
	return out.Plaintext, nil
}

// Ping calls DescribeKey on the configured key and checks that it is an
// enabled ENCRYPT_DECRYPT key. Errors wrap envelope.ErrKeyServiceUnavailable.
func (s *KeyService) Ping(ctx context.Context) error {
	out, err := s.client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(s.keyID)})
	if err != nil {
		return fmt.Errorf("%w: awskms: DescribeKey %q at %s: %w; check the endpoint, region, credentials and key id",
			envelope.ErrKeyServiceUnavailable, s.keyID, s.endpoint, err)
	}
	md := out.KeyMetadata
	if md == nil {
		return fmt.Errorf("%w: awskms: DescribeKey %q at %s returned no metadata", envelope.ErrKeyServiceUnavailable, s.keyID, s.endpoint)
	}
	if md.KeyState != types.KeyStateEnabled || md.KeyUsage != types.KeyUsageTypeEncryptDecrypt {
		return fmt.Errorf("%w: awskms: key %q at %s is %s with usage %s; want Enabled with usage ENCRYPT_DECRYPT",
			envelope.ErrKeyServiceUnavailable, s.keyID, s.endpoint, md.KeyState, md.KeyUsage)
	}
	return nil
}

// isBlobError reports whether KMS rejected the request because of the
// ciphertext, the key id or the context rather than its own state.
func isBlobError(err error) bool {
	var (
		invalidCiphertext *types.InvalidCiphertextException
		incorrectKey      *types.IncorrectKeyException
		notFound          *types.NotFoundException
		invalidUsage      *types.InvalidKeyUsageException
	)
	return errors.As(err, &invalidCiphertext) || errors.As(err, &incorrectKey) ||
		errors.As(err, &notFound) || errors.As(err, &invalidUsage) || apiCode(err) == "ValidationException"
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
