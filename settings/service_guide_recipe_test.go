package settings_test

import (
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

// TestGuideRecipeConnectsOnV1: a scoped token made exactly as the integration guide says
// (classic read:confluence-* scopes, search:confluence, read:me, read:account) connects as
// CONNECTED with the v1 read path, stored (read back by another service on the same store);
// classic and granular-scoped tokens keep the v2 path.
func TestGuideRecipeConnectsOnV1(t *testing.T) {
	eachStore(t, func(t *testing.T, e *env) {
		in := e.mustConnect(t, "guide", "scoped-guide")
		if in.Status != settings.StatusConnected || in.TokenType != settings.TokenScoped || in.ReadPath != settings.ReadPathV1 {
			t.Fatalf("guide recipe = %s %s read path %q; want CONNECTED SCOPED v1", in.Status, in.TokenType, in.ReadPath)
		}
		caps := map[string]settings.Capability{}
		for _, c := range in.Capabilities {
			caps[c.Name] = c
		}
		for _, name := range []string{settings.CapReadMe, settings.CapReadSpaces, settings.CapReadPages, settings.CapSearch,
			settings.CapReadComments, settings.CapReadAttachments, settings.CapReadLabels, settings.CapReadVersions,
			settings.CapReadHierarchy, settings.CapReadAncestors, settings.CapReadFolders, settings.CapReadUsers, settings.CapV1ReadPath} {
			if !caps[name].OK {
				t.Errorf("capability %s = %+v; want ok", name, caps[name])
			}
		}
		if got := caps[settings.CapReadPages].RequiredScope; got != settings.ScopeContentSummary {
			t.Errorf("READ_PAGES scope = %q; want %s", got, settings.ScopeContentSummary)
		}
		stored, err := e.store.GetIntegration(t.Context(), "guide")
		if err != nil || stored.ReadPath != settings.ReadPathV1 {
			t.Fatalf("stored read path = %v %v; want v1", stored, err)
		}
		if hier, anc := settings.HierarchyFallback(in.Capabilities); hier || anc {
			t.Errorf("HierarchyFallback(guide capabilities) = %t %t; want false false (the v1 path reads the tree by CQL)", hier, anc)
		}
		rc, err := e.svc.ReadClient(t.Context(), "guide")
		if err != nil || rc.ReadPath != settings.ReadPathV1 {
			t.Errorf("ReadClient read path = %q %v; want v1", rc.ReadPath, err)
		}
		for _, acct := range []string{"classic", "scoped"} {
			in := e.mustConnect(t, "t-"+acct, acct)
			rc, err := e.svc.ReadClient(t.Context(), "t-"+acct)
			if in.ReadPath != settings.ReadPathV2 || rc.ReadPath != settings.ReadPathV2 || err != nil {
				t.Errorf("%s read path = %q / %q %v; want v2", acct, in.ReadPath, rc.ReadPath, err)
			}
			for _, c := range in.Capabilities {
				if c.Name == settings.CapV1ReadPath {
					t.Errorf("%s reports %s", acct, c.Name)
				}
			}
		}
	})
}
