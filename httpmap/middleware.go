package httpmap

import (
	"net/http"

	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/statusconv"
)

// Middleware recovers panics in next and answers them with a 500 fault
// (generic message; the value goes only to WithPanicHandler). The
// http.ErrAbortHandler panic, which net/http uses to abort a response, is
// passed on.
func Middleware(next http.Handler, opts ...Option) http.Handler {
	c := newConfig(opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer c.recoverInto(w, r)
		next.ServeHTTP(w, r)
	})
}

// Handler adapts a handler that returns an error: a non-nil error is
// written with [WriteError] and the options, a panic as in [Middleware].
func Handler(fn func(w http.ResponseWriter, r *http.Request) error, opts ...Option) http.Handler {
	c := newConfig(opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer c.recoverInto(w, r)
		if err := fn(w, r); err != nil {
			c.write(w, err)
		}
	})
}

func (c *config) recoverInto(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errwalk.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	if c.onPanic != nil {
		c.onPanic(r, v)
	}
	c.write(w, statusconv.Panic(c.reg, v))
}
