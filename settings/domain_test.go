package settings_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

func TestNormalizeDomain(t *testing.T) {
	const dev = "127.0.0.1:9090"
	accepted := []struct {
		name, in, want string
	}{
		{"BareHost", "acme.atlassian.net", "acme.atlassian.net"},
		{"UpperCaseAndSpaces", "  ACME.Atlassian.NET ", "acme.atlassian.net"},
		{"BareSiteName", "acme", "acme.atlassian.net"},
		{"HTTPSURL", "https://acme.atlassian.net", "acme.atlassian.net"},
		{"TrailingSlash", "https://acme.atlassian.net/", "acme.atlassian.net"},
		{"HostWithSlash", "acme.atlassian.net/", "acme.atlassian.net"},
		{"WikiPath", "https://acme.atlassian.net/wiki", "acme.atlassian.net"},
		{"WikiPathSlash", "https://acme.atlassian.net/wiki/", "acme.atlassian.net"},
		{"PageURL", "https://acme.atlassian.net/wiki/spaces/OPS/pages/123/Runbook", "acme.atlassian.net"},
		{"DashedName", "my-team-2.atlassian.net", "my-team-2.atlassian.net"},
		{"DevHost", dev, dev},
		{"DevHostURL", "http://127.0.0.1:9090/wiki", dev},
	}
	for _, tc := range accepted {
		t.Run("Accepts"+tc.name, func(t *testing.T) {
			got, ue := settings.NormalizeDomain(tc.in, dev)
			if ue != nil || got != tc.want {
				t.Errorf("NormalizeDomain(%q) = %q, %v; want %q, nil", tc.in, got, ue, tc.want)
			}
		})
	}
	rejected := []struct {
		name, in string
		want     settings.ErrorCode
	}{
		{"Empty", "", settings.CodeInvalidDomain},
		{"OtherDomain", "example.com", settings.CodeDomainNotAllowed},
		{"LookAlikeSuffix", "atlassian.net.evil.com", settings.CodeDomainNotAllowed},
		{"NestedLabel", "a.b.atlassian.net", settings.CodeDomainNotAllowed},
		{"Gateway", "api.atlassian.com", settings.CodeDomainNotAllowed},
		{"BareApex", "atlassian.net", settings.CodeDomainNotAllowed},
		{"MetadataIP", "169.254.169.254", settings.CodeDomainNotAllowed},
		{"MetadataURL", "https://169.254.169.254/latest", settings.CodeInvalidDomain},
		{"Loopback", "127.0.0.1", settings.CodeDomainNotAllowed},
		{"DecimalIP", "2852039166", settings.CodeDomainNotAllowed},
		{"IPv6Loopback", "[::1]", settings.CodeDomainNotAllowed},
		{"IPv4MappedIPv6", "https://[::ffff:127.0.0.1]", settings.CodeDomainNotAllowed},
		{"OtherLoopbackPort", "127.0.0.1:9091", settings.CodeInvalidDomain},
		{"Port", "acme.atlassian.net:443", settings.CodeInvalidDomain},
		{"EmptyPort", "acme.atlassian.net:", settings.CodeInvalidDomain},
		{"Userinfo", "user@acme.atlassian.net", settings.CodeInvalidDomain},
		{"UserinfoURL", "https://acme.atlassian.net@evil.com", settings.CodeInvalidDomain},
		{"FragmentTrick", "evil.com#.atlassian.net", settings.CodeInvalidDomain},
		{"QueryTrick", "evil.com?.atlassian.net", settings.CodeInvalidDomain},
		{"PathTrick", "evil.com/acme.atlassian.net", settings.CodeInvalidDomain},
		{"OtherPath", "https://acme.atlassian.net/rest/api", settings.CodeInvalidDomain},
		{"DotSegments", "https://acme.atlassian.net/wiki/../../admin", settings.CodeInvalidDomain},
		{"EscapedPath", "https://acme.atlassian.net/wiki/%2e%2e/x", settings.CodeInvalidDomain},
		{"PlainHTTP", "http://acme.atlassian.net", settings.CodeInvalidDomain},
		{"OtherScheme", "ftp://acme.atlassian.net", settings.CodeInvalidDomain},
		{"TrailingDot", "acme.atlassian.net.", settings.CodeInvalidDomain},
		{"Underscore", "ac_me.atlassian.net", settings.CodeInvalidDomain},
		{"InnerSpace", "acme .atlassian.net", settings.CodeInvalidDomain},
		{"NonASCII", "acmé.atlassian.net", settings.CodeInvalidDomain},
		{"DevHostOverHTTPS", "https://127.0.0.1:9090", settings.CodeInvalidDomain},
	}
	for _, tc := range rejected {
		t.Run("Rejects"+tc.name, func(t *testing.T) {
			got, ue := settings.NormalizeDomain(tc.in, dev)
			if ue == nil {
				t.Fatalf("NormalizeDomain(%q) = %q, nil; want %s", tc.in, got, tc.want)
			}
			if ue.Code != tc.want {
				t.Errorf("NormalizeDomain(%q) code = %s (%s); want %s", tc.in, ue.Code, ue.Message, tc.want)
			}
			if len(ue.Field) != 2 || ue.Field[1] != "domain" {
				t.Errorf("field = %v; want [input domain]", ue.Field)
			}
		})
	}
	t.Run("DevHostOnlyWhenConfigured", func(t *testing.T) {
		if got, ue := settings.NormalizeDomain(dev, ""); ue == nil {
			t.Errorf("NormalizeDomain(%q, no dev host) = %q; want an error", dev, got)
		}
	})
}

func TestValidateEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"alice@example.com", "alice@example.com", true},
		{" bob@example.co.uk ", "bob@example.co.uk", true},
		{"", "", false},
		{"alice", "", false},
		{"alice@localhost", "", false},
		{"Alice <alice@example.com>", "", false},
		{"alice@@example.com", "", false},
		{"alice example@example.com", "", false},
	} {
		got, ue := settings.ValidateEmail(tc.in)
		if (ue == nil) != tc.ok || got != tc.want {
			t.Errorf("ValidateEmail(%q) = %q, %v; want %q, ok=%t", tc.in, got, ue, tc.want, tc.ok)
		}
		if ue != nil && ue.Code != settings.CodeInvalidEmail {
			t.Errorf("ValidateEmail(%q) code = %s; want INVALID_EMAIL", tc.in, ue.Code)
		}
	}
}
