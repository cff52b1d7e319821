package confluence_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// The simulated site used by the integration tests. Every expectation in
// sim_test.go is derived from this dataset.
var simNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const (
	alice = "712020:aaaaaaaa-0000-0000-0000-000000000001"
	bob   = "712020:aaaaaaaa-0000-0000-0000-000000000002"
	bot   = "712020:aaaaaaaa-0000-0000-0000-000000000003"

	engID  = "2001"
	secID  = "2002"
	homeID = "3001"
	// The page tree: home has 10 children 3002..3011; 3002 has 3020 and
	// 3021; 3020 has 3030.
	deepID = "3030"
)

var simAccounts = []confluencetest.Account{
	{Name: "classic", Email: "alice@example.com", Token: "classic-token-alice-0001", AccountID: alice, Type: confluencetest.TokenClassic},
	{Name: "scoped", Email: "bot@example.com", Token: "scoped-token-bot-0002", AccountID: bot, Type: confluencetest.TokenScoped, Scopes: confluencetest.ReadScopes()},
	{Name: "scoped-nosearch", Email: "nosearch@example.com", Token: "scoped-token-nosearch-0003", AccountID: bot, Type: confluencetest.TokenScoped,
		Scopes: []string{"read:page:confluence", "read:space:confluence", "read:confluence-user"}},
	{Name: "restricted", Email: "bob@example.com", Token: "classic-token-bob-0004", AccountID: bob, Type: confluencetest.TokenClassic, Spaces: []string{"ENG"}},
	{Name: "revoked", Email: "gone@example.com", Token: "classic-token-gone-0005", AccountID: bob, Type: confluencetest.TokenClassic, Revoked: true},
}

func simDataset(extraPages int) confluencetest.Dataset {
	at := func(days int) time.Time { return simNow.Add(-time.Duration(days) * 24 * time.Hour) }
	d := confluencetest.Dataset{
		Accounts: simAccounts,
		Users: []confluencetest.User{
			{AccountID: alice, DisplayName: "Alice", Email: "alice@example.com"},
			{AccountID: bob, DisplayName: "Bob", Email: "bob@example.com"},
			{AccountID: bot, DisplayName: "Bot"},
		},
		Spaces: []confluencetest.Space{
			{ID: engID, Key: "ENG", Name: "Engineering", Description: "Eng docs", HomepageID: homeID, AuthorID: alice, CreatedAt: at(100)},
			{ID: secID, Key: "SEC", Name: "Security", HomepageID: "4001", AuthorID: alice, CreatedAt: at(90)},
		},
		Pages: []confluencetest.Page{
			{ID: homeID, SpaceKey: "ENG", Title: "Home", AuthorID: alice, CreatedAt: at(100), Labels: []string{"home", "runbook", "sre"},
				Versions: []confluencetest.Version{
					{Number: 1, AuthorID: alice, CreatedAt: at(100), Body: "<p>first</p>", Message: "v1"},
					{Number: 2, AuthorID: bob, CreatedAt: at(50), Body: "<p>second</p>", Message: "v2"},
					{Number: 3, AuthorID: alice, CreatedAt: at(1), Body: "<h1>Home</h1><p>third</p>", Message: "v3"},
				}},
			{ID: "3020", SpaceKey: "ENG", Title: "Deep parent", ParentID: "3002", AuthorID: alice, CreatedAt: at(30)},
			{ID: "3021", SpaceKey: "ENG", Title: "Deep sibling", ParentID: "3002", AuthorID: alice, CreatedAt: at(30)},
			{ID: deepID, SpaceKey: "ENG", Title: "Deepest", ParentID: "3020", AuthorID: alice, CreatedAt: at(20)},
			{ID: "4001", SpaceKey: "SEC", Title: "Security home", AuthorID: alice, CreatedAt: at(90)},
		},
		Comments: []confluencetest.Comment{
			{ID: "7001", PageID: homeID, Kind: "footer", AuthorID: bob, CreatedAt: at(5), Body: "<p>root footer</p>"},
			{ID: "7002", PageID: homeID, ParentID: "7001", Kind: "footer", AuthorID: alice, CreatedAt: at(4), Body: "<p>reply one</p>"},
			{ID: "7003", PageID: homeID, ParentID: "7001", Kind: "footer", AuthorID: bob, CreatedAt: at(3), Body: "<p>reply two</p>"},
			{ID: "7004", PageID: homeID, Kind: "inline", AuthorID: bob, CreatedAt: at(2), Body: "<p>inline note</p>", ResolutionStatus: "open", Selection: "third"},
			{ID: "7005", PageID: homeID, ParentID: "7004", Kind: "inline", AuthorID: alice, CreatedAt: at(1), Body: "<p>inline reply</p>", ResolutionStatus: "open"},
		},
		Attachments: []confluencetest.Attachment{
			{ID: "att8001", PageID: homeID, Title: "diagram.png", MediaType: "image/png", AuthorID: alice, CreatedAt: at(10), Version: 1, Content: []byte("\x89PNG fake image bytes")},
		},
	}
	// Ten children of home: "alpha 01".."alpha 06" and four others.
	for i := range 10 {
		title := fmt.Sprintf("alpha %02d", i+1)
		if i >= 6 {
			title = fmt.Sprintf("beta %02d", i+1)
		}
		d.Pages = append(d.Pages, confluencetest.Page{ID: fmt.Sprint(3002 + i), SpaceKey: "ENG", Title: title, ParentID: homeID,
			Position: i, AuthorID: alice, CreatedAt: at(40 - i)})
	}
	// Security pages whose titles sort between "alpha 03" and "alpha 04":
	// invisible to the restricted account, they make a short (empty) search
	// page in the middle of its results.
	for i, suffix := range []string{"s", "t", "u"} {
		d.Pages = append(d.Pages, confluencetest.Page{ID: fmt.Sprint(4002 + i), SpaceKey: "SEC", Title: "alpha 03 " + suffix,
			ParentID: "4001", AuthorID: alice, CreatedAt: at(10)})
	}
	for i := range extraPages {
		d.Pages = append(d.Pages, confluencetest.Page{ID: fmt.Sprint(10000 + i), SpaceKey: "ENG", Title: fmt.Sprintf("bulk %04d", i),
			ParentID: deepID, AuthorID: alice, CreatedAt: at(5)})
	}
	return d
}

// newSim starts a simulator with simDataset.
func newSim(t *testing.T, extraPages int) *confluencetest.Server {
	t.Helper()
	// A real clock: the rate limiter refills by it.
	sim := confluencetest.NewServer()
	t.Cleanup(sim.Close)
	if err := sim.Seed(simDataset(extraPages)); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	sim.ResetStats()
	return sim
}

// simClient builds a client for one of simAccounts through the production
// transport, with the simulator as the allowed development host (also
// serving as the gateway).
func simClient(t *testing.T, sim *confluencetest.Server, account string, tt confluence.TokenType, mod func(*confluence.Options)) *confluence.Client {
	t.Helper()
	var acct confluencetest.Account
	for _, a := range simAccounts {
		if a.Name == account {
			acct = a
		}
	}
	if acct.Email == "" {
		t.Fatalf("no account %q", account)
	}
	o := confluence.Options{
		Site:           sim.Host(),
		AllowedDevHost: sim.Host(),
		GatewayURL:     sim.URL(),
		Email:          acct.Email,
		Token:          acct.Token,
		TokenType:      tt,
		RateLimit:      -1,
		MaxConcurrency: 8,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := confluence.NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// simPair starts a simulator with simDataset(extraPages) and a client for
// one of simAccounts on it (see newSim and simClient).
func simPair(t *testing.T, extraPages int, account string, tt confluence.TokenType, mod func(*confluence.Options)) (*confluencetest.Server, *confluence.Client) {
	t.Helper()
	sim := newSim(t, extraPages)
	return sim, simClient(t, sim, account, tt, mod)
}

// wantCalls fails t unless sim counted want requests to route (a route
// pattern such as "GET /wiki/api/v2/pages/{id}").
func wantCalls(t *testing.T, sim *confluencetest.Server, route string, want int) {
	t.Helper()
	if got := sim.Count(route); got != want {
		t.Errorf("%s: %d requests, want %d", route, got, want)
	}
}
