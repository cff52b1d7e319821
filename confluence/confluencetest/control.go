package confluencetest

import (
	"encoding/json"
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
	s.ctl.HandleFunc("POST /__sim/seed", func(w http.ResponseWriter, r *http.Request) {
		var d Dataset
		if !decode(w, r, &d) {
			return
		}
		if err := s.Seed(d); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	s.ctl.HandleFunc("POST /__sim/revoke", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Email string }
		if decode(w, r, &req) {
			s.RevokeToken(req.Email)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	s.ctl.HandleFunc("POST /__sim/latency", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Latency, Jitter string }
		if !decode(w, r, &req) {
			return
		}
		d, err1 := parseDur(req.Latency)
		j, err2 := parseDur(req.Jitter)
		if err1 != nil || err2 != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "confluencetest: latency and jitter are Go durations"})
			return
		}
		s.SetLatency(d, j)
		w.WriteHeader(http.StatusNoContent)
	})
	s.ctl.HandleFunc("POST /__sim/rate-limit", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			PerSecond float64 `json:"perSecond"`
			Burst     int     `json:"burst"`
		}
		if decode(w, r, &req) {
			s.SetRateLimit(req.PerSecond, req.Burst)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	s.ctl.HandleFunc("POST /__sim/fault-rate", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Rate float64 }
		if decode(w, r, &req) {
			s.SetFaultRate(req.Rate)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	s.ctl.HandleFunc("POST /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var fs []Fault
		if decode(w, r, &fs) {
			s.InjectFaults(fs...)
			w.WriteHeader(http.StatusNoContent)
		}
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
