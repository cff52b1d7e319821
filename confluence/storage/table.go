package storage

import (
	"strconv"
	"strings"
)

// tableCell is one cell of the rendered grid.
type tableCell struct {
	s      string
	header bool
}

// maxSpan bounds colspan and rowspan so hostile values cannot blow up the grid.
const maxSpan = 64

// A table's expanded grid (merged cells filled, rows padded to the widest)
// may cost at most tableBudgetFactor times the size of the table's source
// plus tableBudgetBase bytes; the rows beyond are cut with a marker. This one
// cap keeps the output linear in the input whatever rowspan × colspan asks.
const (
	tableBudgetFactor = 8
	tableBudgetBase   = 64 << 10
)

// grid is a table expanded into rows of equal meaning: merged cells are
// repeated in every row and column they cover.
type grid struct {
	rows      [][]tableCell
	headerRow bool // the first row is the table's header
	cost      int  // bytes the rows would render to
	budget    int
	cutRows   int // source rows left out because the budget ran out
	total     int // source rows
}

// add appends a row unless the budget is spent.
func (g *grid) add(row []tableCell) bool {
	if len(row) == 0 {
		return true
	}
	c := 0
	for _, cell := range row {
		c += len(cell.s) + 3
	}
	if g.cost+c > g.budget && len(g.rows) > 0 {
		return false
	}
	g.cost += c
	g.rows = append(g.rows, row)
	return true
}

// table renders a table as a GFM pipe table. Cells become one line: line
// breaks, paragraphs, list items and code lines are joined with <br>, and
// pipes are escaped. Merged cells are repeated in every row and column they
// cover, so every value keeps its row and column. The header is a first row
// of header cells (th or thead), or a first row Cloud shows as a header: all
// its cells bold, or all of them highlighted (data-highlight-colour);
// otherwise the header row is left empty. Plain text renders one line per
// row with cells separated by " | ".
func (r *renderer) table(n *node) []block {
	var caption []block
	g := &grid{budget: tableBudgetFactor*nodeSize(n) + tableBudgetBase}
	pending := map[int]tableCell{} // column -> the cell a rowspan carries down
	left := map[int]int{}          // column -> rows the rowspan still covers
	lastSpanned := -1              // highest column a rowspan has covered
	full := false
	addRow := func(tr *node, inHead bool) {
		g.total++
		if full {
			g.cutRows++
			return
		}
		var row []tableCell
		col := 0
		spanned := func() {
			for left[col] > 0 {
				left[col]--
				row = append(row, pending[col])
				col++
			}
		}
		looksHead := len(g.rows) == 0
		for _, c := range tr.children {
			if c.name != "td" && c.name != "th" {
				continue
			}
			spanned()
			cell := tableCell{s: r.cellContent(c), header: c.name == "th" || inHead}
			if looksHead && !cell.header && !headerLike(c) {
				looksHead = false
			}
			span := spanAttr(c, "colspan")
			down := spanAttr(c, "rowspan")
			for range span {
				row = append(row, cell)
				if down > 1 {
					pending[col], left[col] = cell, down-1
					lastSpanned = max(lastSpanned, col)
				}
				col++
			}
		}
		// Columns past this row's last cell that a rowspan still covers.
		for ; col <= lastSpanned; col++ {
			if left[col] > 0 {
				left[col]--
				row = append(row, pending[col])
			} else {
				row = append(row, tableCell{})
			}
		}
		if len(g.rows) == 0 && len(row) > 0 {
			g.headerRow = looksHead && hasText(row)
		}
		if !g.add(row) {
			full = true
			g.cutRows++
		}
	}
	var walk func(m *node, inHead bool)
	walk = func(m *node, inHead bool) {
		for _, c := range m.children {
			switch c.name {
			case "tr":
				addRow(c, inHead)
			case "thead":
				walk(c, true)
			case "tbody", "tfoot":
				walk(c, false)
			case "caption":
				caption = r.blocks(c.children)
			}
		}
	}
	walk(n, false)
	if len(g.rows) == 0 {
		return caption
	}
	return append(caption, block{s: r.renderGrid(g), kind: kindOther})
}

// renderGrid writes the grid as a pipe table, or as lines in plain text and
// inside a Markdown cell, stopping where the budget runs out.
func (r *renderer) renderGrid(g *grid) string {
	width := 0
	for _, row := range g.rows {
		width = max(width, len(row))
	}
	var b strings.Builder
	cost := 0
	shown := 0
	write := func(line string) bool {
		if cost += len(line) + 1; cost > g.budget && shown > 0 {
			return false
		}
		b.WriteString(line)
		b.WriteByte('\n')
		return true
	}
	body := g.rows
	if r.text || r.cell > 0 {
		sep := " | "
		if !r.text {
			sep = " / " // a nested table inside a Markdown cell
		}
		for _, row := range g.rows {
			parts := make([]string, 0, len(row))
			for _, c := range row {
				parts = append(parts, c.s)
			}
			if l := strings.TrimSpace(strings.Join(parts, sep)); strings.Trim(l, " |/") != "" {
				if !write(l) {
					break
				}
			}
			shown++
		}
	} else {
		if g.headerRow {
			write(pipeRow(g.rows[0], width, false))
			body = g.rows[1:]
			shown++
		} else {
			write(pipeRow(nil, width, false))
		}
		write("|" + strings.Repeat(" --- |", width))
		for _, row := range body {
			if !write(pipeRow(row, width, true)) {
				break
			}
			shown++
		}
	}
	out := strings.TrimRight(b.String(), "\n")
	if shown < g.total {
		marker := "[table cut: " + strconv.Itoa(shown) + " of " + strconv.Itoa(g.total) + " rows shown]"
		if r.cell > 0 {
			return out + "\n" + marker
		}
		return out + "\n\n" + r.bracketRaw(marker)
	}
	return out
}

// bracketRaw escapes an already bracketed marker for Markdown.
func (r *renderer) bracketRaw(s string) string {
	if r.text {
		return s
	}
	return r.bracket(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
}

// pipeRow renders one row of a pipe table padded to width; header cells
// outside the header row are bold when boldHeaders is set.
func pipeRow(row []tableCell, width int, boldHeaders bool) string {
	var b strings.Builder
	b.WriteString("|")
	for i := range width {
		s := ""
		if i < len(row) {
			s = row[i].s
			if boldHeaders && row[i].header && s != "" && !strings.Contains(s, "<br>") && !strings.HasPrefix(s, "**") {
				s = "**" + s + "**"
			}
			if !boldHeaders {
				s = unbold(s)
			}
		}
		b.WriteString(" " + s + " |")
	}
	return b.String()
}

// unbold removes the bold markers around a whole header cell: the header
// row is bold already.
func unbold(s string) string {
	if len(s) > 4 && strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && !strings.Contains(s[2:len(s)-2], "**") {
		return s[2 : len(s)-2]
	}
	return s
}

// headerLike reports whether a td is shown as a header cell: highlighted,
// or holding only bold text.
func headerLike(c *node) bool {
	if c.attr("data-highlight-colour") != "" {
		return true
	}
	return onlyBold(c, false) == 1
}

// onlyBold returns 1 when all text below n is inside strong or b elements,
// -1 when some is not, and 0 when n holds no text.
func onlyBold(n *node, inBold bool) int {
	if n.isText() {
		switch {
		case strings.TrimSpace(n.text) == "":
			return 0
		case inBold:
			return 1
		}
		return -1
	}
	inBold = inBold || n.name == "strong" || n.name == "b"
	res := 0
	for _, c := range n.children {
		switch onlyBold(c, inBold) {
		case -1:
			return -1
		case 1:
			res = 1
		}
	}
	return res
}

// hasText reports whether any cell of row has content.
func hasText(row []tableCell) bool {
	for _, c := range row {
		if c.s != "" {
			return true
		}
	}
	return false
}

// nodeSize approximates the source size of n: its text plus a few bytes for
// each element's tags. It is remembered, so nested tables cost one walk.
func nodeSize(n *node) int {
	if n.isText() {
		return len(n.text)
	}
	if n.size == 0 {
		s := 2*len(n.name) + 5
		for _, c := range n.children {
			s += nodeSize(c)
		}
		n.size = s
	}
	return n.size
}

func spanAttr(n *node, name string) int {
	v, err := strconv.Atoi(strings.TrimSpace(n.attr(name)))
	if err != nil || v < 1 {
		return 1
	}
	return min(v, maxSpan)
}

// cellContent renders a cell on one line.
func (r *renderer) cellContent(c *node) string {
	r.cell++
	bs := r.blocks(c.children)
	r.cell--
	if r.text {
		var lines []string
		for _, l := range strings.Split(joinBlocks(bs, "\n"), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, " / ")
	}
	var lines []string
	for _, bl := range bs {
		for _, l := range strings.Split(bl.s, "\n") {
			lines = append(lines, strings.TrimRight(l, " "))
		}
	}
	s := strings.Join(lines, "<br>")
	// GFM splits cells on every unescaped pipe, even inside code spans.
	return strings.ReplaceAll(s, "|", `\|`)
}
