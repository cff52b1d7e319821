package confluencetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultCloudID is the cloudId of every simulator unless WithCloudID says
// otherwise.
const DefaultCloudID = "a436116f-02ce-4520-8fbb-7301462a1674"

// Option configures a Server at construction.
type Option func(*config)

type config struct {
	dataset     string
	benchSpaces int
	benchPages  int
	seed        int64
	now         func() time.Time
	latency     time.Duration
	jitter      time.Duration
	cloudID     string
	flavor      string // FlavorCloud or FlavorDataCenter
	contextPath string // Data Center only
	contextSet  bool
}

// WithDataset loads a built-in dataset: "demo", "bench" or "" (empty site,
// no accounts; seed your own). An unknown name makes NewServer panic and
// Start return an error.
func WithDataset(name string) Option { return func(c *config) { c.dataset = name } }

// WithBenchSize sets the bench dataset's size: spaces x pagesPerSpace
// (default 10 x 1000). Values below 1 keep the default.
func WithBenchSize(spaces, pagesPerSpace int) Option {
	return func(c *config) {
		if spaces > 0 {
			c.benchSpaces = spaces
		}
		if pagesPerSpace > 0 {
			c.benchPages = pagesPerSpace
		}
	}
}

// WithSeed sets the bench generator's seed (default 42). The same seed and
// size always generate the same dataset. It also seeds the random fault and
// jitter source.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithClock sets the clock: demo timestamps are relative to it, and CQL date
// functions use it. nil means time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLatency delays every Confluence response by d plus a uniform random
// jitter in [0, jitter).
func WithLatency(d, jitter time.Duration) Option {
	return func(c *config) { c.latency, c.jitter = d, jitter }
}

// WithCloudID sets the site's cloudId (default DefaultCloudID).
func WithCloudID(id string) Option { return func(c *config) { c.cloudID = id } }

// Server is an in-memory Confluence Cloud site. All methods are safe for
// concurrent use.
type Server struct {
	cfg  config
	now  func() time.Time
	mux  *http.ServeMux
	ctl  *http.ServeMux
	rts  map[string]route // by mux pattern
	done chan struct{}

	hs        *httptest.Server // NewServer
	srv       *http.Server     // Start
	url       string
	closeOnce sync.Once

	mu sync.RWMutex
	st *store

	idxMu  sync.Mutex
	idx    *docIndex
	idxGen int

	sw switches

	statsMu sync.Mutex
	stats   Stats
}

func newServer(opts []Option) (*Server, error) {
	cfg := config{benchSpaces: 10, benchPages: 1000, seed: 42, cloudID: DefaultCloudID}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.checkFlavor(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, now: cfg.now, done: make(chan struct{}), st: newStore()}
	if s.now == nil {
		s.now = time.Now
	}
	s.sw.init(cfg)
	s.routes()
	var d Dataset
	switch cfg.dataset {
	case "":
	case "demo":
		d = demoDataset(s.now())
	case "bench":
		d = benchDataset(cfg.seed, cfg.benchSpaces, cfg.benchPages, s.now())
	default:
		return nil, fmt.Errorf("confluencetest: unknown dataset %q (want demo, bench or empty)", cfg.dataset)
	}
	if err := s.Seed(d); err != nil {
		return nil, err
	}
	s.ResetStats()
	return s, nil
}

// NewServer starts a simulator on a random 127.0.0.1 port. It panics if an
// option is invalid (an unknown dataset). Call Close when done.
func NewServer(opts ...Option) *Server {
	s, err := newServer(opts)
	if err != nil {
		panic(err)
	}
	s.hs = httptest.NewServer(s)
	s.url = s.hs.URL
	return s
}

// Start listens on addr (e.g. "127.0.0.1:9090", or ":0") and serves the
// simulator in the background until Close.
func Start(addr string, opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("confluencetest: %w", err)
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server; requests hanging on an injected fault are released
// first. Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		if s.hs != nil {
			s.hs.CloseClientConnections()
			s.hs.Close()
		}
		if s.srv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := s.srv.Shutdown(ctx); err != nil {
				_ = s.srv.Close()
			}
		}
	})
}

// URL is the base URL, "http://127.0.0.1:PORT", without a trailing slash. It
// is both the site base (v2 at URL()+"/wiki/api/v2/...") and the gateway base
// (URL()+"/ex/confluence/"+CloudID()+"/wiki/...").
func (s *Server) URL() string { return s.url }

// Host is "127.0.0.1:PORT", the site's domain.
func (s *Server) Host() string { return strings.TrimPrefix(s.url, "http://") }

// CloudID is the site's cloudId, as /_edge/tenant_info reports it.
func (s *Server) CloudID() string { return s.cfg.cloudID }

// GatewayURL is URL()+"/ex/confluence/"+CloudID(), the base scoped tokens use.
func (s *Server) GatewayURL() string { return s.url + "/ex/confluence/" + s.cfg.cloudID }

// Handler is the simulator as an http.Handler (the same one the listener
// serves), for mounting in-process.
func (s *Server) Handler() http.Handler { return s }

// base is the site wiki base used in _links.base in both modes.
func (s *Server) base(r *http.Request) string {
	if s.url != "" {
		return s.url + "/wiki"
	}
	return "http://" + r.Host + "/wiki"
}

// Seed adds or replaces content. Elements with the ID (accounts: Email) of an
// existing one replace it. It returns an error naming every rejected element
// (missing ids, unknown spaces); valid elements are loaded regardless.
func (s *Server) Seed(d Dataset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.seed(d, s.now())
}

// Accounts returns copies of every account, in the order they were seeded.
func (s *Server) Accounts() []Account {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Account, 0, len(s.st.accounts))
	for _, a := range s.st.accounts {
		c := *a
		c.Scopes = slices.Clone(a.Scopes)
		c.Spaces = slices.Clone(a.Spaces)
		out = append(out, c)
	}
	return out
}

// Account returns the account with the given Name (demo: "classic",
// "scoped", "scoped-nosearch", "scoped-nohier", "restricted"); the zero Account if none.
func (s *Server) Account(name string) Account {
	for _, a := range s.Accounts() {
		if a.Name == name {
			return a
		}
	}
	return Account{}
}

// RevokeToken makes the account with this email fail authentication, as a
// revoked API token does. Unknown emails are ignored.
func (s *Server) RevokeToken(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.st.accounts {
		if strings.EqualFold(a.Email, email) {
			a.Revoked = true
		}
	}
}

// Spaces lists every space (restricted ones included) by id.
func (s *Server) Spaces() []SpaceInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]SpaceInfo, 0, len(s.st.spaces))
	for _, sp := range s.st.spaces {
		out = append(out, SpaceInfo{ID: sp.ID, Key: sp.Key, Name: sp.Name})
	}
	slices.SortFunc(out, func(a, b SpaceInfo) int { return lessID(a.ID, b.ID) })
	return out
}

// PageIDs lists the ids of every page in the space with key (any status),
// in id order; nil if the space is unknown.
func (s *Server) PageIDs(spaceKey string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, p := range s.st.pageOrder {
		if strings.EqualFold(p.SpaceKey, spaceKey) {
			out = append(out, p.ID)
		}
	}
	return out
}

var errClosed = errors.New("confluencetest: server closed")

// sleep waits d, or until the request is cancelled or the server closes.
func (s *Server) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return errClosed
	}
}

// jitterRand is a seeded random source guarded by switches.mu.
func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0x5eed)) }
