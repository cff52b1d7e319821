package settings

import (
	"fmt"
	"strings"
)

// ConnectInput is what the settings page submits to connect. APIToken is a
// secret: String masks it, and the Service never stores, logs or returns it.
type ConnectInput struct {
	Domain   string
	Email    string
	APIToken string `json:"-"`
	// Deployment is DeploymentCloud ("" too) or DeploymentDataCenter. For
	// Data Center, BaseURL is the instance's base URL with its context path,
	// APIToken a personal access token, Email optional and Domain ignored.
	Deployment Deployment
	BaseURL    string
}

// String masks the token.
func (in ConnectInput) String() string {
	if in.Deployment == DeploymentDataCenter {
		return fmt.Sprintf("settings.ConnectInput{Deployment:%s BaseURL:%q Email:%q APIToken:***}", in.Deployment, in.BaseURL, in.Email)
	}
	return fmt.Sprintf("settings.ConnectInput{Domain:%q Email:%q APIToken:***}", in.Domain, in.Email)
}

// GoString masks the token.
func (in ConnectInput) GoString() string { return in.String() }

// UpdateInput changes a stored integration; nil fields keep their values.
// A new Domain or Email needs a new APIToken. APIToken is a secret.
type UpdateInput struct {
	Domain   *string
	Email    *string
	APIToken *string `json:"-"`
}

// String masks the token.
func (in UpdateInput) String() string {
	opt := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%q", *p)
	}
	tok := "nil"
	if in.APIToken != nil {
		tok = "***"
	}
	return fmt.Sprintf("settings.UpdateInput{Domain:%s Email:%s APIToken:%s}", opt(in.Domain), opt(in.Email), tok)
}

// GoString masks the token.
func (in UpdateInput) GoString() string { return in.String() }

// checkToken trims the pasted token and rejects an empty one or one with
// inner whitespace or control characters.
func checkToken(raw string) (string, *UserError) {
	t := strings.TrimSpace(raw)
	if t == "" {
		return "", &UserError{Field: []string{"input", "apiToken"}, Code: CodeTokenRequired,
			Message: "Enter an Atlassian API token.",
			Hints:   []string{"Create one at id.atlassian.com/manage-profile/security/api-tokens."}}
	}
	for _, r := range t {
		if r <= 0x20 || r == 0x7f {
			ue := invalidCredentials("The API token contains spaces or line breaks; paste it again exactly as shown.")
			return "", &ue
		}
	}
	if len(t) > 4096 {
		ue := invalidCredentials("The API token is too long to be an Atlassian API token.")
		return "", &ue
	}
	return t, nil
}

// tokenHint is the token's last 4 characters, or "" for a token too short
// to show any of it safely or whose last 4 bytes are not printable ASCII
// (Atlassian tokens are): the hint is shown and audited, so it must not
// carry arbitrary text a client chose.
func tokenHint(token string) string {
	if len(token) < 12 {
		return ""
	}
	hint := token[len(token)-4:]
	for i := 0; i < len(hint); i++ {
		if hint[i] < 0x21 || hint[i] > 0x7e {
			return ""
		}
	}
	return hint
}
