package confluence_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// The error side of the client against the simulator: each error class,
// scope errors in auto mode, and ids refused before any request.

// TestSimErrorMapping checks each error class as the simulator produces it.
func TestSimErrorMapping(t *testing.T) {
	t.Parallel()
	sim := newSim(t, 0)
	tests := []struct {
		name    string
		account string
		tt      confluence.TokenType
		call    func(c *confluence.Client) error
		want    error
		notWant error
	}{
		{"missing page", "classic", confluence.TokenClassic, getPage("999999"), confluence.ErrNotFound, confluence.ErrUnauthorized},
		{"page in a space the account cannot see", "restricted", confluence.TokenClassic, getPage("4001"), confluence.ErrNotFound, nil},
		{"missing version", "classic", confluence.TokenClassic, func(c *confluence.Client) error {
			_, _, err := c.Versions.Get(t.Context(), homeID, 42)
			return err
		}, confluence.ErrNotFound, nil},
		{"revoked credentials on v2", "revoked", confluence.TokenClassic, getPage(homeID), confluence.ErrCredentialsRejected, confluence.ErrNotFound},
		{"revoked credentials on current user", "revoked", confluence.TokenClassic, currentUser, confluence.ErrCredentialsRejected, confluence.ErrForbidden},
		{"revoked credentials on search", "revoked", confluence.TokenClassic, search("type = page"), confluence.ErrCredentialsRejected, nil},
		{"revoked credentials through the gateway", "revoked", confluence.TokenScoped, getPage(homeID), confluence.ErrCredentialsRejected, nil},
		{"scoped token on the site", "scoped", confluence.TokenClassic, getPage(homeID), confluence.ErrScopedTokenOnSite, nil},
		{"scope missing for search", "scoped-nosearch", confluence.TokenScoped, search("type = page"), confluence.ErrScopeMismatch, nil},
		{"scope missing for comments", "scoped-nosearch", confluence.TokenScoped, func(c *confluence.Client) error {
			_, _, err := c.Comments.ListFooter(t.Context(), homeID, nil)
			return err
		}, confluence.ErrScopeMismatch, nil},
		{"invalid CQL", "classic", confluence.TokenClassic, search("type = = page"), confluence.ErrInvalidCQL, nil},
		{"unknown CQL field", "classic", confluence.TokenClassic, search("status = current"), confluence.ErrInvalidCQL, nil},
		{"unknown CQL type value", "classic", confluence.TokenClassic, search("type = wiki"), confluence.ErrInvalidCQL, nil},
		{"empty CQL text term (500)", "classic", confluence.TokenClassic, search(`text ~ ""`), confluence.ErrInvalidCQL, confluence.ErrUnavailable},
		{"limit above 250", "classic", confluence.TokenClassic, func(c *confluence.Client) error {
			_, _, err := c.Pages.List(t.Context(), &confluence.PageListOptions{ListOptions: confluence.ListOptions{Limit: 300}})
			var ce *confluence.Error
			if errors.As(err, &ce) && ce.Code != "INVALID_REQUEST_PARAMETER" {
				return errors.New("code " + ce.Code)
			}
			return err
		}, errAny, confluence.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := simClient(t, sim, tt.account, tt.tt, nil)
			err := tt.call(c)
			want := tt.want
			if want == errAny {
				want = nil
			}
			wantErrorMatch(t, err, []error{want}, []error{tt.notWant})
			var cq *confluence.CQLError
			if errors.Is(err, confluence.ErrInvalidCQL) && (!errors.As(err, &cq) || cq.Message == "") {
				t.Errorf("error %v is not a *CQLError with Confluence's message", err)
			}
			assertNoSecretFor(t, err.Error(), tt.account)
		})
	}
}

func getPage(id string) func(c *confluence.Client) error {
	return func(c *confluence.Client) error {
		_, _, err := c.Pages.Get(bg(), id, nil)
		return err
	}
}

func currentUser(c *confluence.Client) error {
	_, _, err := c.Users.Current(bg())
	return err
}

func search(cql string) func(c *confluence.Client) error {
	return func(c *confluence.Client) error {
		_, _, err := c.Search.CQL(bg(), &confluence.SearchOptions{CQL: cql})
		return err
	}
}

func assertNoSecretFor(t *testing.T, s, account string) {
	t.Helper()
	for _, a := range simAccounts {
		if a.Name == account && a.Token != "" && strings.Contains(s, a.Token) {
			t.Errorf("%q contains the token", s)
		}
	}
}

func bg() context.Context { return context.Background() }

// TestSimAutoModeLocksOnScopeMismatch: a gateway scope error proves the
// token is scoped, so later calls skip the site.
func TestSimAutoModeLocksOnScopeMismatch(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "scoped-nosearch", confluence.TokenAuto, nil)
	for range 2 {
		if err := search("type = page")(c); !errors.Is(err, confluence.ErrScopeMismatch) {
			t.Fatalf("error %v, want ErrScopeMismatch", err)
		}
	}
	if got := c.TokenType(); got != confluence.TokenScoped {
		t.Errorf("TokenType = %v, want scoped", got)
	}
	// site and gateway once, then gateway only.
	wantCalls(t, sim, "GET /wiki/rest/api/search", 3)
}

func TestSimInvalidIDsSendNothing(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	for _, id := range []string{"", "..", "1/labels", "1?x=y"} {
		if _, _, err := c.Pages.Get(t.Context(), id, nil); !errors.Is(err, confluence.ErrNotFound) {
			t.Errorf("Get(%q): error %v, want ErrNotFound", id, err)
		}
	}
	if got := sim.Stats().Total; got != 0 {
		t.Errorf("requests = %d, want 0", got)
	}
	spaces, err := c.Spaces.GetMany(t.Context(), []string{engID}, []string{"eng"}, "")
	if err != nil || len(spaces) != 1 {
		t.Errorf("GetMany(id and key of one space) = %d spaces, %v; want 1", len(spaces), err)
	}
}

// TestSimInvalidIDsFailEveryCallKind: an id that would change the path
// fails single gets, list pages and iterators alike with ErrNotFound, and
// nothing is sent.
func TestSimInvalidIDsFailEveryCallKind(t *testing.T) {
	t.Parallel()
	sim, c := simPair(t, 0, "classic", confluence.TokenClassic, nil)
	calls := map[string]func(id string) error{
		"Spaces.Get": func(id string) error { _, _, err := c.Spaces.Get(t.Context(), id, nil); return err },
		"Comments.GetFooter": func(id string) error {
			_, _, err := c.Comments.GetFooter(t.Context(), id, nil)
			return err
		},
		"Attachments.Get": func(id string) error { _, _, err := c.Attachments.Get(t.Context(), id); return err },
		"Attachments.Download": func(id string) error {
			_, _, err := c.Attachments.Download(t.Context(), homeID, id)
			return err
		},
		"Versions.Get":       func(id string) error { _, _, err := c.Versions.Get(t.Context(), id, 1); return err },
		"Labels.ListForPage": func(id string) error { _, _, err := c.Labels.ListForPage(t.Context(), id, nil); return err },
		"Pages.ListDescendantsIter": func(id string) error {
			for _, err := range c.Pages.ListDescendantsIter(t.Context(), id, nil) {
				return err
			}
			return nil
		},
		"Comments.ListInlineRepliesIter": func(id string) error {
			for _, err := range c.Comments.ListInlineRepliesIter(t.Context(), id, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		if err := call("1/x"); !errors.Is(err, confluence.ErrNotFound) {
			t.Errorf("%s(1/x): error %v, want ErrNotFound", name, err)
		}
	}
	if got := sim.Stats().Total; got != 0 {
		t.Errorf("requests = %d, want 0", got)
	}
}
