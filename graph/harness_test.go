package graph_test

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// env is one simulator plus the GraphQL handler wired the way the server wires it.
type env struct {
	sim    *confluencetest.Server
	client *client.Client
	caller graph.Caller
	cache  *loaders.Cache
}

type envOptions struct {
	dataset      string
	benchSpaces  int
	benchPages   int
	noCaller     bool
	role         string
	notConnected bool
	// notConnectedErr is what the client lookup returns when notConnected (nil:
	// loaders.ErrNotConnected).
	notConnectedErr error
	maxRetries      int
	integrations    graph.Integrations
	cache           *loaders.Cache
	noCQL           bool
	// noExpansions hides the client upstream's children expansions (ExpandingUpstream), so
	// comments and attachments are read per page while labels and children still batch by CQL.
	noExpansions bool
	// attemptTimeout bounds one upstream attempt (0: the client's default).
	attemptTimeout time.Duration
	// transport carries the client's requests to the simulator (nil: the client's default).
	transport http.RoundTripper
	// account is the simulator account the client reads as ("": classic); a scoped one reads
	// through the simulator's gateway.
	account string
	// sim is the simulator to read from (nil: start one with dataset).
	sim *confluencetest.Server
	// v1 reads through loaders.NewV1Upstream (the v1 read path), as graph.SettingsSource does
	// for an integration whose stored read path is v1.
	v1 bool
}

// demoEnv is newEnv with the demo dataset and the default options, the setup most tests share.
func demoEnv(t testing.TB) *env {
	t.Helper()
	return newEnv(t, envOptions{dataset: "demo"})
}

// newEnv starts a simulator with a dataset and an in-process GraphQL handler against it.
func newEnv(t testing.TB, o envOptions) *env {
	t.Helper()
	simOpts := []confluencetest.Option{confluencetest.WithDataset(o.dataset)}
	if o.benchSpaces > 0 {
		simOpts = append(simOpts, confluencetest.WithBenchSize(o.benchSpaces, o.benchPages))
	}
	sim := o.sim
	if sim == nil {
		sim = confluencetest.NewServer(simOpts...)
		t.Cleanup(sim.Close)
	}
	acc := sim.Account(cmp.Or(o.account, "classic"))
	retries := o.maxRetries
	if retries == 0 {
		retries = -1 // no retries: faults surface at once and call counts stay exact
	}
	co := confluence.Options{
		Site: sim.Host(), Email: acc.Email, Token: acc.Token, TokenType: confluence.TokenClassic,
		AllowedDevHost: sim.Host(), RateLimit: -1, MaxConcurrency: 32, MaxRetries: retries,
		AttemptTimeout: o.attemptTimeout, CallTimeout: o.attemptTimeout, Transport: o.transport,
	}
	if acc.Type == confluencetest.TokenScoped {
		co.TokenType, co.GatewayURL, co.CloudID = confluence.TokenScoped, sim.URL(), sim.CloudID()
	}
	if sim.Flavor() == confluencetest.FlavorDataCenter {
		// A Data Center tenant: the PAT as Bearer at the base URL, always the v1 read path.
		co.DataCenter = &confluence.DataCenterOptions{BaseURL: sim.BaseURL(), PAT: acc.Token}
		o.v1 = true
	}
	cc, err := confluence.NewClient(co)
	if err != nil {
		t.Fatalf("confluence.NewClient: %v", err)
	}
	role := o.role
	if role == "" {
		role = graph.RoleReader
	}
	e := &env{sim: sim, caller: graph.Caller{TenantID: "t1", KeyID: "k1", Role: role}, cache: o.cache}
	srv := handler.New(graph.New(graph.Deps{Integrations: o.integrations}))
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(graph.NewErrorPresenter(slog.New(slog.DiscardHandler)))
	srv.SetRecoverFunc(graph.NewRecover(slog.New(slog.DiscardHandler)))
	source := loaders.ClientSource(func(context.Context) (*confluence.Client, error) {
		if o.notConnected && o.notConnectedErr != nil {
			return nil, o.notConnectedErr
		}
		if o.notConnected {
			return nil, loaders.ErrNotConnected
		}
		return cc, nil
	})
	if o.v1 {
		// As graph.SettingsSource serves a v1 tenant: the v1 upstream inside the hierarchy fallback.
		v1 := loaders.ReadPathClientSource(func(context.Context) (*confluence.Client, int64, bool, error) { return cc, 0, true, nil })
		source = func(ctx context.Context) (loaders.Upstream, error) {
			up, err := v1(ctx)
			if err != nil {
				return nil, err
			}
			return loaders.WithHierarchyFallback(up, nil, "t1", loaders.HierarchyRoutes{}), nil
		}
	}
	if o.noExpansions {
		inner := source
		source = func(ctx context.Context) (loaders.Upstream, error) {
			up, err := inner(ctx)
			if err != nil {
				return nil, err
			}
			return struct{ loaders.Upstream }{up}, nil
		}
	}
	cfg := loaders.Config{
		Source: source,
		Tenant: func(ctx context.Context) string {
			c, _ := graph.CallerFrom(ctx)
			return c.TenantID
		},
		Cache: o.cache,
		// A generous wait keeps batches whole on a loaded test machine, so call counts are exact.
		Wait:          100 * time.Millisecond,
		NoCQLBatching: o.noCQL,
	}
	h := loaders.Middleware(cfg, srv)
	e.client = client.New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !o.noCaller {
			r = r.WithContext(graph.WithCaller(r.Context(), e.caller))
		}
		h.ServeHTTP(w, r)
	}))
	return e
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// do runs a query and decodes its data into out (which may be nil), returning the errors.
func (e *env) do(t testing.TB, query string, out any, vars ...client.Option) []gqlError {
	t.Helper()
	resp, err := e.client.RawPost(query, vars...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var errs []gqlError
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("decode errors %s: %v", resp.Errors, err)
		}
	}
	if out != nil && resp.Data != nil {
		b, _ := json.Marshal(resp.Data)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("decode data %s: %v", b, err)
		}
	}
	return errs
}

// mustDo runs a query that must not fail.
func (e *env) mustDo(t testing.TB, query string, out any, vars ...client.Option) {
	t.Helper()
	if errs := e.do(t, query, out, vars...); len(errs) > 0 {
		t.Fatalf("query failed: %+v", errs)
	}
}

func codeOf(e gqlError) string {
	c, _ := e.Extensions["code"].(string)
	return c
}

func varKey(key string) client.Option { return client.Var("key", key) }

func itoa(n int) string { return strconv.Itoa(n) }

func varAfter(after string) client.Option { return client.Var("after", after) }

func varQ(q string) client.Option { return client.Var("q", q) }
