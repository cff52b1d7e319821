package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestRunUnknownCommandPrintsUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"frobnicate"}, &stdout, &stderr)
	if !errors.Is(err, errUsage) {
		t.Fatalf("run(frobnicate) error = %v, want errUsage", err)
	}
	got := stderr.String()
	for _, want := range []string{`unknown command "frobnicate"`, "usage: confluence-graph <command>"} {
		if !strings.Contains(got, want) {
			t.Errorf("stderr = %q, want it to contain %q", got, want)
		}
	}
}

func TestRunNoArgsIsUsageError(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), nil, &stdout, &stderr); !errors.Is(err, errUsage) {
		t.Fatalf("run() error = %v, want errUsage", err)
	}
	if !strings.Contains(stderr.String(), "commands:") {
		t.Errorf("stderr = %q, want the command list", stderr.String())
	}
}

func TestRunVersionPrintsBuild(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		var stdout, stderr bytes.Buffer
		if err := run(t.Context(), []string{arg}, &stdout, &stderr); err != nil {
			t.Fatalf("run(%s) = %v", arg, err)
		}
		if want := "confluence-graph version " + version + " (commit " + commit + ")"; !strings.Contains(stdout.String(), want) {
			t.Errorf("run(%s) printed %q, want %q", arg, stdout.String(), want)
		}
	}
}
