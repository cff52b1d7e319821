// Package readme_test checks that every GraphQL example in the repository's
// README.md returns what the README says it returns: it builds the command,
// starts `serve --demo` in a temporary directory, and posts each ```graphql
// block of the README with the reader key the service prints.
//
// Each block is preceded in the README by a marker line
// `<!-- example: NAME -->`; the table examples below holds, per NAME, the
// promise its surrounding text makes. A block without a marker, a marker
// without an entry and an entry without a block all fail the test, so a new
// example cannot go unchecked.
package readme_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// example is what the README promises for one query: no GraphQL errors, and
// each of contains found in the response's data (compared as JSON text, so
// `"valid":false` checks a field's value), in that order when ordered is set.
type example struct {
	contains []string
	ordered  bool
}

// examples is keyed by the README's marker names.
var examples = map[string]example{
	// "Search Confluence for the deployment runbook": the runbook, with its body.
	"search-runbooks": {contains: []string{`"title":"Deployment Runbook"`, `"truncated":false`, "Deploy"}},
	// "Find documentation about Redis failover procedures": the generated CQL, the page, its
	// labels and only the "Manual failover" section of its body.
	"redis-failover": {contains: []string{`"cql":"`, `"title":"Redis Failover Procedure"`, `"name":"runbook"`,
		"SENTINEL failover sessions"}},
	// "What does the architecture page say about the payment service?": every page of the
	// space, among them the payment service page with its child page and diagram.
	"architecture-payments": {contains: []string{`"title":"Payment Service Architecture"`,
		`"title":"Payment Service: Data Model"`, `"title":"payment-architecture.png"`, `"downloadUrl":"http`}},
	// "Search for post-incident reviews related to database outages": the database
	// postmortems, newest first, with author, comments and what changed.
	"database-postmortems": {ordered: true, contains: []string{`"title":"PIR-2026-014: Primary database outage"`,
		`"displayName":"`, `"unified":"`, `"title":"PIR-2025-088: Database connection pool exhaustion"`}},
	// "Read policy": the demo tenant's, empty.
	"read-policy": {contains: []string{`"readPolicy":{"allowedSpaces":[],"excludedLabels":[]}`}},
	// "Check a query before running it": the CQL is reported invalid, with a position.
	"validate-cql": {contains: []string{`"valid":false`, `"line":1`}},
	// "Open a link someone pasted": the page the link names.
	"page-by-url": {contains: []string{`"title":"Redis Failover Procedure"`}},
	// "Correlating an incident": the known issue, the review blog post and the runbook that name
	// the alert, with the ALERT_NAME reason, and the CQL sent (pages and blog posts).
	"related-redis": {contains: []string{`"kind":"KNOWN_ISSUE"`, `"title":"Redis Failover Procedure"`,
		`"title":"Post-incident review: sessions logout during Redis failover"`,
		`"detail":"names alert RedisPrimaryDown"`, `"queries":["type IN (\"page\", \"blogpost\") AND`}},
	// "A search that finds nothing says why": zebra eliminated everything; the broader query
	// joins the other words with OR.
	"search-diagnosis": {contains: []string{`"totalCount":0`, `"eliminatedBy":"text ~ zebra"`,
		`"broaderCql":"type = page AND (text ~ redis OR text ~ failover)"`}},
}

// markerName returns NAME when line is `<!-- example: NAME -->`, else "".
func markerName(line string) string {
	rest, ok := strings.CutPrefix(line, "<!-- example: ")
	if !ok {
		return ""
	}
	name, ok := strings.CutSuffix(rest, " -->")
	if !ok || strings.ContainsAny(name, " \t") {
		return ""
	}
	return name
}

// readmeExamples returns the README's ```graphql blocks by marker name.
func readmeExamples(t *testing.T) map[string]string {
	t.Helper()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := map[string]string{}
	lines := strings.Split(string(readme), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "```graphql" {
			continue
		}
		name := ""
		if i > 0 {
			name = markerName(lines[i-1])
		}
		if name == "" {
			t.Errorf("README.md:%d: a ```graphql block without an `<!-- example: NAME -->` line right before it", i+1)
		}
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		if name != "" {
			if _, dup := blocks[name]; dup {
				t.Errorf("README.md: example %q appears twice", name)
			}
			blocks[name] = strings.Join(body, "\n")
		}
	}
	for i, l := range lines {
		if name := markerName(l); name != "" && (i+1 >= len(lines) || lines[i+1] != "```graphql") {
			t.Errorf("README.md:%d: marker %q is not followed by a ```graphql block", i+1, name)
		}
	}
	return blocks
}

func TestReadmeExamples(t *testing.T) {
	blocks := readmeExamples(t)
	for name := range blocks {
		if _, ok := examples[name]; !ok {
			t.Errorf("README example %q has no entry in the examples table", name)
		}
	}
	for name := range examples {
		if _, ok := blocks[name]; !ok {
			t.Errorf("examples table entry %q has no block in README.md", name)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	url, key := startDemo(t)
	for name, query := range blocks {
		t.Run(name, func(t *testing.T) {
			data := post(t, url, key, query)
			t.Logf("data: %s", data)
			ex, rest := examples[name], data
			for _, want := range ex.contains {
				i := bytes.Index(rest, []byte(want))
				if i < 0 {
					t.Errorf("data does not contain %s (ordered: %v); the README promises it. data:\n%s", want, ex.ordered, data)
					continue
				}
				if ex.ordered {
					rest = rest[i+len(want):]
				}
			}
		})
	}
}

// post sends query to the service and returns its data, failing the test on
// a transport error, a non-200 answer or any GraphQL error.
func post(t *testing.T, url, key, query string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	var res *http.Response
	req, err := http.NewRequest(http.MethodPost, url+"graphql", bytes.NewReader(body))
	if err == nil {
		req.Header = http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + key}}
		res, err = http.DefaultClient.Do(req)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d, body not a GraphQL response (decode: %v)", res.StatusCode, err)
	}
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %s", out.Errors)
	}
	return out.Data
}

// startDemo builds the command, runs `serve --demo` on a free loopback port
// in a temporary working directory (its data/ goes there) and returns the
// playground URL (ending in "/") and the reader key it printed. The service
// is stopped when the test ends.
func startDemo(t *testing.T) (url, readerKey string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "confluence-graph")
	// The flags of the image build and e2e/run.sh (static, -trimpath), so the three builds of a
	// `make test` share one compile in the build cache.
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/confluence-graph")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	cmd.Dir = dir
	// The environment's CG_* settings (a database URL, say) must not leak in.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CG_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	var output bytes.Buffer // everything printed, for the failure message
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		for range lines { // drain until the pipe closes
		}
	})

	deadline := time.After(2 * time.Minute)
	for url == "" || readerKey == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve --demo exited before printing its playground and reader key:\n%s", output.String())
			}
			output.WriteString(l + "\n")
			if v, ok := strings.CutPrefix(l, "playground: "); ok {
				url = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(l, "reader key: "); ok {
				readerKey = strings.TrimSpace(v)
			}
		case <-deadline:
			t.Fatalf("serve --demo printed no playground and reader key within 2 minutes:\n%s", output.String())
		}
	}
	go func() { // keep reading so the service never blocks on a full pipe
		for range lines {
		}
	}()
	if !strings.HasSuffix(url, "/") {
		url += "/"
	}
	return url, readerKey
}
