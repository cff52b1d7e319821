package settings_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/settings"
)

func TestAuditEventValidate(t *testing.T) {
	tests := []struct {
		name string
		e    *settings.AuditEvent
		ok   bool
	}{
		{"valid without actor", &settings.AuditEvent{TenantID: "acme", Action: "apikey.create", Outcome: settings.OutcomeSuccess}, true},
		{"valid with actor", &settings.AuditEvent{TenantID: "acme", ActorKeyID: "0123456789abcdef", Action: "integration.test", Outcome: settings.OutcomeFailure}, true},
		{"nil", nil, false},
		{"no tenant", &settings.AuditEvent{Action: "a", Outcome: settings.OutcomeDenied}, false},
		{"no action", &settings.AuditEvent{TenantID: "acme", Outcome: settings.OutcomeDenied}, false},
		{"no outcome", &settings.AuditEvent{TenantID: "acme", Action: "a"}, false},
		{"longest detail", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: strings.Repeat("é", settings.MaxAuditDetail/2)}, true},
		{"detail over the cap", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: strings.Repeat("x", settings.MaxAuditDetail+1)}, false},
		{"a megabyte of detail", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: strings.Repeat("alias ", 1<<18)}, false},
		{"detail with a line break", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: "a\nforged=line"}, false},
		{"detail not UTF-8", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: "\xff"}, false},
		{"action one word", &settings.AuditEvent{TenantID: "acme", Action: "connect", Outcome: "success"}, false},
		{"action of client text", &settings.AuditEvent{TenantID: "acme", Action: "integration.My Alias!", Outcome: "success"}, false},
		{"action too long", &settings.AuditEvent{TenantID: "acme", Action: "integration." + strings.Repeat("a", 200), Outcome: "success"}, false},
		{"outcome two words", &settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "not ok"}, false},
		{"actor with a control character", &settings.AuditEvent{TenantID: "acme", ActorKeyID: "k\x00", Action: "integration.test", Outcome: "success"}, false},
		{"tenant too long", &settings.AuditEvent{TenantID: strings.Repeat("t", 129), Action: "integration.test", Outcome: "success"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.Validate()
			if tt.ok && err != nil {
				t.Errorf("Validate() = %v; want nil", err)
			}
			if !tt.ok && !errors.Is(err, settings.ErrInvalid) {
				t.Errorf("Validate() = %v; want ErrInvalid", err)
			}
		})
	}
}

func TestBoundAuditDetail(t *testing.T) {
	for _, in := range []string{
		"",
		"domain=acme.atlassian.net codes=INVALID_CREDENTIALS",
		"bad\xffbytes and a\nline break\x00",
		strings.Repeat("x", 10*settings.MaxAuditDetail),
		strings.Repeat("€", settings.MaxAuditDetail),
	} {
		got := settings.BoundAuditDetail(in)
		e := settings.AuditEvent{TenantID: "acme", Action: "integration.test", Outcome: "success", Detail: got}
		if err := e.Validate(); err != nil {
			t.Errorf("BoundAuditDetail(%.20q…) = %.20q… is not a valid detail: %v", in, got, err)
		}
		if len(in) <= settings.MaxAuditDetail && utf8.ValidString(in) && !strings.ContainsAny(in, "\n\x00") && got != in {
			t.Errorf("BoundAuditDetail(%q) = %q; want it unchanged", in, got)
		}
	}
}
