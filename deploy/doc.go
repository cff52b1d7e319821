// Package deploy holds the Kubernetes manifests of confluence-graph as a
// kustomize base (deploy/base) and overlays (deploy/overlays/*), and the
// test that renders every overlay and checks the objects against the
// Kubernetes API types and the service's flags. It has no Go API.
package deploy
