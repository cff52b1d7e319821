package loaders

// wrapped is the base of an Upstream wrapper (the hierarchy fallback, the read policy): it
// passes every Upstream method, and the optional interfaces Credentialed, Sited and
// ExpandingUpstream, through to the Upstream it holds, so a wrapper overrides only what it
// changes.
type wrapped struct{ Upstream }

// CredentialVersion implements Credentialed: the wrapped Upstream's (0 when it is not one).
func (w wrapped) CredentialVersion() int64 {
	if c, ok := w.Upstream.(Credentialed); ok {
		return c.CredentialVersion()
	}
	return 0
}

// Site implements Sited: the wrapped Upstream's site ("" when it is not Sited).
func (w wrapped) Site() string {
	if s, ok := w.Upstream.(Sited); ok {
		return s.Site()
	}
	return ""
}

// ExpandsChildren implements ExpandingUpstream: the wrapped Upstream's answer (false when it
// is not one).
func (w wrapped) ExpandsChildren() bool {
	x, ok := w.Upstream.(ExpandingUpstream)
	return ok && x.ExpandsChildren()
}
