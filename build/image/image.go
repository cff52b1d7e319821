package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// The image's fixed shape. The Dockerfile states the same values; the
// test compares them.
const (
	// Base is the image the binary is put on: nothing at all.
	Base = "scratch"
	// BinaryPath is where the binary lives and the entrypoint.
	BinaryPath = "/usr/local/bin/confluence-graph"
	// UID and GID are the non-root user and group the container runs as
	// (65532, "nonroot", as in the distroless images).
	UID, GID = 65532, 65532
	// UserName names UID in /etc/passwd and GID in /etc/group.
	UserName = "nonroot"
	// HomeDir is the user's home and the working directory.
	HomeDir = "/home/nonroot"
	// CACertsPath is where the CA bundle goes; Go's crypto/x509 reads it
	// there on Linux.
	CACertsPath = "/etc/ssl/certs/ca-certificates.crt"
	// MainPackage is the package built into BinaryPath.
	MainPackage = "./cmd/confluence-graph"
	// VersionVar and CommitVar are the variables of MainPackage set with
	// -ldflags -X (a name the package lacks is ignored by the linker).
	VersionVar = "main.version"
	CommitVar  = "main.commit"
	// SourceURL is the org.opencontainers.image.source label.
	SourceURL = "https://github.com/confluence-graph/confluence-graph"
	// ServicePort and MetricsPort are the ports the image exposes: the
	// GraphQL listener (CG_ADDR) and the metrics listener (CG_METRICS_ADDR).
	ServicePort = "8080/tcp"
	MetricsPort = "9091/tcp"
)

// OCI annotation keys used as image labels.
const (
	LabelVersion  = "org.opencontainers.image.version"
	LabelRevision = "org.opencontainers.image.revision"
	LabelSource   = "org.opencontainers.image.source"
	LabelTitle    = "org.opencontainers.image.title"
)

// User is the config's User field: numeric, so Kubernetes' runAsNonRoot
// can verify it without reading /etc/passwd.
var User = fmt.Sprintf("%d:%d", UID, GID)

// PasswdLine and GroupLine are the only entries of /etc/passwd and
// /etc/group besides root's.
var (
	PasswdLine = fmt.Sprintf("%s:x:%d:%d:%s:%s:/sbin/nologin", UserName, UID, GID, UserName, HomeDir)
	GroupLine  = fmt.Sprintf("%s:x:%d:", UserName, GID)
)

// Options is one image build. Root, Output, Version and Commit are
// required; Arch defaults to amd64.
type Options struct {
	Root    string    // repository root (holds go.mod)
	Output  string    // image tarball path; its directory is created
	Tag     string    // reference recorded in the tarball; default confluence-graph:Version
	Version string    // version label and VersionVar
	Commit  string    // revision label and CommitVar
	Arch    string    // GOARCH
	CACerts string    // CA bundle to copy; default CACertsPath of this machine
	Created time.Time // image and file timestamps
}

func (o Options) tag() string {
	if o.Tag != "" {
		return o.Tag
	}
	return "confluence-graph:" + tagSafe(o.Version)
}

// Build compiles the binary, assembles the image and writes the tarball
// to o.Output. It returns the tarball's size in bytes.
func Build(ctx context.Context, o Options) (int64, error) {
	if o.Arch == "" {
		o.Arch = "amd64"
	}
	if o.CACerts == "" {
		o.CACerts = CACertsPath
	}
	ref, err := name.ParseReference(o.tag())
	if err != nil {
		return 0, fmt.Errorf("tag %q: %w", o.tag(), err)
	}
	tmp, err := os.MkdirTemp("", "cg-image-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "confluence-graph")
	if err := compile(ctx, o, bin); err != nil {
		return 0, err
	}
	img, err := assemble(o, bin)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(o.Output), 0o755); err != nil {
		return 0, err
	}
	if err := tarball.WriteToFile(o.Output, ref, img); err != nil {
		return 0, fmt.Errorf("write %s: %w", o.Output, err)
	}
	fi, err := os.Stat(o.Output)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// LDFlags returns the -ldflags value for version and commit: stripped
// symbols and the two -X settings.
func LDFlags(version, commit string) string {
	return fmt.Sprintf("-s -w -X %s=%s -X %s=%s", VersionVar, version, CommitVar, commit)
}

// compile cross-compiles MainPackage into out as a static linux binary.
func compile(ctx context.Context, o Options, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath",
		"-ldflags", LDFlags(o.Version, o.Commit), "-o", out, MainPackage)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+o.Arch)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", MainPackage, err)
	}
	return nil
}

// assemble puts the binary, the user files and the CA bundle on an empty
// base and sets the config: entrypoint, user, ports, labels.
func assemble(o Options, bin string) (v1.Image, error) {
	layer, err := rootfsLayer(o, bin)
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:     layer,
		MediaType: types.OCILayer,
		History: v1.History{
			Created:   v1.Time{Time: o.Created},
			CreatedBy: "go run ./build/image",
			Comment:   "confluence-graph " + o.Version,
		},
	})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", o.Arch
	cf.Created = v1.Time{Time: o.Created}
	cf.Config = v1.Config{
		Entrypoint:   []string{BinaryPath},
		Cmd:          []string{"serve"},
		User:         User,
		WorkingDir:   HomeDir,
		Env:          []string{"PATH=/usr/local/bin", "SSL_CERT_FILE=" + CACertsPath},
		ExposedPorts: map[string]struct{}{ServicePort: {}, MetricsPort: {}},
		Labels: map[string]string{
			LabelVersion:  o.Version,
			LabelRevision: o.Commit,
			LabelSource:   SourceURL,
			LabelTitle:    "confluence-graph",
		},
	}
	return mutate.ConfigFile(img, cf)
}

// rootfsLayer returns the image's single layer as a gzipped tar.
func rootfsLayer(o Options, bin string) (v1.Layer, error) {
	binary, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	certs, err := os.ReadFile(o.CACerts)
	if err != nil {
		return nil, fmt.Errorf("CA certificates: %w (pass -ca-certs)", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := []struct {
		path     string
		mode     int64
		uid, gid int
	}{
		{"etc/", 0o755, 0, 0},
		{"etc/ssl/", 0o755, 0, 0},
		{"etc/ssl/certs/", 0o755, 0, 0},
		{"home/", 0o755, 0, 0},
		{"home/nonroot/", 0o700, UID, GID},
		{"tmp/", 0o1777, 0, 0},
		{"usr/", 0o755, 0, 0},
		{"usr/local/", 0o755, 0, 0},
		{"usr/local/bin/", 0o755, 0, 0},
	}
	for _, d := range dirs {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d.path, Mode: d.mode,
			Uid: d.uid, Gid: d.gid, ModTime: o.Created, Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
	}
	files := []struct {
		path string
		mode int64
		data []byte
	}{
		{"etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/sbin/nologin\n" + PasswdLine + "\n")},
		{"etc/group", 0o644, []byte("root:x:0:\n" + GroupLine + "\n")},
		{CACertsPath[1:], 0o644, certs},
		{BinaryPath[1:], 0o755, binary},
	}
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: f.path, Mode: f.mode,
			Size: int64(len(f.data)), ModTime: o.Created, Format: tar.FormatPAX}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
}

// tagSafe maps a version such as v1.2.0-3-gabc-dirty to a valid tag:
// characters outside [A-Za-z0-9_.-] become '-'.
func tagSafe(v string) string {
	b := []byte(v)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok || (i == 0 && (c == '.' || c == '-')) {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return name.DefaultTag
	}
	return string(b)
}
