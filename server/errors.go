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
// request body.
func presenter(inner graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		if isIntrospectionDisabled(err) {
			// gqlgen's own error for __schema/__type when introspection is
			// off: say so rather than let it pass as an internal error.
			e := graphql.DefaultErrorPresenter(ctx, err)
			e.Err = nil
			e.Message = "introspection disabled on this server"
			e.Extensions = map[string]any{"code": CodeIntrospectionDisabled}
			return e
		}
		e := inner(ctx, err)
		if e == nil || e.Err != nil || len(e.Path) > 0 {
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
