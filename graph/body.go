package graph

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"unicode/utf8"

	"github.com/confluence-graph/confluence-graph/confluence/storage"
	"github.com/confluence-graph/confluence-graph/graph/model"
)

// cutBody cuts a body value in format f to at most maxChars characters (maxChars <= 0: no
// limit) and reports its full length and whether it was cut. MARKDOWN and TEXT are cut at a
// character; STORAGE and VIEW at a token, closing the open elements (storage.Cut);
// ATLAS_DOC_FORMAT at a node, closing the open JSON (storage.CutADF). A maxChars too small to
// hold a well-formed value is an InputError on maxChars.
func cutBody(value string, f model.BodyFormat, maxChars int) (v string, total int, truncated bool, err error) {
	total = utf8.RuneCountInString(value)
	switch f {
	case model.BodyFormatStorage, model.BodyFormatView:
		v, truncated = storage.Cut(value, maxChars)
		if truncated && strings.TrimSpace(v) == "" {
			return "", 0, false, tooSmall(f, maxChars)
		}
		return v, total, truncated, nil
	case model.BodyFormatAtlasDocFormat:
		v, truncated, err = storage.CutADF(value, maxChars)
		switch {
		case errors.Is(err, storage.ErrCutTooSmall):
			return "", 0, false, tooSmall(f, maxChars)
		case err != nil:
			return "", 0, false, fmt.Errorf("graph: cutting the ADF body: %w", err)
		}
		return v, total, truncated, nil
	}
	v, total, truncated = truncateChars(value, maxChars)
	return v, total, truncated, nil
}

func tooSmall(f model.BodyFormat, maxChars int) error {
	return inputErrorf("maxChars", "maxChars %d is too small to cut the %s body into well-formed output; ask for more characters or omit maxChars", maxChars, f)
}

// truncateChars cuts s to at most maxChars characters (runes). maxChars <= 0 means no limit.
// It reports the full length in characters and whether s was cut.
func truncateChars(s string, maxChars int) (value string, total int, truncated bool) {
	total = utf8.RuneCountInString(s)
	if maxChars <= 0 || total <= maxChars {
		return s, total, false
	}
	i, n := 0, 0
	for i < len(s) && n < maxChars {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return s[:i], total, true
}

// markdownSection returns the part of a Markdown text under the ATX heading whose text equals
// heading (case-insensitive, surrounding spaces and trailing #s ignored), including the heading
// line, down to the next heading of the same or a higher level. Headings inside fenced code
// blocks are ignored. ok is false when no heading matches.
func markdownSection(md, heading string) (section string, ok bool) {
	want := normalizeHeading(heading)
	lines := strings.SplitAfter(md, "\n")
	start, level := -1, 0
	for h := range atxHeadings(lines) {
		if start >= 0 && h.level <= level {
			return joinLines(lines[start:h.line]), true
		}
		if start < 0 && normalizeHeading(h.text) == want {
			start, level = h.line, h.level
		}
	}
	if start < 0 {
		return "", false
	}
	return joinLines(lines[start:]), true
}

// mdHeading is an ATX heading: its line's index, its level (1..6) and its text.
type mdHeading struct {
	line, level int
	text        string
}

// atxHeadings yields the ATX headings among lines in order, skipping lines inside fenced code
// blocks.
func atxHeadings(lines []string) iter.Seq[mdHeading] {
	return func(yield func(mdHeading) bool) {
		inFence := false
		for i, line := range lines {
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
				inFence = !inFence
				continue
			}
			if inFence {
				continue
			}
			if lv, text := atxHeading(trimmed); lv > 0 && !yield(mdHeading{i, lv, text}) {
				return
			}
		}
	}
}

// joinLines joins lines that keep their newlines, without the trailing ones.
func joinLines(lines []string) string {
	return strings.TrimRight(strings.Join(lines, ""), "\n")
}

// textSection does for plain text what markdownSection does for Markdown, where the converter
// keeps headings as lines of their own: it returns from the line equal to heading up to the
// next line that equals another heading of the document (given as known headings in order).
func textSection(text, heading string, headings []string) (string, bool) {
	want := normalizeHeading(heading)
	lines := strings.SplitAfter(text, "\n")
	isHeading := make(map[string]bool, len(headings))
	for _, h := range headings {
		isHeading[normalizeHeading(h)] = true
	}
	start := -1
	for i, line := range lines {
		n := normalizeHeading(line)
		if start < 0 {
			if n == want {
				start = i
			}
			continue
		}
		if isHeading[n] {
			return joinLines(lines[start:i]), true
		}
	}
	if start < 0 {
		return "", false
	}
	return joinLines(lines[start:]), true
}

// atxHeading parses "## Title ##" into (2, "Title"); level 0 when the line is not a heading.
func atxHeading(line string) (int, string) {
	lv := 0
	for lv < len(line) && line[lv] == '#' {
		lv++
	}
	if lv == 0 || lv > 6 || (lv < len(line) && line[lv] != ' ' && line[lv] != '\t') {
		return 0, ""
	}
	text := strings.TrimSpace(line[lv:])
	text = strings.TrimSpace(strings.TrimRight(text, "#"))
	return lv, text
}

// markdownHeadings lists the heading texts of a Markdown document in order.
func markdownHeadings(md string) []string {
	var out []string
	for h := range atxHeadings(strings.Split(md, "\n")) {
		out = append(out, h.text)
	}
	return out
}

func normalizeHeading(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.Trim(s, "*_`"))
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
