package confluence

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// TestSimWriteAttemptsNeverReachTheSite: every write-shaped request is
// refused in the client, and the simulator (which counts write attempts)
// sees nothing; a read-only POST still gets through.
func TestSimWriteAttemptsNeverReachTheSite(t *testing.T) {
	t.Parallel()
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer sim.Close()
	acct := sim.Account("classic")
	for _, tt := range []TokenType{TokenClassic, TokenScoped} {
		c, err := NewClient(Options{Site: sim.Host(), AllowedDevHost: sim.Host(), GatewayURL: sim.URL(),
			Email: acct.Email, Token: acct.Token, TokenType: tt, RateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		base := c.siteBase.String()
		if tt == TokenScoped {
			gb, err := c.gatewayBase(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			base = gb.String()
		}
		sim.ResetStats()
		writes := []struct{ method, path string }{
			{"PUT", "/wiki/api/v2/pages/100003"},
			{"DELETE", "/wiki/api/v2/pages/100003"},
			{"POST", "/wiki/api/v2/pages"},
			{"PATCH", "/wiki/api/v2/spaces/98305"},
			{"POST", "/wiki/rest/api/content"},
			{"POST", "/wiki/api/v2/footer-comments"},
		}
		for _, w := range writes {
			if _, err := c.send(t.Context(), &request{method: w.method, route: w.path, path: w.path, body: []byte(`{"title":"x"}`)}); !errors.Is(err, ErrWriteRefused) {
				t.Errorf("%s: send %s %s: error %v, want ErrWriteRefused", tt, w.method, w.path, err)
			}
			req, _ := http.NewRequestWithContext(t.Context(), w.method, base+w.path, strings.NewReader(`{"title":"x"}`))
			resp, err := c.http.Do(req)
			if resp != nil {
				_ = resp.Body.Close()
			}
			if !errors.Is(err, ErrWriteRefused) {
				t.Errorf("%s: transport %s %s: error %v, want ErrWriteRefused", tt, w.method, w.path, err)
			}
		}
		if st := sim.Stats(); st.Total != 0 || st.Writes != 0 {
			t.Errorf("%s: simulator saw %d requests, %d writes; want 0, 0", tt, st.Total, st.Writes)
		}
		us, err := c.Users.GetMany(t.Context(), []string{acct.AccountID})
		if err != nil || len(us) != 1 {
			t.Errorf("%s: users-bulk = %v, %v; want one user", tt, us, err)
		}
		if st := sim.Stats(); st.Total != 1 || st.Writes != 0 || st.ByEndpoint["POST /wiki/api/v2/users-bulk"] != 1 {
			t.Errorf("%s: after users-bulk the simulator saw %+v; want one read-only POST", tt, st)
		}
	}
}
