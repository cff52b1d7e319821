package server

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// readyTimeout bounds all readiness probes of one /readyz request.
const readyTimeout = 5 * time.Second

// healthz answers 200 while the process serves HTTP.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// readyz runs every Config.Ready probe concurrently and answers 200 when
// all pass, 503 otherwise. The body names each probe with "ok" or
// "unavailable"; the errors themselves go to the log only, since they may
// name hosts, files or database details.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	results := make(map[string]string, len(s.cfg.Ready))
	var mu sync.Mutex
	var wg sync.WaitGroup
	ok := true
	for _, c := range s.cfg.Ready {
		wg.Go(func() {
			err := c.Check(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ok = false
				results[c.Name] = "unavailable"
				s.log.WarnContext(ctx, "readiness check failed", "check", c.Name, "err", err.Error())
				return
			}
			results[c.Name] = "ok"
		})
	}
	wg.Wait()
	status, code := "ok", http.StatusOK
	if !ok {
		status, code = "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = jsonEncode(w, map[string]any{"status": status, "checks": results})
}
