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
func (s *Server) WriteBanner(w io.Writer) error {
	var b strings.Builder
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
