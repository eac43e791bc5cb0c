// Package gateway plugs gssfault into grpc-gateway v2: [ErrorHandler] is a
// runtime.ErrorHandlerFunc that writes every error the way
// httpmap.WriteError does, so a fault's details survive the gateway and the
// HTTP status follows the vSphere version the gateway fronts.
//
//	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.ErrorHandler))
//
// or, with options:
//
//	mux := runtime.NewServeMux(runtime.WithErrorHandler(gateway.NewErrorHandler(
//		httpmap.WithTarget(httpmap.Target{Version: release.V803}),
//	)))
//
// Routing errors need nothing more: grpc-gateway's default routing error
// handler turns them into statuses (NotFound, Unimplemented) and calls the
// error handler.
package gateway

import (
	"context"
	"net/http"
	"net/textproto"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/gssfault/gssfault/httpmap"
)

var defaultHandler = NewErrorHandler()

// ErrorHandler is a runtime.ErrorHandlerFunc with httpmap's defaults: the
// newest vSphere behaviour, the grpc-gateway body shape, generic messages
// for Internal, Unknown and DataLoss. Unlike grpc-gateway's default
// handler, it never answers 500 for a detail it cannot marshal (it leaves
// the detail out) and it maps statuses per vSphere version.
func ErrorHandler(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	defaultHandler(ctx, mux, m, w, r, err)
}

// NewErrorHandler returns a runtime.ErrorHandlerFunc that writes errors with
// httpmap.WriteError and opts. The gRPC server's header metadata is
// forwarded as Grpc-Metadata-<key> headers, as grpc-gateway's default
// handler does; the marshaler is not used, since the body is always JSON.
func NewErrorHandler(opts ...httpmap.Option) runtime.ErrorHandlerFunc {
	return func(ctx context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
		if md, ok := runtime.ServerMetadataFromContext(ctx); ok {
			for k, vs := range md.HeaderMD {
				for _, v := range vs {
					w.Header().Add("Grpc-Metadata-"+textproto.CanonicalMIMEHeaderKey(k), v)
				}
			}
		}
		httpmap.WriteError(w, r, err, opts...)
	}
}
