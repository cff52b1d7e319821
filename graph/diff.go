package graph

import (
	"fmt"
	"strings"
)

// lineOp is one line of an edit script: ' ' kept, '-' removed, '+' added.
type lineOp struct {
	kind byte
	text string
}

// hunk is a group of changes with context, numbered like a unified diff (1-based starts).
type hunk struct {
	oldStart, oldLines, newStart, newLines int
	lines                                  []string
}

// textDiff is the result of comparing two texts line by line.
type textDiff struct {
	unified        string
	added, removed int
	hunks          []hunk
}

// maxEditDistance bounds the Myers search, whose trace grows with the square of the edit
// distance (about 8 MB at 1000); texts further apart are reported as a full replacement
// (still a correct diff, just not a minimal one), so one request cannot ask for hundreds of MB.
const maxEditDistance = 1000

// splitLines splits s into lines without their terminators; "" has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// diffLines returns a minimal edit script turning a into b (Myers' O(ND) algorithm).
func diffLines(a, b []string) []lineOp {
	n, m := len(a), len(b)
	maxD := n + m
	if maxD > maxEditDistance {
		maxD = maxEditDistance
	}
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] holds V before step d, only diagonals -d-1..d+1 (all that step d and the
	// backtrack read): trace[d][i] is V[k] for k = i-d-1. Whole copies of V would cost
	// (2*maxD+3) ints per step, twice as much in all.
	var trace [][]int
	found := false
	for d := 0; d <= maxD && !found; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	if !found {
		ops := make([]lineOp, 0, n+m)
		for _, l := range a {
			ops = append(ops, lineOp{'-', l})
		}
		for _, l := range b {
			ops = append(ops, lineOp{'+', l})
		}
		return ops
	}
	// Backtrack through the saved V windows (trace[d] is V before step d).
	var rev []lineOp
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		vd := trace[d]
		at := func(k int) int { return vd[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, lineOp{' ', a[x]})
		}
		if x == prevX {
			y--
			rev = append(rev, lineOp{'+', b[y]})
		} else {
			x--
			rev = append(rev, lineOp{'-', a[x]})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, lineOp{' ', a[x]})
	}
	ops := make([]lineOp, len(rev))
	for i := range rev {
		ops[i] = rev[len(rev)-1-i]
	}
	return ops
}

// unifiedDiff compares two texts and groups the changes into hunks with context lines of
// unchanged text around each change. Names label the ---/+++ header lines.
func unifiedDiff(oldName, newName, oldText, newText string, context int) textDiff {
	ops := diffLines(splitLines(oldText), splitLines(newText))
	var d textDiff
	// Old/new line number before each op.
	oldNo := make([]int, len(ops)+1)
	newNo := make([]int, len(ops)+1)
	for i, op := range ops {
		oldNo[i+1], newNo[i+1] = oldNo[i], newNo[i]
		switch op.kind {
		case '-':
			d.removed++
			oldNo[i+1]++
		case '+':
			d.added++
			newNo[i+1]++
		default:
			oldNo[i+1]++
			newNo[i+1]++
		}
	}
	if d.added == 0 && d.removed == 0 {
		return d
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", oldName, newName)
	i := 0
	for i < len(ops) {
		// find next change
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(i-context, 0)
		end := i
		// extend while the next change is within 2*context unchanged lines
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			j := end
			for j < len(ops) && ops[j].kind == ' ' && j-end < 2*context+1 {
				j++
			}
			if j < len(ops) && ops[j].kind != ' ' && j-end <= 2*context {
				end = j
				continue
			}
			break
		}
		stop := min(end+context, len(ops))
		h := hunk{oldStart: oldNo[start] + 1, newStart: newNo[start] + 1}
		for _, op := range ops[start:stop] {
			h.lines = append(h.lines, string(op.kind)+op.text)
			if op.kind != '+' {
				h.oldLines++
			}
			if op.kind != '-' {
				h.newLines++
			}
		}
		// Unified-diff convention: a zero-length range names the line before it.
		if h.oldLines == 0 {
			h.oldStart--
		}
		if h.newLines == 0 {
			h.newStart--
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n", hunkRange(h.oldStart, h.oldLines), hunkRange(h.newStart, h.newLines))
		for _, l := range h.lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		d.hunks = append(d.hunks, h)
		i = stop
	}
	d.unified = b.String()
	return d
}

func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
