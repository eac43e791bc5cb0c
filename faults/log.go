package faults

import "log/slog"

// LogValue makes a fault log as a group through [log/slog]: code,
// faultType, retryable, impact, and, when set, message, op, object,
// requestId, duration and retryDelay (as text such as "30s"), and the
// metadata as a nested "metadata" group. The keys are the ones the fault's
// ErrorInfo uses on the wire. The cause is left out, because its text may
// be long or sensitive: log it explicitly when wanted, for example at debug
// level with slog.Any("cause", errors.Unwrap(err)).
func (e *Error) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	f := e.fields()
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("code", string(e.ent.Code)),
		slog.String("faultType", e.ent.FaultType),
		slog.Bool("retryable", e.retryable),
		slog.String("impact", e.ent.Impact.String()),
	)
	str := func(k, v string) {
		if v != "" {
			attrs = append(attrs, slog.String(k, v))
		}
	}
	str("message", f.Message)
	str("op", f.Op)
	str("object", f.Object)
	str(metaRequestID, e.RequestID())
	if d := e.Duration(); d > 0 {
		str(metaDuration, d.String())
	}
	if d := e.RetryDelay(); d > 0 {
		str("retryDelay", d.String())
	}
	if len(f.Metadata) > 0 {
		m := make([]any, 0, len(f.Metadata))
		for _, kv := range f.Metadata {
			m = append(m, slog.String(kv.Key, kv.Value))
		}
		attrs = append(attrs, slog.Group("metadata", m...))
	}
	return slog.GroupValue(attrs...)
}
