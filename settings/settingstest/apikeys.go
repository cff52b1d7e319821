package settingstest

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/confluence-graph/confluence-graph/settings"
)

func mustKey(t *testing.T, s settings.Store, tenant string, role settings.Role) (*settings.APIKey, string) {
	t.Helper()
	k, full, err := settings.NewAPIKey(tenant, role)
	if err != nil {
		t.Fatalf("NewAPIKey(%q, %q) = %v; want nil", tenant, role, err)
	}
	if err := s.CreateAPIKey(t.Context(), k); err != nil {
		t.Fatalf("CreateAPIKey(%s) = %v; want nil", k.ID, err)
	}
	return k, full
}

func testIsolationAPIKeys(t *testing.T, s settings.Store) {
	a, _ := mustKey(t, s, "tenant-a", settings.RoleAdmin)
	b, _ := mustKey(t, s, "tenant-b", settings.RoleReader)

	gotB, err := s.ListAPIKeys(t.Context(), "tenant-b")
	if err != nil {
		t.Fatalf("ListAPIKeys(tenant-b) = %v; want nil", err)
	}
	if diff := cmp.Diff([]settings.APIKey{*b}, gotB); diff != "" {
		t.Errorf("ListAPIKeys(tenant-b) (-want +got):\n%s", diff)
	}
	wantErr(t, "RevokeAPIKey(tenant-b, a's key)", s.RevokeAPIKey(t.Context(), "tenant-b", a.ID), settings.ErrNotFound)
	got, err := s.GetAPIKey(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("GetAPIKey(a) = %v; want nil", err)
	}
	if got.Revoked() {
		t.Errorf("tenant-a's key revoked by tenant-b; want active")
	}
}

func testAPIKeyRoundTrip(t *testing.T, s settings.Store) {
	k, full, err := settings.NewAPIKey("acme", settings.RoleAdmin)
	if err != nil {
		t.Fatalf("NewAPIKey = %v; want nil", err)
	}
	if err := s.CreateAPIKey(t.Context(), k); err != nil {
		t.Fatalf("CreateAPIKey = %v; want nil", err)
	}
	checkStoreTime(t, "CreatedAt", k.CreatedAt)

	id, secret, err := settings.ParseAPIKey(full)
	if err != nil {
		t.Fatalf("ParseAPIKey(new key) = %v; want nil", err)
	}
	got, err := s.GetAPIKey(t.Context(), id)
	if err != nil {
		t.Fatalf("GetAPIKey(%s) = %v; want nil", id, err)
	}
	if diff := cmp.Diff(k, got); diff != "" {
		t.Errorf("GetAPIKey after create (-want +got):\n%s", diff)
	}
	if !got.Verify(secret) {
		t.Errorf("stored key does not verify its own secret")
	}
	if got.Verify(secret[:len(secret)-1] + "x") {
		t.Errorf("stored key verifies a wrong secret")
	}
	if got.Revoked() || !got.LastUsedAt.IsZero() {
		t.Errorf("new key: Revoked() = %v, LastUsedAt = %v; want active and never used", got.Revoked(), got.LastUsedAt)
	}
}

func testAPIKeyConflict(t *testing.T, s settings.Store) {
	orig, _ := mustKey(t, s, "acme", settings.RoleReader)

	for _, tenant := range []string{"acme", "other"} {
		dup, _, err := settings.NewAPIKey(tenant, settings.RoleAdmin)
		if err != nil {
			t.Fatalf("NewAPIKey = %v; want nil", err)
		}
		dup.ID = orig.ID
		wantErr(t, "CreateAPIKey(duplicate id, tenant "+tenant+")", s.CreateAPIKey(t.Context(), dup), settings.ErrConflict)
	}
	got, err := s.GetAPIKey(t.Context(), orig.ID)
	if err != nil {
		t.Fatalf("GetAPIKey = %v; want nil", err)
	}
	if diff := cmp.Diff(orig, got); diff != "" {
		t.Errorf("existing key changed by a conflicting create (-want +got):\n%s", diff)
	}
}

func testAPIKeyInvalid(t *testing.T, s settings.Store) {
	tests := []struct {
		name   string
		mutate func(k *settings.APIKey)
	}{
		{"empty id", func(k *settings.APIKey) { k.ID = "" }},
		{"id not hex", func(k *settings.APIKey) { k.ID = "zzzzzzzzzzzzzzzz" }},
		{"empty tenant", func(k *settings.APIKey) { k.TenantID = "" }},
		{"unknown role", func(k *settings.APIKey) { k.Role = "owner" }},
		{"no secret hash", func(k *settings.APIKey) { k.SecretHash = [32]byte{} }},
	}
	for _, tt := range tests {
		k, _, err := settings.NewAPIKey("acme", settings.RoleReader)
		if err != nil {
			t.Fatalf("NewAPIKey = %v; want nil", err)
		}
		tt.mutate(k)
		wantErr(t, tt.name, s.CreateAPIKey(t.Context(), k), settings.ErrInvalid)
	}
	wantErr(t, "CreateAPIKey(nil)", s.CreateAPIKey(t.Context(), nil), settings.ErrInvalid)
	_, err := s.ListAPIKeys(t.Context(), "")
	wantErr(t, "ListAPIKeys(\"\")", err, settings.ErrInvalid)

	all, err := s.ListAllAPIKeys(t.Context())
	if err != nil {
		t.Fatalf("ListAllAPIKeys = %v; want nil", err)
	}
	if len(all) != 0 {
		t.Errorf("ListAllAPIKeys after rejected creates = %d keys; want 0", len(all))
	}
}

func testAPIKeyNotFound(t *testing.T, s settings.Store) {
	_, err := s.GetAPIKey(t.Context(), "0123456789abcdef")
	wantErr(t, "GetAPIKey(unknown)", err, settings.ErrNotFound)
	wantErr(t, "TouchAPIKey(unknown)", s.TouchAPIKey(t.Context(), "0123456789abcdef"), settings.ErrNotFound)
	wantErr(t, "RevokeAPIKey(unknown)", s.RevokeAPIKey(t.Context(), "acme", "0123456789abcdef"), settings.ErrNotFound)
}

func testAPIKeyListOrder(t *testing.T, s settings.Store) {
	var acme, other []settings.APIKey
	for i := range 4 {
		k, _ := mustKey(t, s, "acme", []settings.Role{settings.RoleReader, settings.RoleAdmin}[i%2])
		acme = append(acme, *k)
		k, _ = mustKey(t, s, "other", settings.RoleReader)
		other = append(other, *k)
	}
	// Oldest first; keys created within one clock tick are ordered by id.
	byAge := func(keys []settings.APIKey) {
		sort.SliceStable(keys, func(i, j int) bool {
			if !keys[i].CreatedAt.Equal(keys[j].CreatedAt) {
				return keys[i].CreatedAt.Before(keys[j].CreatedAt)
			}
			return keys[i].ID < keys[j].ID
		})
	}
	byAge(acme)
	byAge(other)

	got, err := s.ListAPIKeys(t.Context(), "acme")
	if err != nil {
		t.Fatalf("ListAPIKeys(acme) = %v; want nil", err)
	}
	if diff := cmp.Diff(acme, got); diff != "" {
		t.Errorf("ListAPIKeys(acme) (-want +got):\n%s", diff)
	}
	all, err := s.ListAllAPIKeys(t.Context())
	if err != nil {
		t.Fatalf("ListAllAPIKeys = %v; want nil", err)
	}
	if diff := cmp.Diff(append(acme, other...), all); diff != "" {
		t.Errorf("ListAllAPIKeys (-want +got):\n%s", diff)
	}
}

func testAPIKeyRevoke(t *testing.T, s settings.Store) {
	k, _ := mustKey(t, s, "acme", settings.RoleAdmin)
	keep, _ := mustKey(t, s, "acme", settings.RoleReader)

	if err := s.RevokeAPIKey(t.Context(), "acme", k.ID); err != nil {
		t.Fatalf("RevokeAPIKey = %v; want nil", err)
	}
	got, err := s.GetAPIKey(t.Context(), k.ID)
	if err != nil {
		t.Fatalf("GetAPIKey(revoked) = %v; want nil", err)
	}
	if !got.Revoked() {
		t.Fatalf("GetAPIKey(revoked).Revoked() = false; want true")
	}
	checkStoreTime(t, "RevokedAt", got.RevokedAt)
	first := got.RevokedAt

	if err := s.RevokeAPIKey(t.Context(), "acme", k.ID); err != nil {
		t.Errorf("second RevokeAPIKey = %v; want nil", err)
	}
	again, err := s.GetAPIKey(t.Context(), k.ID)
	if err != nil {
		t.Fatalf("GetAPIKey = %v; want nil", err)
	}
	if !again.RevokedAt.Equal(first) {
		t.Errorf("RevokedAt after second revoke = %v; want the first %v", again.RevokedAt, first)
	}

	list, err := s.ListAPIKeys(t.Context(), "acme")
	if err != nil {
		t.Fatalf("ListAPIKeys = %v; want nil", err)
	}
	revoked := map[string]bool{}
	for _, l := range list {
		revoked[l.ID] = l.Revoked()
	}
	if want := map[string]bool{k.ID: true, keep.ID: false}; !cmp.Equal(revoked, want) {
		t.Errorf("ListAPIKeys revoked flags = %v; want %v", revoked, want)
	}
}

func testAPIKeyTouch(t *testing.T, s settings.Store) {
	k, _ := mustKey(t, s, "acme", settings.RoleReader)
	other, _ := mustKey(t, s, "acme", settings.RoleReader)
	if err := s.TouchAPIKey(t.Context(), k.ID); err != nil {
		t.Fatalf("TouchAPIKey = %v; want nil", err)
	}
	got, err := s.GetAPIKey(t.Context(), k.ID)
	if err != nil {
		t.Fatalf("GetAPIKey = %v; want nil", err)
	}
	checkStoreTime(t, "LastUsedAt", got.LastUsedAt)
	if got.LastUsedAt.Before(got.CreatedAt) {
		t.Errorf("LastUsedAt = %v is before CreatedAt = %v", got.LastUsedAt, got.CreatedAt)
	}
	if diff := cmp.Diff(k, got, cmpopts.IgnoreFields(settings.APIKey{}, "LastUsedAt")); diff != "" {
		t.Errorf("TouchAPIKey changed more than LastUsedAt (-want +got):\n%s", diff)
	}
	untouched, err := s.GetAPIKey(t.Context(), other.ID)
	if err != nil {
		t.Fatalf("GetAPIKey(other) = %v; want nil", err)
	}
	if !untouched.LastUsedAt.IsZero() {
		t.Errorf("other key's LastUsedAt = %v; want zero", untouched.LastUsedAt)
	}
}
