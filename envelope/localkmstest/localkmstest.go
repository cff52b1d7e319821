// Package localkmstest runs github.com/nsmithuk/local-kms (pinned as a Go
// tool in go.mod) for tests: one process per [Start], on a free port, with a
// fresh data directory and two seeded AES keys. It is for tests only.
//
// local-kms has no listen-address option: it binds PORT on all interfaces.
// Start uses PORT=0 (the kernel picks a free port, which local-kms logs) and
// clients connect through 127.0.0.1.
package localkmstest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/confluence-graph/confluence-graph/internal/syncbuf"
)

// Fixed identities of the seeded key.
const (
	Region    = "eu-west-2"
	AccountID = "111122223333"
	KeyID     = "6d4bd4e5-7a4e-4b5b-9d0f-2c1f0e6a9b31"
	Alias     = "alias/confluence-graph-test"
	// KeyARN is the ARN KMS reports for KeyID.
	KeyARN = "arn:aws:kms:" + Region + ":" + AccountID + ":key/" + KeyID
	// OtherKeyID is a second seeded AES key, for tests that need a key
	// other than KeyID.
	OtherKeyID = "0b7e3f52-9c1d-4e8a-a6f4-5d2c8b1e7a90"
)

// Test-only key material for the seeded keys.
const (
	backingKey      = "8f1c2e3d4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	otherBackingKey = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
)

// startTimeout bounds how long Start waits for the server to answer.
const startTimeout = 60 * time.Second

// Server is a running local-kms process.
type Server struct {
	// Endpoint is the base URL, e.g. "http://127.0.0.1:41234".
	Endpoint string

	cmd      *exec.Cmd
	done     chan struct{}
	stopOnce sync.Once
	log      *syncbuf.Buffer
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds local-kms once per test process through `go tool -n`, which
// compiles the tool pinned in go.mod into the build cache and prints its path.
func binary() (string, error) {
	buildOnce.Do(func() {
		var stderr bytes.Buffer
		cmd := exec.Command("go", "tool", "-n", "local-kms")
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			buildErr = fmt.Errorf("localkmstest: go tool -n local-kms: %w: %s", err, stderr.String())
			return
		}
		binPath = strings.TrimSpace(string(out))
	})
	return binPath, buildErr
}

var startedRE = regexp.MustCompile(`Local KMS started on [^\s:]*:(\d+)`)

// Start builds (once) and starts local-kms with PORT=0, a fresh
// KMS_DATA_PATH under t.TempDir() and a seed file holding two AES keys
// (KeyID, aliased as Alias, and OtherKeyID). It waits until the server answers DescribeKey
// and registers Stop with t.Cleanup. A server that cannot start fails the
// test; it is never skipped.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(seed, []byte(seedYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"PORT=0",
		"KMS_DATA_PATH="+filepath.Join(dir, "data"),
		"KMS_SEED_PATH="+seed,
		"KMS_REGION="+Region,
		"KMS_ACCOUNT_ID="+AccountID,
	)
	setParentDeathSignal(cmd)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{}), log: &syncbuf.Buffer{}}
	cmd.Stdout = s.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("localkmstest: start %s: %v", bin, err)
	}
	t.Cleanup(s.Stop)

	portCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if m := startedRE.FindStringSubmatch(line); m != nil {
				select {
				case portCh <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stderr)
		cmd.Wait()
		close(s.done)
	}()

	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	select {
	case port := <-portCh:
		s.Endpoint = "http://127.0.0.1:" + port
	case <-s.done:
		t.Fatalf("localkmstest: local-kms exited before listening:\n%s", s.log.String())
	case <-deadline.C:
		t.Fatalf("localkmstest: local-kms did not report its port within %v:\n%s", startTimeout, s.log.String())
	}
	if err := s.waitReady(deadline.C); err != nil {
		t.Fatalf("localkmstest: %v\n%s", err, s.log.String())
	}
	return s
}

// waitReady polls DescribeKey on the seeded key until it succeeds.
func (s *Server) waitReady(deadline <-chan time.Time) error {
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, _ := http.NewRequest(http.MethodPost, s.Endpoint+"/", strings.NewReader(`{"KeyId":"`+Alias+`"}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "TrentService.DescribeKey")
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("DescribeKey %s: status %d: %s", Alias, resp.StatusCode, body)
		}
		last = err
		select {
		case <-s.done:
			return fmt.Errorf("local-kms exited: %w", last)
		case <-deadline:
			return fmt.Errorf("local-kms not ready: %w", last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop kills the process and waits for it to exit. It is idempotent; after
// Stop, requests to Endpoint fail with connection refused.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
}

// LoadOptions are the AWS config options that reach a Server without the environment: Region
// and static test credentials (pass them in awskms.Config.LoadOptions with the Endpoint).
func LoadOptions() []func(*config.LoadOptions) error {
	return []func(*config.LoadOptions) error{
		config.WithRegion(Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
	}
}

// SetEnv points the AWS SDK's standard configuration chain at s until t ends: the KMS endpoint
// (AWS_ENDPOINT_URL_KMS), Region, static test credentials, and empty config and credentials
// files, so no developer profile or ambient credential leaks in. It uses t.Setenv, so t and its
// ancestors must not be parallel.
func (s *Server) SetEnv(t testing.TB) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL_KMS":        s.Endpoint,
		"AWS_ENDPOINT_URL":            "",
		"AWS_REGION":                  Region,
		"AWS_ACCESS_KEY_ID":           "test",
		"AWS_SECRET_ACCESS_KEY":       "test",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
	} {
		t.Setenv(k, v)
	}
}

// Log returns what the process wrote so far, for failure messages.
func (s *Server) Log() string { return s.log.String() }

const seedYAML = `Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: ` + KeyID + `
          Description: confluence-graph test key
        BackingKeys:
          - ` + backingKey + `
      - Metadata:
          KeyId: ` + OtherKeyID + `
          Description: confluence-graph second test key
        BackingKeys:
          - ` + otherBackingKey + `
Aliases:
  - AliasName: ` + Alias + `
    TargetKeyId: ` + KeyID + `
`
