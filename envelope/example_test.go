package envelope_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
)

// A settings service seals a token on write, and on read opens it through
// the cache keyed by tenant and credential version.
func Example() {
	dir, err := os.MkdirTemp("", "envelope-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ks, err := localkey.Open(filepath.Join(dir, "master.key")) // or awskms.Open
	if err != nil {
		log.Fatal(err)
	}
	env := envelope.New(ks)
	ctx := context.Background()
	ec := envelope.Context{TenantID: "t-7f3a", Purpose: "confluence-api-token", RecordID: "int-42"}

	blob, err := env.Encrypt(ctx, []byte("ATATT3x-example"), ec)
	if err != nil {
		log.Fatal(err) // errors.Is(err, envelope.ErrKeyServiceUnavailable) -> ENCRYPTION_UNAVAILABLE
	}

	cache := envelope.NewCache(envelope.CacheOptions{})
	token, err := cache.Get(ctx, envelope.CacheKey{TenantID: ec.TenantID, Version: 1},
		func(ctx context.Context) ([]byte, error) { return env.Decrypt(ctx, blob, ec) })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(token))

	_, err = env.Decrypt(ctx, blob, envelope.Context{TenantID: "t-other", Purpose: ec.Purpose, RecordID: ec.RecordID})
	fmt.Println(errors.Is(err, envelope.ErrDecrypt))
	cache.Drop(ec.TenantID) // on Update or Disconnect
	// Output:
	// ATATT3x-example
	// true
}
