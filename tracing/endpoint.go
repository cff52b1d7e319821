package tracing

import (
	"context"
	"log/slog"
	"net"
	"net/url"
)

// parseEndpoint requires an http or https URL with a host; a missing
// path becomes /v1/traces, the OTLP/HTTP traces path.
func parseEndpoint(setting, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &ConfigError{Setting: setting, Value: raw, Reason: err.Error()}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &ConfigError{Setting: setting, Value: raw, Reason: "want an http:// or https:// URL such as http://otel-collector:4318"}
	}
	if u.Hostname() == "" {
		return nil, &ConfigError{Setting: setting, Value: raw, Reason: "the URL has no host"}
	}
	if u.User != nil || u.RawQuery != "" {
		shown := *u
		shown.User, shown.RawQuery = nil, ""
		return nil, &ConfigError{Setting: setting, Value: shown.String(), Reason: "credentials and query parameters are refused here; put headers in OTEL_EXPORTER_OTLP_HEADERS"}
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	return u, nil
}

// warnIfUnreachable dials the collector once and logs a warning when it
// does not answer; it never fails.
func warnIfUnreachable(ctx context.Context, log *slog.Logger, setting string, u *url.URL) {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		log.Warn("tracing: the OTLP collector does not answer; serving anyway, spans are dropped until it does",
			"setting", setting, "endpoint", u.Redacted(), "err", err)
		return
	}
	conn.Close()
}
