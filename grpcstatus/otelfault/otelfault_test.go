package otelfault_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus/otelfault"
)

// fakeMeter hands out a counter that records what is added to it.
type fakeMeter struct {
	metricnoop.Meter
	counter *fakeCounter
}

func (m *fakeMeter) Int64Counter(name string, _ ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	m.counter = &fakeCounter{name: name}
	return m.counter, nil
}

type fakeCounter struct {
	metricnoop.Int64Counter
	name string
	mu   sync.Mutex
	adds []attribute.Set
}

func (c *fakeCounter) Add(_ context.Context, n int64, opts ...metric.AddOption) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cfg := metric.NewAddConfig(opts)
	for i := int64(0); i < n; i++ {
		c.adds = append(c.adds, cfg.Attributes())
	}
}

// fakeSpan is a recording span that keeps its errors and status.
type fakeSpan struct {
	tracenoop.Span
	errs   []error
	attrs  []attribute.KeyValue
	status otelcodes.Code
}

func (s *fakeSpan) IsRecording() bool { return true }
func (s *fakeSpan) RecordError(err error, opts ...trace.EventOption) {
	s.errs = append(s.errs, err)
	cfg := trace.NewEventConfig(opts...)
	s.attrs = append(s.attrs, cfg.Attributes()...)
}
func (s *fakeSpan) SetStatus(c otelcodes.Code, _ string)   { s.status = c }
func (s *fakeSpan) SetAttributes(kv ...attribute.KeyValue) {}

func TestObserve(t *testing.T) {
	m := &fakeMeter{}
	rec, err := otelfault.New(m)
	if err != nil {
		t.Fatal(err)
	}
	span := &fakeSpan{}
	ctx := trace.ContextWithSpan(context.Background(), span)
	// The message and the cause may carry secrets (red team m10).
	f := faults.Wrap(errors.New("Post https://admin:s3cr3t@vc/sdk: timeout"), codes.HostNotReachable, "esx-01 token=s3cr3t").(*faults.Error).WithRequestID("req-1")
	rec.Observe(ctx, f)
	rec.Observe(context.Background(), faults.New(codes.NotFound, ""))
	rec.Observe(ctx, nil)
	if m.counter.name != otelfault.MetricName || len(m.counter.adds) != 2 {
		t.Fatalf("counter %q got %d adds, want 2", m.counter.name, len(m.counter.adds))
	}
	first := m.counter.adds[0]
	for k, want := range map[attribute.Key]attribute.Value{
		otelfault.KeyCode: attribute.StringValue("GSS-VSP-023"), otelfault.KeyFaultType: attribute.StringValue("HostNotReachable"),
		otelfault.KeyRetryable: attribute.BoolValue(true), otelfault.KeyImpact: attribute.StringValue("critical"),
	} {
		if v, ok := first.Value(k); !ok || v != want {
			t.Errorf("attribute %s = %v, want %v", k, v.String(), want.String())
		}
	}
	if len(span.errs) != 1 || span.errs[0].Error() != "GSS-VSP-023 HostNotReachable" || span.status != otelcodes.Error {
		t.Errorf("span: errs %v status %v; want the code and fault type only", span.errs, span.status)
	}
	found := false
	for _, a := range span.attrs {
		if a.Key == otelfault.KeyRequestID && a.Value.AsString() == "req-1" {
			found = true
		}
	}
	if !found {
		t.Error("the span event lacks the request ID")
	}
	if _, err := otelfault.New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	var nilRec *otelfault.Recorder
	nilRec.Observe(ctx, f) // must not panic
}
