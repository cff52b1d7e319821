package settings_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/confluence-graph/confluence-graph/confluence/confluencetest"
)

// Environment of the child process TestKillChild runs as.
const (
	killChildEnv = "CG_SETTINGS_KILL_CHILD" // the database (SQLite path or PostgreSQL DSN)
	killKeyEnv   = "CG_SETTINGS_KILL_KEY"   // the master key file
)

// TestKillChild is the child process of TestKilledChangesKeepTheirAudit:
// it loops random connects, updates, tests and disconnects of one tenant
// until it is killed, printing "ready" once it has started. It does
// nothing when run by itself.
func TestKillChild(t *testing.T) {
	db := os.Getenv(killChildEnv)
	if db == "" {
		t.Skip("runs only as the child process of TestKilledChangesKeepTheirAudit")
	}
	sim := confluencetest.NewServer(confluencetest.WithDataset("demo"))
	defer sim.Close()
	svc, _ := replica(t, t.Context(), db, sim, os.Getenv(killKeyEnv))
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(os.Getpid())))
	fmt.Println("ready")
	for {
		if err := change(t.Context(), svc, sim, "acme", "k", rnd); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKilledChangesKeepTheirAudit kills (SIGKILL) a process looping
// changes of one tenant at random moments, many times, on one SQLite file
// and one PostgreSQL database, then checks that every change has its audit
// event and every audited change happened (checkTrail). Before changes and
// their events shared a transaction, a kill between the two left changes
// unaudited.
func TestKilledChangesKeepTheirAudit(t *testing.T) {
	if testing.Short() {
		if os.Getenv("CI") == "true" {
			t.Fatal("-short must not skip the kill test in CI")
		}
		t.Skip("starts and kills child processes")
	}
	const kills = 8
	for _, db := range sharedDatabases(t) {
		t.Run(db.name, func(t *testing.T) {
			keyFile := filepath.Join(t.TempDir(), "master.key")
			for range kills {
				runAndKill(t, db.url, keyFile, time.Duration(20+rand.IntN(300))*time.Millisecond)
			}
			store, err := openDatabase(t.Context(), db.url)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = store.Close() }()
			n := checkTrail(t, store, "acme")
			if n == 0 {
				t.Errorf("no audited change after %d runs; want the children to have changed something", kills)
			}
			t.Logf("%d audited changes across %d killed processes", n, kills)
		})
	}
}

// runAndKill starts the child on db, waits until it is ready and then for
// after, and kills it with SIGKILL.
func runAndKill(t *testing.T, db, keyFile string, after time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), killChildEnv+"="+db, killKeyEnv+"="+keyFile)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		ok := false
		for sc.Scan() {
			if !ok && sc.Text() == "ready" {
				ok = true
				ready <- true
			}
		}
		if !ok {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("child exited before it was ready: %s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child not ready after 30s")
	}
	time.Sleep(after)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("child ended with %v before it was killed: %s", err, stderr.String())
	}
}
