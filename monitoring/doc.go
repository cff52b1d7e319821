// Package monitoring holds the Prometheus alerting rules (alerts.yaml)
// and the Grafana dashboard (dashboard.json) of confluence-graph, and the
// test that parses both and checks every metric and label they name
// against the collectors the service's Go code registers. It has no Go
// API.
package monitoring
