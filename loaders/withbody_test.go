package loaders_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// One bulk call with the body serves the pages' metadata and their current bodies; the page and
// body loaders answer later reads of the same pages (current version, by number or as 0) from it.
func TestPagesWithBodyIsOneCallAndPrimes(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	ids := []string{"100003", "999999", "100021"}
	ps, errs := l.PagesWithBody(t.Context(), ids, "storage")
	if errs[0] != nil || errs[2] != nil || ps[0] == nil || ps[0].ID != "100003" || ps[2] == nil || ps[2].ID != "100021" {
		t.Fatalf("pages = %+v, errors = %v; want 100003 and 100021 in key order", ps, errs)
	}
	var nf *loaders.NotFoundError
	if !errors.As(errs[1], &nf) || nf.Key != "999999" || !errors.Is(errs[1], confluence.ErrNotFound) {
		t.Errorf("errs[1] = %v, want a not-found for 999999", errs[1])
	}
	if ps[0].Body == "" || ps[0].Current.Number == 0 || ps[0].Partial {
		t.Errorf("page = %+v, want complete metadata with a body", ps[0])
	}
	if got := f.sim.Stats(); got.Total != 1 || got.ByEndpoint["GET /wiki/api/v2/pages"] != 1 {
		t.Fatalf("upstream calls = %v, want one bulk call", got.ByEndpoint)
	}
	meta, err := l.Page(t.Context(), "100003")
	if err != nil || meta.Title != ps[0].Title || meta.Current.Number != ps[0].Current.Number {
		t.Errorf("Page = %+v, %v; want the primed metadata", meta, err)
	}
	for _, v := range []int{0, ps[0].Current.Number} {
		b, err := l.Body(t.Context(), loaders.BodyRequest{PageID: "100003", Version: v, IsCurrent: true, Format: "storage"})
		if err != nil || b.Body != ps[0].Body {
			t.Errorf("Body(version %d) = %v, %v; want the primed body", v, b, err)
		}
	}
	if got := f.sim.Stats().Total; got != 1 {
		t.Errorf("upstream calls after the primed reads = %v, want still 1", f.sim.Stats().ByEndpoint)
	}
}

// With the cross-request cache, a page read with its body in an earlier request costs no call:
// the cached metadata names the version and the body at that version is cached.
func TestPagesWithBodyFromTheCrossRequestCache(t *testing.T) {
	f := newFixture(t, "demo")
	cache := loaders.NewCache(100, time.Hour)
	first := loaders.New(t.Context(), f.config("t1", cache))
	ps, errs := first.PagesWithBody(t.Context(), []string{"100003"}, "storage")
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	f.sim.ResetStats()
	second := loaders.New(t.Context(), f.config("t1", cache))
	got, errs := second.PagesWithBody(t.Context(), []string{"100003"}, "storage")
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if got[0].Body != ps[0].Body || got[0].Title != ps[0].Title || got[0].Current.Number != ps[0].Current.Number || got[0].Partial {
		t.Errorf("cached page = %+v, want %+v", got[0], ps[0])
	}
	if n := f.sim.Stats().Total; n != 0 {
		t.Errorf("upstream calls = %v, want 0", f.sim.Stats().ByEndpoint)
	}
	// Another format is not in the cache: one bulk call for it.
	adf, errs := second.PagesWithBody(t.Context(), []string{"100003"}, "atlas_doc_format")
	if errs[0] != nil || !strings.Contains(adf[0].Body, "{") {
		t.Errorf("ADF body = %v, %v; want a JSON document", adf[0], errs[0])
	}
	if n := f.sim.Count("GET /wiki/api/v2/pages"); n != 1 {
		t.Errorf("upstream calls = %v, want one bulk call for the ADF body", f.sim.Stats().ByEndpoint)
	}
}

// The view format has no bulk form: one page read per id, each bringing the metadata too.
func TestPagesWithViewBodyIsOneCallPerPage(t *testing.T) {
	f := newFixture(t, "demo")
	l := f.newLoaders(t)
	ids := []string{"100003", "100021"}
	ps, errs := l.PagesWithBody(t.Context(), ids, "view")
	for i := range ids {
		if errs[i] != nil || ps[i] == nil || ps[i].ID != ids[i] || ps[i].Body == "" || ps[i].Partial {
			t.Fatalf("page %s = %+v, %v; want it complete with its view body", ids[i], ps[i], errs[i])
		}
	}
	for _, id := range ids {
		if _, err := l.Page(t.Context(), id); err != nil {
			t.Fatalf("Page(%s): %v", id, err)
		}
	}
	if got := f.sim.Stats(); got.Total != 2 || got.ByEndpoint["GET /wiki/api/v2/pages/{id}"] != 2 {
		t.Errorf("upstream calls = %v, want one page read per id and nothing for the metadata", got.ByEndpoint)
	}
}
