package settings_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// The server's wiring: a store, an envelope over a key service, and the
// client template (the simulator stands in for Confluence Cloud, so it is
// the allowed development host and the gateway).
func ExampleNewService() {
	ctx := context.Background()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer sim.Close()
	dir, _ := os.MkdirTemp("", "cg-example")
	defer os.RemoveAll(dir)

	store, err := sqlite.Open(ctx, filepath.Join(dir, "settings.db"))
	if err != nil {
		panic(err)
	}
	defer store.Close()
	ks, err := localkey.Open(filepath.Join(dir, "master.key"))
	if err != nil {
		panic(err)
	}
	svc, err := settings.NewService(settings.ServiceConfig{
		Store:  store,
		Sealer: envelope.New(ks),
		Client: confluence.Options{GatewayURL: sim.URL(), AllowedDevHost: sim.Host()},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		panic(err)
	}

	a := sim.Account("scoped")
	res, err := svc.Connect(ctx, "acme", "admin-key-id", settings.ConnectInput{Domain: sim.Host(), Email: a.Email, APIToken: a.Token})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Integration.Status, res.Integration.TokenType, res.Integration.TokenHint)

	c, err := svc.Client(ctx, "acme") // what each GraphQL request of tenant acme reads through
	if err != nil {
		panic(err)
	}
	fmt.Println(c.TokenType())

	a = sim.Account("scoped-nosearch")
	res, _ = svc.Connect(ctx, "other", "admin-key-id", settings.ConnectInput{Domain: sim.Host(), Email: a.Email, APIToken: a.Token})
	fmt.Println(res.Codes(), res.Integration == nil)
	// Output:
	// CONNECTED SCOPED 0002
	// scoped
	// [MISSING_SCOPES] true
}
