package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// maxImageBytes bounds the image as a registry stores it and a node pulls
// it: the sum of its compressed layers. maxUnpackedBytes bounds the same
// layers unpacked (what `docker images` shows), which the OpenTelemetry
// OTLP exporter's gRPC and protobuf dependencies put above 40 MB.
const (
	maxImageBytes    = 40_000_000
	maxUnpackedBytes = 60_000_000
)

const (
	testVersion = "v0.0.0-imagetest"
	testCommit  = "0123456789abcdef0123456789abcdef01234567"
)

// TestImage builds the image as `make image` does and checks the tarball
// from the outside: config, labels, file system, size, and that the binary
// inside runs.
func TestImage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "image.tar")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := Build(ctx, Options{
		Root: repoRootT(t), Output: out, Version: testVersion, Commit: testCommit,
		Arch: runtime.GOARCH, Created: time.Unix(0, 0).UTC(),
	}); err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	checkConfig(t, cf)
	files := readRootfs(t, img)
	checkRootfs(t, files)
	runBinary(t, files[BinaryPath[1:]].data)
}

func checkConfig(t *testing.T, cf *v1.ConfigFile) {
	t.Helper()
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != runtime.GOARCH {
		t.Errorf("platform = %s/%s, want linux/%s", cf.OS, cf.Architecture, runtime.GOARCH)
	}
	if !slices.Equal(c.Entrypoint, []string{BinaryPath}) {
		t.Errorf("entrypoint = %q, want [%q]", c.Entrypoint, BinaryPath)
	}
	if !slices.Equal(c.Cmd, []string{"serve"}) {
		t.Errorf("cmd = %q, want [serve]", c.Cmd)
	}
	if c.User != "65532:65532" {
		t.Errorf("user = %q, want 65532:65532 (numeric, non-root)", c.User)
	}
	want := map[string]string{LabelVersion: testVersion, LabelRevision: testCommit, LabelSource: SourceURL}
	for k, v := range want {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	for _, p := range []string{ServicePort, MetricsPort} {
		if _, ok := c.ExposedPorts[p]; !ok {
			t.Errorf("port %s not exposed (have %v)", p, c.ExposedPorts)
		}
	}
}

type entry struct {
	hdr  *tar.Header
	data []byte
}

// readRootfs returns the flattened file system by path (without the
// leading slash).
func readRootfs(t *testing.T, img v1.Image) map[string]entry {
	t.Helper()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var size, packed int64
	for _, l := range layers {
		c, err := l.Size()
		if err != nil {
			t.Fatal(err)
		}
		packed += c
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		size += n
	}
	t.Logf("image: %.1f MB compressed, %.1f MB unpacked", float64(packed)/1e6, float64(size)/1e6)
	if packed >= maxImageBytes {
		t.Errorf("image is %.1f MB compressed, want under %d MB", float64(packed)/1e6, maxImageBytes/1_000_000)
	}
	if size >= maxUnpackedBytes {
		t.Errorf("image is %.1f MB unpacked, want under %d MB", float64(size)/1e6, maxUnpackedBytes/1_000_000)
	}
	rc := mutate.Extract(img)
	defer rc.Close()
	files := map[string]entry{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[strings.TrimPrefix(h.Name, "/")] = entry{h, data}
	}
	return files
}

func checkRootfs(t *testing.T, files map[string]entry) {
	t.Helper()
	for _, sh := range []string{"bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh"} {
		if _, ok := files[sh]; ok {
			t.Errorf("image has a shell: /%s", sh)
		}
	}
	for p, e := range files {
		if e.hdr.Typeflag == tar.TypeReg && e.hdr.Mode&0o111 != 0 && p != BinaryPath[1:] {
			t.Errorf("unexpected executable /%s", p)
		}
		if e.hdr.Typeflag == tar.TypeSymlink || e.hdr.Typeflag == tar.TypeLink {
			t.Errorf("unexpected link /%s", p)
		}
	}
	if !bytes.Contains(files["etc/passwd"].data, []byte("\n"+PasswdLine+"\n")) {
		t.Errorf("/etc/passwd lacks %q:\n%s", PasswdLine, files["etc/passwd"].data)
	}
	if !bytes.Contains(files["etc/group"].data, []byte("\n"+GroupLine+"\n")) {
		t.Errorf("/etc/group lacks %q:\n%s", GroupLine, files["etc/group"].data)
	}
	if !bytes.Contains(files[CACertsPath[1:]].data, []byte("-----BEGIN CERTIFICATE-----")) {
		t.Errorf("%s holds no certificate", CACertsPath)
	}
	if h := files["tmp"].hdr; h == nil || h.Mode&0o1777 != 0o1777 {
		t.Errorf("/tmp missing or not world-writable with the sticky bit")
	}
}

// runBinary runs the extracted binary with --version when the main
// package declares the variable the build sets, and with --help until it
// does.
func runBinary(t *testing.T, binary []byte) {
	t.Helper()
	if runtime.GOOS != "linux" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must run the image's linux binary; this is %s", runtime.GOOS)
		}
		t.Skipf("the image's linux binary cannot run on %s", runtime.GOOS)
	}
	if len(binary) == 0 {
		t.Fatalf("no binary at %s", BinaryPath)
	}
	bin := filepath.Join(t.TempDir(), "confluence-graph")
	if err := os.WriteFile(bin, binary, 0o755); err != nil {
		t.Fatal(err)
	}
	arg, want := "--help", "usage: confluence-graph"
	if declaresVersion(t) {
		arg, want = "--version", testVersion
	} else {
		t.Logf("%s declares no %s yet: running --help instead of --version", MainPackage, VersionVar)
	}
	out, err := exec.Command(bin, arg).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", BinaryPath, arg, err, out)
	}
	if !strings.Contains(string(out), want) {
		t.Errorf("%s %s printed %q, want it to contain %q", BinaryPath, arg, out, want)
	}
}

// declaresVersion reports whether MainPackage has a package-level
// variable named like VersionVar.
func declaresVersion(t *testing.T) bool {
	t.Helper()
	dir := filepath.Join(repoRootT(t), MainPackage)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	varName := strings.TrimPrefix(VersionVar, "main.")
	fset := token.NewFileSet()
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if n.Name == varName {
						return true
					}
				}
			}
		}
	}
	return false
}

func repoRootT(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestTagSafe(t *testing.T) {
	for in, want := range map[string]string{
		"v1.2.0":              "v1.2.0",
		"v1.2.0-3-gabc+dirty": "v1.2.0-3-gabc-dirty",
		"":                    "latest",
		".hidden":             "-hidden",
		"feature/x":           "feature-x",
	} {
		if got := tagSafe(in); got != want {
			t.Errorf("tagSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
