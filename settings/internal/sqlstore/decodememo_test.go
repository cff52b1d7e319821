package sqlstore

import (
	"reflect"
	"testing"
)

// Decoding through the memo answers what decoding does, and a caller changing its copy changes
// neither the memo nor the next caller's copy.
func TestDecodeMemoHandsOutCopies(t *testing.T) {
	caps := []byte(`[{"name":"READ_PAGES","ok":false,"requiredScope":"read:page:confluence","affectedFields":["Page.children"]}]`)
	policy := []byte(`{"allowedSpaces":["ENG"],"excludedLabels":["secret"]}`)
	want, _ := decodeCapabilities(caps)
	wantP, _ := decodeReadPolicy(policy)
	for i := range 3 {
		got, err := decodeCapabilitiesMemo(caps)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("read %d: capabilities = %+v, %v; want %+v", i, got, err, want)
		}
		got[0].Name, got[0].AffectedFields[0] = "CHANGED", "changed"
		p, err := decodeReadPolicyMemo(policy)
		if err != nil || !reflect.DeepEqual(p, wantP) {
			t.Fatalf("read %d: policy = %+v, %v; want %+v", i, p, err, wantP)
		}
		p.AllowedSpaces[0], p.ExcludedLabels[0] = "X", "y"
	}
	if _, err := decodeCapabilitiesMemo([]byte(`{`)); err == nil {
		t.Errorf("a broken column decoded without error")
	}
}
