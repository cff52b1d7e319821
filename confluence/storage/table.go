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

// table renders a table as a GFM pipe table. Cells become one line: line
// breaks, paragraphs, list items and code lines are joined with <br>, and
// pipes are escaped. Merged cells are split, the extra cells left empty, so
// every value keeps its row and column. A first row made only of header cells
// becomes the table header; otherwise the header row is left empty. Plain text
// renders one line per row with cells separated by " | ".
func (r *renderer) table(n *node) []block {
	var caption []block
	var rows [][]tableCell
	pending := map[int]int{} // column -> rows still covered by a rowspan
	headerRow := false
	lastSpanned := -1 // highest column a rowspan has covered
	addRow := func(tr *node, inHead bool) {
		var row []tableCell
		col := 0
		skipSpanned := func() {
			for pending[col] > 0 {
				pending[col]--
				row = append(row, tableCell{})
				col++
			}
		}
		for _, c := range tr.children {
			if c.name != "td" && c.name != "th" {
				continue
			}
			skipSpanned()
			cell := tableCell{s: r.cellContent(c), header: c.name == "th" || inHead}
			row = append(row, cell)
			span := spanAttr(c, "colspan")
			down := spanAttr(c, "rowspan")
			for i := 0; i < span; i++ {
				if i > 0 {
					row = append(row, tableCell{header: cell.header})
				}
				if down > 1 {
					pending[col] = down - 1
					lastSpanned = max(lastSpanned, col)
				}
				col++
			}
		}
		// Columns past this row's last cell that a rowspan still covers.
		for ; col <= lastSpanned; col++ {
			if pending[col] > 0 {
				pending[col]--
			}
			row = append(row, tableCell{})
		}
		if len(rows) == 0 && len(row) > 0 {
			headerRow = true
			for _, c := range row {
				if !c.header {
					headerRow = false
				}
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
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
	if len(rows) == 0 {
		return caption
	}
	width := 0
	for _, row := range rows {
		width = max(width, len(row))
	}

	if r.text || r.cell > 0 {
		sep := " | "
		if !r.text {
			sep = " / " // a nested table inside a Markdown cell
		}
		lines := make([]string, 0, len(rows))
		for _, row := range rows {
			parts := make([]string, 0, len(row))
			for _, c := range row {
				parts = append(parts, c.s)
			}
			if l := strings.TrimSpace(strings.Join(parts, sep)); strings.Trim(l, " |/") != "" {
				lines = append(lines, l)
			}
		}
		return append(caption, block{s: strings.Join(lines, "\n"), kind: kindOther})
	}

	var b strings.Builder
	writeRow := func(row []tableCell, boldHeaders bool) {
		b.WriteString("|")
		for i := 0; i < width; i++ {
			s := ""
			if i < len(row) {
				s = row[i].s
				if boldHeaders && row[i].header && s != "" && !strings.Contains(s, "<br>") && !strings.HasPrefix(s, "**") {
					s = "**" + s + "**"
				}
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	body := rows
	if headerRow {
		writeRow(rows[0], false)
		body = rows[1:]
	} else {
		writeRow(nil, false)
	}
	b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
	for _, row := range body {
		writeRow(row, true)
	}
	return append(caption, block{s: strings.TrimRight(b.String(), "\n"), kind: kindOther})
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
