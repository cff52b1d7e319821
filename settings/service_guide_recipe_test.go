package settings_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/readpolicy"
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

// TestGuideRecipeTreeThroughSettingsSource: graph.SettingsSource serves the guide-recipe tenant
// through the v1 upstream inside the hierarchy fallback wrapper: every hierarchy field (folders
// and whiteboards included) answers as on the classic token, without one v2 call.
func TestGuideRecipeTreeThroughSettingsSource(t *testing.T) {
	want, _ := hierarchyAnswer(t, "classic")
	got, calls := hierarchyAnswer(t, "scoped-guide")
	if got != want {
		t.Errorf("guide recipe answer =\n%s\nwant (classic)\n%s", got, want)
	}
	for ep, n := range calls {
		if strings.Contains(ep, "/wiki/api/v2/") {
			t.Errorf("%s called %d times; want no v2 call on the v1 read path", ep, n)
		}
	}
	// CQL content searches: the pages by id, the ancestors' titles, the batched children of the
	// three pages, the space's folders and whiteboards, 3 levels of each of the two descendants
	// walks; GET /content/{id}: the ancestors of the three pages; the space by key and its pages.
	wantCalls := map[string]int{"GET /wiki/rest/api/content/search": 1 + 1 + 1 + 1 + 3 + 3, "GET /wiki/rest/api/content/{id}": 3,
		"GET /wiki/rest/api/space": 1, "GET /wiki/rest/api/space/{key}/content/{type}": 1}
	// The two walks run side by side: a level of one may join the other's batch when their loads
	// meet in the loader's wait window, so their 6 searches may be as few as 3.
	searches := calls["GET /wiki/rest/api/content/search"]
	if want := wantCalls["GET /wiki/rest/api/content/search"]; searches <= want && searches >= want-walkLevels {
		calls["GET /wiki/rest/api/content/search"] = want
	}
	if !maps.Equal(calls, wantCalls) {
		t.Errorf("calls = %v (%d searches); want %v", calls, searches, wantCalls)
	}
}

// TestReadPolicyHoldsOnTheV1ReadPath: SettingsSource binds the stored read policy on the v1 read
// path too: on the guide-recipe tenant an allowed page answers every read, a page in a space
// outside the allow-list and a page with an excluded label answer none.
func TestReadPolicyHoldsOnTheV1ReadPath(t *testing.T) {
	e := newEnv(t, storeKinds()[0])
	if in := e.mustConnect(t, "acme", "scoped-guide"); in.ReadPath != settings.ReadPathV1 {
		t.Fatalf("read path = %q; want v1", in.ReadPath)
	}
	if res, err := e.svc.SetReadPolicy(t.Context(), "acme", "admin", readpolicy.Policy{
		AllowedSpaces: []string{"OPS", "PIR", "ARCH"}, ExcludedLabels: []string{"confidential"}}); err != nil || !res.OK() {
		t.Fatalf("SetReadPolicy = %+v, %v", res.UserErrors, err)
	}
	e.sim.AddLabel(labelledPage, "confidential")
	g := cachedGQL(t, e, e.svc)
	acme := graph.Caller{TenantID: "acme", KeyID: "k", Role: graph.RoleReader}
	e.sim.ResetStats()
	for _, c := range []struct {
		name, id string
		visible  bool
	}{
		{"allowed page", allowedPage, true},
		{"page in a hidden space", e.sim.PageIDs("ENG")[0], false},
		{"page with an excluded label", labelledPage, false},
	} {
		for read, ok := range readsOf(t, g, acme, c.id) {
			if ok != c.visible {
				t.Errorf("%s, %s: visible = %t; want %t", c.name, read, ok, c.visible)
			}
		}
	}
	for ep, n := range e.sim.Stats().ByEndpoint {
		if strings.Contains(ep, "/wiki/api/v2/") {
			t.Errorf("%s called %d times; want no v2 call on the v1 read path", ep, n)
		}
	}
}
