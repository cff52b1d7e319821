package confluence_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// This example reads a page and runs a CQL search against the simulator.
// Against Confluence Cloud, Site is "yourname.atlassian.net" and
// AllowedDevHost and GatewayURL stay empty.
func ExampleNewClient() {
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer sim.Close()
	acct := sim.Account("scoped")

	c, err := confluence.NewClient(confluence.Options{
		Site:           sim.Host(),
		Email:          acct.Email,
		Token:          acct.Token,
		TokenType:      confluence.TokenAuto,
		AllowedDevHost: sim.Host(), // development only: the simulator's plain-HTTP loopback address
		GatewayURL:     sim.URL(),  // the simulator also plays api.atlassian.com
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	page, _, err := c.Pages.Get(ctx, "100003", &confluence.PageGetOptions{BodyFormat: confluence.FormatStorage})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(page.Title, "- routed as", c.TokenType())

	_, _, err = c.Pages.Get(ctx, "999999999", nil)
	fmt.Println("missing page is ErrNotFound:", errors.Is(err, confluence.ErrNotFound))

	n := 0
	for _, err := range c.Search.CQLIter(ctx, &confluence.SearchOptions{CQL: `type = page AND space = "OPS"`, Limit: 5}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		n++
	}
	fmt.Println("OPS pages found:", n > 0)
	// Output:
	// Deployment Runbook - routed as scoped
	// missing page is ErrNotFound: true
	// OPS pages found: true
}
