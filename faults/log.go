package faults

import "log/slog"

// LogValue makes a fault log as a group through [log/slog]: code,
// faultType, message, retryable, impact, and, when set, op, object,
// requestID, duration, retryDelay and the metadata (as a nested "metadata"
// group). The cause is not included, because its text may be long or
// sensitive: log it explicitly when wanted, for example at debug level
// with slog.Any("cause", errors.Unwrap(err)).
func (e *Error) LogValue() slog.Value {
	if e == nil {
		return slog.StringValue("<nil>")
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("code", string(e.entry.Code)),
		slog.String("faultType", e.entry.FaultType),
		slog.String("message", e.msg),
		slog.Bool("retryable", e.entry.Retryable),
		slog.String("impact", e.entry.Impact.String()),
	)
	if e.op != "" {
		attrs = append(attrs, slog.String("op", e.op))
	}
	if e.object != "" {
		attrs = append(attrs, slog.String("object", e.object))
	}
	if e.requestID != "" {
		attrs = append(attrs, slog.String("requestID", e.requestID))
	}
	if e.duration > 0 {
		attrs = append(attrs, slog.Duration("duration", e.duration))
	}
	if d := e.RetryDelay(); d > 0 {
		attrs = append(attrs, slog.Duration("retryDelay", d))
	}
	if len(e.meta) > 0 {
		m := make([]any, 0, len(e.meta))
		for _, f := range e.meta {
			m = append(m, slog.String(f.Key, f.Value))
		}
		attrs = append(attrs, slog.Group("metadata", m...))
	}
	return slog.GroupValue(attrs...)
}
