package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeIntrospectionDisabled is extensions.code of __schema and __type when
// introspection is off.
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// transportMessages maps the prefixes of gqlgen transport errors, some of
// which repeat the raw request body, to fixed messages.
var transportMessages = []struct{ prefix, message string }{
	{"json request body could not be decoded", "the request body is not a valid GraphQL JSON request"},
	{"could not read request body", "could not read the request body"},
	{"could not get json request body", "could not read the request body"},
	{"could not get request body", "could not read the request body"},
	{"could not get form body", "could not read the request body"},
	{"could not cleanup body", "could not read the request body"},
	{"variables could not be decoded", "the variables parameter is not a JSON object"},
	{"extensions could not be decoded", "the extensions parameter is not a JSON object"},
}

// presenter wraps graph's presenter (which maps typed errors to codes and
// masks unknown ones) and replaces transport messages that could echo the
// request body. With suggestions off (introspection off) it also drops
// gqlparser's "Did you mean …?" hints, which name arguments and enum values
// that the schema would otherwise keep to itself: gqlgen's
// SetDisableSuggestion only covers field names.
func presenter(inner graphql.ErrorPresenterFunc, suggestions bool) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		switch {
		case isIntrospectionDisabled(err):
			// gqlgen's own error for __schema/__type when introspection is
			// off: say so rather than let it pass as an internal error.
			return introspectionRefusal(ctx, err, "introspection disabled on this server")
		case isFederatedIntrospectionDisabled(err):
			// _service asked in the same operation as __schema or __type:
			// the federation SDL is served only to an operation without them.
			return introspectionRefusal(ctx, err,
				"introspection disabled on this server; ask for _service { sdl } in an operation without __schema or __type")
		}
		e := inner(ctx, err)
		if e == nil {
			return e
		}
		if !suggestions {
			e.Message = withoutSuggestion(e.Message)
		}
		if e.Err != nil || len(e.Path) > 0 {
			return e
		}
		for _, t := range transportMessages {
			if strings.HasPrefix(e.Message, t.prefix) {
				e.Message = t.message
				if e.Extensions == nil {
					e.Extensions = map[string]any{}
				}
				if _, ok := e.Extensions["code"]; !ok {
					e.Extensions["code"] = CodeBadRequest
				}
				break
			}
		}
		return e
	}
}

func jsonEncode(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

func introspectionRefusal(ctx context.Context, err error, msg string) *gqlerror.Error {
	e := graphql.DefaultErrorPresenter(ctx, err)
	e.Err = nil
	e.Message = msg
	e.Extensions = map[string]any{"code": CodeIntrospectionDisabled}
	return e
}

// withoutSuggestion cuts a trailing " Did you mean …?" from a validation
// message.
func withoutSuggestion(msg string) string {
	if i := strings.Index(msg, " Did you mean "); i >= 0 && strings.HasSuffix(msg, "?") {
		return msg[:i]
	}
	return msg
}

// isFederatedIntrospectionDisabled reports whether err is the generated
// federation code's refusal of _service while introspection is off.
func isFederatedIntrospectionDisabled(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "federated introspection disabled" {
			return true
		}
	}
	return false
}

// isIntrospectionDisabled reports whether err is (or wraps) gqlgen's
// "introspection disabled" error.
func isIntrospectionDisabled(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == "introspection disabled" {
			return true
		}
	}
	return false
}
