package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"time"
)

func previewCmd() *command {
	return &command{
		name:  "preview",
		args:  "SPEC [--addr 127.0.0.1:0] [--open]",
		short: "serve an OpenAPI document as a local page of its typed error responses",
		long: `preview reads an OpenAPI 3 or Swagger 2.0 document (YAML or JSON, at most
8 MiB; "-" for standard input) and serves it on a loopback address as one
self-contained page: every operation with its error responses (4xx, 5xx,
default), their schemas and examples, each example named by the GSS code
it carries (an example keyed by code, or ErrorInfo metadata gssCode), and
the operation's x-gss-codes. A search box filters the operations; ?q=WORDS
in the URL fills it in. It prints the URL and serves until interrupted.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("addr", "127.0.0.1:0", "listen on `ADDR`, a loopback address (port 0 picks a free one)")
			fs.Bool("open", false, "open the page in the system's browser ($BROWSER or xdg-open)")
		},
		run: runPreview,
	}
}

func runPreview(ctx context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 1 {
		return badUsage("preview takes one SPEC file")
	}
	addr := flagString(fs, "addr")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return badUsage("--addr %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return badUsage("--addr %q: preview serves on a loopback address only (127.0.0.1, ::1, localhost)", addr)
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	spec, err := e.readAll(fs.Arg(0), maxSpecBytes)
	if err != nil {
		return err
	}
	page, err := renderPreview(spec, fs.Arg(0), reg)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: pageHandler(page), ReadHeaderTimeout: 10 * time.Second}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(e.stdout, "serving %s at %s (interrupt to stop)\n", fs.Arg(0), url)
	if flagBool(fs, "open") {
		openBrowser(e, url)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	case err := <-done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// pageHandler serves page at / only, with a content security policy that
// allows nothing from outside the page.
func pageHandler(page []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		w.Write(page)
	})
}

// openBrowser starts $BROWSER or xdg-open on url; a failure is reported,
// not fatal: the URL is printed anyway.
func openBrowser(e *env, url string) {
	b := os.Getenv("BROWSER")
	if b == "" {
		b = "xdg-open"
	}
	cmd := exec.Command(b, url)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(e.stderr, "gssctl: open %s: %v\n", url, err)
		return
	}
	go cmd.Wait()
}
