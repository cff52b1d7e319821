package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// Example shows an API key's life: created once (the CLI), then used to
// authenticate a request (the server), then revoked.
func Example() {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, sqlite.MemoryPath)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	// apikey create --tenant acme --role reader
	rec, key, err := settings.NewAPIKey("acme", settings.RoleReader)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.CreateAPIKey(ctx, rec); err != nil {
		log.Fatal(err)
	}

	// Authorization: Bearer <key>
	authenticate := func(bearer string) (tenant string, role settings.Role, ok bool) {
		id, secret, err := settings.ParseAPIKey(bearer)
		if err != nil {
			return "", "", false
		}
		k, err := store.GetAPIKey(ctx, id)
		if err != nil || k.Revoked() || !k.Verify(secret) {
			return "", "", false
		}
		return k.TenantID, k.Role, true
	}
	fmt.Println(authenticate(key))
	// The right key id with a guessed secret.
	id, _, _ := settings.ParseAPIKey(key)
	fmt.Println(authenticate("cg_" + id + "_" + strings.Repeat("0", 64)))

	if err := store.RevokeAPIKey(ctx, "acme", rec.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(authenticate(key))
	// Output:
	// acme reader true
	//   false
	//   false
}
