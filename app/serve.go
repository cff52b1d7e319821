package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// traceFlushTimeout bounds how long Close waits for the OTLP collector
// to take the last spans.
const traceFlushTimeout = 5 * time.Second

// Start listens on Config.Addr and serves in the background until Close.
// It returns once the listener is open, or the listen error.
func (a *App) Start() error {
	if a.ln != nil {
		return errors.New("app: already started")
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("app: listen: %w", err)
	}
	if a.cfg.MetricsAddr != "" {
		ml, err := net.Listen("tcp", a.cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("app: listen for metrics on %s: %w", a.cfg.MetricsAddr, err)
		}
		ms := &http.Server{Handler: a.srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second}
		a.metricsL, a.metricsS = ml, ms
		go func() { _ = ms.Serve(ml) }()
	}
	a.ln = ln
	sctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.done = make(chan struct{})
	go func() {
		a.serveErr = a.srv.Serve(sctx, ln)
		close(a.done)
	}()
	a.log.Info("serving", "addr", ln.Addr().String(), "metrics_addr", a.MetricsAddr(),
		"playground", a.cfg.Server.Playground, "introspection", a.cfg.Server.Introspection)
	return nil
}

// Addr is the address Start listens on ("host:port"), "" before Start.
func (a *App) Addr() string {
	if a.ln == nil {
		return ""
	}
	return a.ln.Addr().String()
}

// MetricsAddr is the address the metrics listener serves GET /metrics on,
// "" before Start or without Config.MetricsAddr.
func (a *App) MetricsAddr() string {
	if a.metricsL == nil {
		return ""
	}
	return a.metricsL.Addr().String()
}

// URL is the server's base URL ("http://host:port/"), "" before Start.
func (a *App) URL() string {
	if a.ln == nil {
		return ""
	}
	return "http://" + a.Addr() + "/"
}

// Done is closed when the server stops serving, by Close or on its own
// (Close then returns why); nil before Start.
func (a *App) Done() <-chan struct{} { return a.done }

// Close shuts the server down gracefully (in-flight requests finish within
// Config.Server.ShutdownTimeout), then closes the store and Redis and
// flushes the spans still buffered (for at most traceFlushTimeout). It is
// safe to call more than once and after New failed halfway.
func (a *App) Close() error {
	var errs []error
	if a.metricsS != nil {
		_ = a.metricsS.Close()
		a.metricsS, a.metricsL = nil, nil
	}
	if a.cancel != nil {
		a.cancel()
		<-a.done
		if a.serveErr != nil {
			errs = append(errs, a.serveErr)
		}
		a.cancel = nil
	}
	if a.store != nil {
		if err := a.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("app: close store: %w", err))
		}
		a.store = nil
	}
	if a.redis != nil {
		if err := a.redis.Close(); err != nil {
			errs = append(errs, fmt.Errorf("app: close redis: %w", err))
		}
		a.redis = nil
	}
	if a.traces != nil {
		ctx, cancel := context.WithTimeout(context.Background(), traceFlushTimeout)
		if err := a.traces(ctx); err != nil {
			// The collector being down must not fail a clean shutdown.
			a.log.Warn("app: flushing traces failed; the last spans are lost", "err", err)
		}
		cancel()
		a.traces = nil
	}
	return errors.Join(errs...)
}
