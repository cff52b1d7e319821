package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/confluence-graph/confluence-graph/confluence"
	"github.com/confluence-graph/confluence-graph/envelope"
	"github.com/confluence-graph/confluence-graph/envelope/awskms"
	"github.com/confluence-graph/confluence-graph/envelope/localkey"
	"github.com/confluence-graph/confluence-graph/ratebudget"
	"github.com/confluence-graph/confluence-graph/settings"
	"github.com/confluence-graph/confluence-graph/settings/postgres"
	"github.com/confluence-graph/confluence-graph/settings/sqlite"
)

// OpenStore opens the settings store named by dsn: postgres:// or
// postgresql:// selects PostgreSQL (settings/postgres), anything else is a
// SQLite file path (settings/sqlite; an optional "sqlite:" prefix is
// dropped; "" means DefaultDatabasePath). Either applies pending
// migrations. The caller closes the store. Errors never contain the DSN's
// password.
func OpenStore(ctx context.Context, dsn string) (settings.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL settings store: %w", err)
		}
		return db, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		path = DefaultDatabasePath
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open SQLite settings store %s: %w", path, err)
	}
	return db, nil
}

// PlaintextDatabase says why a PostgreSQL DSN to a host other than this
// machine may travel unencrypted (sslmode missing, disable, allow or
// prefer: the last two fall back to plain text when the server offers no
// TLS), or "" when it cannot: SQLite, a loopback host or a Unix socket, or
// sslmode require, verify-ca or verify-full.
func PlaintextDatabase(dsn string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return ""
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	if h := u.Query().Get("host"); host == "" && h != "" {
		host = h
	}
	if host == "" || host == "localhost" || strings.HasPrefix(host, "/") {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ""
	}
	switch mode := u.Query().Get("sslmode"); mode {
	case "require", "verify-ca", "verify-full":
		return ""
	case "":
		return "no sslmode is set (the driver then tries TLS but falls back to plain text)"
	default:
		return "sslmode=" + mode + " allows plain text"
	}
}

// RedactURL returns s with the password of a URL (in the user info or a
// "password" query parameter) replaced by "xxxxx"; a string without "://"
// is returned unchanged. ok is false, and shown empty, for a URL that does
// not parse: it cannot be shown safely.
func RedactURL(s string) (shown string, ok bool) {
	if !strings.Contains(s, "://") {
		return s, true
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted(), true
}

// OpenKeyService opens AWS KMS when kmsKeyID is set, else the local
// master key file localKeyFile (created 0600 if missing), with a loud
// warning. It returns the sealer, which is also the key service's
// readiness probe (Ping). serve and rekey both open their keys here.
func OpenKeyService(ctx context.Context, kmsKeyID, localKeyFile string, log *slog.Logger) (*envelope.Envelope, error) {
	var ks envelope.KeyService
	if kmsKeyID != "" {
		k, err := awskms.Open(ctx, awskms.Config{KeyID: kmsKeyID})
		if err != nil {
			return nil, err
		}
		log.Info("encrypting tokens with AWS KMS", "key_id", kmsKeyID)
		ks = k
	} else {
		k, err := localkey.Open(localKeyFile)
		if err != nil {
			return nil, err
		}
		log.Warn("USING THE LOCAL MASTER KEY FILE: anyone who can read it can decrypt every stored Confluence token; "+
			"set --kms-key-id (CG_KMS_KEY_ID) in production",
			"local_key_file", k.Path(), "key_id", k.KeyID())
		ks = k
	}
	return envelope.New(ks), nil
}

// ErrRedisURL reports a Config.RedisURL that is not a redis:// or
// rediss:// URL. Its text never contains the URL, which may hold a
// password.
var ErrRedisURL = errors.New("app: the Redis URL is not a valid redis:// or rediss:// URL")

// sharedLimiter connects the Redis of cfg.RedisURL and returns the shared
// per-site rate budget over it and the client to close (both nil without
// a URL). Redis need not be up: the budget fails open to per-process
// limits while it is down.
func sharedLimiter(cfg Config, log *slog.Logger) (confluence.Limiter, *redis.Client, error) {
	if cfg.RedisURL == "" {
		return nil, nil, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, ErrRedisURL
	}
	// Short timeouts unless the URL sets them: a slow Redis must not hold
	// up Confluence calls for long before the fail-open path takes over.
	if opts.DialTimeout == 0 {
		opts.DialTimeout = time.Second
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 500 * time.Millisecond
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = 500 * time.Millisecond
	}
	rdb := redis.NewClient(opts)
	lim, err := ratebudget.New(rdb, ratebudget.Config{Rate: cfg.SharedRate, Burst: cfg.SharedBurst, Logger: log})
	if err != nil {
		_ = rdb.Close()
		return nil, nil, err
	}
	return lim, rdb, nil
}
