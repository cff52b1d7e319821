package awskms_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/envelopetest"
	"github.com/confluence-graph/confluence-graph/envelope/localkmstest"
	"github.com/confluence-graph/confluence-graph/internal/testsupport"
)

// open returns a KeyService for keyID at endpoint with static test
// credentials, a 2s attempt timeout and the given attempt limit.
func open(t *testing.T, endpoint, keyID string, attempts int) *awskms.KeyService {
	t.Helper()
	return openTimeout(t, endpoint, keyID, attempts, 2*time.Second)
}

// startWithDataKey starts local-kms, opens a key service on its alias
// with attempts tries per call, and generates one data key for
// envelopetest.Base.
func startWithDataKey(t *testing.T, attempts int) (*awskms.KeyService, envelope.DataKey) {
	t.Helper()
	kms := localkmstest.Start(t)
	ks := open(t, kms.Endpoint, localkmstest.Alias, attempts)
	dk, err := ks.GenerateDataKey(context.Background(), envelopetest.Base.Map())
	if err != nil {
		t.Fatal(err)
	}
	return ks, dk
}

func openTimeout(t *testing.T, endpoint, keyID string, attempts int, timeout time.Duration) *awskms.KeyService {
	t.Helper()
	ks, err := awskms.Open(context.Background(), awskms.Config{
		KeyID:       keyID,
		Endpoint:    endpoint,
		Timeout:     timeout,
		MaxAttempts: attempts,
		MaxBackoff:  10 * time.Millisecond,
		LoadOptions: localkmstest.LoadOptions(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestConformance(t *testing.T) {
	kms := localkmstest.Start(t)
	for _, keyID := range []string{localkmstest.Alias, localkmstest.KeyID, localkmstest.KeyARN} {
		t.Run(keyID, func(t *testing.T) {
			envelopetest.Run(t, func(t *testing.T) envelope.KeyService {
				return open(t, kms.Endpoint, keyID, 2)
			})
		})
	}
}

func TestBlobStoresKeyARN(t *testing.T) {
	_, dk := startWithDataKey(t, 2)
	if got, want := dk.KeyID, localkmstest.KeyARN; got != want {
		t.Errorf("DataKey.KeyID = %q, want %q", got, want)
	}
	if got, want := len(dk.Plaintext), envelope.DataKeySize; got != want {
		t.Errorf("len(Plaintext) = %d, want %d", got, want)
	}
}

// TestEndpointFromEnvironment checks that the standard configuration chain
// honours AWS_ENDPOINT_URL_KMS (and region and credentials from the
// environment) when Config.Endpoint is empty.
func TestEndpointFromEnvironment(t *testing.T) {
	kms := localkmstest.Start(t)
	kms.SetEnv(t)
	ks, err := awskms.Open(context.Background(), awskms.Config{KeyID: localkmstest.Alias})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ks.Endpoint(), kms.Endpoint; got != want {
		t.Errorf("Endpoint() = %q, want %q from AWS_ENDPOINT_URL_KMS", got, want)
	}
	env := envelope.New(ks)
	blob, err := env.Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatalf("Encrypt through AWS_ENDPOINT_URL_KMS: %v", err)
	}
	got, err := env.Decrypt(context.Background(), blob, envelopetest.Base)
	if err != nil || string(got) != envelopetest.Token {
		t.Fatalf("Decrypt through AWS_ENDPOINT_URL_KMS = %d bytes, %v; want the token", len(got), err)
	}
}

func TestPingUnknownKey(t *testing.T) {
	kms := localkmstest.Start(t)
	err := envelope.New(open(t, kms.Endpoint, "alias/missing", 1)).Ping(context.Background())
	if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || !strings.Contains(err.Error(), "alias/missing") {
		t.Fatalf("Ping = %v, want ErrKeyServiceUnavailable naming the key", err)
	}
}

func TestEncryptUnknownKey(t *testing.T) {
	kms := localkmstest.Start(t)
	blob, err := envelope.New(open(t, kms.Endpoint, "alias/missing", 1)).
		Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if blob != nil || !errors.Is(err, envelope.ErrKeyServiceUnavailable) || !strings.Contains(err.Error(), "alias/missing") {
		t.Fatalf("Encrypt = %d bytes, %v; want nil, ErrKeyServiceUnavailable naming the key", len(blob), err)
	}
}

// TestKeyServiceDown covers a stopped local-kms, a port nobody listens on
// and a server that accepts connections but never answers. Every call must
// fail with ErrKeyServiceUnavailable naming the endpoint and key, return no
// data, and not be mistaken for ErrDecrypt.
func TestKeyServiceDown(t *testing.T) {
	kms := localkmstest.Start(t)
	live := envelope.New(open(t, kms.Endpoint, localkmstest.Alias, 2))
	blob, err := live.Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
	if err != nil {
		t.Fatal(err)
	}
	kms.Stop()

	hanging, accepted := hangingServer(t)
	tests := []struct {
		name     string
		endpoint string
	}{
		{"stopped local-kms", kms.Endpoint},
		{"nothing listening", "http://" + testsupport.FreePort(t)},
		{"server never answers", hanging},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const attempts = 2
			env := envelope.New(openTimeout(t, tc.endpoint, localkmstest.Alias, attempts, 200*time.Millisecond))
			check := func(op string, got []byte, err error) {
				t.Helper()
				if got != nil {
					t.Errorf("%s returned %d bytes, want nil", op, len(got))
				}
				if !errors.Is(err, envelope.ErrKeyServiceUnavailable) || errors.Is(err, envelope.ErrDecrypt) {
					t.Fatalf("%s: %v, want ErrKeyServiceUnavailable only", op, err)
				}
				for _, want := range []string{tc.endpoint, localkmstest.Alias} {
					if !strings.Contains(err.Error(), want) && !(op == "Decrypt" && strings.Contains(err.Error(), localkmstest.KeyARN)) {
						t.Errorf("%s error %q does not name %q", op, err, want)
					}
				}
				if strings.Contains(err.Error(), envelopetest.Token) {
					t.Errorf("%s error contains the plaintext", op)
				}
			}
			got, err := env.Encrypt(context.Background(), []byte(envelopetest.Token), envelopetest.Base)
			check("Encrypt", got, err)
			got, err = env.Decrypt(context.Background(), blob, envelopetest.Base)
			check("Decrypt", got, err)
			check("Ping", nil, env.Ping(context.Background()))
		})
	}
	// Encrypt, Decrypt and Ping each made at most `attempts` connections.
	if got, max := accepted.Load(), int64(3*2); got == 0 || got > max {
		t.Errorf("hanging server accepted %d connections, want 1..%d (retries limited)", got, max)
	}
}

// hangingServer accepts connections and never writes a byte.
func hangingServer(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			n.Add(1)
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String(), &n
}

// TestDecryptPassesKeyID shows that the blob's key id reaches KMS: asked to
// unwrap under another existing key, local-kms uses that key and fails,
// although the ciphertext names the right one (local-kms falls back to the
// ARN inside the ciphertext only when no KeyId is sent).
func TestDecryptPassesKeyID(t *testing.T) {
	ks, dk := startWithDataKey(t, 1)
	tests := []struct {
		name    string
		keyID   string
		wantErr error
	}{
		{"right key", dk.KeyID, nil},
		{"other existing key", localkmstest.OtherKeyID, envelope.ErrDecrypt},
		{"missing key", "6d4bd4e5-0000-0000-0000-000000000000", envelope.ErrDecrypt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ks.Decrypt(context.Background(), tc.keyID, dk.Wrapped, envelopetest.Base.Map())
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (got != nil) {
				t.Fatalf("Decrypt(%q) = %d bytes, %v; want error %v", tc.keyID, len(got), err, tc.wantErr)
			}
			if tc.wantErr != nil && !strings.Contains(err.Error(), tc.keyID) {
				t.Errorf("error %q does not name key %q", err, tc.keyID)
			}
		})
	}
}
