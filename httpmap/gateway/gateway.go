// Package gateway plugs gssfault into grpc-gateway v2: [ErrorHandler] is a
// runtime.ErrorHandlerFunc that answers every error the way
// httpmap.WriteError does, so a fault's details survive the gateway and
// the HTTP status follows the vSphere version the gateway fronts.
//
//	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.ErrorHandler))
//
// or, with options (the same httpmap options WriteError takes):
//
//	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.NewErrorHandler(
//		httpmap.WithPolicy(policy),
//		httpmap.WithTarget(httpmap.Target{Version: release.V803}),
//	)))
//
// # grpc-gateway's conventions
//
// The handler decides the status and its details, then lets grpc-gateway's
// own runtime.DefaultHTTPErrorHandler write the answer, so everything that
// handler honours is honoured: the mux's forward-response rewriter, the
// marshaler's content type and encoding (the body is the rewritten
// google.rpc.Status marshalled by the mux's marshaler), the server's
// header metadata as Grpc-Metadata-* headers (or the mux's header
// matcher), trailer metadata when the request sends "TE: trailers", and
// WWW-Authenticate on UNAUTHENTICATED (a 401 of another gRPC code gets
// httpmap's challenge, see httpmap.WithAuthChallenge). A runtime.HTTPStatusError (what a
// routing error or a handler uses to force a status such as 405) keeps its
// status.
//
// Deliberate differences from the default handler:
//   - the HTTP status follows httpmap's mapping (the per-version table for
//     catalog faults, the gRPC code's status for anything else), not the
//     gRPC code alone;
//   - errors that are not statuses become faults under the policy (a
//     classifier, context errors, the catch-all) instead of a 500 with
//     their raw text, and Internal, Unknown and DataLoss messages are
//     redacted;
//   - a detail whose type the binary does not link is left out instead of
//     turning the answer into a 500 "failed to marshal error message";
//   - Retry-After is set for retryable faults;
//   - a request that prefers application/problem+json (or the
//     httpmap.WithShape option) gets RFC 9457 problem details, and
//     httpmap.WithShape(httpmap.GoogleShape) Google's shape, written by
//     httpmap instead of the mux's marshaler;
//   - with the mux's default JSON marshaler, the body is written by
//     httpmap (the same JSON, held equal by tests, with about half the
//     allocations);
//     any other marshaler marshals it itself.
package gateway

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/errwalk"
)

var defaultHandler = NewErrorHandler()

// ErrorHandler is a runtime.ErrorHandlerFunc with httpmap's defaults: the
// catalog HTTP statuses, the grpc-gateway body shape (problem details when
// the request prefers them), generic messages for Internal, Unknown and
// DataLoss.
func ErrorHandler(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	defaultHandler(ctx, mux, m, w, r, err)
}

// NewErrorHandler returns a runtime.ErrorHandlerFunc that answers errors as
// httpmap.WriteError does with opts, within grpc-gateway's conventions
// (see the package documentation).
func NewErrorHandler(opts ...httpmap.Option) runtime.ErrorHandlerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
		o := opts
		var forced *runtime.HTTPStatusError
		errwalk.Walk(err, func(e error) bool {
			forced, _ = e.(*runtime.HTTPStatusError)
			return forced != nil
		})
		if forced != nil && forced.Err != nil {
			err = forced.Err
			o = append(o[:len(o):len(o)], httpmap.WithHTTPStatus(forced.HTTPStatus))
		}
		a := httpmap.Render(r, err, o...)
		// grpc-gateway sets Content-Type, and WWW-Authenticate on
		// UNAUTHENTICATED; a 401 of another code (NoPermission on 8.0 GA)
		// gets httpmap's challenge.
		unauthenticated := a.GRPC.Code() == grpccodes.Unauthenticated
		h := w.Header()
		for k, v := range a.Header {
			if k != "Content-Type" && (k != "Www-Authenticate" || !unauthenticated) {
				h[k] = v
			}
		}
		bm := &bodyMarshaler{Marshaler: m, answer: a}
		runtime.DefaultHTTPErrorHandler(ctx, mux, bm, w, r, &runtime.HTTPStatusError{HTTPStatus: a.Status, Err: a.GRPC.Err()})
	}
}

// bodyMarshaler writes the body of an answer: httpmap's for its own
// shapes and for the default JSON marshaler, the mux's marshaler's for
// anything else (a rewritten response of another type included).
type bodyMarshaler struct {
	runtime.Marshaler
	answer httpmap.Answer
}

// own returns the status to write with httpmap, false when the mux's
// marshaler writes v.
func (b *bodyMarshaler) own(v any) (*spb.Status, bool) {
	pb, ok := v.(*spb.Status)
	if !ok {
		return nil, false
	}
	return pb, b.answer.Shape != httpmap.GatewayShape || isDefaultJSON(b.Marshaler)
}

// ContentType is the answer's for httpmap's bodies, else the marshaler's.
func (b *bodyMarshaler) ContentType(v any) string {
	if _, ok := b.own(v); ok {
		return b.answer.Header.Get("Content-Type")
	}
	return b.Marshaler.ContentType(v)
}

// Marshal writes the (possibly rewritten) status in the answer's shape.
func (b *bodyMarshaler) Marshal(v any) ([]byte, error) {
	if pb, ok := b.own(v); ok {
		return b.answer.Encode(pb), nil
	}
	return b.Marshaler.Marshal(v)
}

// isDefaultJSON reports whether m writes JSON as grpc-gateway's default
// marshaler does (protojson with lowerCamelCase names, enum names, no
// indentation), so that httpmap's body is the JSON m would write, but for
// the fields EmitUnpopulated adds, which decode to the same message.
func isDefaultJSON(m runtime.Marshaler) bool {
	if hb, ok := m.(*runtime.HTTPBodyMarshaler); ok {
		m = hb.Marshaler
	}
	j, ok := m.(*runtime.JSONPb)
	if !ok {
		return false
	}
	o := j.MarshalOptions
	return o == protojson.MarshalOptions{EmitUnpopulated: o.EmitUnpopulated, EmitDefaultValues: o.EmitDefaultValues, AllowPartial: o.AllowPartial}
}
