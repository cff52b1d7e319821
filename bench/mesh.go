package bench

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MeshVersion names the GraphQL Mesh packages bench/mesh/package.json pins (a test keeps the two
// in step); the report quotes it.
const MeshVersion = "@graphql-mesh/cli 0.103.2 with @graphql-mesh/openapi 0.112.4"

// MeshDescription is the report's one-line account of ModeMesh.
const MeshDescription = "GraphQL Mesh (" + MeshVersion + ", on Node) over an OpenAPI 3 description of the nine " +
	"Confluence v2 operations the query reads, written for this benchmark (bench/mesh), with the relations between " +
	"them declared as Mesh additionalResolvers; it answers the query in one GraphQL request with one REST call per " +
	"field per node (users-bulk once per author, as the naive client does) and asks 5 footer and 5 inline comments " +
	"where the others ask inline ones only while a page has fewer than 5 footer comments; its upstream calls pass " +
	"through a Go proxy that records the critical path, so its allocations are the proxy's, not Node's"

// ErrMeshNotInstalled is wrapped by the errors of ModeMesh when node or bench/mesh/node_modules
// is missing (install with `npm ci --prefix bench/mesh`).
var ErrMeshNotInstalled = errors.New("bench: GraphQL Mesh is not installed")

// MeshMissingIsSkip reports whether err means that the Mesh baseline is not installed and may be
// skipped: not under CI=true, where a missing baseline is a failure.
func MeshMissingIsSkip(err error) bool {
	return errors.Is(err, ErrMeshNotInstalled) && os.Getenv("CI") != "true"
}

// MeshDir finds bench/mesh: under the working directory's module root (the directory holding
// go.mod, searched upwards), so that it works from the repository root and from bench/.
func MeshDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "bench", "mesh"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no go.mod above the working directory", ErrMeshNotInstalled)
		}
		dir = parent
	}
}

// MeshInstalled returns the node executable and bench/mesh, or an error wrapping
// ErrMeshNotInstalled that says what is missing.
func MeshInstalled() (node, dir string, err error) {
	if dir, err = MeshDir(); err != nil {
		return "", "", err
	}
	if node, err = exec.LookPath("node"); err != nil {
		return "", "", fmt.Errorf("%w: node is not on PATH", ErrMeshNotInstalled)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@graphql-mesh", "cli", "package.json")); err != nil {
		return "", "", fmt.Errorf("%w: bench/mesh/node_modules is missing; run npm ci --prefix bench/mesh", ErrMeshNotInstalled)
	}
	return node, dir, nil
}

// Mesh is a running GraphQL Mesh gateway (a node child process) over the simulator. Its upstream
// calls go through a loopback reverse proxy in this process that sends them through a Recorder,
// so that the critical path is measured as for the other modes. Methods are safe for concurrent
// use; Close stops both.
type Mesh struct {
	query   string // nested.graphql
	gateway string // "http://127.0.0.1:PORT/graphql"
	http    *http.Client
	cmd     *exec.Cmd
	exited  chan struct{}
	logs    *tail
	proxy   *http.Server
	secrets []string // redacted from the gateway's output before it appears in an error
}

// StartMesh builds bench/mesh's artifacts (mesh build) and starts the gateway (mesh start) against
// sim, authenticating as sim's classic account, with its upstream calls sent through upstream
// (a Recorder, say). It returns once the gateway answers its health check, or fails after a
// minute. Two StartMesh calls must not run at once (mesh build rewrites bench/mesh/.mesh).
func StartMesh(ctx context.Context, sim Sim, upstream http.RoundTripper) (*Mesh, error) {
	node, dir, err := MeshInstalled()
	if err != nil {
		return nil, err
	}
	query, err := os.ReadFile(filepath.Join(dir, "nested.graphql"))
	if err != nil {
		return nil, fmt.Errorf("bench: mesh: %w", err)
	}
	proxy, proxyURL, err := startRecordingProxy(sim.URL(), upstream)
	if err != nil {
		return nil, err
	}
	acct := sim.Account()
	basic := base64.StdEncoding.EncodeToString([]byte(acct.Email + ":" + acct.Token))
	m := &Mesh{query: string(query), http: &http.Client{Transport: newLoopbackTransport()}, logs: &tail{max: 4096},
		exited: make(chan struct{}), proxy: proxy, secrets: []string{basic, acct.Token}}
	env := meshEnv(proxyURL, "Basic "+basic)

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, node, filepath.Join("node_modules", ".bin", "mesh"), "build")
	build.Dir, build.Env = dir, env
	if out, err := build.CombinedOutput(); err != nil {
		_ = proxy.Close()
		return nil, fmt.Errorf("bench: mesh build: %w: %s", err, m.redact(lastBytes(out, 2048)))
	}
	port, err := freePort()
	if err != nil {
		_ = proxy.Close()
		return nil, err
	}
	m.gateway = "http://127.0.0.1:" + strconv.Itoa(port) + "/graphql"
	m.cmd = exec.Command(node, filepath.Join("node_modules", ".bin", "mesh"), "start", "--port", strconv.Itoa(port))
	m.cmd.Dir, m.cmd.Env, m.cmd.Stdout, m.cmd.Stderr = dir, env, m.logs, m.logs
	if err := m.cmd.Start(); err != nil {
		_ = proxy.Close()
		return nil, fmt.Errorf("bench: mesh start: %w", err)
	}
	go func() { _ = m.cmd.Wait(); close(m.exited) }()
	if err := m.waitHealthy(ctx, "http://127.0.0.1:"+strconv.Itoa(port)+"/healthcheck"); err != nil {
		_ = m.Close()
		return nil, err
	}
	return m, nil
}

// meshEnv is this process's environment for the gateway, with the site and the Authorization
// header .meshrc.yaml reads, and without DEBUG (Mesh's debug log prints request details).
func meshEnv(site, authorization string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DEBUG", "CONFLUENCE_URL", "CONFLUENCE_AUTHORIZATION":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "CONFLUENCE_URL="+site, "CONFLUENCE_AUTHORIZATION="+authorization)
}

func (m *Mesh) waitHealthy(ctx context.Context, health string) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-m.exited:
			return fmt.Errorf("bench: mesh start exited before listening: %s", m.redact(m.logs.String()))
		case <-ctx.Done():
			return fmt.Errorf("bench: mesh start did not answer %s: %w: %s", health, ctx.Err(), m.redact(m.logs.String()))
		case <-tick.C:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, health, nil)
		if resp, err := m.http.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
}

// Close stops the gateway (SIGTERM, then SIGKILL after 5 s) and the proxy.
func (m *Mesh) Close() error {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Signal(os.Interrupt)
		select {
		case <-m.exited:
		case <-time.After(5 * time.Second):
			_ = m.cmd.Process.Kill()
			<-m.exited
		}
	}
	return m.proxy.Close()
}

func (m *Mesh) redact(s string) string {
	for _, secret := range m.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// Nested sends the nested query for the space with key and returns the normalised answer. An
// answer with GraphQL errors is an error, partial data or not.
func (m *Mesh) Nested(ctx context.Context, key string) (Nested, error) {
	body, _ := json.Marshal(map[string]any{"query": m.query, "variables": map[string]any{"key": key}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.gateway, bytes.NewReader(body))
	if err != nil {
		return Nested{}, fmt.Errorf("bench: mesh: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.http.Do(req)
	if err != nil {
		return Nested{}, fmt.Errorf("bench: mesh: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Nested{}, fmt.Errorf("bench: mesh: %w", err)
	}
	var res meshNestedResponse
	if err := json.Unmarshal(raw, &res); err != nil {
		return Nested{}, fmt.Errorf("bench: mesh: HTTP %d: %w", resp.StatusCode, err)
	}
	if len(res.Errors) > 0 {
		return Nested{}, fmt.Errorf("bench: mesh: %d errors, first: %s", len(res.Errors), m.redact(res.Errors[0].Message))
	}
	if resp.StatusCode != http.StatusOK {
		return Nested{}, fmt.Errorf("bench: mesh: HTTP %d", resp.StatusCode)
	}
	return res.normalise(key)
}

// meshList is the {results: [...]} wrapper every v2 list has in the Mesh schema.
type meshList[T any] struct {
	Results []T `json:"results"`
}

type meshComment struct {
	Author *gqlUser `json:"author"`
	Body   struct {
		Storage struct {
			Value string `json:"value"`
		} `json:"storage"`
	} `json:"body"`
}

type meshNestedResponse struct {
	Data struct {
		GetSpaces struct {
			Results []struct {
				Name  string `json:"name"`
				Pages struct {
					Results []struct {
						ID       string            `json:"id"`
						Title    string            `json:"title"`
						Labels   meshList[gqlName] `json:"labels"`
						Author   *gqlUser          `json:"author"`
						Children meshList[struct {
							ID     string             `json:"id"`
							Title  string             `json:"title"`
							Labels *meshList[gqlName] `json:"labels"` // child pages only
						}] `json:"children"`
						FooterComments meshList[meshComment]      `json:"footerComments"`
						InlineComments meshList[meshComment]      `json:"inlineComments"`
						Attachments    meshList[NestedAttachment] `json:"attachments"`
						Versions       meshList[struct {
							Number  int     `json:"number"`
							Message *string `json:"message"`
						}] `json:"versions"`
					} `json:"results"`
				} `json:"pages"`
			} `json:"results"`
		} `json:"getSpaces"`
	} `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// normalise maps Mesh's answer onto Nested. Comments are the footer comments followed by the
// inline ones, the first five: what the naive client and the API return (nested.graphql asks
// five of each because one request cannot make inline comments depend on the footer count).
// Bodies are storage format, as the naive client reads them.
func (r *meshNestedResponse) normalise(key string) (Nested, error) {
	spaces := r.Data.GetSpaces.Results
	if len(spaces) == 0 {
		return Nested{}, errNotFound("space " + key)
	}
	out := Nested{SpaceName: spaces[0].Name}
	for _, p := range spaces[0].Pages.Results {
		np := NestedPage{ID: p.ID, Title: p.Title, Labels: labelNames(p.Labels.Results), Author: p.Author.name(),
			Attachments: p.Attachments.Results}
		for _, c := range p.Children.Results {
			nc := NestedChild{ID: c.ID, Title: c.Title}
			if c.Labels != nil {
				nc.Labels = labelNames(c.Labels.Results)
			}
			np.Children = append(np.Children, nc)
		}
		for _, c := range append(p.FooterComments.Results, p.InlineComments.Results...) {
			if len(np.Comments) == 5 {
				break
			}
			np.Comments = append(np.Comments, NestedComment{Author: c.Author.name(), Body: c.Body.Storage.Value})
		}
		for _, v := range p.Versions.Results {
			np.Versions = append(np.Versions, nestedVersion(v.Number, v.Message))
		}
		out.Pages = append(out.Pages, np)
	}
	return out, nil
}

// startRecordingProxy serves a reverse proxy to site on a free loopback port, sending every
// request through next, and returns it with its base URL.
func startRecordingProxy(site string, next http.RoundTripper) (*http.Server, string, error) {
	target, err := url.Parse(site)
	if err != nil {
		return nil, "", fmt.Errorf("bench: mesh proxy: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("bench: mesh proxy: %w", err)
	}
	rp := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport: next,
	}
	srv := &http.Server{Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// freePort asks the kernel for a free loopback port for the gateway (mesh start takes a port
// number, not a listener). Another process could take it in the moment before the gateway binds
// it; the gateway would then exit and StartMesh fail.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("bench: mesh: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}

func lastBytes(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
