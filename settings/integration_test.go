package settings_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

const tokenMarker = "PLAINTEXT-LOOKING-ENVELOPE"

func validIntegration() *settings.Integration {
	return &settings.Integration{
		TenantID:       "acme",
		Domain:         "acme.atlassian.net",
		Email:          "ops@acme.example",
		TokenType:      settings.TokenScoped,
		EncryptedToken: []byte(tokenMarker),
		TokenHint:      "x9Q2",
		Capabilities:   []settings.Capability{{Name: "SEARCH", OK: true, RequiredScope: "search:confluence"}},
		Status:         settings.StatusConnected,
	}
}

func TestIntegrationValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(in *settings.Integration)
		ok     bool
	}{
		{"valid", func(*settings.Integration) {}, true},
		{"classic without cloud id", func(in *settings.Integration) { in.TokenType = settings.TokenClassic }, true},
		{"no capabilities", func(in *settings.Integration) { in.Capabilities = nil }, true},
		{"empty tenant", func(in *settings.Integration) { in.TenantID = "" }, false},
		{"empty domain", func(in *settings.Integration) { in.Domain = "" }, false},
		{"empty email", func(in *settings.Integration) { in.Email = "" }, false},
		{"empty token type", func(in *settings.Integration) { in.TokenType = "" }, false},
		{"lowercase token type", func(in *settings.Integration) { in.TokenType = "classic" }, false},
		{"empty envelope", func(in *settings.Integration) { in.EncryptedToken = []byte{} }, false},
		{"empty status", func(in *settings.Integration) { in.Status = "" }, false},
		{"unnamed capability", func(in *settings.Integration) { in.Capabilities = append(in.Capabilities, settings.Capability{}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validIntegration()
			tt.mutate(in)
			err := in.Validate()
			if tt.ok && err != nil {
				t.Errorf("Validate() = %v; want nil", err)
			}
			if !tt.ok && !errors.Is(err, settings.ErrInvalid) {
				t.Errorf("Validate() = %v; want ErrInvalid", err)
			}
		})
	}
	var nilIn *settings.Integration
	if err := nilIn.Validate(); !errors.Is(err, settings.ErrInvalid) {
		t.Errorf("nil Validate() = %v; want ErrInvalid", err)
	}
}

func TestIntegrationCloneIsDeep(t *testing.T) {
	in := validIntegration()
	c := in.Clone()
	if diff := cmp.Diff(in, c); diff != "" {
		t.Fatalf("Clone differs (-orig +clone):\n%s", diff)
	}
	c.EncryptedToken[0] = 'X'
	c.Capabilities[0].OK = false
	if in.EncryptedToken[0] == 'X' || !in.Capabilities[0].OK {
		t.Errorf("mutating the clone changed the original")
	}
	var nilIn *settings.Integration
	if nilIn.Clone() != nil {
		t.Errorf("nil Clone() != nil")
	}
}

func TestIntegrationNeverPrintsEnvelope(t *testing.T) {
	in := validIntegration()
	var logBuf bytes.Buffer
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("saved", "integration", in)
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("saved", "integration", *in)
	js, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v pointer":  fmt.Sprintf("%v", in),
		"%+v pointer": fmt.Sprintf("%+v", in),
		"%#v pointer": fmt.Sprintf("%#v", in),
		"%v value":    fmt.Sprintf("%v", *in),
		"%+v value":   fmt.Sprintf("%+v", *in),
		"%s value":    fmt.Sprintf("[%s]", *in),
		"slog":        logBuf.String(),
		"json":        string(js),
	}
	for name, out := range outputs {
		if strings.Contains(out, tokenMarker) || strings.Contains(out, fmt.Sprint([]byte(tokenMarker))) {
			t.Errorf("%s output contains the envelope: %s", name, out)
		}
		if !strings.Contains(out, "acme") {
			t.Errorf("%s output %q lacks the tenant; want a useful description", name, out)
		}
	}
}

func TestEnumsValid(t *testing.T) {
	for _, tt := range []struct {
		name string
		got  bool
		want bool
	}{
		{"CLASSIC", settings.TokenClassic.Valid(), true},
		{"SCOPED", settings.TokenScoped.Valid(), true},
		{"token type OAUTH", settings.TokenType("OAUTH").Valid(), false},
		{"reader", settings.RoleReader.Valid(), true},
		{"admin", settings.RoleAdmin.Valid(), true},
		{"role Admin", settings.Role("Admin").Valid(), false},
	} {
		if tt.got != tt.want {
			t.Errorf("%s Valid() = %v; want %v", tt.name, tt.got, tt.want)
		}
	}
}
