package main

import (
	"io"
	"strings"
	"testing"
)

// TestServeDataCenterFlags: Data Center hosts come from CG_ALLOW_DATACENTER_HOST and repeated
// --allow-datacenter-host flags; a URL instead of a host, and a missing CA bundle, are usage
// errors.
func TestServeDataCenterFlags(t *testing.T) {
	m := NewMain(io.Discard, io.Discard)
	env := map[string]string{"CG_ALLOW_DATACENTER_HOST": "wiki.corp.example,10.20.0.0/16"}
	err := m.ParseFlags([]string{"--allow-datacenter-host", "docs.corp.example", "--allow-datacenter-host", "192.168.7.0/24"},
		func(k string) string { return env[k] }, io.Discard)
	if got := strings.Join(m.Config.DataCenterHosts, ";"); err != nil || got != "wiki.corp.example,10.20.0.0/16;docs.corp.example;192.168.7.0/24" {
		t.Fatalf("hosts = %q, %v", got, err)
	}
	for _, args := range [][]string{
		{"--allow-datacenter-host", "https://wiki.corp.example"},
		{"--datacenter-ca-file", "/nonexistent/ca.pem"},
	} {
		if err := NewMain(io.Discard, io.Discard).ParseFlags(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	env = map[string]string{"CG_ALLOW_DATACENTER_HOST": "https://bad.example"}
	if err := NewMain(io.Discard, io.Discard).ParseFlags(nil, func(k string) string { return env[k] }, io.Discard); err == nil {
		t.Error("a URL in CG_ALLOW_DATACENTER_HOST accepted")
	}
}
