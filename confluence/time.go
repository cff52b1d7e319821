package confluence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// jsonTime decodes the timestamp forms Confluence sends into a time.Time:
// RFC 3339 with or without fraction ("2026-07-03T13:48:15.974Z"), the
// minute-precision form seen in headers ("2026-03-26T16:00Z"), epoch
// milliseconds as a number or a numeric string, and null or "" (zero time).
type jsonTime time.Time

// UnmarshalJSON implements json.Unmarshaler.
func (t *jsonTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*t = jsonTime{}
		return nil
	}
	if b[0] != '"' {
		ms, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("confluence: timestamp %s: %w", b, err)
		}
		*t = jsonTime(time.UnixMilli(ms).UTC())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	parsed, err := parseTimestamp(s)
	if err != nil {
		return err
	}
	*t = jsonTime(parsed)
	return nil
}

// parseTimestamp parses one timestamp string; "" is the zero time.
func parseTimestamp(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("confluence: unrecognised timestamp %q", s)
}

// parseRetryAfter reads a Retry-After value: delay-seconds or an HTTP date
// (RFC 9110 §10.2.3). A date in the past gives 0. ok is false when the
// header is absent or unparsable.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, true
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := at.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// lenientType is the decoding mirror of a struct type: the same fields and
// tags, with jsonTime in place of each time.Time and flexString in place of
// a string field named ID.
type lenientType struct {
	mirror  reflect.Type
	swapped []bool // by field index: the mirror's field has another type
}

var (
	lenientTypes   sync.Map // reflect.Type → *lenientType
	timeType       = reflect.TypeFor[time.Time]()
	jsonTimeType   = reflect.TypeFor[jsonTime]()
	stringType     = reflect.TypeFor[string]()
	flexStringType = reflect.TypeFor[flexString]()
)

func lenientOf(t reflect.Type) *lenientType {
	if lt, ok := lenientTypes.Load(t); ok {
		return lt.(*lenientType)
	}
	lt := &lenientType{swapped: make([]bool, t.NumField())}
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		f := t.Field(i)
		fields[i] = reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag}
		switch {
		case f.Type == timeType:
			fields[i].Type, lt.swapped[i] = jsonTimeType, true
		case f.Type == stringType && f.Name == "ID":
			fields[i].Type, lt.swapped[i] = flexStringType, true
		}
	}
	lt.mirror = reflect.StructOf(fields)
	got, _ := lenientTypes.LoadOrStore(t, lt)
	return got.(*lenientType)
}

// decodeLenient decodes b into *v as json.Unmarshal does, except that every
// time.Time field of T accepts the forms jsonTime does, and a string field
// named ID also a JSON number (v1 sends some ids as numbers); these fields
// are zero when absent. T must be a struct whose fields are all exported and not
// embedded; it is what the UnmarshalJSON of such types calls, and it does
// not call that method again.
func decodeLenient[T any](b []byte, v *T) error {
	lt := lenientOf(reflect.TypeFor[T]())
	dst := reflect.ValueOf(v).Elem()
	m := reflect.New(lt.mirror).Elem()
	for i, swapped := range lt.swapped {
		if !swapped {
			m.Field(i).Set(dst.Field(i))
		}
	}
	if err := json.Unmarshal(b, m.Addr().Interface()); err != nil {
		return err
	}
	for i, swapped := range lt.swapped {
		if swapped {
			dst.Field(i).Set(m.Field(i).Convert(dst.Field(i).Type()))
		} else {
			dst.Field(i).Set(m.Field(i))
		}
	}
	return nil
}
