package settings_test

import (
	"errors"
	"testing"

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
