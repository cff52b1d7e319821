// Package settingstest is the conformance suite for settings.Store
// implementations. Every store runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		settingstest.Run(t, func(t *testing.T) settings.Store { ... })
//	}
package settingstest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/confluence-graph/confluence-graph/readpolicy"
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
		{"PutIntegration/CompareAndSet", testCompareAndSet},
		{"PutIntegration/ConcurrentCompareAndSet", testConcurrentCompareAndSet},
		{"Changes/AuditedInSameTransaction", testChangeAudited},
		{"ListIntegrations", testListIntegrations},
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
var storeKept = cmpopts.IgnoreFields(settings.Integration{}, "CredentialVersion", "Revision", "CreatedAt", "UpdatedAt")

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
		ReadPolicy:      policy(n),
	}
}

// policy is a read policy that depends on n; odd n gives the empty policy.
func policy(n int) readpolicy.Policy {
	if n%2 == 1 {
		return readpolicy.Policy{}
	}
	return readpolicy.Policy{AllowedSpaces: []string{"OPS", fmt.Sprintf("S%d", n)}, ExcludedLabels: []string{fmt.Sprintf("it's\"%d", n)}}
}

func mustPut(t *testing.T, s settings.Store, in *settings.Integration) {
	t.Helper()
	if err := s.PutIntegration(t.Context(), in, nil); err != nil {
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

// Concurrently runs fn(0) … fn(n-1) at the same time and reports each
// error as a failed call of what.
func Concurrently(t *testing.T, what string, n int, fn func(i int) error) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("concurrent %s = %v; want nil", what, err)
		}
	}
}
