package settings_test

import (
	"crypto/x509"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
	"github.com/confluence-graph/confluence-graph/graph"
	"github.com/confluence-graph/confluence-graph/settings"
)

const connectDCMutation = `mutation($b: String!, $t: String!) {
  connectConfluence(input: {deployment: DATA_CENTER, baseUrl: $b, apiToken: $t}) {
    integration { status deployment baseUrl serverVersion domain email tokenType capabilities { name ok message } }
    userErrors { field code message hints }
  }
}`

// everyReadField reads every read field of the demo data (pages with their tree, versions,
// diff, bodies in each format, comments with replies, labels, attachments with their text,
// blog posts, spaces, search, content of other kinds, pageByUrl).
const everyReadField = `{
  spaces(first: 10) { nodes { key name type description homepage { id title } } }
  space(key: "OPS") { key pages(first: 50) { nodes { id title } } blogPosts(first: 5) { nodes { id title } }
    pageTree(maxDepth: 3) { entries { content { id type } depth parentId hasChildren } } }
  page(id: "100003") { id title status author { displayName } createdAt currentVersion { number author { displayName } }
    parent { id } ancestors { id } children(first: 10) { nodes { id } } descendants(depth: 2, first: 20) { nodes { id } }
    labels { name } versions(first: 5) { nodes { number message author { displayName } } }
    version(number: 1) { number body(format: STORAGE) { value } } diff(from: 1) { linesAdded linesRemoved }
    md: body { value } text: body(format: TEXT) { value }
    comments(first: 10) { nodes { id kind author { displayName } body { value } replies(first: 5) { nodes { id author { displayName } } } } }
    attachments(first: 10) { nodes { id title mediaType fileSize author { displayName } } }
    textFiles: attachments(mediaType: "text/plain") { nodes { title text { text } } } }
  inline: page(id: "100006") { comments(first: 10) { nodes { id kind highlightedText resolutionStatus } } }
  blogPost(id: "100201") { id title author { displayName } labels { name } comments(first: 5) { nodes { id } } }
  folder: content(id: "400001") { id type title }
  search(cql: "type = page AND space = OPS AND text ~ \"failover\"", first: 5) { nodes { title page { id } } totalCount }
  byUrl: pageByUrl(url: "/pages/viewpage.action?pageId=100009") { id title }
}`

// deploymentFields name the deployment in an answer: web links, user ids, emails, and body
// sizes (their links differ).
var (
	deploymentFields = map[string]bool{"url": true, "webUrl": true, "accountId": true, "email": true, "totalChars": true}
	mentionRE        = regexp.MustCompile(`ri:(account-id|userkey)="[^"]*"`)
	bodyLinkRE       = regexp.MustCompile(`https?://127\.0\.0\.1:\d+[^)\s"]*`)
)

func withoutDeployment(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if !deploymentFields[k] {
				out[k] = withoutDeployment(e)
			}
		}
		return out
	case []any:
		for i := range x {
			x[i] = withoutDeployment(x[i])
		}
	case string:
		return bodyLinkRE.ReplaceAllString(mentionRE.ReplaceAllString(x, "ri:user"), "<link>")
	}
	return v
}

// TestDataCenterAndCloudTenantsSideBySide is the done-when test of Data Center support: one
// settings service and one GraphQL server serve a Cloud tenant (classic API token on the Cloud
// simulator, v2 path) and a Data Center tenant (a PAT on the Data Center simulator behind HTTPS
// with its CA bundle, on the operator's host list) at once, each connected through
// connectConfluence, and every read field answers the same for both but for what names the
// deployment.
func TestDataCenterAndCloudTenantsSideBySide(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	dcSim := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithFlavor(confluencetest.FlavorDataCenter),
		confluencetest.WithClock(func() time.Time { return now }))
	t.Cleanup(dcSim.Close)
	dcTLS := httptest.NewTLSServer(dcSim.Handler())
	t.Cleanup(dcTLS.Close)
	hosts, _ := confluence.ParseHostAllowList([]string{"127.0.0.1/32"})
	cas := x509.NewCertPool()
	cas.AddCert(dcTLS.Certificate())
	// newEnv's own simulator runs on the real clock; the Cloud tenant reads one on Data Center's.
	cloudSim := confluencetest.NewServer(confluencetest.WithDataset("demo"), confluencetest.WithClock(func() time.Time { return now }))
	t.Cleanup(cloudSim.Close)
	e := newEnv(t, storeKinds()[0], func(c *settings.ServiceConfig) {
		c.DataCenterHosts, c.DataCenterRootCAs = hosts, cas
		c.Client = devClient(cloudSim.URL(), cloudSim.Host())
	})
	e.sim = cloudSim
	g := newGQL(t, e)
	cloud := graph.Caller{TenantID: "acme-cloud", KeyID: "k-cloud", Role: graph.RoleAdmin}
	dc := graph.Caller{TenantID: "corp-dc", KeyID: "k-dc", Role: graph.RoleAdmin}
	acct := cloudSim.Account("classic")

	var cd connectData
	if errs := g.as(cloud, connectMutation, &cd, client.Var("d", cloudSim.Host()), client.Var("e", acct.Email), client.Var("t", acct.Token)); len(errs) > 0 ||
		cd.ConnectConfluence.Integration == nil {
		t.Fatalf("cloud connect: %+v %+v", errs, cd.ConnectConfluence.UserErrors)
	}
	var dd struct {
		ConnectConfluence struct {
			Integration *struct {
				Status, Deployment, BaseURL, ServerVersion, Domain, Email, TokenType string
				Capabilities                                                         []struct {
					Name string
					OK   bool
				}
			}
			UserErrors []struct{ Code, Message string }
		}
	}
	if errs := g.as(dc, connectDCMutation, &dd, client.Var("b", dcTLS.URL+"/confluence"), client.Var("t", acct.Token)); len(errs) > 0 {
		t.Fatalf("data center connect errors: %+v", errs)
	}
	in := dd.ConnectConfluence.Integration
	if in == nil || in.Status != "CONNECTED" || in.Deployment != "DATA_CENTER" || in.BaseURL != dcTLS.URL+"/confluence" ||
		in.ServerVersion != confluencetest.DataCenterVersion || in.Email != dcSim.Username(acct.AccountID) {
		t.Fatalf("data center integration = %+v, user errors %+v", in, dd.ConnectConfluence.UserErrors)
	}
	var answers [2]any
	for i, c := range []graph.Caller{cloud, dc} {
		reader := c
		reader.Role = graph.RoleReader
		var out map[string]any
		if errs := g.as(reader, everyReadField, &out); len(errs) > 0 {
			t.Fatalf("%s: errors %+v", c.TenantID, errs)
		}
		raw, _ := json.Marshal(out)
		for _, must := range []string{`"title":"Deployment Runbook"`, `"kind":"INLINE"`, `"replies":{"nodes":[{`, `"text":{"text":"`,
			`"type":"FOLDER"`, `"id":"100201"`, `"linesAdded":`} {
			if !strings.Contains(string(raw), must) {
				t.Errorf("%s answer lacks %s", c.TenantID, must)
			}
		}
		answers[i] = withoutDeployment(out)
	}
	if !reflect.DeepEqual(answers[0], answers[1]) {
		a, _ := json.Marshal(answers[0])
		b, _ := json.Marshal(answers[1])
		t.Errorf("data center answers\n %s\nwant (as cloud)\n %s", b, a)
	}
	// Each tenant reads only its own deployment.
	if st := dcSim.Stats(); st.ByEndpoint["GET /wiki/api/v2/pages/{id}"] != 0 || st.Total == 0 {
		t.Errorf("data center simulator calls: %+v", st.ByEndpoint)
	}
}
