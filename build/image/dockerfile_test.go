package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	op   string // upper case: FROM, RUN, ...
	args string
}

// parseDockerfile splits a Dockerfile into stages of instructions; each
// stage starts with its FROM. Comments and blank lines are dropped.
func parseDockerfile(t *testing.T, text string) [][]instruction {
	t.Helper()
	var stages [][]instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		op, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(op), strings.TrimSpace(args)}
		if in.op == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in.op != "ARG" {
				t.Fatalf("Dockerfile: %s before the first FROM", in.op)
			}
			return
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for line := range strings.SplitSeq(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(trimmed, "\\"); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

func find(stage []instruction, op string) []string {
	var out []string
	for _, in := range stage {
		if in.op == op {
			out = append(out, in.args)
		}
	}
	return out
}

// TestDockerfileInSync checks that the Dockerfile builds what Build
// builds: the same base, Go release, build flags, user files, user,
// entrypoint, ports and labels.
func TestDockerfileInSync(t *testing.T) {
	root := repoRootT(t)
	raw, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	stages := parseDockerfile(t, text)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile has %d stages, want a build stage and the final one", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVersion == nil {
		t.Fatal("go.mod has no go line")
	}
	if from := build[0].args; !strings.HasPrefix(from, "golang:"+string(goVersion[1])+" ") &&
		!strings.HasPrefix(from, "golang:"+string(goVersion[1])+"-") {
		t.Errorf("build stage FROM %q, want golang:%s (go.mod's release)", from, goVersion[1])
	}
	buildRun := strings.Join(find(build, "RUN"), "\n")
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-s -w", "-X " + VersionVar + "=", "-X " + CommitVar + "=",
		MainPackage, "/rootfs" + BinaryPath, PasswdLine, GroupLine, CACertsPath, "chmod 1777 /rootfs/tmp"} {
		if !strings.Contains(buildRun, want) {
			t.Errorf("build stage RUN lacks %q", want)
		}
	}

	if got := final[0].args; got != Base {
		t.Errorf("final stage FROM %q, want %q", got, Base)
	}
	single := func(op string) string {
		v := find(final, op)
		if len(v) != 1 {
			t.Errorf("final stage has %d %s, want 1", len(v), op)
			return ""
		}
		return v[0]
	}
	if got := single("USER"); got != User {
		t.Errorf("USER %q, want %q", got, User)
	}
	if got := single("WORKDIR"); got != HomeDir {
		t.Errorf("WORKDIR %q, want %q", got, HomeDir)
	}
	var entrypoint, cmd []string
	if err := json.Unmarshal([]byte(single("ENTRYPOINT")), &entrypoint); err != nil || !slices.Equal(entrypoint, []string{BinaryPath}) {
		t.Errorf("ENTRYPOINT %q (%v), want the exec form [%q]", entrypoint, err, BinaryPath)
	}
	if err := json.Unmarshal([]byte(single("CMD")), &cmd); err != nil || !slices.Equal(cmd, []string{"serve"}) {
		t.Errorf("CMD %q (%v), want [\"serve\"]", cmd, err)
	}
	ports := strings.Fields(single("EXPOSE"))
	for _, p := range []string{ServicePort, MetricsPort} {
		if !slices.Contains(ports, p) {
			t.Errorf("EXPOSE %q lacks %s", ports, p)
		}
	}
	if env := single("ENV"); !strings.Contains(env, "SSL_CERT_FILE="+CACertsPath) {
		t.Errorf("ENV %q lacks SSL_CERT_FILE=%s", env, CACertsPath)
	}
	labels := single("LABEL")
	for key, val := range map[string]string{
		LabelVersion: `"${VERSION}"`, LabelRevision: `"${COMMIT}"`, LabelSource: `"` + SourceURL + `"`,
	} {
		if !strings.Contains(labels, key+"="+val) {
			t.Errorf("LABEL lacks %s=%s", key, val)
		}
	}
	for _, in := range final {
		if in.op == "RUN" {
			t.Errorf("final stage runs %q: the image has no shell to run it", in.args)
		}
	}
}
