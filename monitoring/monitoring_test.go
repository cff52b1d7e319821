package monitoring

import (
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// requiredAlerts are the conditions an operator is paged or warned about;
// renaming one is fine, but update the list and docs/operations.md.
var requiredAlerts = []string{
	"ConfluenceGraphDown",
	"ConfluenceGraphNotReady",
	"ConfluenceGraphUpstreamErrors",
	"ConfluenceGraphRateLimited",
	"ConfluenceGraphBreakerOpen",
	"ConfluenceGraphLatencyHigh",
}

var promql = parser.NewParser(parser.Options{})

// checkExpr parses expr and checks every metric it selects, and every
// label it matches or groups by, against inv.
func checkExpr(t *testing.T, where, expr string, inv inventory) {
	t.Helper()
	e, err := promql.ParseExpr(expr)
	if err != nil {
		t.Errorf("%s: %v\n%s", where, err, expr)
		return
	}
	selectors := 0
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		switch n := n.(type) {
		case *parser.VectorSelector:
			selectors++
			checkSelector(t, where, n, inv)
		case *parser.AggregateExpr:
			known := map[string]bool{}
			for _, l := range targetLabels {
				known[l] = true
			}
			parser.Inspect(n.Expr, func(c parser.Node, _ []parser.Node) error {
				if vs, ok := c.(*parser.VectorSelector); ok && inv[vs.Name] != nil {
					for l := range inv[vs.Name].labels {
						known[l] = true
					}
				}
				return nil
			})
			for _, l := range n.Grouping {
				if !known[l] {
					t.Errorf("%s: %s by (%s): no metric below has label %q", where, n.Op, strings.Join(n.Grouping, ", "), l)
				}
			}
		}
		return nil
	})
	if selectors == 0 {
		t.Errorf("%s selects no metric: %s", where, expr)
	}
}

func checkSelector(t *testing.T, where string, vs *parser.VectorSelector, inv inventory) {
	t.Helper()
	m := inv[vs.Name]
	if vs.Name == "" || m == nil {
		t.Errorf("%s: metric %q is not exported by the service (renamed? see inventory_test.go)", where, vs.Name)
		return
	}
	for _, lm := range vs.LabelMatchers {
		if lm.Name == model.MetricNameLabel || m.labels[lm.Name] || slices.Contains(targetLabels, lm.Name) {
			continue
		}
		t.Errorf("%s: %s has no label %q (it has %v; registered at %s)", where, vs.Name, lm.Name, keys(m.labels), m.where)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestAlertRules loads alerts.yaml as Prometheus does (unknown fields
// refused, expressions and templates validated) and checks every metric
// and label the rules use.
func TestAlertRules(t *testing.T) {
	inv := readInventory(t)
	groups, errs := rulefmt.ParseFile("alerts.yaml", false, model.LegacyValidation, promql, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, err := range errs {
		t.Error(err)
	}
	if groups == nil {
		t.FailNow()
	}
	var names []string
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				t.Errorf("group %s: recording rule %s: only alerts are expected in alerts.yaml", g.Name, r.Record)
				continue
			}
			names = append(names, r.Alert)
			if r.Labels["severity"] == "" {
				t.Errorf("alert %s has no severity label", r.Alert)
			}
			if r.Annotations["summary"] == "" {
				t.Errorf("alert %s has no summary annotation", r.Alert)
			}
			checkExpr(t, "alert "+r.Alert, r.Expr, inv)
		}
	}
	for _, want := range requiredAlerts {
		if !slices.Contains(names, want) {
			t.Errorf("alerts.yaml lacks alert %s", want)
		}
	}
}

// dashboard is the part of Grafana's dashboard JSON the test reads.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID      int     `json:"id"`
	Title   string  `json:"title"`
	Type    string  `json:"type"`
	Panels  []panel `json:"panels"` // collapsed rows
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
}

// grafanaVars are Grafana's built-in range variables; the test puts a
// duration in their place before parsing.
var grafanaVars = regexp.MustCompile(`\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}`)

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)

// TestDashboard parses dashboard.json and checks every panel query like
// the alert rules.
func TestDashboard(t *testing.T) {
	inv := readInventory(t)
	raw, err := os.ReadFile("dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if d.UID == "" || d.Title == "" {
		t.Error("dashboard needs a uid and a title")
	}
	ids := map[int]bool{}
	var walk func([]panel)
	exprs := 0
	walk = func(ps []panel) {
		for _, p := range ps {
			if ids[p.ID] {
				t.Errorf("panel id %d is used twice", p.ID)
			}
			ids[p.ID] = true
			walk(p.Panels)
			for _, tg := range p.Targets {
				exprs++
				expr := grafanaVars.ReplaceAllString(tg.Expr, "5m")
				checkExpr(t, "panel "+strconv.Quote(p.Title)+" query "+tg.RefID, expr, inv)
			}
		}
	}
	walk(d.Panels)
	if exprs == 0 {
		t.Error("dashboard has no queries")
	}
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		m := labelValues.FindStringSubmatch(v.Definition)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(selector, label)", v.Name, v.Definition)
			continue
		}
		checkExpr(t, "variable "+v.Name, m[1], inv)
	}
}
