package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
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

// rendered is one overlay's output, decoded.
type rendered struct {
	overlay         string
	deployments     []*appsv1.Deployment
	services        []*corev1.Service
	serviceAccounts []*corev1.ServiceAccount
	secrets         []*corev1.Secret
	namespaces      []*corev1.Namespace
	pdbs            []*policyv1.PodDisruptionBudget
	networkPolicies []*networkingv1.NetworkPolicy
	hpas            []*autoscalingv2.HorizontalPodAutoscaler
	serviceMonitors []*ServiceMonitor
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
	r := &rendered{overlay: dir}
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
	switch apiVersion + "/" + kind {
	case "apps/v1/Deployment":
		return decode(y, &r.deployments)
	case "v1/Service":
		return decode(y, &r.services)
	case "v1/ServiceAccount":
		return decode(y, &r.serviceAccounts)
	case "v1/Secret":
		return decode(y, &r.secrets)
	case "v1/Namespace":
		return decode(y, &r.namespaces)
	case "policy/v1/PodDisruptionBudget":
		return decode(y, &r.pdbs)
	case "networking.k8s.io/v1/NetworkPolicy":
		return decode(y, &r.networkPolicies)
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return decode(y, &r.hpas)
	case "monitoring.coreos.com/v1/ServiceMonitor":
		return decode(y, &r.serviceMonitors)
	}
	return fmt.Errorf("no strict decoder for %s %s: add its API type to the test", apiVersion, kind)
}

func decode[T any](y []byte, into *[]*T) error {
	v := new(T)
	if err := yaml.UnmarshalStrict(y, v); err != nil {
		return err
	}
	*into = append(*into, v)
	return nil
}

// one returns the single object of a kind, failing the test otherwise.
func one[T any](t *testing.T, overlay, kind string, objs []*T) *T {
	t.Helper()
	if len(objs) != 1 {
		t.Fatalf("%s renders %d %s, want 1", overlay, len(objs), kind)
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
