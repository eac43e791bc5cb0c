package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

// passwordEnv is the environment variable validate reads the password
// from.
const passwordEnv = "GSSCTL_PASSWORD"

// Bounds of validate's reads.
const (
	maxLoginAnswer = 64 << 10             // the session endpoint's answer
	maxAnswer      = httpmap.MaxBodyBytes // the checked request's answer
	maxSessionID   = 1024
	maxPassword    = 4 << 10 // a password read from standard input
)

func validateCmd() *command {
	return &command{
		name:  "validate",
		args:  "--url URL --version V --api-path P --expected-fault F [--expected-status N] [--method M] [--user U [--password-stdin]] [--insecure]",
		short: "check a live vSphere REST endpoint's fault and status against the table",
		long: `validate sends one request to a vSphere REST endpoint, reads the error
answer with httpmap's parser, and checks that the fault type is
--expected-fault and the HTTP status is what the per-version table gives for
that fault on --version (or --expected-status when given). With --user it
logs in first (POST /api/session, falling back to
/rest/com/vmware/cis/session), sends the session ID with the request, and
closes the session (DELETE) when done.

The password comes from the GSSCTL_PASSWORD environment variable or, with
--password-stdin, from the first line of standard input; --password still
works but shows the password to every user of the machine (ps,
/proc/PID/cmdline) and warns. It is never printed.

Safety: redirects are never followed (a request carries credentials or the
session ID; a redirect is reported), answers are read with limits (64 KiB
for the login, 1 MiB for the checked request) and within --timeout, the
session ID must be a plain token, --insecure and a password over http://
warn, and text from the server is printed with control characters escaped.

An answer that carries no vSphere or gssfault error body (an HTML page from
a proxy, a redirect, a success) is "not a vSphere error answer": a
mismatch. Exit status: 0 on a match, 1 on a mismatch, 2 when the check
could not be made (usage, network, TLS, login, timeout).`,
		flags: func(fs *flag.FlagSet) {
			fs.String("url", "", "the endpoint's base `URL`, e.g. https://vcenter.example.test (no user or password in it)")
			fs.String("version", "", "the vSphere `VERSION` the endpoint runs (8.0.3, 7.0 U3, ...)")
			fs.String("api-path", "", "the `PATH` to request, with an optional ?query, e.g. /api/vcenter/vm?names=vm-1")
			fs.String("method", "GET", "the HTTP `METHOD`")
			fs.String("body", "", "a JSON request `BODY`")
			fs.String("expected-fault", "", "the fault `TYPE` the answer must carry, e.g. NotFound")
			fs.Int("expected-status", 0, "the HTTP `STATUS` expected; 0 means the table's for the fault and version")
			fs.String("user", "", "log in as `USER` first; the password comes from $GSSCTL_PASSWORD or --password-stdin")
			fs.Bool("password-stdin", false, "read the password from the first line of standard input")
			fs.String("password", "", "the user's `PASSWORD` (discouraged: visible to other users; use $GSSCTL_PASSWORD or --password-stdin)")
			fs.Bool("insecure", false, "skip TLS certificate verification (warns)")
			fs.Duration("timeout", 30*time.Second, "give up on each request after `DURATION`, reading its answer included")
			fs.Bool("json", false, "print the result as JSON")
		},
		run: runValidate,
	}
}

type validateResult struct {
	Match          bool   `json:"match"`
	Version        string `json:"version"`
	ExpectedFault  string `json:"expectedFault"`
	ActualFault    string `json:"actualFault"`
	ActualCode     string `json:"actualCode"`
	ExpectedStatus int    `json:"expectedStatus"`
	ActualStatus   int    `json:"actualStatus"`
	Message        string `json:"message,omitempty"`
	// Problem says why the answer could not be compared: "not a vSphere
	// error answer ...", "redirected to ...", "the request succeeded".
	Problem string `json:"problem,omitempty"`
}

func runValidate(ctx context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 0 {
		return badUsage("validate takes flags only")
	}
	rawURL, path, faultType := flagString(fs, "url"), flagString(fs, "api-path"), flagString(fs, "expected-fault")
	if rawURL == "" || path == "" || faultType == "" || flagString(fs, "version") == "" {
		return badUsage("--url, --version, --api-path and --expected-fault are required")
	}
	base, err := parseBaseURL(rawURL)
	if err != nil {
		return err
	}
	target, err := joinAPIPath(base, path)
	if err != nil {
		return err
	}
	v, err := flagVersion(fs)
	if err != nil {
		return err
	}
	timeout := fs.Lookup("timeout").Value.(flag.Getter).Get().(time.Duration)
	if timeout <= 0 {
		return badUsage("--timeout must be positive")
	}
	user := flagString(fs, "user")
	password, err := readPassword(e, fs, user)
	if err != nil {
		return err
	}
	reg, err := e.registry()
	if err != nil {
		return err
	}
	entry, ok := reg.ByFaultType(faultType)
	if !ok {
		return badUsage("--expected-fault %q is not a fault type of the catalog", faultType)
	}
	a := answerOn(entry, "", httpmap.Target{Version: v, CertificateVerification: true, NamespaceQuotas: true})
	wantStatus := flagInt(fs, "expected-status")
	if wantStatus == 0 {
		wantStatus = a.Status
	}
	wantFault := entry.FaultType // as that version reports it
	if a.ReportedAs != "" {
		wantFault = a.ReportedAs
	}

	if flagBool(fs, "insecure") {
		fmt.Fprintln(e.stderr, "gssctl: warning: --insecure: the server's certificate is not verified; anyone on the path can read the password and session")
	}
	if user != "" && base.Scheme == "http" {
		fmt.Fprintln(e.stderr, "gssctl: warning: the password goes to an http:// URL unencrypted")
	}
	client := newValidateClient(flagBool(fs, "insecure"), timeout)
	session := ""
	if user != "" {
		var endpoint *url.URL
		if session, endpoint, err = login(ctx, client, base, user, password); err != nil {
			return err
		}
		defer logout(client, endpoint, session, timeout)
	}
	var body io.Reader = http.NoBody
	if b := flagString(fs, "body"); b != "" {
		body = strings.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, flagString(fs, "method"), target.String(), body)
	if err != nil {
		return badUsage("bad request: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != http.NoBody {
		req.Header.Set("Content-Type", "application/json")
	}
	if session != "" {
		req.Header.Set("vmware-api-session-id", session)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("request %s: %w", target.Redacted(), err)
	}
	answer, err := readAnswer(resp, maxAnswer)
	if err != nil {
		return fmt.Errorf("request %s: reading the answer: %w", target.Redacted(), err)
	}
	res := validateResult{Version: v.String(), ExpectedFault: wantFault, ExpectedStatus: wantStatus, ActualStatus: resp.StatusCode}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res.Problem = fmt.Sprintf("redirected to %q (not followed)", redactedLocation(resp))
	case resp.StatusCode < 300:
		res.Problem = "the request succeeded"
	default:
		if _, ok := errorBodyStatus(answer); !ok {
			res.Problem = fmt.Sprintf("not a vSphere error answer (HTTP %d, %s)", resp.StatusCode, contentType(resp))
			break
		}
		resp.Body = io.NopCloser(bytes.NewReader(answer))
		f, err := parseResponse(reg, resp)
		if err != nil {
			return err
		}
		res.ActualFault, res.ActualCode, res.Message = f.FaultType(), string(f.Code()), f.Message()
	}
	res.Match = res.Problem == "" && res.ActualFault == wantFault && res.ActualStatus == wantStatus
	if err := printValidate(e, fs, req.Method, target, res); err != nil {
		return err
	}
	if !res.Match {
		return noResult(nil)
	}
	return nil
}

func printValidate(e *env, fs *flag.FlagSet, method string, target *url.URL, res validateResult) error {
	if flagBool(fs, "json") {
		return writeJSON(e.stdout, res)
	}
	shown := target.RequestURI()
	var b strings.Builder
	switch {
	case res.Match:
		fmt.Fprintf(&b, "ok: %s %s answered %d %s, as vSphere %s does\n", method, shown, res.ActualStatus, res.ActualFault, res.Version)
	case res.Problem != "":
		fmt.Fprintf(&b, "mismatch: %s %s on vSphere %s: %s\n", method, shown, res.Version, res.Problem)
		fmt.Fprintf(&b, "- fault type: %s\n- HTTP status: %d\n+ HTTP status: %d\n", res.ExpectedFault, res.ExpectedStatus, res.ActualStatus)
	default:
		fmt.Fprintf(&b, "mismatch: %s %s on vSphere %s\n", method, shown, res.Version)
		fmt.Fprintf(&b, "- fault type: %s\n+ fault type: %s\n", res.ExpectedFault, res.ActualFault)
		fmt.Fprintf(&b, "- HTTP status: %d\n+ HTTP status: %d\n", res.ExpectedStatus, res.ActualStatus)
	}
	if res.Message != "" && !res.Match {
		fmt.Fprintf(&b, "  message: %s\n", oneLineText(res.Message, 300))
	}
	return writeOut(e.stdout, sanitizeLines(b.String()))
}

// sanitizeLines escapes control characters on each line of s, keeping the
// line breaks.
func sanitizeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// parseBaseURL checks --url without ever echoing a password it may hold.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, badUsage("--url cannot be parsed (not shown: it may hold a password)")
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.Opaque != "" {
		return nil, badUsage("--url is not an http(s) URL (not shown: it may hold a password)")
	}
	if u.User != nil {
		return nil, badUsage("--url %q holds credentials: give the user with --user and the password in $%s or with --password-stdin", u.Redacted(), passwordEnv)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, badUsage("--url %q: the base URL takes no query or fragment; put a query in --api-path", u.Redacted())
	}
	return u, nil
}

// joinAPIPath appends --api-path, whose query (after '?') is sent as the
// request's query.
func joinAPIPath(base *url.URL, apiPath string) (*url.URL, error) {
	p, err := url.Parse(apiPath)
	if err != nil || p.Scheme != "" || p.Host != "" || p.User != nil || !strings.HasPrefix(apiPath, "/") {
		return nil, badUsage("--api-path %q must be a path starting with /, with an optional ?query", apiPath)
	}
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + p.Path
	u.RawPath = ""
	if p.RawPath != "" {
		u.RawPath = strings.TrimSuffix(base.EscapedPath(), "/") + p.RawPath
	}
	u.RawQuery = p.RawQuery
	u.Fragment = ""
	return &u, nil
}

// readPassword returns the password for user: from --password-stdin, from
// --password (with a warning), or from $GSSCTL_PASSWORD.
func readPassword(e *env, fs *flag.FlagSet, user string) (string, error) {
	fromStdin, flagPW := flagBool(fs, "password-stdin"), flagString(fs, "password")
	if user == "" {
		if fromStdin || flagPW != "" {
			return "", badUsage("a password without --user")
		}
		return "", nil
	}
	switch {
	case fromStdin && flagPW != "":
		return "", badUsage("--password and --password-stdin together")
	case fromStdin:
		r := bufio.NewReaderSize(io.LimitReader(e.stdin, maxPassword+1), 512)
		line, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from standard input: %w", err)
		}
		if len(line) > maxPassword {
			return "", fmt.Errorf("the password on standard input is longer than %d bytes", maxPassword)
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", badUsage("--password-stdin: standard input holds no password")
		}
		return pw, nil
	case flagPW != "":
		fmt.Fprintf(e.stderr, "gssctl: warning: --password is visible to every user of this machine; use $%s or --password-stdin\n", passwordEnv)
		return flagPW, nil
	}
	if pw := os.Getenv(passwordEnv); pw != "" {
		return pw, nil
	}
	return "", badUsage("--user %s needs a password: set $%s or use --password-stdin", user, passwordEnv)
}

// newValidateClient is an HTTP client that follows no redirect: every
// request validate sends carries a password or a session ID.
func newValidateClient(insecure bool, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for with --insecure, which warns
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// readAnswer reads at most max bytes of resp's body and closes it. An
// answer cut by the limit is not an error (the parser reads what came); a
// read error (a timeout mid-body, a reset) is.
func readAnswer(resp *http.Response, max int64) ([]byte, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, max))
	if err != nil {
		return nil, err
	}
	return b, nil
}

func contentType(resp *http.Response) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return "no content type"
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return "content type " + ct
}

// redactedLocation is a redirect's target without credentials.
func redactedLocation(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return "(no valid Location)"
	}
	return loc.Redacted()
}

// login opens a vAPI session: POST /api/session (vSphere 7.0+), else the
// older /rest/com/vmware/cis/session. It follows no redirect, reads at
// most 64 KiB of the answer, and accepts only a plain session ID.
func login(ctx context.Context, client *http.Client, base *url.URL, user, password string) (string, *url.URL, error) {
	for _, p := range []string{"/api/session", "/rest/com/vmware/cis/session"} {
		u := *base
		u.Path = strings.TrimSuffix(base.Path, "/") + p
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
		if err != nil {
			return "", nil, err
		}
		req.SetBasicAuth(user, password)
		resp, err := client.Do(req)
		if err != nil {
			return "", nil, fmt.Errorf("log in at %s: %w", u.Redacted(), err)
		}
		answer, rerr := readAnswer(resp, maxLoginAnswer+1)
		switch {
		case rerr != nil:
			return "", nil, fmt.Errorf("log in at %s: reading the answer: %w", u.Redacted(), rerr)
		case resp.StatusCode == http.StatusNotFound:
			continue
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			return "", nil, fmt.Errorf("log in at %s: redirected to %q; not followed with credentials", u.Redacted(), redactedLocation(resp))
		case resp.StatusCode >= 400:
			f, _ := httpmap.ParseBody(resp.StatusCode, answer)
			return "", nil, fmt.Errorf("log in at %s: HTTP %d: %s", u.Redacted(), resp.StatusCode, faultSummary(f))
		case len(answer) > maxLoginAnswer:
			return "", nil, fmt.Errorf("log in at %s: the answer is larger than %d bytes", u.Redacted(), maxLoginAnswer)
		}
		id, err := sessionID(answer)
		if err != nil {
			return "", nil, fmt.Errorf("log in at %s: %w", u.Redacted(), err)
		}
		return id, &u, nil
	}
	return "", nil, fmt.Errorf("log in: no session endpoint at %s", base.Redacted())
}

// logout closes the session login opened (DELETE on the endpoint that
// gave it), so that repeated checks leave no sessions behind on vCenter.
// It is best effort, within timeout, even after the check's context ended.
func logout(client *http.Client, endpoint *url.URL, session string, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, endpoint.String(), nil)
	if err != nil {
		return
	}
	req.Header.Set("vmware-api-session-id", session)
	if resp, err := client.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxLoginAnswer))
		resp.Body.Close()
	}
}

func faultSummary(f *faults.Error) string {
	if f == nil {
		return "no fault"
	}
	return f.FaultType() + ": " + oneLineText(f.Message(), 200)
}

// sessionID reads the session ID from a login answer: a JSON string
// (/api/session) or {"value": "..."} (/rest). It must be a plain token
// (letters, digits and -._~+/=:), at most 1024 bytes, so that it cannot
// smuggle anything into a header.
func sessionID(answer []byte) (string, error) {
	var v any
	if err := json.Unmarshal(answer, &v); err != nil {
		return "", fmt.Errorf("the answer is not JSON: %w", err)
	}
	var id string
	switch x := v.(type) {
	case string: // /api/session
		id = x
	case map[string]any: // /rest: {"value": "..."}
		id, _ = x["value"].(string)
	}
	if id == "" {
		return "", errors.New("no session ID in the answer")
	}
	if len(id) > maxSessionID {
		return "", fmt.Errorf("the session ID is longer than %d bytes", maxSessionID)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(isWordByte(c) || strings.IndexByte("-.~+/=:", c) >= 0) {
			return "", fmt.Errorf("the session ID holds %q, which a session ID does not", rune(c))
		}
	}
	return id, nil
}
