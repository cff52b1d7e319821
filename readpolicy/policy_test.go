package readpolicy

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeCleansAndSorts(t *testing.T) {
	p, err := Policy{
		AllowedSpaces:  []string{" ops", "PIR", "arch", "OPS", "~jane.doe", "~712020:ab-12"},
		ExcludedLabels: []string{"Confidential", "hr-only", "confidential"},
	}.Normalize()
	require.NoError(t, err)
	assert.Equal(t, []string{"ARCH", "OPS", "PIR", "~712020:ab-12", "~jane.doe"}, p.AllowedSpaces)
	assert.Equal(t, []string{"confidential", "hr-only"}, p.ExcludedLabels)
}

func TestNormalizeRefusesWithWhatToFix(t *testing.T) {
	many := make([]string, MaxSpaces+750)
	for i := range many {
		many[i] = "S" + strings.Repeat("X", i%5)
	}
	cases := []struct {
		name  string
		in    Policy
		field Field
		says  string
	}{
		{"1,000 keys", Policy{AllowedSpaces: many}, FieldSpaces, "at most 250"},
		{"empty key", Policy{AllowedSpaces: []string{"OPS", " "}}, FieldSpaces, "empty"},
		{"quote in key", Policy{AllowedSpaces: []string{`OPS" OR space = "HR`}}, FieldSpaces, "not a space key"},
		{"parenthesis in key", Policy{AllowedSpaces: []string{"OPS)"}}, FieldSpaces, "not a space key"},
		{"bare tilde", Policy{AllowedSpaces: []string{"~"}}, FieldSpaces, "personal space"},
		{"label with a space", Policy{ExcludedLabels: []string{"top secret"}}, FieldLabels, `"top"`},
		{"empty label", Policy{ExcludedLabels: []string{""}}, FieldLabels, "empty"},
		{"control character", Policy{ExcludedLabels: []string{"a\x00b"}}, FieldLabels, "control"},
		{"too many labels", Policy{ExcludedLabels: make([]string, MaxLabels+1)}, FieldLabels, "at most 50"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.in.Normalize()
			var ie *InvalidError
			require.True(t, errors.As(err, &ie), "error %v", err)
			assert.Equal(t, c.field, ie.Field)
			assert.Contains(t, ie.Message, c.says)
		})
	}
}

func TestLabelWithQuotesIsKeptAndQuotedInCQL(t *testing.T) {
	p, err := Policy{ExcludedLabels: []string{`it's"secret`}}.Normalize()
	require.NoError(t, err)
	q := wrapText(t, p, "type = page")
	assert.Equal(t, `type = page AND label NOT IN ("it's\"secret")`, q)
}

func TestAllows(t *testing.T) {
	p := Policy{AllowedSpaces: []string{"OPS", "PIR"}, ExcludedLabels: []string{"confidential"}}
	assert.True(t, p.Allows("ops", []string{"runbook"}))
	assert.False(t, p.Allows("HR", nil))
	assert.False(t, p.Allows("", nil), "content whose space is unknown is hidden by an allow-list")
	assert.False(t, p.Allows("OPS", []string{"runbook", "Confidential"}))
	assert.True(t, Policy{}.Allows("", []string{"confidential"}))
	assert.True(t, Policy{}.Empty())
	assert.False(t, p.Empty())
	assert.True(t, p.RestrictsLabels())
	assert.False(t, Policy{AllowedSpaces: []string{"OPS"}}.RestrictsLabels())
}
