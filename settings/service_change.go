package settings

import (
	"context"
	"errors"
	"fmt"

	"github.com/confluence-graph/confluence-graph/envelope"
)

// maxWriteAttempts bounds how often a change computed from a stored
// record is re-applied to a fresher one before it gives up with CONFLICT.
const maxWriteAttempts = 3

// errChanged means a change was not written because the stored record
// changed in a way the change depended on (the Service reports CONFLICT).
var errChanged = errors.New("settings: the integration changed meanwhile")

// Test re-validates the tenant's stored credential against Confluence and
// stores the outcome: status (CONNECTED, INVALID_CREDENTIALS,
// MISSING_SCOPES, UNREACHABLE), capabilities, last validation time and
// error. The credential and its version are unchanged. It returns the
// updated integration and the user errors found (the same codes as
// Connect; ENCRYPTION_UNAVAILABLE when the stored token cannot be opened,
// then nothing is written; RATE_LIMITED leaves status and capabilities as
// they were). A tenant with no integration gets NOT_CONNECTED and a nil
// integration. Every outcome is audited; the status update and its audit
// event are written in one transaction.
//
// The status update is compare-and-set: if the record changed during the
// probe but still holds the probed credential (same site, email and
// credential version), the outcome is applied to the fresh record; if the
// credential changed or was disconnected, nothing is written and the
// result has CONFLICT (and the integration as it was probed).
func (s *Service) Test(ctx context.Context, tenantID, actorKeyID string) (Result, error) {
	cur, unlock, refused, err := s.lockCurrent(ctx, tenantID, actorKeyID, ActionTest)
	if cur == nil {
		return refused, err
	}
	defer unlock()

	detail := fmt.Sprintf("domain=%s token_hint=%s credential_version=%d", cur.Domain, cur.TokenHint, cur.CredentialVersion)
	token, err := s.token(ctx, cur)
	if err != nil {
		if errors.Is(err, envelope.ErrKeyServiceUnavailable) {
			ue := encryptionUnavailable()
			ue.Message = "The key service that decrypts the stored token is unavailable; the connection was not tested."
			s.audit(ctx, tenantID, actorKeyID, ActionTest, OutcomeFailure, detail+" codes="+string(ue.Code))
			return Result{Integration: public(cur), UserErrors: []UserError{ue}}, nil
		}
		s.audit(ctx, tenantID, actorKeyID, ActionTest, OutcomeFailure, detail+" error=decrypt")
		return Result{}, fmt.Errorf("settings: open stored token: %w", err)
	}
	var v validation
	if cur.Deployment == DeploymentDataCenter {
		v, err = s.validateDC(ctx, cur.BaseURL, string(token))
	} else {
		v, err = s.validate(ctx, cur.Domain, cur.Email, string(token), cur)
	}
	clear(token)
	if err != nil {
		s.audit(ctx, tenantID, actorKeyID, ActionTest, OutcomeFailure, detail+" error=validation")
		return Result{}, err
	}
	validatedAt := s.stamp()
	probe := func(rec *Integration) *Integration {
		out := rec.Clone()
		if v.status != "" { // "" means undecided (rate limited): keep what was known
			out.Status = v.status
			out.LastValidatedAt = validatedAt
			v.applyTo(out)
		}
		out.LastError = ""
		if len(v.errs) > 0 {
			out.LastError = v.errs[0].Message
		}
		return out
	}
	outcome := OutcomeSuccess
	if len(v.errs) > 0 {
		outcome = OutcomeFailure
		detail += " codes=" + codesString(v.errs) + v.missingDetail()
	}
	rec := probe(cur)
	ev := event(tenantID, actorKeyID, ActionTest, outcome, detail+" status="+string(rec.Status))
	stored, err := s.write(ctx, rec, ev, func(fresh *Integration) *Integration {
		if !sameCredential(cur, fresh) {
			return nil
		}
		return probe(fresh)
	})
	if errors.Is(err, errChanged) {
		res := s.refuse(ctx, tenantID, actorKeyID, ActionTest, detail, conflict())
		res.Integration = public(cur)
		return res, nil
	}
	if err != nil {
		s.audit(ctx, tenantID, actorKeyID, ActionTest, OutcomeFailure, detail+" error=store")
		return Result{}, fmt.Errorf("settings: store validation result: %w", err)
	}
	res := Result{Integration: public(stored), UserErrors: v.errs}
	if ue := v.lostSince(cur.Capabilities); ue != nil && len(v.errs) == 0 {
		res.UserErrors = append(res.UserErrors, *ue)
	}
	return res, nil
}

// Disconnect deletes the tenant's integration and drops every cached item
// of the tenant: decrypted tokens, the pooled Confluence client and the
// TenantCaches. It reports whether an integration was deleted (false when
// there was none; the caches are dropped either way). The action is
// audited, a deletion in the same transaction. A disconnect is never
// refused for a concurrent change: it deletes whatever is stored then.
// The error is non-nil only when the store fails.
func (s *Service) Disconnect(ctx context.Context, tenantID, actorKeyID string) (bool, error) {
	unlock, err := s.lockTenant(tenantID)
	if err != nil {
		return false, err
	}
	defer unlock()

	ev := event(tenantID, actorKeyID, ActionDisconnect, OutcomeSuccess, "credentials deleted")
	err = s.store.DeleteIntegration(ctx, tenantID, ev)
	s.dropTenant(tenantID)
	switch {
	case errors.Is(err, ErrNotFound):
		s.audit(ctx, tenantID, actorKeyID, ActionDisconnect, OutcomeSuccess, "nothing stored")
		return false, nil
	case err != nil:
		s.audit(ctx, tenantID, actorKeyID, ActionDisconnect, OutcomeFailure, "error=store")
		return false, fmt.Errorf("settings: delete integration: %w", err)
	}
	s.log.InfoContext(ctx, "settings: integration deleted", "tenant_id", tenantID, "revision", ev.Revision)
	return true, nil
}

// write stores rec with its audit event ev in one transaction, compare-and-
// set on rec.Revision (0: unconditionally). When the stored record moved
// on, reapply (nil: never) gets the fresh record (nil if deleted) and
// returns the record to write instead, or nil when the change no longer
// applies; then, or after maxWriteAttempts, write returns errChanged. It
// returns the record as stored.
func (s *Service) write(ctx context.Context, rec *Integration, ev *AuditEvent, reapply func(fresh *Integration) *Integration) (*Integration, error) {
	for attempt := 1; ; attempt++ {
		e := *ev
		err := s.store.PutIntegration(ctx, rec, &e)
		if err == nil {
			*ev = e
			return rec, nil
		}
		if !errors.Is(err, ErrStale) {
			return nil, err
		}
		if reapply == nil || attempt == maxWriteAttempts {
			return nil, errChanged
		}
		fresh, err := s.store.GetIntegration(ctx, rec.TenantID)
		if errors.Is(err, ErrNotFound) {
			fresh, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		if rec = reapply(fresh); rec == nil {
			return nil, errChanged
		}
	}
}

// sameCredential reports whether fresh (nil when deleted) still holds the
// credential of base: the same site, email and credential version, so a
// change computed from base (a probe's outcome, an update's defaults) means
// the same on fresh.
func sameCredential(base, fresh *Integration) bool {
	return fresh != nil && fresh.CredentialVersion == base.CredentialVersion &&
		fresh.Domain == base.Domain && fresh.Email == base.Email
}

func conflict() UserError {
	return UserError{Code: CodeConflict,
		Message: "The connection was changed or disconnected by another request while this one was being validated; nothing was written.",
		Hints:   []string{"Reload the connection settings and try again."}}
}
