package graph_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/loaders"
)

// The demo's "Post-Incident Reviews" page links every kind of target. In MARKDOWN each becomes
// an absolute URL on the demo site, at the cost of one CQL search for the pages and space and
// one read of the three pages' files; a second request reads them from the cache.
func TestBodyLinksResolveOnDemo(t *testing.T) {
	e := newEnv(t, envOptions{dataset: "demo", cache: loaders.NewCache(1000, time.Minute)})
	site := e.sim.URL() + "/wiki"
	const q = `{ page(id: "100030") { body { value } } }`
	var r struct {
		Page struct{ Body struct{ Value string } }
	}
	e.sim.ResetStats()
	e.mustDo(t, q, &r)
	md := r.Page.Body.Value
	for _, want := range []string{
		"[the database outage](" + site + "/spaces/PIR/pages/100031",
		"[PIR template](" + site + "/spaces/PIR/pages/100035",
		"(" + site + "/spaces/OPS/pages/100006",
		"#Manual",
		"(" + site + "/spaces/ARCH",
		"(" + site + "/download/attachments/100031/pir-2026-014-timeline.pdf",
		"(" + site + "/download/attachments/100030/pir-process.png",
		"(" + site + "/download/attachments/100021/payment-architecture.png",
		"OPS:Retired runbook (page not found)",
		"PIR:Quarterly review (blog post not found)",
		"Alice Chen",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Retired runbook](") || strings.Contains(md, "Quarterly review](") {
		t.Errorf("a missing target got a URL:\n%s", md)
	}
	want := map[string]int{
		"GET /wiki/api/v2/pages":            1, // the page with its body
		"POST /wiki/api/v2/users-bulk":      1, // the mention
		"GET /wiki/rest/api/search":         1, // every page, blog post and space the links name
		"GET /wiki/rest/api/content/search": 1, // the files of the three pages holding them
	}
	checkCalls(t, e, want)

	e.sim.ResetStats()
	var again struct {
		Page struct{ Body struct{ Value string } }
	}
	e.mustDo(t, q, &again)
	if again.Page.Body.Value != md {
		t.Errorf("cached answer differs:\n%s\nwant\n%s", again.Page.Body.Value, md)
	}
	if st := e.sim.Stats(); st.Total != 0 {
		t.Errorf("second read: upstream calls %v, want none (the cache answers)", st.ByEndpoint)
	}
}

// A body with 200 page links (by title in the current space, by space and title, by id) and
// images on three other pages costs two calls beyond the page read: one search, one file read.
func TestTwoHundredLinksCostTwoCalls(t *testing.T) {
	e := demoEnv(t)
	d := confluencetest.Dataset{Spaces: []confluencetest.Space{{ID: "99001", Key: "LNK", Name: "Links", HomepageID: "900000"}}}
	var body strings.Builder
	for i := 1; i <= 200; i++ {
		id := fmt.Sprint(900000 + i)
		d.Pages = append(d.Pages, confluencetest.Page{ID: id, SpaceKey: "LNK", ParentID: "900000", Title: fmt.Sprintf("Note %d", i)})
		switch {
		case i <= 100:
			fmt.Fprintf(&body, `<p><ac:link><ri:page ri:content-title="Note %d" /></ac:link></p>`, i)
		case i <= 150:
			fmt.Fprintf(&body, `<p><ac:link><ri:page ri:space-key="LNK" ri:content-title="Note %d" /></ac:link></p>`, i)
		default:
			fmt.Fprintf(&body, `<p><ac:link><ri:page ri:content-id="%s" /><ac:plain-text-link-body><![CDATA[note %d]]></ac:plain-text-link-body></ac:link></p>`, id, i)
		}
	}
	for i := 1; i <= 3; i++ {
		id := fmt.Sprint(900000 + i)
		d.Attachments = append(d.Attachments, confluencetest.Attachment{ID: fmt.Sprintf("att90000%d", i), PageID: id,
			Title: "figure.png", MediaType: "image/png", Content: []byte("png")})
		fmt.Fprintf(&body, `<ac:image><ri:attachment ri:filename="figure.png"><ri:page ri:content-title="Note %d" /></ri:attachment></ac:image>`, i)
	}
	d.Pages = append(d.Pages, confluencetest.Page{ID: "900000", SpaceKey: "LNK", Title: "Index",
		Versions: []confluencetest.Version{{Body: body.String()}}})
	if err := e.sim.Seed(d); err != nil {
		t.Fatal(err)
	}
	e.sim.ResetStats()
	var r struct {
		Page struct{ Body struct{ Value string } }
	}
	e.mustDo(t, `{ page(id: "900000") { body { value } } }`, &r)
	md := r.Page.Body.Value
	links := regexp.MustCompile(`\]\(`+regexp.QuoteMeta(e.sim.URL())+`/wiki/spaces/LNK/pages/9\d{5}`).FindAllString(md, -1)
	images := regexp.MustCompile(`!\[[^\]]*\]\(`+regexp.QuoteMeta(e.sim.URL())+`/wiki/download/attachments/90000[1-3]/figure\.png`).FindAllString(md, -1)
	if len(links) != 200 || len(images) != 3 || strings.Contains(md, "not found") {
		t.Errorf("resolved %d page links and %d images, want 200 and 3:\n%.2000s", len(links), len(images), md)
	}
	checkCalls(t, e, map[string]int{"GET /wiki/api/v2/pages": 1, "GET /wiki/rest/api/search": 1, "GET /wiki/rest/api/content/search": 1})
}

// checkCalls compares the simulator's calls per endpoint with want.
func checkCalls(t *testing.T, e *env, want map[string]int) {
	t.Helper()
	got := e.sim.Stats().ByEndpoint
	if len(got) != len(want) {
		t.Errorf("upstream calls = %v, want %v", got, want)
		return
	}
	for ep, n := range want {
		if got[ep] != n {
			t.Errorf("%s = %d, want %d (all: %v)", ep, got[ep], n, got)
		}
	}
}
