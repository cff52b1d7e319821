package graph_test

import (
	"strings"
	"testing"
	"time"
)

// The scalar fields TestPageFields only checks for presence carry the simulator's values.
func TestFieldValues(t *testing.T) {
	e := demoEnv(t)
	var r struct {
		Page struct {
			CreatedAt time.Time
			Author    struct{ AccountID, DisplayName, Email string }
			Space     struct{ ID, Key, Name, Type, Status, URL string }
			Current   struct {
				Number    int
				MinorEdit bool
				CreatedAt time.Time
			} `json:"currentVersion"`
			Text        struct{ Format string }
			Attachments struct {
				Nodes []struct {
					Title, Comment, MediaType, DownloadURL, WebURL string
					FileSize, Version                              int
					CreatedAt                                      time.Time
				}
			}
		}
		Search struct {
			Nodes []struct {
				Type, Title, URL, Excerpt string
				LastModified              time.Time
			}
			TotalCount int
		}
	}
	e.mustDo(t, `{ page(id: "100003") { createdAt author { accountId displayName email }
	  space { id key name type status url }
	  currentVersion { number minorEdit createdAt }
	  text: body(format: TEXT) { format }
	  attachments(first: 1) { nodes { title fileSize comment createdAt version mediaType downloadUrl webUrl } } }
	  search(cql: "type = page AND title ~ \"Deployment Runbook\"", first: 1) { nodes { type title url excerpt lastModified } totalCount } }`, &r)
	p, site := r.Page, e.sim.URL()+"/wiki"
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("author", p.Author.AccountID+" "+p.Author.DisplayName+" "+p.Author.Email,
		"712020:5b1f0c3e-a7d4-4c52-9e21-0a1b2c3d4e01 Alice Chen alice@example.com")
	check("space", p.Space.ID+" "+p.Space.Key+" "+p.Space.Name+" "+p.Space.Type+" "+p.Space.Status, "98305 OPS Operations GLOBAL current")
	check("space url", p.Space.URL, site+"/spaces/OPS")
	check("current version", p.Current.Number, 4)
	check("minor edit", p.Current.MinorEdit, false)
	check("created before the current version", p.CreatedAt.Before(p.Current.CreatedAt), true)
	check("TEXT body format", p.Text.Format, "TEXT")
	if len(p.Attachments.Nodes) != 1 {
		t.Fatalf("attachments = %+v, want 1", p.Attachments.Nodes)
	}
	a := p.Attachments.Nodes[0]
	check("attachment", a.Title+" "+a.MediaType+" "+a.Comment, "deploy-checklist.txt text/plain printable checklist")
	check("attachment size", a.FileSize, 94)
	check("attachment version", a.Version, 1)
	check("attachment created", a.CreatedAt.IsZero(), false)
	check("download url", strings.HasPrefix(a.DownloadURL, site+"/download/attachments/100003/deploy-checklist.txt"), true)
	check("web url", strings.HasPrefix(a.WebURL, site+"/pages/viewpageattachments.action?pageId=100003"), true)
	if len(r.Search.Nodes) != 1 {
		t.Fatalf("search = %+v, want 1 hit", r.Search)
	}
	h := r.Search.Nodes[0]
	check("hit", h.Type+" "+h.Title, "PAGE Deployment Runbook")
	check("hit url", h.URL, site+"/spaces/OPS/pages/100003/Deployment+Runbook")
	check("hit excerpt", strings.HasPrefix(h.Excerpt, "Deployment Runbook How we ship services to production."), true)
	check("hit lastModified is the current version's", h.LastModified.Equal(p.Current.CreatedAt), true)
	check("totalCount", r.Search.TotalCount, 1)
}
