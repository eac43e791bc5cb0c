package httpmap_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

func TestMiddlewareRecoversPanics(t *testing.T) {
	var got any
	h := httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret panic") }),
		httpmap.WithPolicy(faults.Policy{OnPanic: func(_ context.Context, v any, _ []byte) { got = v }}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || got != "secret panic" {
		t.Errorf("panic: %d %s, handler got %v", rec.Code, rec.Body, got)
	}
	// Nothing vSphere-specific for the service's own panic (issue 15).
	if strings.Contains(rec.Body.String(), "SystemError") || strings.Contains(rec.Body.String(), "broadcom") {
		t.Errorf("a panic answered as a vSphere fault: %s", rec.Body)
	}
	h = httpmap.Handler(func(http.ResponseWriter, *http.Request) error { return faults.New(codes.NotFound, "no vm") })
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 404 {
		t.Errorf("Handler: %d", rec.Code)
	}
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("ErrAbortHandler was not passed on: %v", v)
		}
	}()
	httpmap.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

// TestMiddlewareAbortsStartedAnswers: a handler that panics after it began
// its answer gets the connection aborted, as net/http does without the
// middleware; the client sees a failed read, never JSON appended to a 200
// (red team M10). A real server and client.
func TestMiddlewareAbortsStartedAnswers(t *testing.T) {
	srv := httptest.NewServer(httpmap.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"items":[1,2,`)
		w.(http.Flusher).Flush()
		panic("half way")
	})))
	defer srv.Close()
	srv.Config.ErrorLog = nil
	resp, err := http.Get(srv.URL)
	if err != nil {
		return // aborted before the headers arrived: fine
	}
	b, err := io.ReadAll(resp.Body)
	if err == nil || strings.Contains(string(b), `"code"`) {
		t.Errorf("the client read %q with error %v; want a failed read and no appended error body", b, err)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) && err != nil && !strings.Contains(err.Error(), "EOF") {
		t.Logf("read error: %v", err)
	}
	// Through Handler, an error returned after the answer began is not
	// appended either.
	srv2 := httptest.NewServer(httpmap.Handler(func(w http.ResponseWriter, _ *http.Request) error {
		_, _ = io.WriteString(w, "partial")
		return faults.New(codes.NotFound, "late")
	}))
	defer srv2.Close()
	resp, err = http.Get(srv2.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	if string(b) != "partial" || resp.StatusCode != 200 {
		t.Errorf("Handler appended to a started answer: %d %q", resp.StatusCode, b)
	}
}
