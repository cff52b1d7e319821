// Package settings holds what confluence-graph knows about each tenant's
// connection to Confluence and about its callers: the tenant's Integration
// (domain, email, token type and the token as an encrypted envelope), the
// APIKey records that authenticate callers, and the append-only AuditEvent
// log of credential changes.
//
// The Store interface is the persistence contract. It has two
// implementations, settings/sqlite (the embedded default) and
// settings/postgres, and one conformance suite, settings/settingstest, that
// both pass. Both are thin: the queries and transactions are written once
// in settings/internal/sqlstore, and each adds only its SQL dialect,
// migrations and driver. A Store never sees a plaintext Confluence token: callers
// encrypt before PutIntegration and decrypt after GetIntegration.
//
// Service is that caller: Connect, Update, Test and Disconnect validate a
// domain, email and API token against Confluence (token type, capabilities
// and scopes) before sealing the token with package envelope and storing
// it, audit every change and failed validation, and Client hands the read
// API a pooled *confluence.Client per tenant (ErrNotConnected when there is
// no integration; ErrEncryptionUnavailable while the key service is down).
//
// Several replicas may share one database. Every change of an integration
// is written together with its audit event in one transaction, and takes
// the tenant's next record Revision; a change computed from a record read
// earlier is compare-and-set on that revision (ErrStale), so it is
// re-applied to the fresh record or refused with CONFLICT, never written
// over a newer one. Rekey re-encrypts every stored token under a new
// master key the same way.
package settings
