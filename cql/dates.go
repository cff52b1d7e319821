package cql

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// dateLayouts are the literal forms Confluence accepts,
// with whether they carry a time of day.
var dateLayouts = []struct {
	layout  string
	hasTime bool
}{
	{"2006-01-02 15:04", true},
	{"2006/01/02 15:04", true},
	{"2006-01-02", false},
	{"2006/01/02", false},
}

var isoDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)

// checkDate returns "" if s is a valid date literal, else a message.
func checkDate(s string) string {
	if isoDateTime.MatchString(s) {
		return fmt.Sprintf("ISO 8601 date-time %s is not accepted by Confluence; write \"yyyy-MM-dd HH:mm\" (e.g. \"%s %s\") or yyyy-MM-dd", quote(s), s[:10], isoClock(s))
	}
	for _, l := range dateLayouts {
		if _, err := time.Parse(l.layout, s); err == nil {
			return ""
		}
	}
	return fmt.Sprintf("invalid date %s: write yyyy-MM-dd or yyyy/MM/dd, optionally followed by HH:mm (quoted: \"2024-01-31 09:30\")", quote(s))
}

// isoClock extracts "HH:mm" from an ISO date-time for the error message.
func isoClock(s string) string {
	if len(s) >= 16 {
		return s[11:16]
	}
	return "00:00"
}

// dateRange interprets a valid date literal in loc as the half-open range
// [lo, hi) it names: a whole day for a date, a whole minute with a time.
func dateRange(s string, loc *time.Location) (lo, hi time.Time, ok bool) {
	for _, l := range dateLayouts {
		t, err := time.ParseInLocation(l.layout, s, loc)
		if err != nil {
			continue
		}
		if l.hasTime {
			return t, t.Add(time.Minute), true
		}
		return t, t.AddDate(0, 0, 1), true
	}
	return time.Time{}, time.Time{}, false
}

// increment is a parsed "(+/-)nn(y|M|w|d|h|m)".
type increment struct {
	n    int
	unit byte
}

var incrementRE = regexp.MustCompile(`^([+-]?)([0-9]{1,6})([yMwdhm])$`)

// parseIncrement parses a date-function increment; ok is false if s is
// not one.
func parseIncrement(s string) (increment, bool) {
	m := incrementRE.FindStringSubmatch(s)
	if m == nil {
		return increment{}, false
	}
	n, _ := strconv.Atoi(m[2])
	if m[1] == "-" {
		n = -n
	}
	return increment{n: n, unit: m[3][0]}, true
}

func (inc increment) apply(t time.Time) time.Time {
	switch inc.unit {
	case 'y':
		return t.AddDate(inc.n, 0, 0)
	case 'M':
		return t.AddDate(0, inc.n, 0)
	case 'w':
		return t.AddDate(0, 0, 7*inc.n)
	case 'd':
		return t.AddDate(0, 0, inc.n)
	case 'h':
		return t.Add(time.Duration(inc.n) * time.Hour)
	case 'm':
		return t.Add(time.Duration(inc.n) * time.Minute)
	}
	return t
}

// dateFunc computes the instant a date function names at now (in now's
// location). startOf* is the first instant of the current period plus the
// increment; endOf* is the last nanosecond of the current period plus the
// increment; weeks start on Sunday.
func dateFunc(name string, now time.Time, inc increment) time.Time {
	y, mo, d := now.Date()
	loc := now.Location()
	day := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	week := day.AddDate(0, 0, -int(day.Weekday()))
	month := time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	year := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	var t time.Time
	switch name {
	case "now":
		t = now
	case "startOfDay":
		t = day
	case "startOfWeek":
		t = week
	case "startOfMonth":
		t = month
	case "startOfYear":
		t = year
	case "endOfDay":
		t = day.AddDate(0, 0, 1).Add(-time.Nanosecond)
	case "endOfWeek":
		t = week.AddDate(0, 0, 7).Add(-time.Nanosecond)
	case "endOfMonth":
		t = month.AddDate(0, 1, 0).Add(-time.Nanosecond)
	case "endOfYear":
		t = year.AddDate(1, 0, 0).Add(-time.Nanosecond)
	}
	return inc.apply(t)
}
