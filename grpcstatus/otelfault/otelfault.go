// Package otelfault counts faults and records them on traces with the
// OpenTelemetry API (metric and trace only: the SDK is the application's
// choice). Plug it into the interceptors:
//
//	rec, err := otelfault.New(otel.GetMeterProvider().Meter("gssfault"))
//	...
//	grpcstatus.UnaryServerInterceptor(grpcstatus.WithObserver(rec.Observe))
package otelfault

import (
	"context"
	"fmt"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/gssfault/gssfault/faults"
)

// MetricName is the name of the fault counter.
const MetricName = "gssfault.faults"

// Attribute keys of the counter and of the span event.
const (
	KeyCode      = attribute.Key("gss.code")
	KeyFaultType = attribute.Key("gss.fault_type")
	KeyRetryable = attribute.Key("gss.retryable")
	KeyImpact    = attribute.Key("gss.impact")
	KeyRequestID = attribute.Key("gss.request_id")
)

// Recorder counts faults by code, fault type, retryable and impact, and
// records each on the span in its context. It is safe for concurrent use.
type Recorder struct {
	count metric.Int64Counter
}

// New makes a Recorder whose counter [MetricName] comes from meter. It
// fails only if the meter refuses the instrument.
func New(meter metric.Meter) (*Recorder, error) {
	if meter == nil {
		return nil, fmt.Errorf("otelfault: nil meter")
	}
	c, err := meter.Int64Counter(MetricName,
		metric.WithDescription("Faults seen, by GSS code, fault type, retryable and impact."),
		metric.WithUnit("{fault}"))
	if err != nil {
		return nil, fmt.Errorf("otelfault: counter %s: %w", MetricName, err)
	}
	return &Recorder{count: c}, nil
}

// Observe counts f and, when ctx carries a recording span, adds an
// exception event for it (with the attributes and the request ID) and
// sets the span's status to Error. The event's message is the code and
// fault type only: neither the fault's message nor its cause is recorded,
// since they may carry credentials or server internals. It has the signature
// grpcstatus.WithObserver takes; a nil f is ignored.
func (r *Recorder) Observe(ctx context.Context, f *faults.Error) {
	if r == nil || f == nil {
		return
	}
	attrs := []attribute.KeyValue{
		KeyCode.String(string(f.Code())),
		KeyFaultType.String(f.FaultType()),
		KeyRetryable.Bool(f.Retryable()),
		KeyImpact.String(f.Impact().String()),
	}
	r.count.Add(ctx, 1, metric.WithAttributes(attrs...))
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	if id := f.RequestID(); id != "" {
		attrs = append(attrs, KeyRequestID.String(id))
	}
	// The event names the fault, never its message or cause, which may
	// carry credentials or internals (see faults.Error.LogValue).
	span.RecordError(spanFault{f}, trace.WithAttributes(attrs...))
	span.SetStatus(otelcodes.Error, string(f.Code())+" "+f.FaultType())
	span.SetAttributes(KeyCode.String(string(f.Code())), attribute.String("gss.retryable", strconv.FormatBool(f.Retryable())))
}

// spanFault is what a span records of a fault: its code and fault type.
type spanFault struct{ f *faults.Error }

func (s spanFault) Error() string { return string(s.f.Code()) + " " + s.f.FaultType() }
