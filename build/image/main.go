// Command image builds the confluence-graph container image without a
// Docker daemon and writes it as an image tarball (the `docker save`
// format, which `docker load`, `podman load` and `crane push` read).
//
// Run it from anywhere inside the repository:
//
//	go run ./build/image -o bin/image.tar
//
// It cross-compiles a static binary (CGO_ENABLED=0, -trimpath, stripped),
// then assembles a one-layer image on an empty base holding only the
// binary, /etc/passwd and /etc/group naming the non-root user 65532,
// the build machine's CA certificates and an empty /tmp. There is no
// shell. The Dockerfile at the repository root builds the same image with
// Docker; the test in this directory keeps the two in sync.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "image: %v\n", err)
		}
		os.Exit(2)
	}
}

// run parses args into an Options, fills in what was left out from the
// repository (version and commit from git, the root from go.mod) and
// builds the image.
func run(ctx context.Context, args []string) error {
	var o Options
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&o.Output, "o", "bin/image.tar", "image tarball to write")
	fs.StringVar(&o.Tag, "tag", "", "image reference recorded in the tarball (default confluence-graph:VERSION)")
	fs.StringVar(&o.Version, "version", "", "version label and -X main.version (default: git describe --tags --always --dirty)")
	fs.StringVar(&o.Commit, "commit", "", "revision label and -X main.commit (default: git rev-parse HEAD)")
	fs.StringVar(&o.Arch, "arch", runtime.GOARCH, "GOARCH of the binary and the image platform")
	fs.StringVar(&o.CACerts, "ca-certs", "/etc/ssl/certs/ca-certificates.crt", "CA bundle copied into the image")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	o.Root = root
	if o.Version == "" {
		o.Version = gitOr(ctx, root, "dev", "describe", "--tags", "--always", "--dirty")
	}
	if o.Commit == "" {
		o.Commit = gitOr(ctx, root, "unknown", "rev-parse", "HEAD")
	}
	if o.Created.IsZero() {
		o.Created = sourceDateEpoch()
	}
	if !filepath.IsAbs(o.Output) {
		// Relative to the repository root, so `go run ./build/image` and
		// the Make target agree wherever they are started.
		o.Output = filepath.Join(root, o.Output)
	}
	size, err := Build(ctx, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "image: wrote %s (%s, %.1f MB)\n", o.Output, o.tag(), float64(size)/1e6)
	return nil
}
