package graph

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestUnifiedDiff(t *testing.T) {
	oldText := "# Runbook\n\nStep 1\nStep 2\nStep 3\nStep 4\nStep 5\nStep 6\nStep 7\nStep 8\n"
	newText := "# Runbook\n\nStep 1\nStep 2 (updated)\nStep 3\nStep 4\nStep 5\nStep 6\nStep 7\nStep 8\nStep 9\n"
	d := unifiedDiff("a", "b", oldText, newText, 1)
	if d.added != 2 || d.removed != 1 {
		t.Errorf("added, removed = %d, %d; want 2, 1", d.added, d.removed)
	}
	if len(d.hunks) != 2 {
		t.Fatalf("hunks = %d, want 2 (changes 6 lines apart with context 1):\n%s", len(d.hunks), d.unified)
	}
	want := "--- a\n+++ b\n@@ -3,3 +3,3 @@\n Step 1\n-Step 2\n+Step 2 (updated)\n Step 3\n@@ -10 +10,2 @@\n Step 8\n+Step 9\n"
	if d.unified != want {
		t.Errorf("unified =\n%s\nwant\n%s", d.unified, want)
	}
	h := d.hunks[0]
	if h.oldStart != 3 || h.oldLines != 3 || h.newStart != 3 || h.newLines != 3 {
		t.Errorf("hunk 0 = %+v", h)
	}
}

func TestUnifiedDiffMergesCloseChanges(t *testing.T) {
	d := unifiedDiff("a", "b", "1\n2\n3\n4\n5\n", "1\nX\n3\nY\n5\n", 3)
	if len(d.hunks) != 1 {
		t.Fatalf("hunks = %d, want 1:\n%s", len(d.hunks), d.unified)
	}
	if got := strings.Join(d.hunks[0].lines, "|"); got != " 1|-2|+X| 3|-4|+Y| 5" {
		t.Errorf("lines = %s", got)
	}
}

func TestUnifiedDiffEqualAndEmpty(t *testing.T) {
	if d := unifiedDiff("a", "b", "same\n", "same\n", 3); d.unified != "" || len(d.hunks) != 0 || d.added+d.removed != 0 {
		t.Errorf("equal texts gave %+v, want an empty diff", d)
	}
	d := unifiedDiff("a", "b", "", "new line\n", 3)
	if d.added != 1 || d.removed != 0 || !strings.Contains(d.unified, "@@ -0,0 +1 @@\n+new line\n") {
		t.Errorf("from empty: %+v\n%s", d, d.unified)
	}
	d = unifiedDiff("a", "b", "gone\n", "", 3)
	if d.removed != 1 || !strings.Contains(d.unified, "@@ -1 +0,0 @@\n-gone\n") {
		t.Errorf("to empty:\n%s", d.unified)
	}
}

func TestDiffLinesIsMinimal(t *testing.T) {
	a := strings.Split("a b c a b b a", " ")
	b := strings.Split("c b a b a c", " ")
	ops := diffLines(a, b)
	edits := 0
	var gotA, gotB []string
	for _, op := range ops {
		switch op.kind {
		case ' ':
			gotA, gotB = append(gotA, op.text), append(gotB, op.text)
		case '-':
			edits++
			gotA = append(gotA, op.text)
		case '+':
			edits++
			gotB = append(gotB, op.text)
		}
	}
	if strings.Join(gotA, " ") != strings.Join(a, " ") || strings.Join(gotB, " ") != strings.Join(b, " ") {
		t.Fatalf("script does not rebuild the inputs: %v / %v", gotA, gotB)
	}
	if edits != 5 { // Myers' paper example: D = 5
		t.Errorf("edits = %d, want 5", edits)
	}
}

// On many pairs of texts the edit script rebuilds both inputs and has the minimal number of
// edits, n + m - 2*LCS (computed here by dynamic programming).
func TestDiffLinesIsMinimalOnManyInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func() []string {
		out := make([]string, rng.IntN(40))
		for i := range out {
			out[i] = string(rune('a' + rng.IntN(4)))
		}
		return out
	}
	for range 300 {
		a, b := text(), text()
		lcs := make([][]int, len(a)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(b)+1)
		}
		for i := len(a) - 1; i >= 0; i-- {
			for j := len(b) - 1; j >= 0; j-- {
				if a[i] == b[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		var gotA, gotB []string
		edits := 0
		for _, op := range diffLines(a, b) {
			if op.kind != '+' {
				gotA = append(gotA, op.text)
			}
			if op.kind != '-' {
				gotB = append(gotB, op.text)
			}
			if op.kind != ' ' {
				edits++
			}
		}
		if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
			t.Fatalf("diffLines(%q, %q): script rebuilds %q / %q", a, b, gotA, gotB)
		}
		if want := len(a) + len(b) - 2*lcs[0][0]; edits != want {
			t.Fatalf("diffLines(%q, %q): edits = %d, want %d", a, b, edits, want)
		}
	}
}

// Texts further apart than maxEditDistance come back as a full replacement: every old line
// removed, every new line added, nothing lost, in one hunk.
func TestDiffBeyondTheBoundIsAFullReplacement(t *testing.T) {
	var oldText, newText strings.Builder
	for i := range maxEditDistance {
		oldText.WriteString("old line " + strings.Repeat("x", i%7) + "\n")
		newText.WriteString("new line " + strings.Repeat("y", i%5) + "\n")
	}
	d := unifiedDiff("a", "b", oldText.String(), newText.String(), 3)
	if d.removed != maxEditDistance || d.added != maxEditDistance {
		t.Errorf("removed, added = %d, %d; want %d, %d", d.removed, d.added, maxEditDistance, maxEditDistance)
	}
	if len(d.hunks) != 1 {
		t.Errorf("hunks = %d, want 1", len(d.hunks))
	}
	if got := strings.Count(d.unified, "\n-old line"); got != maxEditDistance {
		t.Errorf("removed lines in the unified text = %d, want %d", got, maxEditDistance)
	}
}
