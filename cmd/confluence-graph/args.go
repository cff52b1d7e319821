package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseArgs parses args with fs, which was made with flag.ContinueOnError
// and prints its own errors and usage. It returns flag.ErrHelp for -h,
// errUsage for a bad flag or (after saying so on stderr, prefixed with
// name) a stray argument, else nil.
func parseArgs(fs *flag.FlagSet, args []string, name string, stderr io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q\n", name, fs.Args())
		return errUsage
	}
	return nil
}

// helpIsNoError maps flag.ErrHelp (the user asked for -h, which printed
// the usage) to nil.
func helpIsNoError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
