// Command confluence-graph runs the confluence-graph GraphQL subgraph, the
// Confluence Cloud simulator, and the API-key administration tool.
//
// It is the only package that reads configuration (flags and CG_* environment
// variables) and wires the other packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version and commit name the build; the image build sets them with
// -ldflags "-X main.version=... -X main.commit=...".
var version, commit = "dev", "unknown"

// command is one subcommand: it parses its own flags from args and runs until
// ctx is cancelled or its work is done.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order usage prints them. Files for
// each subcommand register themselves in init.
var commands []command

func register(c command) { commands = append(commands, c) }

// errUsage reports a command-line mistake; main prints usage and exits 2.
var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: confluence-graph <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'confluence-graph <command> -h' for a command's flags, 'confluence-graph --version' for the build.")
}

// run dispatches args (without the program name) to a subcommand.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		fmt.Fprintf(stdout, "confluence-graph version %s (commit %s)\n", version, commit)
		return nil
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "confluence-graph: unknown command %q\n\n", args[0])
	usage(stderr)
	return errUsage
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "confluence-graph: %v\n", err)
		os.Exit(1)
	}
}
