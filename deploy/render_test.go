package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// ServiceMonitor is the part of the Prometheus Operator's
// monitoring.coreos.com/v1 ServiceMonitor the manifests use; decoding is
// strict, so a field outside it fails the test (add it here when a
// manifest needs it).
type ServiceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector *struct {
			MatchNames []string `json:"matchNames,omitempty"`
			Any        bool     `json:"any,omitempty"`
		} `json:"namespaceSelector,omitempty"`
		Endpoints []struct {
			Port          string `json:"port"`
			Path          string `json:"path,omitempty"`
			Scheme        string `json:"scheme,omitempty"`
			Interval      string `json:"interval,omitempty"`
			ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// rendered is one overlay's output, decoded: objects by their Go type.
type rendered struct {
	overlay string
	objs    map[reflect.Type][]any
}

// all returns the rendered objects of type T.
func all[T any](r *rendered) []*T {
	var out []*T
	for _, o := range r.objs[reflect.TypeFor[T]()] {
		out = append(out, o.(*T))
	}
	return out
}

// overlays returns the directories under deploy/overlays.
func overlays(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir("overlays")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join("overlays", e.Name()))
		}
	}
	if len(dirs) == 0 {
		t.Fatal("no overlays under deploy/overlays")
	}
	return dirs
}

// render runs kustomize on dir, as `kubectl apply -k dir` would, and
// decodes every object strictly into its API type.
func render(t *testing.T, dir string) *rendered {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	r := &rendered{overlay: dir, objs: map[reflect.Type][]any{}}
	for _, res := range m.Resources() {
		y, err := res.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		id := res.GetGvk().String() + " " + res.GetName()
		if err := r.add(res.GetApiVersion(), res.GetKind(), y); err != nil {
			t.Errorf("%s: %s: %v", dir, id, err)
		}
	}
	return r
}

// add decodes y as apiVersion/kind with unknown and duplicate fields
// refused, and files it.
func (r *rendered) add(apiVersion, kind string, y []byte) error {
	typ, ok := kinds[apiVersion+"/"+kind]
	if !ok {
		return fmt.Errorf("no strict decoder for %s %s: add its API type to kinds", apiVersion, kind)
	}
	v := reflect.New(typ).Interface()
	if err := yaml.UnmarshalStrict(y, v); err != nil {
		return err
	}
	if r.objs == nil {
		r.objs = map[reflect.Type][]any{}
	}
	r.objs[typ] = append(r.objs[typ], v)
	return nil
}

// one returns the single rendered object of type T, failing the test
// otherwise.
func one[T any](t *testing.T, r *rendered) *T {
	t.Helper()
	objs := all[T](r)
	if len(objs) != 1 {
		t.Fatalf("%s renders %d %s, want 1", r.overlay, len(objs), reflect.TypeFor[T]().Name())
	}
	return objs[0]
}

// TestStrictDecodeRefusesUnknownFields keeps the decoder honest: a
// misspelt field must fail, or the manifests test proves nothing.
func TestStrictDecodeRefusesUnknownFields(t *testing.T) {
	var r rendered
	bad := []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replica: 2\n")
	if err := r.add("apps/v1", "Deployment", bad); err == nil {
		t.Error("spec.replica (for replicas) decoded without error")
	}
	badSM := []byte("apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\nspec:\n  endpoint: []\n")
	if err := r.add("monitoring.coreos.com/v1", "ServiceMonitor", badSM); err == nil {
		t.Error("ServiceMonitor spec.endpoint (for endpoints) decoded without error")
	}
}
