package settings_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/settings"
)

// TestAuditHoldsNoClientText: what a client sends reaches the audit log
// only as validated, bounded facts. A token's last bytes are shown as its
// hint only when they are printable ASCII, so a pasted token cannot write
// arbitrary (or broken UTF-8) text into the log.
func TestAuditHoldsNoClientText(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	a := e.sim.Account("classic")
	for _, token := range []string{
		"ATATT3xForged\u202e\u202e", // right-to-left overrides: 6 bytes, cut mid-character
		"ATATT3xForged" + strings.Repeat("é", 2000),
	} {
		res, err := e.svc.Connect(t.Context(), "acme", "k", settings.ConnectInput{Domain: e.sim.Host(), Email: a.Email, APIToken: token})
		if err != nil || res.OK() {
			t.Fatalf("Connect with a forged token = %v, %v; want a refusal", res.UserErrors, err)
		}
	}
	events, err := e.store.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil || len(events) != 2 {
		t.Fatalf("ListAudit = %d events, %v; want 2", len(events), err)
	}
	for _, ev := range events {
		if !utf8.ValidString(ev.Detail) || len(ev.Detail) > settings.MaxAuditDetail || strings.ContainsAny(ev.Detail, "\u202eé") {
			t.Errorf("audit detail %q carries client text", ev.Detail)
		}
		if !strings.Contains(ev.Detail, "token_hint= ") {
			t.Errorf("audit detail %q; want an empty token hint for a token that does not end in printable ASCII", ev.Detail)
		}
	}
}
