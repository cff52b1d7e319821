package monitoring

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
)

// metric is one exported metric family: its kind and label names.
type metric struct {
	kind   string // counter, gauge, histogram, summary, untyped
	labels map[string]bool
	where  string // file:line of its registration, or the collector
}

// inventory maps every series name the service can expose (histogram
// _bucket/_sum/_count included) to its family.
type inventory map[string]*metric

// targetLabels are added by Prometheus and the Prometheus Operator to
// every scraped series; rules may match on them.
var targetLabels = []string{"job", "instance", "namespace", "pod", "service", "endpoint", "container"}

// external are metrics the rules may name that the service does not
// export: Prometheus synthesizes up for every target.
var external = map[string]*metric{
	"up": {kind: "gauge", labels: map[string]bool{}, where: "Prometheus (per scrape target)"},
}

// readInventory parses every non-test Go file of the repository and
// records the metrics built with prometheus.New*/promauto.New* from a
// *Opts literal with a constant Name, and the labels of the *Vec
// constructors; it adds the Go runtime and process collectors' metrics,
// gathered from real collectors, when the code registers them.
func readInventory(t *testing.T) inventory {
	t.Helper()
	inv := inventory{}
	root := filepath.Join("..")
	fset := token.NewFileSet()
	var goCollector, processCollector bool
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pkg, fn := selector(call.Fun)
			switch {
			case pkg == "collectors" && fn == "NewGoCollector":
				goCollector = true
			case pkg == "collectors" && fn == "NewProcessCollector":
				processCollector = true
			case (pkg == "prometheus" || pkg == "promauto") && strings.HasPrefix(fn, "New"):
				addConstructor(inv, fset, call, fn)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var cs []prometheus.Collector
	if goCollector {
		cs = append(cs, collectors.NewGoCollector())
	}
	if processCollector {
		cs = append(cs, collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	gatherInto(t, inv, cs)
	for name, m := range external {
		inv[name] = m
	}
	return inv
}

func selector(e ast.Expr) (pkg, name string) {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	id, ok := s.X.(*ast.Ident)
	if !ok {
		return "", ""
	}
	return id.Name, s.Sel.Name
}

// addConstructor records the metric of a prometheus.NewXxx(opts[, labels])
// call whose options are a literal.
func addConstructor(inv inventory, fset *token.FileSet, call *ast.CallExpr, fn string) {
	if len(call.Args) == 0 {
		return
	}
	lit, ok := call.Args[0].(*ast.CompositeLit)
	if !ok {
		return
	}
	_, opts := selector(lit.Type)
	kind := map[string]string{"CounterOpts": "counter", "GaugeOpts": "gauge", "HistogramOpts": "histogram",
		"SummaryOpts": "summary", "Opts": "untyped"}[opts]
	if kind == "" {
		return
	}
	var parts [3]string // namespace, subsystem, name
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		val := stringLit(kv.Value)
		switch {
		case key == nil:
		case key.Name == "Namespace":
			parts[0] = val
		case key.Name == "Subsystem":
			parts[1] = val
		case key.Name == "Name":
			parts[2] = val
		}
	}
	if parts[2] == "" {
		return
	}
	name := prometheus.BuildFQName(parts[0], parts[1], parts[2])
	m := &metric{kind: kind, labels: map[string]bool{}, where: fset.Position(call.Pos()).String()}
	if strings.HasSuffix(fn, "Vec") && len(call.Args) > 1 {
		if l, ok := call.Args[1].(*ast.CompositeLit); ok {
			for _, e := range l.Elts {
				m.labels[stringLit(e)] = true
			}
		}
	}
	addFamily(inv, name, m)
}

func stringLit(e ast.Expr) string {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(b.Value)
	if err != nil {
		return ""
	}
	return s
}

// addFamily records name and, for histograms and summaries, the series
// Prometheus stores for it.
func addFamily(inv inventory, name string, m *metric) {
	inv[name] = m
	switch m.kind {
	case "histogram":
		inv[name+"_bucket"] = &metric{kind: "counter", labels: withLabel(m.labels, "le"), where: m.where}
		fallthrough
	case "summary":
		inv[name+"_sum"] = &metric{kind: "counter", labels: m.labels, where: m.where}
		inv[name+"_count"] = &metric{kind: "counter", labels: m.labels, where: m.where}
	}
	if m.kind == "summary" {
		m.labels = withLabel(m.labels, "quantile")
	}
}

func withLabel(ls map[string]bool, l string) map[string]bool {
	out := map[string]bool{l: true}
	for k := range ls {
		out[k] = true
	}
	return out
}

// gatherInto registers cs on a fresh registry, gathers once and records
// every family with its label names.
func gatherInto(t *testing.T, inv inventory, cs []prometheus.Collector) {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(cs...)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		m := &metric{kind: strings.ToLower(mf.GetType().String()), labels: map[string]bool{}, where: "a client_golang collector"}
		for _, s := range mf.GetMetric() {
			for _, lp := range s.GetLabel() {
				m.labels[lp.GetName()] = true
			}
		}
		if mf.GetType() == dto.MetricType_GAUGE_HISTOGRAM {
			m.kind = "histogram"
		}
		addFamily(inv, mf.GetName(), m)
	}
}

// TestInventoryFindsTheServiceMetrics guards the source scan: if it
// stops finding metrics, every other check here passes vacuously.
func TestInventoryFindsTheServiceMetrics(t *testing.T) {
	inv := readInventory(t)
	for _, name := range []string{"graphql_operations_total", "confluence_upstream_requests_total",
		"graphql_operation_duration_seconds_bucket", "go_goroutines"} {
		if inv[name] == nil {
			t.Errorf("the scan of the Go sources found no %s", name)
		}
	}
	if m := inv["confluence_upstream_requests_total"]; m != nil && !m.labels["status"] {
		t.Errorf("confluence_upstream_requests_total labels = %v, want status among them", m.labels)
	}
	if _, err := os.Stat(filepath.Join("..", "go.mod")); err != nil {
		t.Fatal(err)
	}
}
