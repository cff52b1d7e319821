package sqlstore

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/confluence-graph/confluence-graph/settings"
)

func TestCapabilitiesRoundTrip(t *testing.T) {
	b, err := encodeCapabilities(nil)
	if err != nil || string(b) != "[]" {
		t.Fatalf("EncodeCapabilities(nil) = %q, %v; want [] (never null)", b, err)
	}
	if got, err := decodeCapabilities(b); err != nil || got != nil {
		t.Errorf("DecodeCapabilities([]) = %v, %v; want nil", got, err)
	}
	in := []settings.Capability{{Name: "SEARCH", OK: false, RequiredScope: "search:confluence", Detail: "the token lacks search:confluence"},
		{Name: "READ_HIERARCHY", RequiredScope: "read:hierarchical-content:confluence", Degraded: true, AffectedFields: []string{"Page.children"}}}
	b, err = encodeCapabilities(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCapabilities(b)
	if err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("round trip = %+v, %v; want %+v", got, err, in)
	}
	if _, err := decodeCapabilities([]byte("{")); err == nil || !strings.Contains(err.Error(), "decode capabilities") {
		t.Errorf("DecodeCapabilities(bad) error = %v, want a decode error", err)
	}
}

func TestSecretHash(t *testing.T) {
	want := bytes.Repeat([]byte{7}, 32)
	h, err := secretHash("k1", want)
	if err != nil || !bytes.Equal(h[:], want) {
		t.Errorf("SecretHash = %x, %v; want %x", h, err, want)
	}
	if _, err := secretHash("k1", want[:31]); err == nil || !strings.Contains(err.Error(), "api key k1: stored secret hash has 31 bytes") {
		t.Errorf("SecretHash(31 bytes) error = %v, want the length named", err)
	}
}
