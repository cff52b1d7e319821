package settings_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

var keyShape = regexp.MustCompile(`^cg_[0-9a-f]{16}_[0-9a-f]{64}$`)

func TestNewAPIKey(t *testing.T) {
	k, full, err := settings.NewAPIKey("acme", settings.RoleReader)
	if err != nil {
		t.Fatalf("NewAPIKey = %v; want nil", err)
	}
	if !keyShape.MatchString(full) {
		t.Errorf("key %q does not match %v", full, keyShape)
	}
	id, secret, err := settings.ParseAPIKey(full)
	if err != nil {
		t.Fatalf("ParseAPIKey(new key) = %v; want nil", err)
	}
	if id != k.ID {
		t.Errorf("parsed id = %q; want %q", id, k.ID)
	}
	if k.TenantID != "acme" || k.Role != settings.RoleReader {
		t.Errorf("record tenant, role = %q, %q; want acme, reader", k.TenantID, k.Role)
	}
	if !k.Verify(secret) {
		t.Errorf("Verify(own secret) = false; want true")
	}
	if strings.Contains(full, hex.EncodeToString(k.SecretHash[:])) {
		t.Errorf("key string contains its stored hash")
	}
	if err := k.Validate(); err != nil {
		t.Errorf("Validate(new key) = %v; want nil", err)
	}
	if k.Revoked() {
		t.Errorf("new key Revoked() = true; want false")
	}

	k2, full2, err := settings.NewAPIKey("acme", settings.RoleReader)
	if err != nil {
		t.Fatalf("second NewAPIKey = %v; want nil", err)
	}
	if k2.ID == k.ID || full2 == full || k2.SecretHash == k.SecretHash {
		t.Errorf("two new keys share id, string or hash; want all distinct")
	}
	if k2.Verify(secret) {
		t.Errorf("second key verifies the first key's secret")
	}
}

func TestNewAPIKeyInvalid(t *testing.T) {
	tests := []struct {
		name   string
		tenant string
		role   settings.Role
	}{
		{"empty tenant", "", settings.RoleAdmin},
		{"unknown role", "acme", "owner"},
		{"empty role", "acme", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, full, err := settings.NewAPIKey(tt.tenant, tt.role)
			if !errors.Is(err, settings.ErrInvalid) {
				t.Errorf("NewAPIKey(%q, %q) error = %v; want ErrInvalid", tt.tenant, tt.role, err)
			}
			if k != nil || full != "" {
				t.Errorf("NewAPIKey returned a key with an error")
			}
		})
	}
}

func TestParseAPIKeyMalformed(t *testing.T) {
	id := strings.Repeat("a", 16)
	secret := strings.Repeat("b", 64)
	tests := []struct {
		name string
		key  string
	}{
		{"empty", ""},
		{"no prefix", id + "_" + secret},
		{"other prefix", "xx_" + id + "_" + secret},
		{"uppercase prefix", "CG_" + id + "_" + secret},
		{"no separator", "cg_" + id + secret},
		{"short id", "cg_" + id[1:] + "_" + secret},
		{"long secret", "cg_" + id + "_" + secret + "0"},
		{"short secret", "cg_" + id + "_" + secret[1:]},
		{"uppercase hex", "cg_" + strings.ToUpper(id) + "_" + secret},
		{"not hex", "cg_" + strings.Repeat("g", 16) + "_" + secret},
		{"extra part", "cg_" + id + "_" + secret[:32] + "_" + secret[33:]},
		{"bearer prefix kept", "Bearer cg_" + id + "_" + secret},
		{"trailing newline", "cg_" + id + "_" + secret + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotID, gotSecret, err := settings.ParseAPIKey(tt.key)
			if !errors.Is(err, settings.ErrMalformedKey) {
				t.Fatalf("ParseAPIKey error = %v; want ErrMalformedKey", err)
			}
			if gotID != "" || gotSecret != "" {
				t.Errorf("ParseAPIKey = %q, %q with an error; want empty", gotID, gotSecret)
			}
			if tt.key != "" && strings.Contains(err.Error(), tt.key) {
				t.Errorf("error %q repeats the key", err)
			}
		})
	}
}

func TestParseAPIKeyValid(t *testing.T) {
	id := "0123456789abcdef"
	secret := strings.Repeat("0f", 32)
	gotID, gotSecret, err := settings.ParseAPIKey("cg_" + id + "_" + secret)
	if err != nil {
		t.Fatalf("ParseAPIKey = %v; want nil", err)
	}
	if gotID != id || gotSecret != secret {
		t.Errorf("ParseAPIKey = %q, %q; want %q, %q", gotID, gotSecret, id, secret)
	}
}

func TestHashAPIKeySecret(t *testing.T) {
	// SHA-256("abc") from FIPS 180-2, appendix B.1.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	h := settings.HashAPIKeySecret("abc")
	if got := hex.EncodeToString(h[:]); got != want {
		t.Errorf("HashAPIKeySecret(abc) = %s; want %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	k := &settings.APIKey{SecretHash: settings.HashAPIKeySecret("right")}
	tests := []struct {
		secret string
		want   bool
	}{
		{"right", true},
		{"wrong", false},
		{"righ", false},
		{"right ", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := k.Verify(tt.secret); got != tt.want {
			t.Errorf("Verify(%q) = %v; want %v", tt.secret, got, tt.want)
		}
	}
}

func TestAPIKeyJSONOmitsHash(t *testing.T) {
	k, _, err := settings.NewAPIKey("acme", settings.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "SecretHash") {
		t.Errorf("json %s contains SecretHash", b)
	}
}
