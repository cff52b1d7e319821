package confluencetest

import (
	"fmt"
	"io"
	"strings"
)

// WriteBanner writes the lines scripts read from `confluence-graph sim`, one
// per line: "base url: URL", "cloud id: ID", then for each account
// "account: EMAIL TOKEN TYPE SCOPES" (TYPE classic or scoped, SCOPES
// comma-separated, "-" when there are none). It returns the first write
// error.
//
// A Data Center simulator writes instead "base url: URL/CONTEXT", "flavor:
// datacenter", "version: V", then for each classic account "pat: USERNAME
// TOKEN" (the personal access token to send as Bearer).
func (s *Server) WriteBanner(w io.Writer) error {
	var b strings.Builder
	if s.Flavor() == FlavorDataCenter {
		fmt.Fprintf(&b, "base url: %s\nflavor: %s\nversion: %s\n", s.BaseURL(), FlavorDataCenter, DataCenterVersion)
		for _, a := range s.Accounts() {
			if a.Type != TokenScoped && !a.Revoked {
				fmt.Fprintf(&b, "pat: %s %s\n", cmpOr(s.Username(a.AccountID), a.Email), a.Token)
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "base url: %s\n", s.URL())
	fmt.Fprintf(&b, "cloud id: %s\n", s.CloudID())
	for _, a := range s.Accounts() {
		scopes := "-"
		if len(a.Scopes) > 0 {
			scopes = strings.Join(a.Scopes, ",")
		}
		fmt.Fprintf(&b, "account: %s %s %s %s\n", a.Email, a.Token, a.Type, scopes)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
