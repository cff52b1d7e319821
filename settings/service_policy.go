package settings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/confluence-graph/confluence-graph/readpolicy"
)

// ActionSetReadPolicy is the audit action of SetReadPolicy.
const ActionSetReadPolicy = "integration.read_policy"

// The user error codes of SetReadPolicy.
const (
	// CodeInvalidReadPolicy: a space key or label is malformed, or a list
	// is over its limit; the message says which and how to fix it.
	CodeInvalidReadPolicy ErrorCode = "INVALID_READ_POLICY"
	// CodeUnknownSpaces: allowed space keys the connected account cannot
	// see (or that do not exist); the hints list them.
	CodeUnknownSpaces ErrorCode = "UNKNOWN_SPACES"
)

// SetReadPolicy validates p and stores it as the tenant's read policy. The
// policy is normalized (readpolicy.Policy.Normalize: INVALID_READ_POLICY
// when it cannot be) and every allowed space key is checked against the
// spaces the stored credential can see (UNKNOWN_SPACES naming the others;
// the errors of Connect when Confluence cannot answer). Nothing is written
// on any user error.
//
// The write is compare-and-set on the revision read at the start and is
// re-applied to a fresher record that holds the same credential (a status
// update by Test on another replica); a new credential or a disconnect
// meanwhile gives CONFLICT. Every replica reads the policy with the
// integration on each request, so it applies from the next request on.
// Every outcome is audited with the policy's space keys and labels (they
// are configuration, not content).
func (s *Service) SetReadPolicy(ctx context.Context, tenantID, actorKeyID string, p readpolicy.Policy) (Result, error) {
	cur, unlock, refused, err := s.lockCurrent(ctx, tenantID, actorKeyID, ActionSetReadPolicy)
	if cur == nil {
		return refused, err
	}
	defer unlock()

	p, err = p.Normalize()
	var ie *readpolicy.InvalidError
	if errors.As(err, &ie) {
		return s.refuse(ctx, tenantID, actorKeyID, ActionSetReadPolicy, "", UserError{
			Field: []string{"input", string(ie.Field)}, Code: CodeInvalidReadPolicy,
			Message: "The read policy cannot be stored: " + ie.Message + ".",
			Hints:   []string{policyHint(ie.Field)}}), nil
	}
	if err != nil {
		return Result{}, err
	}
	detail := policyDetail(p)
	if len(p.AllowedSpaces) > 0 {
		ues, err := s.checkSpaces(ctx, cur, p.AllowedSpaces)
		if err != nil {
			s.audit(ctx, tenantID, actorKeyID, ActionSetReadPolicy, OutcomeFailure, detail+" error=spaces")
			return Result{}, err
		}
		if len(ues) > 0 {
			return s.refuse(ctx, tenantID, actorKeyID, ActionSetReadPolicy, detail, ues...), nil
		}
	}
	set := func(rec *Integration) *Integration {
		out := rec.Clone()
		out.ReadPolicy = p
		return out
	}
	ev := event(tenantID, actorKeyID, ActionSetReadPolicy, OutcomeSuccess, detail)
	stored, err := s.write(ctx, set(cur), ev, func(fresh *Integration) *Integration {
		if !sameCredential(cur, fresh) {
			return nil
		}
		return set(fresh)
	})
	if errors.Is(err, errChanged) {
		return s.refuse(ctx, tenantID, actorKeyID, ActionSetReadPolicy, detail, conflict()), nil
	}
	if err != nil {
		s.audit(ctx, tenantID, actorKeyID, ActionSetReadPolicy, OutcomeFailure, detail+" error=store")
		return Result{}, fmt.Errorf("settings: store read policy: %w", err)
	}
	s.log.InfoContext(ctx, "settings: read policy stored", "tenant_id", tenantID,
		"allowed_spaces", len(p.AllowedSpaces), "excluded_labels", len(p.ExcludedLabels), "revision", stored.Revision)
	return Result{Integration: public(stored)}, nil
}

// checkSpaces returns UNKNOWN_SPACES for the keys among keys that the
// stored credential cannot see, or the user error of a failed call.
func (s *Service) checkSpaces(ctx context.Context, rec *Integration, keys []string) ([]UserError, error) {
	c, err := s.Client(ctx, rec.TenantID)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	seen := map[string]bool{}
	for chunk := range slices.Chunk(keys, 250) {
		found, err := spaceKeys(ctx, c, rec.ReadPath, chunk)
		if err != nil {
			var v validation
			if ferr := v.fatal(ctx, err); ferr != nil {
				return nil, ferr
			}
			return v.errs, nil
		}
		for _, k := range found {
			seen[strings.ToUpper(k)] = true
		}
	}
	var unknown []string
	for _, k := range keys {
		if !seen[strings.ToUpper(k)] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil, nil
	}
	return []UserError{{Field: []string{"input", "allowedSpaces"}, Code: CodeUnknownSpaces,
		Message: "The connected account cannot see these spaces: " + strings.Join(unknown, ", ") + ".",
		Hints: []string{"Check the keys against the space list (the keys are shown in each space's URL, /wiki/spaces/KEY).",
			"Remove the keys, or give the Confluence account access to the spaces first."}}}, nil
}

func policyHint(f readpolicy.Field) string {
	if f == readpolicy.FieldLabels {
		return "Give each label on its own, without spaces, for example confidential."
	}
	return "Give space keys as Confluence shows them, for example OPS; leave the list empty to allow every space."
}

// policyDetail is the audit detail of a policy: its keys and labels,
// bounded by BoundAuditDetail.
func policyDetail(p readpolicy.Policy) string {
	return fmt.Sprintf("allowed_spaces=%d[%s] excluded_labels=%d[%s]", len(p.AllowedSpaces), strings.Join(p.AllowedSpaces, ","),
		len(p.ExcludedLabels), strings.Join(p.ExcludedLabels, ","))
}
