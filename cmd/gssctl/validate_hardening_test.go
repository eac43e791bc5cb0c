package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Regression tests for the red team's findings M8, M9 and m9 on validate,
// each against a real local HTTP(S) server.

const (
	testUser     = "admin"
	testPassword = "Sup3r-S3cret-PW"
	testSession  = "0123456789abcdef0123456789abcdef"
)

// vapiServer is a minimal vSphere REST endpoint: /api/session checks Basic
// credentials and answers a session ID; other paths go to answer, after
// the session header is checked.
func vapiServer(t *testing.T, tls bool, answer http.HandlerFunc) *httptest.Server {
	t.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/session" {
			u, p, ok := r.BasicAuth()
			if !ok || u != testUser || p != testPassword {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"error_type":"UNAUTHENTICATED","messages":[]}`)
				return
			}
			fmt.Fprintf(w, "%q", testSession)
			return
		}
		if r.Header.Get("vmware-api-session-id") != testSession {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		answer(w, r)
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv
}

func notFoundJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, `{"error_type":"NOT_FOUND","messages":[{"args":[],"default_message":"vm-9 not found","id":"x"}]}`)
}

func validateArgs(url, path string, extra ...string) []string {
	return append([]string{"validate", "--url", url, "--version", "8.0.3", "--user", testUser,
		"--api-path", path, "--expected-fault", "NotFound"}, extra...)
}

// recorder is a server that records what reached it.
type recorder struct {
	mu      sync.Mutex
	auth    []string
	session []string
	srv     *httptest.Server
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.auth = append(rec.auth, r.Header.Get("Authorization"))
		rec.session = append(rec.session, r.Header.Get("vmware-api-session-id"))
		rec.mu.Unlock()
		notFoundJSON(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *recorder) leaked() bool {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i := range rec.auth {
		if rec.auth[i] != "" || rec.session[i] != "" {
			return true
		}
	}
	return false
}

// M8: a login redirect to another port must not carry the password there.
func TestValidateLoginRedirectKeepsCredentials(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	other := newRecorder(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.srv.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	out, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
	if other.leaked() {
		t.Error("the credentials reached the redirect target")
	}
	if code != 2 || !strings.Contains(errOut, "redirected") || strings.HasPrefix(out, "ok") {
		t.Errorf("login redirect: exit %d, out %q, err %q", code, out, errOut)
	}
	if strings.Contains(out+errOut, testPassword) {
		t.Error("the password was printed")
	}
}

// M8: the checked request's redirect must not carry the session ID, and
// is not "ok".
func TestValidateRequestRedirectKeepsSession(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	other := newRecorder(t)
	srv := vapiServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.srv.URL+"/elsewhere", http.StatusFound)
	})
	out, _, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
	if other.leaked() {
		t.Error("the session ID reached the redirect target")
	}
	if code != 1 || !strings.Contains(out, "redirected to") || strings.HasPrefix(out, "ok") {
		t.Errorf("request redirect: exit %d\n%s", code, out)
	}
}

// M9: a login answer is read up to 64 KiB, however much the server sends.
func TestValidateLoginAnswerIsBounded(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat("a", 32<<10))
		w.Write([]byte(`"`))
		for i := 0; i < 32<<10; i++ { // up to 1 GiB, until the client hangs up
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
	if code != 2 || !strings.Contains(errOut, "larger than 65536 bytes") {
		t.Errorf("endless login answer: exit %d, %q", code, errOut)
	}
}

// M9: the session ID must be a plain token; CR LF would forge a header.
func TestValidateRejectsBadSessionID(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	for _, answer := range []string{`"abc\r\nX-Injected: 1"`, `""`, `{"value": 7}`, `"` + strings.Repeat("a", 2000) + `"`, `not json`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, answer)
		}))
		_, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
		srv.Close()
		if code != 2 || !strings.Contains(errOut, "log in") {
			t.Errorf("login answer %.30q: exit %d, %q", answer, code, errOut)
		}
	}
}

// m9: the password from $GSSCTL_PASSWORD or standard input; --password
// works but warns; none is a usage error; it is never printed.
func TestValidatePasswordSources(t *testing.T) {
	srv := vapiServer(t, false, notFoundJSON)
	args := validateArgs(srv.URL, "/api/vcenter/vm/vm-9")

	t.Setenv(passwordEnv, "")
	_, errOut, code := gssctl(t, args...)
	if code != 2 || !strings.Contains(errOut, passwordEnv) {
		t.Errorf("no password: exit %d, %q", code, errOut)
	}

	out, errOut, code := gssctlIn(t, testPassword+"\n", append(args, "--password-stdin")...)
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Errorf("--password-stdin: exit %d %q %q", code, out, errOut)
	}

	out, errOut, code = gssctl(t, append(args, "--password", testPassword)...)
	if code != 0 || !strings.Contains(errOut, "warning: --password is visible") {
		t.Errorf("--password: exit %d %q %q", code, out, errOut)
	}
	if strings.Contains(out+errOut, testPassword) {
		t.Error("--password was echoed")
	}

	t.Setenv(passwordEnv, testPassword)
	out, errOut, code = gssctl(t, args...)
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Errorf("$%s: exit %d %q %q", passwordEnv, code, out, errOut)
	}
	// Basic credentials over http:// warn.
	if !strings.Contains(errOut, "http:// URL unencrypted") {
		t.Errorf("no warning for a password over http://: %q", errOut)
	}
	_, _, code = gssctlIn(t, "x\n", append(args, "--password-stdin", "--password", "y")...)
	if code != 2 {
		t.Errorf("--password with --password-stdin: exit %d, want 2", code)
	}
}

// m9: a non-http(s) URL, or one with credentials in it, is never echoed
// with its password.
func TestValidateNeverEchoesURLPassword(t *testing.T) {
	for _, u := range []string{"ftp://admin:" + testPassword + "@vc.example.test/", "https://admin:" + testPassword + "@vc.example.test",
		"https://admin:" + testPassword + "@vc.example.test:bad port/", "admin:" + testPassword + "@vc.example.test"} {
		_, errOut, code := gssctl(t, "validate", "--url", u, "--version", "8.0.3", "--api-path", "/a", "--expected-fault", "NotFound")
		if code != 2 || strings.Contains(errOut, testPassword) {
			t.Errorf("--url %q: exit %d, stderr %q", u, code, errOut)
		}
	}
}

// m9: control characters from the server are escaped before printing.
func TestValidateEscapesServerText(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	srv := vapiServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		fmt.Fprint(w, `{"error_type":"NOT_FOUND","messages":[{"default_message":"\u001b]0;pwned\u0007\u001b[2K\rok: all good \u202e","id":"x"}]}`)
	})
	out, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
	if code != 1 {
		t.Errorf("exit %d, want 1 (status 409, not 404)", code)
	}
	for _, c := range []string{"\x1b", "\r", "\x07", "\u202e"} {
		if strings.Contains(out+errOut, c) {
			t.Errorf("output holds %q:\n%q", c, out)
		}
	}
	if !strings.Contains(out, `\x1b]0;pwned`) {
		t.Errorf("the message is not shown escaped:\n%s", out)
	}
}

// m9: --api-path's query is sent as the query.
func TestValidateAPIPathQuery(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	var gotPath, gotQuery string
	srv := vapiServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery = r.URL.Path, r.URL.RawQuery
		notFoundJSON(w, r)
	})
	out, _, code := gssctl(t, validateArgs(srv.URL+"/", "/api/vcenter/vm?names=vm-1&power_states=POWERED_ON")...)
	if code != 0 || gotPath != "/api/vcenter/vm" || gotQuery != "names=vm-1&power_states=POWERED_ON" {
		t.Errorf("exit %d; server got path %q query %q\n%s", code, gotPath, gotQuery, out)
	}
}

// m9: an HTML 404 from a proxy is not a vSphere answer, whatever its status.
func TestValidateNonVSphereAnswer(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	srv := vapiServer(t, true, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><body><h1>404 Not Found</h1>nginx</body></html>")
	})
	out, _, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9", "--insecure")...)
	if code != 1 || strings.HasPrefix(out, "ok") || !strings.Contains(out, "not a vSphere error answer (HTTP 404, text/html)") {
		t.Errorf("HTML 404: exit %d\n%s", code, out)
	}
}

// m9 (and m8 of ParseResponse): a client timeout in the middle of the body
// is reported as such, not "ok".
func TestValidateTimeoutMidBody(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	release := make(chan struct{})
	srv := vapiServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error_type":"NOT_FOUND",`)
		w.(http.Flusher).Flush()
		select { // the rest never comes, until the test ends
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	out, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9", "--timeout", "300ms")...)
	if code != 2 || strings.HasPrefix(out, "ok") || !strings.Contains(errOut, "reading the answer") || !strings.Contains(errOut, "Timeout") {
		t.Errorf("timeout mid-body: exit %d, out %q, err %q", code, out, errOut)
	}
}

// validate closes the session it opened (DELETE /api/session with its ID),
// so that checks run from CI leave no sessions open on vCenter.
func TestValidateClosesItsSession(t *testing.T) {
	t.Setenv(passwordEnv, testPassword)
	var mu sync.Mutex
	var closed []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/session" && r.Method == http.MethodPost:
			fmt.Fprintf(w, "%q", testSession)
		case r.URL.Path == "/api/session" && r.Method == http.MethodDelete:
			mu.Lock()
			closed = append(closed, r.Header.Get("vmware-api-session-id"))
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		default:
			notFoundJSON(w, r)
		}
	}))
	defer srv.Close()
	out, errOut, code := gssctl(t, validateArgs(srv.URL, "/api/vcenter/vm/vm-9")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(closed) != 1 || closed[0] != testSession {
		t.Errorf("sessions closed: %q, want the one opened", closed)
	}
}
