package settings_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/readpolicy"
	"github.com/confluence-graph/confluence-graph/settings"
)

func TestSetReadPolicyStoresANormalizedAuditedPolicy(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		before := e.mustConnect(t, "acme", "classic")
		res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin-1", readpolicy.Policy{
			AllowedSpaces: []string{"ops", " PIR", "OPS"}, ExcludedLabels: []string{"Confidential"}})
		if err != nil || !res.OK() {
			t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
		}
		want := readpolicy.Policy{AllowedSpaces: []string{"OPS", "PIR"}, ExcludedLabels: []string{"confidential"}}
		got, err := e.svc.Get(t.Context(), "acme")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.ReadPolicy) != fmt.Sprint(want) || got.Revision != before.Revision+1 {
			t.Errorf("stored policy %+v at revision %d; want %+v at %d", got.ReadPolicy, got.Revision, want, before.Revision+1)
		}
		if got.CredentialVersion != before.CredentialVersion {
			t.Errorf("credential version moved from %d to %d", before.CredentialVersion, got.CredentialVersion)
		}
		events, err := e.store.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last := events[len(events)-1]
		if last.Action != settings.ActionSetReadPolicy || last.Outcome != settings.OutcomeSuccess ||
			!strings.Contains(last.Detail, "allowed_spaces=2[OPS,PIR]") || last.Revision != got.Revision {
			t.Errorf("audit = %+v", last)
		}
	})
}

func TestSetReadPolicyRefusesWhatCannotBeEnforced(t *testing.T) {
	thousand := make([]string, 1000)
	for i := range thousand {
		thousand[i] = fmt.Sprintf("K%d", i)
	}
	cases := []struct {
		name  string
		in    readpolicy.Policy
		code  settings.ErrorCode
		field string
		says  string
	}{
		{"unknown space", readpolicy.Policy{AllowedSpaces: []string{"OPS", "NOPE"}}, settings.CodeUnknownSpaces, "allowedSpaces", "NOPE"},
		{"1,000 keys", readpolicy.Policy{AllowedSpaces: thousand}, settings.CodeInvalidReadPolicy, "allowedSpaces", "at most 250"},
		{"label with a space", readpolicy.Policy{ExcludedLabels: []string{"top secret"}}, settings.CodeInvalidReadPolicy, "excludedLabels", "one word"},
		{"key with a quote", readpolicy.Policy{AllowedSpaces: []string{`OPS") OR space = ("HR`}}, settings.CodeInvalidReadPolicy, "allowedSpaces", "not a space key"},
	}
	eachStore(t, func(t *testing.T, e *env) {
		before := e.mustConnect(t, "acme", "classic")
		for _, c := range cases {
			res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin-1", c.in)
			if err != nil {
				t.Fatalf("%s: error %v", c.name, err)
			}
			ue := userError(res, c.code)
			if ue.Code != c.code || !slices.Equal(ue.Field, []string{"input", c.field}) || !strings.Contains(ue.Message, c.says) || len(ue.Hints) == 0 {
				t.Errorf("%s: user errors %+v; want %s on %s saying %q", c.name, res.UserErrors, c.code, c.field, c.says)
			}
			if res.Integration != nil {
				t.Errorf("%s: returned an integration on failure", c.name)
			}
		}
		got, _ := e.svc.Get(t.Context(), "acme")
		if got.Revision != before.Revision || !got.ReadPolicy.Empty() {
			t.Errorf("after refusals: revision %d (was %d), policy %+v; want nothing written", got.Revision, before.Revision, got.ReadPolicy)
		}
	})
}

func TestReadPolicySurvivesCredentialChangesAndDiesWithDisconnect(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		e.mustConnect(t, "acme", "classic")
		p := readpolicy.Policy{AllowedSpaces: []string{"OPS"}, ExcludedLabels: []string{"confidential"}}
		if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin-1", p); err != nil || !res.OK() {
			t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
		}
		check := func(step string, want readpolicy.Policy) {
			t.Helper()
			got, err := e.svc.Get(t.Context(), "acme")
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if fmt.Sprint(got.ReadPolicy) != fmt.Sprint(want) {
				t.Errorf("after %s the policy is %+v; want %+v", step, got.ReadPolicy, want)
			}
		}
		scoped := e.sim.Account("scoped")
		if res, err := e.svc.Update(t.Context(), "acme", "admin-1", settings.UpdateInput{Email: &scoped.Email, APIToken: &scoped.Token}); err != nil || !res.OK() {
			t.Fatalf("Update = %+v, %v", res.UserErrors, err)
		}
		check("a new token", p)
		if res, err := e.svc.Test(t.Context(), "acme", "admin-1"); err != nil || !res.OK() {
			t.Fatalf("Test = %+v, %v", res.UserErrors, err)
		}
		check("a connection test", p)
		e.mustConnect(t, "acme", "classic")
		check("connecting again", p)
		if _, err := e.svc.Disconnect(t.Context(), "acme", "admin-1"); err != nil {
			t.Fatal(err)
		}
		e.mustConnect(t, "acme", "classic")
		check("a disconnect and a new connection", readpolicy.Policy{})
	})
}

func TestSetReadPolicyWithoutAConnection(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		res, err := e.svc.SetReadPolicy(t.Context(), "nobody", "admin-1", readpolicy.Policy{AllowedSpaces: []string{"OPS"}})
		if err != nil || !hasCode(res, settings.CodeNotConnected) {
			t.Fatalf("SetReadPolicy = %+v, %v; want NOT_CONNECTED", res.UserErrors, err)
		}
	})
}
