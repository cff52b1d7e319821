// Package settings holds what confluence-graph knows about each tenant's
// connection to Confluence and about its callers: the tenant's Integration
// (domain, email, token type and the token as an encrypted envelope), the
// APIKey records that authenticate callers, and the append-only AuditEvent
// log of credential changes.
//
// The Store interface is the persistence contract. It has two
// implementations, settings/sqlite (the embedded default) and
// settings/postgres, and one conformance suite, settings/settingstest, that
// both pass. A Store never sees a plaintext Confluence token: callers
// encrypt before PutIntegration and decrypt after GetIntegration.
package settings
