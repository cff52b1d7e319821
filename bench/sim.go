package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// Sim is the Confluence simulator a measurement runs against, in this process or in a child
// process. Implementations are safe for concurrent use.
type Sim interface {
	// URL is the site base, "http://127.0.0.1:PORT".
	URL() string
	// Host is "127.0.0.1:PORT", the host the confluence client is allowed to reach over HTTP.
	Host() string
	// Account is the classic-token account every mode authenticates as.
	Account() confluencetest.Account
	// FirstSpace is the bench dataset's first space (lowest id).
	FirstSpace() confluencetest.SpaceInfo
	// SetLatency sets the latency added to every Confluence response (no jitter).
	SetLatency(d time.Duration) error
	// ResetStats zeroes the request counters.
	ResetStats() error
	// Stats returns the request counters.
	Stats() (confluencetest.Stats, error)
	// Close stops the simulator.
	Close() error
}

// SimSize is the size of the bench dataset: Spaces spaces of PagesPerSpace pages each. Zero
// fields take the simulator's defaults (10 x 1000).
type SimSize struct {
	Spaces, PagesPerSpace int
}

// InProcessSim starts the simulator with the bench dataset in this process. Its allocations
// count in this process's memory statistics, so use it where allocations are not measured.
func InProcessSim(size SimSize) Sim {
	s := confluencetest.NewServer(confluencetest.WithDataset("bench"),
		confluencetest.WithBenchSize(size.Spaces, size.PagesPerSpace))
	return &inProcessSim{s: s}
}

type inProcessSim struct{ s *confluencetest.Server }

func (p *inProcessSim) URL() string                     { return p.s.URL() }
func (p *inProcessSim) Host() string                    { return p.s.Host() }
func (p *inProcessSim) Account() confluencetest.Account { return p.s.Account("classic") }
func (p *inProcessSim) FirstSpace() confluencetest.SpaceInfo {
	return p.s.Spaces()[0]
}
func (p *inProcessSim) SetLatency(d time.Duration) error { p.s.SetLatency(d, 0); return nil }
func (p *inProcessSim) ResetStats() error                { p.s.ResetStats(); return nil }
func (p *inProcessSim) Stats() (confluencetest.Stats, error) {
	return p.s.Stats(), nil
}
func (p *inProcessSim) Close() error { p.s.Close(); return nil }

// childEnv names the environment variable that turns a process into a simulator child; its
// value is "SPACES,PAGES".
const childEnv = "CG_BENCH_SIM_CHILD"

// childHello is the one line a simulator child prints once it listens.
type childHello struct {
	URL     string                   `json:"url"`
	Host    string                   `json:"host"`
	Account confluencetest.Account   `json:"account"`
	Space   confluencetest.SpaceInfo `json:"space"`
}

// RunChildSimIfRequested makes this process the simulator child when StartChildSim started it:
// it serves the bench dataset on a free loopback port, prints one JSON line describing it,
// serves until its standard input closes and then exits. In any other process it returns at once.
// Call it first in main and in TestMain of binaries that call StartChildSim.
func RunChildSimIfRequested() {
	spec, ok := os.LookupEnv(childEnv)
	if !ok {
		return
	}
	var size SimSize
	if _, err := fmt.Sscanf(spec, "%d,%d", &size.Spaces, &size.PagesPerSpace); err != nil {
		fmt.Fprintln(os.Stderr, "bench: bad "+childEnv+":", err)
		os.Exit(2)
	}
	s, err := confluencetest.Start("127.0.0.1:0", confluencetest.WithDataset("bench"),
		confluencetest.WithBenchSize(size.Spaces, size.PagesPerSpace))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	hello := childHello{URL: s.URL(), Host: s.Host(), Account: s.Account("classic"), Space: s.Spaces()[0]}
	if err := json.NewEncoder(os.Stdout).Encode(hello); err != nil {
		os.Exit(2)
	}
	_, _ = io.Copy(io.Discard, os.Stdin) // the parent closes stdin (or dies)
	s.Close()
	os.Exit(0)
}

// StartChildSim starts the simulator in a child process: this same executable, re-run with an
// environment variable that RunChildSimIfRequested recognises. It returns once the child
// listens. The child's allocations do not count in this process.
func StartChildSim(size SimSize) (Sim, error) {
	if _, child := os.LookupEnv(childEnv); child {
		// This binary did not call RunChildSimIfRequested first; starting another child would
		// recurse.
		return nil, fmt.Errorf("bench: StartChildSim called in a simulator child; call RunChildSimIfRequested first in main or TestMain")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: find executable: %w", err)
	}
	cmd := exec.Command(exe, "-test.run=^$") // a test binary must not run its tests in the child
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%d", childEnv, size.Spaces, size.PagesPerSpace))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start simulator child: %w", err)
	}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return nil, fmt.Errorf("bench: simulator child did not start: %w", err)
	}
	var hello childHello
	if err := json.Unmarshal(line, &hello); err != nil {
		_ = stdin.Close()
		_ = cmd.Wait()
		return nil, fmt.Errorf("bench: simulator child said %q: %w", line, err)
	}
	return &childSim{hello: hello, cmd: cmd, stdin: stdin, http: &http.Client{Timeout: 30 * time.Second}}, nil
}

type childSim struct {
	hello childHello
	cmd   *exec.Cmd
	stdin io.Closer
	http  *http.Client
}

func (c *childSim) URL() string                          { return c.hello.URL }
func (c *childSim) Host() string                         { return c.hello.Host }
func (c *childSim) Account() confluencetest.Account      { return c.hello.Account }
func (c *childSim) FirstSpace() confluencetest.SpaceInfo { return c.hello.Space }

func (c *childSim) SetLatency(d time.Duration) error {
	body, _ := json.Marshal(map[string]string{"latency": d.String(), "jitter": "0s"})
	return c.control("POST", "/__sim/latency", body, nil)
}

func (c *childSim) ResetStats() error { return c.control("POST", "/__sim/stats/reset", nil, nil) }

func (c *childSim) Stats() (confluencetest.Stats, error) {
	var st confluencetest.Stats
	err := c.control("GET", "/__sim/stats", nil, &st)
	return st, err
}

func (c *childSim) control(method, path string, body []byte, out any) error {
	req, err := http.NewRequest(method, c.hello.URL+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("bench: simulator control %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("bench: simulator control %s: %s: %s", path, resp.Status, strings.TrimSpace(string(b)))
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("bench: simulator control %s: %w", path, err)
	}
	return nil
}

func (c *childSim) Close() error {
	err := c.stdin.Close()
	if werr := c.cmd.Wait(); werr != nil && !errors.Is(werr, os.ErrClosed) {
		err = errors.Join(err, werr)
	}
	return err
}
