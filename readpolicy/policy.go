// Package readpolicy is a tenant's read policy: which spaces the assistant may read and which
// labels hide content, whatever the connected Confluence account can see. It validates a policy
// as an administrator sets it, decides whether one piece of content is visible, and wraps a
// user's CQL so that a search cannot return anything the policy hides.
//
// The package is pure: it makes no upstream call. The loaders apply it to every record they
// return (see docs/architecture.md, "Read policy").
package readpolicy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Limits on a policy. An allow-list longer than MaxSpaces is refused rather than sent: every
// search carries the list in its CQL, and Confluence's search is a GET whose URL has a length
// limit; 250 is also the most space keys one v2 /spaces call can check.
const (
	MaxSpaces = 250
	MaxLabels = 50
	// MaxKeyLen and MaxLabelLen bound one entry: Confluence space keys are at most 255
	// characters and labels at most 255.
	MaxKeyLen   = 255
	MaxLabelLen = 255
)

// Policy restricts what a tenant's reads return. The zero Policy allows everything the
// account can see. Spaces and labels compare case-insensitively, as Confluence's do.
type Policy struct {
	// AllowedSpaces are the space keys the assistant may read; empty means every space.
	AllowedSpaces []string
	// ExcludedLabels hide every page or blog post carrying one of them, and what belongs to it
	// (comments, attachments, versions, bodies).
	ExcludedLabels []string
}

// Clone returns a copy of p that shares no slice with it.
func (p Policy) Clone() Policy {
	return Policy{AllowedSpaces: slices.Clone(p.AllowedSpaces), ExcludedLabels: slices.Clone(p.ExcludedLabels)}
}

// Empty reports whether p allows everything.
func (p Policy) Empty() bool { return len(p.AllowedSpaces) == 0 && len(p.ExcludedLabels) == 0 }

// RestrictsLabels reports whether deciding visibility needs the content's labels.
func (p Policy) RestrictsLabels() bool { return len(p.ExcludedLabels) > 0 }

// Field names the input field an InvalidError is about.
type Field string

// The two fields of a policy.
const (
	FieldSpaces Field = "allowedSpaces"
	FieldLabels Field = "excludedLabels"
)

// InvalidError is a policy an administrator cannot set, with what to fix.
type InvalidError struct {
	Field   Field
	Message string
}

func (e *InvalidError) Error() string { return string(e.Field) + ": " + e.Message }

// Normalize returns p with entries trimmed, space keys upper-cased, labels lower-cased,
// duplicates removed and both lists sorted, or an *InvalidError saying what to fix: an empty
// entry, a space key that is not a Confluence key (letters and digits; personal spaces start
// with "~"), a label with white space (a Confluence label is one word: its editor splits on
// spaces), or a list over its limit.
func (p Policy) Normalize() (Policy, error) {
	var out Policy
	if len(p.AllowedSpaces) > MaxSpaces {
		return out, &InvalidError{FieldSpaces, fmt.Sprintf("at most %d space keys may be allowed, got %d; allow fewer spaces, or none to allow every space", MaxSpaces, len(p.AllowedSpaces))}
	}
	if len(p.ExcludedLabels) > MaxLabels {
		return out, &InvalidError{FieldLabels, fmt.Sprintf("at most %d labels may be excluded, got %d", MaxLabels, len(p.ExcludedLabels))}
	}
	var err error
	if out.AllowedSpaces, err = normalizeList(p.AllowedSpaces, checkKey, keyCase); err != nil {
		return Policy{}, err
	}
	if out.ExcludedLabels, err = normalizeList(p.ExcludedLabels, checkLabel, strings.ToLower); err != nil {
		return Policy{}, err
	}
	return out, nil
}

// normalizeList trims every entry of in, returns check's error for the first bad one, and
// otherwise the entries rewritten by norm, sorted, without duplicates (nil for none).
func normalizeList(in []string, check func(string) error, norm func(string) string) ([]string, error) {
	var out []string
	for _, e := range in {
		e = strings.TrimSpace(e)
		if err := check(e); err != nil {
			return nil, err
		}
		out = append(out, norm(e))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// keyCase upper-cases a space key; a personal space's key ("~" and the user's name or account
// id) keeps the user's spelling.
func keyCase(k string) string {
	if strings.HasPrefix(k, "~") {
		return k
	}
	return strings.ToUpper(k)
}

// checkLength refuses an empty entry of field f and one longer than limit bytes; what names the
// entry in the message ("space key", "label").
func checkLength(f Field, what, s string, limit int) error {
	switch {
	case s == "":
		return &InvalidError{f, "a " + what + " is empty; remove it"}
	case len(s) > limit:
		return &InvalidError{f, fmt.Sprintf("%s %.20q... is longer than %d characters", what, s, limit)}
	}
	return nil
}

func checkKey(k string) error {
	if err := checkLength(FieldSpaces, "space key", k, MaxKeyLen); err != nil {
		return err
	}
	body, personal := strings.CutPrefix(k, "~")
	if body == "" {
		return &InvalidError{FieldSpaces, fmt.Sprintf("%q is not a space key: a personal space's key is ~ followed by the user's name", k)}
	}
	for _, r := range body {
		ok := r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
		// A personal space's key is "~" and the user's name or account id,
		// which may hold these too.
		ok = ok || personal && strings.ContainsRune("-_:.@", r)
		if !ok {
			return &InvalidError{FieldSpaces, fmt.Sprintf("%q is not a space key: keys are letters and digits (personal spaces start with ~), such as OPS", k)}
		}
	}
	return nil
}

func checkLabel(l string) error {
	if err := checkLength(FieldLabels, "label", l, MaxLabelLen); err != nil {
		return err
	}
	switch {
	case strings.IndexFunc(l, unicode.IsSpace) >= 0:
		return &InvalidError{FieldLabels, fmt.Sprintf("%q has white space, and a Confluence label is one word (the editor splits on spaces); give each label on its own, such as %q", l, strings.Fields(l)[0])}
	case strings.IndexFunc(l, unicode.IsControl) >= 0:
		return &InvalidError{FieldLabels, fmt.Sprintf("%q has a control character", l)}
	}
	return nil
}

// AllowsSpace reports whether content of the space with key may be read. An unknown key ("")
// is allowed only when every space is.
func (p Policy) AllowsSpace(key string) bool {
	if len(p.AllowedSpaces) == 0 {
		return true
	}
	return slices.ContainsFunc(p.AllowedSpaces, func(k string) bool { return strings.EqualFold(k, key) })
}

// AllowsLabels reports whether content carrying labels may be read.
func (p Policy) AllowsLabels(labels []string) bool {
	for _, l := range labels {
		if slices.ContainsFunc(p.ExcludedLabels, func(x string) bool { return strings.EqualFold(x, l) }) {
			return false
		}
	}
	return true
}

// Allows reports whether content in space key with labels may be read.
func (p Policy) Allows(key string, labels []string) bool {
	return p.AllowsSpace(key) && p.AllowsLabels(labels)
}
