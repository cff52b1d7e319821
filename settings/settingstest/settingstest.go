// Package settingstest is the conformance suite for settings.Store
// implementations. Every store runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		settingstest.Run(t, func(t *testing.T) settings.Store { ... })
//	}
package settingstest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/confluence-graph/confluence-graph/settings"
)

// Run runs the conformance suite against the store implementation that
// open returns. open is called once per subtest (subtests run in
// parallel) and must return a fresh, empty store that it closes in a
// t.Cleanup; it calls t.Fatal if the store cannot be opened.
func Run(t *testing.T, open func(t *testing.T) settings.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s settings.Store)
	}{
		{"Ping", testPing},
		{"GetIntegration/ErrNotFound", testGetIntegrationNotFound},
		{"PutIntegration/RoundTrip", testPutIntegrationRoundTrip},
		{"PutIntegration/ReplacesWhole", testPutIntegrationReplacesWhole},
		{"PutIntegration/CredentialVersion", testCredentialVersion},
		{"PutIntegration/TimestampPrecision", testTimestampPrecision},
		{"PutIntegration/ErrInvalidKeepsPrevious", testPutInvalidKeepsPrevious},
		{"PutIntegration/CancelledKeepsPrevious", testPutCancelledKeepsPrevious},
		{"PutIntegration/CallerOwnsCopies", testCallerOwnsCopies},
		{"PutIntegration/ConcurrentLastWriteWinsWhole", testConcurrentPuts},
		{"DeleteIntegration", testDeleteIntegration},
		{"TenantIsolation/Integration", testIsolationIntegration},
		{"TenantIsolation/APIKeys", testIsolationAPIKeys},
		{"TenantIsolation/Audit", testIsolationAudit},
		{"APIKey/RoundTrip", testAPIKeyRoundTrip},
		{"APIKey/ErrConflictKeepsExisting", testAPIKeyConflict},
		{"APIKey/ErrInvalid", testAPIKeyInvalid},
		{"APIKey/ErrNotFound", testAPIKeyNotFound},
		{"APIKey/ListOrder", testAPIKeyListOrder},
		{"APIKey/Revoke", testAPIKeyRevoke},
		{"APIKey/Touch", testAPIKeyTouch},
		{"Audit/AppendAndListInOrder", testAuditOrder},
		{"Audit/Window", testAuditWindow},
		{"Audit/ErrInvalid", testAuditInvalid},
		{"Audit/ConcurrentAppends", testAuditConcurrent},
		{"Audit/AppendOnlyContract", testAuditAppendOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// storeKept ignores the fields PutIntegration manages itself.
var storeKept = cmpopts.IgnoreFields(settings.Integration{}, "CredentialVersion", "CreatedAt", "UpdatedAt")

// integration returns a valid integration for tenant whose every
// caller-set field depends on n, so two values with different n differ in
// all of them.
func integration(tenant string, n int) *settings.Integration {
	caps := []settings.Capability{
		{Name: "READ_ME", OK: true, RequiredScope: "read:me"},
		{Name: "SEARCH", OK: n%2 == 0, RequiredScope: "search:confluence", Detail: fmt.Sprintf("probe %d", n)},
	}
	return &settings.Integration{
		TenantID:        tenant,
		Domain:          fmt.Sprintf("site%d.atlassian.net", n),
		Email:           fmt.Sprintf("user%d@example.com", n),
		TokenType:       []settings.TokenType{settings.TokenClassic, settings.TokenScoped}[n%2],
		CloudID:         fmt.Sprintf("cloud-%d", n),
		EncryptedToken:  []byte(fmt.Sprintf("envelope-blob-%d-\x00\xff", n)),
		TokenHint:       fmt.Sprintf("%04d", n%10000),
		AccountID:       fmt.Sprintf("acct-%d", n),
		AccountName:     fmt.Sprintf("User %d", n),
		Capabilities:    caps[:1+n%2],
		Status:          []settings.Status{settings.StatusConnected, settings.StatusInvalidCredentials}[n%2],
		LastValidatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Add(time.Duration(n) * time.Second),
		LastError:       fmt.Sprintf("error %d", n),
	}
}

func mustPut(t *testing.T, s settings.Store, in *settings.Integration) {
	t.Helper()
	if err := s.PutIntegration(t.Context(), in); err != nil {
		t.Fatalf("PutIntegration(%s) = %v; want nil", in.TenantID, err)
	}
}

func mustGet(t *testing.T, s settings.Store, tenant string) *settings.Integration {
	t.Helper()
	got, err := s.GetIntegration(t.Context(), tenant)
	if err != nil {
		t.Fatalf("GetIntegration(%q) = %v; want nil", tenant, err)
	}
	return got
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s error = %v; want %v", what, err, want)
	}
}

// checkStoreTime fails unless tm is a store-stamped time: set, UTC, and
// whole microseconds.
func checkStoreTime(t *testing.T, name string, tm time.Time) {
	t.Helper()
	if tm.IsZero() {
		t.Errorf("%s is zero; want a store-set time", name)
		return
	}
	if tm.Location() != time.UTC {
		t.Errorf("%s location = %v; want UTC", name, tm.Location())
	}
	if tm.Nanosecond()%1000 != 0 {
		t.Errorf("%s = %v has sub-microsecond digits; want microsecond precision", name, tm)
	}
}

func testPing(t *testing.T, s settings.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping() = %v; want nil", err)
	}
}

func testGetIntegrationNotFound(t *testing.T, s settings.Store) {
	got, err := s.GetIntegration(t.Context(), "nobody")
	wantErr(t, "GetIntegration(nobody)", err, settings.ErrNotFound)
	if got != nil {
		t.Errorf("GetIntegration(nobody) = %v; want nil", got)
	}
}

func testPutIntegrationRoundTrip(t *testing.T, s settings.Store) {
	in := integration("acme", 1)
	want := in.Clone()
	mustPut(t, s, in)

	if in.CredentialVersion != 1 {
		t.Errorf("CredentialVersion after first put = %d; want 1", in.CredentialVersion)
	}
	checkStoreTime(t, "CreatedAt", in.CreatedAt)
	checkStoreTime(t, "UpdatedAt", in.UpdatedAt)
	if !in.UpdatedAt.Equal(in.CreatedAt) {
		t.Errorf("first put: UpdatedAt = %v, CreatedAt = %v; want equal", in.UpdatedAt, in.CreatedAt)
	}
	if diff := cmp.Diff(want, in, storeKept); diff != "" {
		t.Errorf("PutIntegration changed caller fields (-want +got):\n%s", diff)
	}

	got := mustGet(t, s, "acme")
	if diff := cmp.Diff(in, got); diff != "" {
		t.Errorf("GetIntegration after put (-want +got):\n%s", diff)
	}
	checkStoreTime(t, "read CreatedAt", got.CreatedAt)
	checkStoreTime(t, "read UpdatedAt", got.UpdatedAt)
}

func testPutIntegrationReplacesWhole(t *testing.T, s settings.Store) {
	first := integration("acme", 1)
	mustPut(t, s, first)

	// The second record clears optional fields, so a store that merges
	// instead of replacing would leave traces of the first.
	second := integration("acme", 2)
	second.CloudID = ""
	second.AccountID = ""
	second.AccountName = ""
	second.Capabilities = nil
	second.LastValidatedAt = time.Time{}
	second.LastError = ""
	second.TokenHint = ""
	mustPut(t, s, second)

	got := mustGet(t, s, "acme")
	if diff := cmp.Diff(second, got); diff != "" {
		t.Errorf("GetIntegration after replace (-want +got):\n%s", diff)
	}
	if !got.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("CreatedAt after replace = %v; want the first put's %v", got.CreatedAt, first.CreatedAt)
	}
	if got.UpdatedAt.Before(got.CreatedAt) {
		t.Errorf("UpdatedAt = %v is before CreatedAt = %v", got.UpdatedAt, got.CreatedAt)
	}
}

func testCredentialVersion(t *testing.T, s settings.Store) {
	steps := []struct {
		name  string
		token string
		del   bool
		want  int64
	}{
		{name: "first put", token: "blob-a", want: 1},
		{name: "same token, other fields", token: "blob-a", want: 1},
		{name: "new token", token: "blob-b", want: 2},
		{name: "back to an old token", token: "blob-a", want: 3},
		{name: "put after delete", token: "blob-a", del: true, want: 4},
	}
	for i, st := range steps {
		if st.del {
			if err := s.DeleteIntegration(t.Context(), "acme"); err != nil {
				t.Fatalf("DeleteIntegration = %v; want nil", err)
			}
		}
		in := integration("acme", i)
		in.EncryptedToken = []byte(st.token)
		mustPut(t, s, in)
		if in.CredentialVersion != st.want {
			t.Errorf("%s: CredentialVersion written back = %d; want %d", st.name, in.CredentialVersion, st.want)
		}
		if got := mustGet(t, s, "acme"); got.CredentialVersion != st.want {
			t.Errorf("%s: stored CredentialVersion = %d; want %d", st.name, got.CredentialVersion, st.want)
		}
	}
	// Another tenant's counter is its own.
	other := integration("other", 9)
	mustPut(t, s, other)
	if other.CredentialVersion != 1 {
		t.Errorf("other tenant's first CredentialVersion = %d; want 1", other.CredentialVersion)
	}
}

func testTimestampPrecision(t *testing.T, s settings.Store) {
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{
			name: "nanoseconds in another zone",
			in:   time.Date(2026, 11, 25, 20, 1, 2, 123456789, zone),
			want: time.Date(2026, 11, 25, 14, 31, 2, 123456000, time.UTC),
		},
		{
			name: "whole microseconds",
			in:   time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC),
			want: time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		},
		{name: "zero means never", in: time.Time{}, want: time.Time{}},
	}
	for i, tt := range tests {
		tenant := fmt.Sprintf("tenant-%d", i)
		in := integration(tenant, i)
		in.LastValidatedAt = tt.in
		mustPut(t, s, in)
		got := mustGet(t, s, tenant).LastValidatedAt
		if !got.Equal(tt.want) || got.Location() != tt.want.Location() {
			t.Errorf("%s: LastValidatedAt = %v (%v); want %v (%v)", tt.name, got, got.Location(), tt.want, tt.want.Location())
		}
	}
}

func testPutInvalidKeepsPrevious(t *testing.T, s settings.Store) {
	prev := integration("acme", 1)
	mustPut(t, s, prev)

	tests := []struct {
		name   string
		mutate func(in *settings.Integration)
	}{
		{"empty domain", func(in *settings.Integration) { in.Domain = "" }},
		{"empty email", func(in *settings.Integration) { in.Email = "" }},
		{"unknown token type", func(in *settings.Integration) { in.TokenType = "PASSWORD" }},
		{"no encrypted token", func(in *settings.Integration) { in.EncryptedToken = nil }},
		{"empty status", func(in *settings.Integration) { in.Status = "" }},
		{"unnamed capability", func(in *settings.Integration) { in.Capabilities = []settings.Capability{{OK: true}} }},
	}
	for _, tt := range tests {
		in := integration("acme", 2)
		tt.mutate(in)
		err := s.PutIntegration(t.Context(), in)
		wantErr(t, tt.name, err, settings.ErrInvalid)
		if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
			t.Errorf("%s: record changed by a rejected put (-want +got):\n%s", tt.name, diff)
		}
	}
	wantErr(t, "PutIntegration(nil)", s.PutIntegration(t.Context(), nil), settings.ErrInvalid)

	empty := integration("", 3)
	wantErr(t, "PutIntegration(empty tenant)", s.PutIntegration(t.Context(), empty), settings.ErrInvalid)
	if _, err := s.GetIntegration(t.Context(), ""); !errors.Is(err, settings.ErrNotFound) {
		t.Errorf("GetIntegration(\"\") after rejected put = %v; want ErrNotFound", err)
	}
}

func testPutCancelledKeepsPrevious(t *testing.T, s settings.Store) {
	prev := integration("acme", 1)
	mustPut(t, s, prev)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.PutIntegration(ctx, integration("acme", 2))
	wantErr(t, "PutIntegration(cancelled)", err, context.Canceled)
	wantErr(t, "DeleteIntegration(cancelled)", s.DeleteIntegration(ctx, "acme"), context.Canceled)
	err = s.PutIntegration(ctx, integration("fresh", 3))
	wantErr(t, "PutIntegration(cancelled, new tenant)", err, context.Canceled)

	if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
		t.Errorf("record changed by cancelled writes (-want +got):\n%s", diff)
	}
	if _, err := s.GetIntegration(t.Context(), "fresh"); !errors.Is(err, settings.ErrNotFound) {
		t.Errorf("GetIntegration(fresh) after cancelled put = %v; want ErrNotFound", err)
	}
	// The version counter did not move either.
	next := integration("acme", 4)
	mustPut(t, s, next)
	if next.CredentialVersion != 2 {
		t.Errorf("CredentialVersion after cancelled puts = %d; want 2", next.CredentialVersion)
	}
}

func testCallerOwnsCopies(t *testing.T, s settings.Store) {
	in := integration("acme", 1)
	mustPut(t, s, in)
	want := in.Clone()

	// Mutating the caller's record or a returned one must not reach the store.
	in.EncryptedToken[0] ^= 0xff
	in.Capabilities[0].Name = "CHANGED"
	got := mustGet(t, s, "acme")
	got.EncryptedToken[0] ^= 0xff
	got.Capabilities[0].OK = false

	if diff := cmp.Diff(want, mustGet(t, s, "acme")); diff != "" {
		t.Errorf("stored record follows caller mutations (-want +got):\n%s", diff)
	}
}

func testConcurrentPuts(t *testing.T, s settings.Store) {
	const writers = 12
	const readsPerReader = 10
	writes := make([]*settings.Integration, writers)
	for i := range writes {
		writes[i] = integration("acme", 100+i)
	}
	byDomain := make(map[string]*settings.Integration, writers)
	for _, w := range writes {
		byDomain[w.Domain] = w.Clone()
	}
	// matches reports why got is not exactly one of the writes.
	matches := func(got *settings.Integration) string {
		w, ok := byDomain[got.Domain]
		if !ok {
			return fmt.Sprintf("domain %q is from none of the writes", got.Domain)
		}
		return cmp.Diff(w, got, storeKept)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for _, w := range writes {
		in := w.Clone()
		wg.Go(func() {
			if err := s.PutIntegration(t.Context(), in); err != nil {
				errs <- fmt.Errorf("PutIntegration(%s) = %w", in.Domain, err)
			}
		})
		wg.Go(func() {
			for range readsPerReader {
				got, err := s.GetIntegration(t.Context(), "acme")
				if errors.Is(err, settings.ErrNotFound) {
					continue // no write committed yet
				}
				if err != nil {
					errs <- fmt.Errorf("GetIntegration during puts = %w", err)
					return
				}
				if diff := matches(got); diff != "" {
					errs <- fmt.Errorf("read during puts is not one whole write (-write +read):\n%s", diff)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	got := mustGet(t, s, "acme")
	if diff := matches(got); diff != "" {
		t.Errorf("final record is not one whole write (-write +final):\n%s", diff)
	}
	// Every write carried a new token, so each bumped the version once.
	if got.CredentialVersion != writers {
		t.Errorf("CredentialVersion after %d puts of distinct tokens = %d; want %d", writers, got.CredentialVersion, writers)
	}
}

func testDeleteIntegration(t *testing.T, s settings.Store) {
	mustPut(t, s, integration("acme", 1))
	if err := s.DeleteIntegration(t.Context(), "acme"); err != nil {
		t.Fatalf("DeleteIntegration(acme) = %v; want nil", err)
	}
	_, err := s.GetIntegration(t.Context(), "acme")
	wantErr(t, "GetIntegration after delete", err, settings.ErrNotFound)
	wantErr(t, "second DeleteIntegration", s.DeleteIntegration(t.Context(), "acme"), settings.ErrNotFound)
	wantErr(t, "DeleteIntegration(never existed)", s.DeleteIntegration(t.Context(), "nobody"), settings.ErrNotFound)
}

func testIsolationIntegration(t *testing.T, s settings.Store) {
	a := integration("tenant-a", 1)
	mustPut(t, s, a)

	_, err := s.GetIntegration(t.Context(), "tenant-b")
	wantErr(t, "GetIntegration(tenant-b)", err, settings.ErrNotFound)
	wantErr(t, "DeleteIntegration(tenant-b)", s.DeleteIntegration(t.Context(), "tenant-b"), settings.ErrNotFound)

	b := integration("tenant-b", 2)
	b.Domain = a.Domain // same site, other tenant: allowed and separate
	mustPut(t, s, b)
	if b.CredentialVersion != 1 {
		t.Errorf("tenant-b CredentialVersion = %d; want 1", b.CredentialVersion)
	}
	if err := s.DeleteIntegration(t.Context(), "tenant-b"); err != nil {
		t.Fatalf("DeleteIntegration(tenant-b) = %v; want nil", err)
	}
	if diff := cmp.Diff(a, mustGet(t, s, "tenant-a")); diff != "" {
		t.Errorf("tenant-a changed by tenant-b's writes (-want +got):\n%s", diff)
	}
}

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

func testIsolationAudit(t *testing.T, s settings.Store) {
	a := &settings.AuditEvent{TenantID: "tenant-a", Action: "integration.connect", Outcome: settings.OutcomeSuccess}
	if err := s.AppendAudit(t.Context(), a); err != nil {
		t.Fatalf("AppendAudit(a) = %v; want nil", err)
	}
	got, err := s.ListAudit(t.Context(), "tenant-b", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(tenant-b) = %v; want nil", err)
	}
	if len(got) != 0 {
		t.Errorf("ListAudit(tenant-b) = %v; want no events", got)
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

func appendEvents(t *testing.T, s settings.Store, events []*settings.AuditEvent) {
	t.Helper()
	for _, e := range events {
		if err := s.AppendAudit(t.Context(), e); err != nil {
			t.Fatalf("AppendAudit(%s) = %v; want nil", e.Action, err)
		}
		if e.ID <= 0 {
			t.Errorf("AppendAudit set ID = %d; want > 0", e.ID)
		}
		checkStoreTime(t, "At", e.At)
	}
}

func testAuditOrder(t *testing.T, s settings.Store) {
	events := []*settings.AuditEvent{
		{TenantID: "acme", ActorKeyID: "0123456789abcdef", Action: "integration.connect", Outcome: settings.OutcomeFailure, Detail: "INVALID_CREDENTIALS"},
		{TenantID: "other", Action: "apikey.create", Outcome: settings.OutcomeSuccess},
		{TenantID: "acme", ActorKeyID: "0123456789abcdef", Action: "integration.connect", Outcome: settings.OutcomeSuccess, Detail: "hint …abcd"},
		{TenantID: "acme", Action: "integration.disconnect", Outcome: settings.OutcomeSuccess},
	}
	appendEvents(t, s, events)

	var want []settings.AuditEvent
	for _, e := range events {
		if e.TenantID == "acme" {
			want = append(want, *e)
		}
	}
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(acme) = %v; want nil", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListAudit(acme) (-want +got):\n%s", diff)
	}
	for i := 1; i < len(got); i++ {
		if got[i].ID <= got[i-1].ID || got[i].At.Before(got[i-1].At) {
			t.Errorf("event %d (id %d, at %v) is not after event %d (id %d, at %v)",
				i, got[i].ID, got[i].At, i-1, got[i-1].ID, got[i-1].At)
		}
	}
}

func testAuditWindow(t *testing.T, s settings.Store) {
	var events []*settings.AuditEvent
	for i := range 5 {
		events = append(events, &settings.AuditEvent{TenantID: "acme", Action: fmt.Sprintf("action.%d", i), Outcome: settings.OutcomeSuccess})
	}
	appendEvents(t, s, events)

	actions := func(evs []settings.AuditEvent) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Action)
		}
		return out
	}
	tests := []struct {
		name string
		opts settings.AuditListOptions
		want []string
	}{
		{"all", settings.AuditListOptions{}, []string{"action.0", "action.1", "action.2", "action.3", "action.4"}},
		{"limit", settings.AuditListOptions{Limit: 2}, []string{"action.0", "action.1"}},
		{"after", settings.AuditListOptions{AfterID: events[2].ID}, []string{"action.3", "action.4"}},
		{"after and limit", settings.AuditListOptions{AfterID: events[0].ID, Limit: 3}, []string{"action.1", "action.2", "action.3"}},
		{"after the last", settings.AuditListOptions{AfterID: events[4].ID}, nil},
	}
	for _, tt := range tests {
		got, err := s.ListAudit(t.Context(), "acme", tt.opts)
		if err != nil {
			t.Fatalf("%s: ListAudit = %v; want nil", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, actions(got)); diff != "" {
			t.Errorf("%s: ListAudit actions (-want +got):\n%s", tt.name, diff)
		}
	}
}

func testAuditInvalid(t *testing.T, s settings.Store) {
	tests := []struct {
		name string
		e    *settings.AuditEvent
	}{
		{"nil", nil},
		{"empty tenant", &settings.AuditEvent{Action: "a", Outcome: "success"}},
		{"empty action", &settings.AuditEvent{TenantID: "acme", Outcome: "success"}},
		{"empty outcome", &settings.AuditEvent{TenantID: "acme", Action: "a"}},
	}
	for _, tt := range tests {
		wantErr(t, tt.name, s.AppendAudit(t.Context(), tt.e), settings.ErrInvalid)
	}
	_, err := s.ListAudit(t.Context(), "", settings.AuditListOptions{})
	wantErr(t, "ListAudit(\"\")", err, settings.ErrInvalid)
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit(acme) = %v; want nil", err)
	}
	if len(got) != 0 {
		t.Errorf("ListAudit(acme) after rejected appends = %d events; want 0", len(got))
	}
}

func testAuditConcurrent(t *testing.T, s settings.Store) {
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			e := &settings.AuditEvent{TenantID: "acme", Action: fmt.Sprintf("action.%02d", i), Outcome: settings.OutcomeSuccess}
			if err := s.AppendAudit(t.Context(), e); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent AppendAudit = %v; want nil", err)
	}
	got, err := s.ListAudit(t.Context(), "acme", settings.AuditListOptions{})
	if err != nil {
		t.Fatalf("ListAudit = %v; want nil", err)
	}
	seen := map[string]bool{}
	for i, e := range got {
		seen[e.Action] = true
		if i > 0 && e.ID <= got[i-1].ID {
			t.Errorf("event %d id %d not greater than previous %d", i, e.ID, got[i-1].ID)
		}
	}
	if len(got) != n || len(seen) != n {
		t.Errorf("ListAudit after %d concurrent appends = %d events (%d distinct); want %d", n, len(got), len(seen), n)
	}
}

// auditMutator matches method names that would change or remove audit
// events.
var auditMutator = regexp.MustCompile(`(?i)(update|delete|remove|edit|purge|truncate|clear|replace|put|set).*audit|audit.*(update|delete|remove|edit|purge|truncate|clear|replace|put|set)`)

func testAuditAppendOnly(t *testing.T, s settings.Store) {
	typ := reflect.TypeOf(s)
	for i := range typ.NumMethod() {
		if name := typ.Method(i).Name; auditMutator.MatchString(name) {
			t.Errorf("%v has method %s; the audit log must be append-only", typ, name)
		}
	}
}
