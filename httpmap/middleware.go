package httpmap

import (
	"net/http"
	"runtime/debug"

	"github.com/gssfault/gssfault/internal/errwalk"
)

// Middleware recovers panics in next and answers them with a 500 fault
// (generic message; the value and stack go only to the policy's OnPanic),
// written as [WriteError] writes it. When next had already started its
// answer (headers sent), nothing is appended to it: the panic is re-raised
// as http.ErrAbortHandler, so net/http aborts the connection and the client
// sees a failed answer, never a corrupt one. An http.ErrAbortHandler panic
// of next's own is passed on as it is.
func Middleware(next http.Handler, opts ...Option) http.Handler {
	c := newConfig(opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer c.recoverInto(tw, r)
		next.ServeHTTP(tw, r)
	})
}

// Handler adapts a handler that returns an error: a non-nil error is
// written with [WriteError] and the options (unless the handler had
// already started its answer: the error is then dropped, since nothing can
// be written), a panic as in [Middleware].
func Handler(fn func(w http.ResponseWriter, r *http.Request) error, opts ...Option) http.Handler {
	c := newConfig(opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer c.recoverInto(tw, r)
		if err := fn(tw, r); err != nil && !tw.started {
			c.write(tw, r, err)
		}
	})
}

func (c *config) recoverInto(w *trackingWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errwalk.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	if c.policy.OnPanic != nil {
		c.policy.OnPanic(r.Context(), v, debug.Stack())
	}
	if w.started {
		panic(http.ErrAbortHandler)
	}
	c.write(w, r, c.policy.Panic(v))
}

// trackingWriter records whether the answer was started. Unwrap gives
// http.ResponseController the writer underneath (Flush, Hijack, deadlines).
type trackingWriter struct {
	http.ResponseWriter
	started bool
}

func (w *trackingWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *trackingWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Flush starts the answer and flushes it, when the writer underneath can.
func (w *trackingWriter) Flush() {
	w.started = true
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the writer underneath, for http.ResponseController.
func (w *trackingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
