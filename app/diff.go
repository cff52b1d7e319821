package app

import (
	"fmt"
	"reflect"
)

// Change is one setting whose value differs between two Configs.
type Change struct {
	// Field is the setting's path in Config, e.g. "Client.RateLimit".
	Field string
	// Value and Base are the two values as text. A URL's password is
	// replaced by "xxxxx"; a function, interface, pointer, slice or map
	// reads "set" or "unset", since only whether it is given is
	// comparable.
	Value, Base string
}

func (c Change) String() string { return fmt.Sprintf("%s = %s (not %s)", c.Field, c.Value, c.Base) }

// Diff lists the settings in which c differs from base, in field order.
// Fields tagged `diff:"-"` (the Logger) are skipped. Diff(DefaultConfig(),
// c) is what a run changes from serve's defaults.
func Diff(base, c Config) []Change {
	var out []Change
	diffValue("", reflect.ValueOf(base), reflect.ValueOf(c), &out)
	return out
}

func diffValue(path string, base, v reflect.Value, out *[]Change) {
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("diff") == "-" {
				continue
			}
			name := f.Name
			if path != "" {
				name = path + "." + f.Name
			}
			diffValue(name, base.Field(i), v.Field(i), out)
		}
	case reflect.Func, reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Map, reflect.Chan:
		if isSet(base) != isSet(v) {
			*out = append(*out, Change{Field: path, Value: setText(v), Base: setText(base)})
		}
	default:
		if !v.Equal(base) {
			*out = append(*out, Change{Field: path, Value: text(v), Base: text(base)})
		}
	}
}

func isSet(v reflect.Value) bool {
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Map {
		return v.Len() > 0
	}
	return !v.IsNil()
}

func setText(v reflect.Value) string {
	if isSet(v) {
		return "set"
	}
	return "unset"
}

// text formats a scalar setting, quoting strings and hiding URL passwords.
func text(v reflect.Value) string {
	if v.Kind() != reflect.String {
		return fmt.Sprint(v.Interface())
	}
	shown, ok := RedactURL(v.String())
	if !ok {
		return "(a URL that does not parse; not shown)"
	}
	return fmt.Sprintf("%q", shown)
}
