package settingstest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/confluence-graph/confluence-graph/settings"
)

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
			if err := s.DeleteIntegration(t.Context(), "acme", nil); err != nil {
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
		err := s.PutIntegration(t.Context(), in, nil)
		wantErr(t, tt.name, err, settings.ErrInvalid)
		if diff := cmp.Diff(prev, mustGet(t, s, "acme")); diff != "" {
			t.Errorf("%s: record changed by a rejected put (-want +got):\n%s", tt.name, diff)
		}
	}
	wantErr(t, "PutIntegration(nil)", s.PutIntegration(t.Context(), nil, nil), settings.ErrInvalid)

	empty := integration("", 3)
	wantErr(t, "PutIntegration(empty tenant)", s.PutIntegration(t.Context(), empty, nil), settings.ErrInvalid)
	if _, err := s.GetIntegration(t.Context(), ""); !errors.Is(err, settings.ErrNotFound) {
		t.Errorf("GetIntegration(\"\") after rejected put = %v; want ErrNotFound", err)
	}
}

func testPutCancelledKeepsPrevious(t *testing.T, s settings.Store) {
	prev := integration("acme", 1)
	mustPut(t, s, prev)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.PutIntegration(ctx, integration("acme", 2), nil)
	wantErr(t, "PutIntegration(cancelled)", err, context.Canceled)
	wantErr(t, "DeleteIntegration(cancelled)", s.DeleteIntegration(ctx, "acme", nil), context.Canceled)
	err = s.PutIntegration(ctx, integration("fresh", 3), nil)
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
			if err := s.PutIntegration(t.Context(), in, nil); err != nil {
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
	if err := s.DeleteIntegration(t.Context(), "acme", nil); err != nil {
		t.Fatalf("DeleteIntegration(acme) = %v; want nil", err)
	}
	_, err := s.GetIntegration(t.Context(), "acme")
	wantErr(t, "GetIntegration after delete", err, settings.ErrNotFound)
	wantErr(t, "second DeleteIntegration", s.DeleteIntegration(t.Context(), "acme", nil), settings.ErrNotFound)
	wantErr(t, "DeleteIntegration(never existed)", s.DeleteIntegration(t.Context(), "nobody", nil), settings.ErrNotFound)
}

func testIsolationIntegration(t *testing.T, s settings.Store) {
	a := integration("tenant-a", 1)
	mustPut(t, s, a)

	_, err := s.GetIntegration(t.Context(), "tenant-b")
	wantErr(t, "GetIntegration(tenant-b)", err, settings.ErrNotFound)
	wantErr(t, "DeleteIntegration(tenant-b)", s.DeleteIntegration(t.Context(), "tenant-b", nil), settings.ErrNotFound)

	b := integration("tenant-b", 2)
	b.Domain = a.Domain // same site, other tenant: allowed and separate
	mustPut(t, s, b)
	if b.CredentialVersion != 1 {
		t.Errorf("tenant-b CredentialVersion = %d; want 1", b.CredentialVersion)
	}
	if err := s.DeleteIntegration(t.Context(), "tenant-b", nil); err != nil {
		t.Fatalf("DeleteIntegration(tenant-b) = %v; want nil", err)
	}
	if diff := cmp.Diff(a, mustGet(t, s, "tenant-a")); diff != "" {
		t.Errorf("tenant-a changed by tenant-b's writes (-want +got):\n%s", diff)
	}
}
