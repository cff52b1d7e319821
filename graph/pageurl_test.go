package graph

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestParsePageURL(t *testing.T) {
	const acme = "acme.atlassian.net"
	tests := []struct {
		name string
		url  string
		want pageRef
	}{
		{"spaces link with title", "https://acme.atlassian.net/wiki/spaces/OPS/pages/39813121/Deployment+Runbook", pageRef{ID: "39813121", Host: acme}},
		{"spaces link without title", "/wiki/spaces/OPS/pages/123", pageRef{ID: "123"}},
		{"spaces link without wiki prefix", "/spaces/OPS/pages/123/T", pageRef{ID: "123"}},
		{"editor link", "https://acme.atlassian.net/wiki/spaces/OPS/pages/edit-v2/777", pageRef{ID: "777", Host: acme}},
		{"host without scheme", "acme.atlassian.net/wiki/spaces/OPS/pages/42/X", pageRef{ID: "42", Host: acme}},
		{"tiny link", "https://acme.atlassian.net/wiki/x/AYBfAg", pageRef{ID: "39813121", Host: acme}},
		{"tiny link relative", "/x/AYBfAg", pageRef{ID: "39813121"}},
		{"viewpage action", "https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=98306", pageRef{ID: "98306", Host: acme}},
		{"display link", "https://acme.atlassian.net/wiki/display/OPS/Redis+Failover+Procedure", pageRef{SpaceKey: "OPS", Title: "Redis Failover Procedure", Host: acme}},
		{"display link escaped", "/display/ENG/Payment%20Service%3A%20Architecture", pageRef{SpaceKey: "ENG", Title: "Payment Service: Architecture"}},
		{"surrounding spaces", "  /wiki/spaces/OPS/pages/5  ", pageRef{ID: "5"}},
		{"host in capitals with a trailing dot and the default port", "https://ACME.Atlassian.NET.:443/wiki/x/AYBfAg", pageRef{ID: "39813121", Host: acme}},
		{"development host with its port", "http://127.0.0.1:9090/wiki/x/AYBfAg", pageRef{ID: "39813121", Host: "127.0.0.1:9090"}},
		{"network-path reference keeps its host", "//evil.example/wiki/x/AYBfAg", pageRef{ID: "39813121", Host: "evil.example"}},
		// Data Center: the same forms under the context path.
		{"data center display link", "https://wiki.corp.example/confluence/display/OPS/Redis+Failover", pageRef{SpaceKey: "OPS", Title: "Redis Failover", Host: "wiki.corp.example"}},
		{"data center viewpage", "https://wiki.corp.example:8443/confluence/pages/viewpage.action?pageId=98306", pageRef{ID: "98306", Host: "wiki.corp.example:8443"}},
		{"data center tiny link", "https://wiki.corp.example/confluence/x/AYBfAg", pageRef{ID: "39813121", Host: "wiki.corp.example"}},
		{"data center at the root", "https://wiki.corp.example/display/OPS/Home", pageRef{SpaceKey: "OPS", Title: "Home", Host: "wiki.corp.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePageURL(tt.url)
			if err != nil {
				t.Fatalf("parsePageURL(%q) error: %v", tt.url, err)
			}
			if got != tt.want {
				t.Errorf("parsePageURL(%q) = %+v, want %+v", tt.url, got, tt.want)
			}
		})
	}
}

func TestParsePageURLRejects(t *testing.T) {
	for _, u := range []string{
		"",
		"https://acme.atlassian.net/wiki/spaces/OPS/overview",
		"/wiki/spaces/OPS/pages/notanid/Title",
		"/wiki/pages/viewpage.action?pageId=12a",
		"/wiki/x/!!!",
		"/wiki/x/AAAA",
		"/display/OPS",
		"/confluence/display/OPS",
		"https://wiki.corp.example/confluence/",
		"https://example.com/",
		"https://acme.atlassian.net@evil.example/wiki/x/AYBfAg",
		"https://user:pw@acme.atlassian.net/wiki/x/AYBfAg",
	} {
		_, err := parsePageURL(u)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("parsePageURL(%q) error = %v, want an *InputError", u, err)
		}
	}
}

func TestTinyIDRoundTrip(t *testing.T) {
	for _, id := range []string{"1", "255", "256", "98306", "39813121", "4294967296", "18446744073709551615"} {
		code, err := encodeTinyID(id)
		if err != nil {
			t.Fatalf("encodeTinyID(%s): %v", id, err)
		}
		got, err := decodeTinyID(code)
		if err != nil || got != id {
			t.Errorf("decodeTinyID(encodeTinyID(%s) = %q) = %q, %v; want %s", id, code, got, err, id)
		}
	}
	if code, _ := encodeTinyID("39813121"); code != "AYBfAg" {
		t.Errorf("encodeTinyID(39813121) = %q, want AYBfAg", code)
	}
}

// encodeTinyID is the inverse of decodeTinyID (only the tests make tiny links): page 39813121 gives "AYBfAg".
func encodeTinyID(id string) (string, error) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return "", fmt.Errorf("graph: %q is not a page id", id)
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], n)
	b := buf[:]
	for len(b) > 1 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// A link with a host resolves only on the tenant's own site; the refusal names the expected host.
func TestCheckLinkHost(t *testing.T) {
	const site = "acme.atlassian.net"
	for _, tt := range []struct {
		host, site string
		ok         bool
	}{
		{"acme.atlassian.net", site, true},
		{"acme.atlassian.net", "ACME.atlassian.net.", true},
		{"other.atlassian.net", site, false},
		{"acme.atlassian.net.evil.example", site, false},
		{"acme.atlassian.net:8443", site, false},
		{"127.0.0.1:9090", "127.0.0.1:9090", true},
		{"127.0.0.1:9091", "127.0.0.1:9090", false},
		{"acme.atlassian.net", "", false},
	} {
		err := checkLinkHost(tt.host, tt.site)
		var ie *InputError
		switch {
		case tt.ok && err != nil:
			t.Errorf("checkLinkHost(%q, %q) = %v, want nil", tt.host, tt.site, err)
		case !tt.ok && !errors.As(err, &ie):
			t.Errorf("checkLinkHost(%q, %q) = %v, want an *InputError", tt.host, tt.site, err)
		case !tt.ok && tt.site != "" && !strings.Contains(ie.Message, strings.TrimSuffix(strings.ToLower(tt.site), ".")):
			t.Errorf("checkLinkHost(%q, %q) message %q does not name the expected host", tt.host, tt.site, ie.Message)
		}
	}
}
