package openapi

import (
	"encoding/json"
	"net/http"
	"strings"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

// This file is the one place that asks httpmap how an error answer looks.
// At the merge with httpmap.Render(err, opts...) (status, header, body),
// render becomes that call and bodyRecorder goes.

// render returns the HTTP status and the body that httpmap writes for f
// on target t: the grpc-gateway JSON body.
func render(f *faults.Error, t httpmap.Target) (int, []byte) {
	w := bodyRecorder{header: http.Header{}}
	httpmap.WriteError(&w, nil, f, httpmap.WithTarget(t))
	return w.status, w.body
}

// bodyRecorder is the least http.ResponseWriter that keeps an answer.
type bodyRecorder struct {
	header http.Header
	status int
	body   []byte
}

func (w *bodyRecorder) Header() http.Header    { return w.header }
func (w *bodyRecorder) WriteHeader(status int) { w.status = status }
func (w *bodyRecorder) Write(b []byte) (int, error) {
	w.body = append(w.body, b...)
	return len(b), nil
}

// problemBody is the RFC 9457 body of the same answer, made from the
// grpc-gateway body (status, the gRPC code, the message, and the GSS code,
// retryable and retry delay that its ErrorInfo and RetryInfo carry) until
// httpmap renders problem+json itself.
func problemBody(status int, body []byte) ([]byte, error) {
	var in struct {
		Code    grpccodes.Code    `json:"code"`
		Message string            `json:"message"`
		Details []json.RawMessage `json:"details"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	out := struct {
		Type       string            `json:"type"`
		Title      string            `json:"title"`
		Status     int               `json:"status"`
		Detail     string            `json:"detail,omitempty"`
		Code       string            `json:"code"`
		GRPCCode   string            `json:"grpcCode"`
		Retryable  bool              `json:"retryable"`
		RetryDelay string            `json:"retryDelay,omitempty"`
		Details    []json.RawMessage `json:"details"`
	}{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: in.Message,
		GRPCCode: grpcName(in.Code.String()), Details: in.Details}
	for _, d := range in.Details {
		var detail struct {
			Type       string            `json:"@type"`
			Metadata   map[string]string `json:"metadata"`
			RetryDelay string            `json:"retryDelay"`
		}
		if json.Unmarshal(d, &detail) != nil {
			continue
		}
		switch detail.Type {
		case "type.googleapis.com/google.rpc.ErrorInfo":
			out.Code, out.Retryable = detail.Metadata["gssCode"], detail.Metadata["retryable"] == "true"
		case "type.googleapis.com/google.rpc.RetryInfo":
			out.RetryDelay = detail.RetryDelay
		}
	}
	return json.Marshal(out)
}

// grpcName turns grpc-go's code name (NotFound) into google.rpc.Code's
// (NOT_FOUND).
func grpcName(s string) string {
	if s == "Canceled" {
		return "CANCELLED"
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}
