package confluence_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/confluence"
)

// TestNormalizeSite: user input is reduced to one label under
// atlassian.net, lowercased; anything else (IP literals, ports, user info,
// other domains, deeper names) is refused with ErrHostNotAllowed.
func TestNormalizeSite(t *testing.T) {
	t.Parallel()
	ok := []struct{ in, want string }{
		{"acme", "acme.atlassian.net"},
		{"  acme  ", "acme.atlassian.net"},
		{"acme\t\n", "acme.atlassian.net"},
		{"acme.atlassian.net", "acme.atlassian.net"},
		{"ACME.Atlassian.NET", "acme.atlassian.net"},
		{"https://acme.atlassian.net", "acme.atlassian.net"},
		{"HTTPS://acme.atlassian.net/wiki/spaces/OPS/pages/1", "acme.atlassian.net"},
		{"my-team-2", "my-team-2.atlassian.net"},
		{strings.Repeat("a", 63), strings.Repeat("a", 63) + ".atlassian.net"},
		// All digits is a DNS label under atlassian.net, not an IP literal;
		// the dial guard checks whatever it resolves to.
		{"2130706433", "2130706433.atlassian.net"},
	}
	for _, tt := range ok {
		got, err := confluence.NormalizeSite(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeSite(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
	bad := []string{
		"", "   ",
		"127.0.0.1", "[::1]", "169.254.169.254", "[::ffff:127.0.0.1]", "0.0.0.0", "0177.0.0.1", "0x7f.0.0.1",
		"https://127.0.0.1", "https://[::1]/wiki",
		"evil.com", "evil.com#.atlassian.net", "atlassian.net.evil.com", "acme.atlassian.net.evil.com",
		"atlassian.net", ".atlassian.net", "a.b.atlassian.net", "acme.atlassian.net.", "https://acme.atlassian.net.",
		"user@acme.atlassian.net", "https://user:pass@acme.atlassian.net", "https://user@acme.atlassian.net",
		"acme.atlassian.net:443", "https://acme.atlassian.net:443", "https://acme.atlassian.net:8443/wiki",
		"http://acme.atlassian.net", "ftp://acme.atlassian.net", "javascript://acme.atlassian.net",
		"https://acme.atlassian.net/?next=evil", "https://acme.atlassian.net/#frag",
		"acmé.atlassian.net", "аcme.atlassian.net", "acme\u200b.atlassian.net", "acme .atlassian.net", "ac\tme",
		"-acme", "acme-", "ac_me", strings.Repeat("a", 64),
		`acme.atlassian.net\@evil.com`, "acme.atlassian.net/evil", "//acme.atlassian.net",
	}
	for _, in := range bad {
		got, err := confluence.NormalizeSite(in)
		if !errors.Is(err, confluence.ErrHostNotAllowed) {
			t.Errorf("NormalizeSite(%q) = %q, %v; want ErrHostNotAllowed", in, got, err)
		}
	}
}
