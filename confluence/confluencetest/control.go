package confluencetest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// controlRoutes registers the /__sim/ control API (never counted, no auth):
//
//	GET  /__sim/stats        Stats as JSON
//	POST /__sim/stats/reset  ResetStats
//	POST /__sim/seed         Seed with a Dataset JSON body
//	GET  /__sim/accounts     Accounts
//	POST /__sim/revoke       {"email": "..."}: RevokeToken
//	POST /__sim/scopes       {"email": "...", "scopes": ["read:page:confluence", ...]}: SetScopes (scopes.go)
//	POST /__sim/latency      {"latency": "100ms", "jitter": "20ms"}
//	POST /__sim/rate-limit   {"perSecond": 10, "burst": 20}
//	POST /__sim/fault-rate   {"rate": 0.1}
//	POST /__sim/faults       [{"kind":"status","status":503,"retryAfter":"2","pathPrefix":"/api/v2/pages"}]: InjectFaults (kind status, reset or hang)
func (s *Server) controlRoutes() {
	s.ctl = http.NewServeMux()
	s.ctl.HandleFunc("GET /__sim/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	s.ctl.HandleFunc("POST /__sim/stats/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	s.ctl.HandleFunc("GET /__sim/accounts", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Accounts())
	})
	post(s.ctl, "POST /__sim/seed", s.Seed)
	post(s.ctl, "POST /__sim/revoke", func(req struct{ Email string }) error {
		s.RevokeToken(req.Email)
		return nil
	})
	post(s.ctl, "POST /__sim/latency", func(req struct{ Latency, Jitter string }) error {
		d, err1 := parseDur(req.Latency)
		j, err2 := parseDur(req.Jitter)
		if err1 != nil || err2 != nil {
			return errors.New("confluencetest: latency and jitter are Go durations")
		}
		s.SetLatency(d, j)
		return nil
	})
	post(s.ctl, "POST /__sim/rate-limit", func(req struct {
		PerSecond float64 `json:"perSecond"`
		Burst     int     `json:"burst"`
	}) error {
		s.SetRateLimit(req.PerSecond, req.Burst)
		return nil
	})
	post(s.ctl, "POST /__sim/fault-rate", func(req struct{ Rate float64 }) error {
		s.SetFaultRate(req.Rate)
		return nil
	})
	post(s.ctl, "POST /__sim/faults", func(fs []Fault) error {
		s.InjectFaults(fs...)
		return nil
	})
}

// post registers a control endpoint that decodes a JSON body into a T and applies it: 204 when
// apply succeeds, 400 with its error (or the decoding error) otherwise.
func post[T any](mux *http.ServeMux, pattern string, apply func(T) error) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		var v T
		if !decode(w, r, &v) {
			return
		}
		if err := apply(v); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "confluencetest: bad JSON body: " + err.Error()})
		return false
	}
	return true
}

func parseDur(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return time.ParseDuration(s)
}
