package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
)

func validateCmd() *command {
	return &command{
		name:  "validate",
		args:  "--url URL --version V --api-path P --expected-fault F [--expected-status N] [--method M] [--insecure]",
		short: "check a live vSphere REST endpoint's fault and status against the table",
		long: `validate sends one request to a vSphere REST endpoint, reads the error
answer with httpmap.ParseResponse, and checks that the fault type is
--expected-fault and the HTTP status is what the per-version table gives for
that fault on --version (or --expected-status when given). It logs in first
with --user and --password (POST /api/session, falling back to
/rest/com/vmware/cis/session). On a mismatch it prints a diff and exits 1.`,
		flags: func(fs *flag.FlagSet) {
			fs.String("url", "", "the endpoint's base `URL`, e.g. https://vcenter.example.test")
			fs.String("version", "", "the vSphere `VERSION` the endpoint runs (8.0.3, 7.0 U3, ...)")
			fs.String("api-path", "", "the `PATH` to request, e.g. /api/vcenter/vm/vm-9999")
			fs.String("method", "GET", "the HTTP `METHOD`")
			fs.String("body", "", "a JSON request `BODY`")
			fs.String("expected-fault", "", "the fault `TYPE` the answer must carry, e.g. NotFound")
			fs.Int("expected-status", 0, "the HTTP `STATUS` expected; 0 means the table's for the fault and version")
			fs.String("user", "", "log in as `USER` first")
			fs.String("password", "", "the user's `PASSWORD`")
			fs.Bool("insecure", false, "skip TLS certificate verification")
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
}

func runValidate(ctx context.Context, e *env, fs *flag.FlagSet) error {
	if fs.NArg() != 0 {
		return badUsage("validate takes flags only")
	}
	base, path, faultType := flagString(fs, "url"), flagString(fs, "api-path"), flagString(fs, "expected-fault")
	if base == "" || path == "" || faultType == "" || flagString(fs, "version") == "" {
		return badUsage("--url, --version, --api-path and --expected-fault are required")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return badUsage("--url %q is not an http(s) URL", base)
	}
	v, err := flagVersion(fs)
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
	target := httpmap.Target{Version: v, CertificateVerification: true, NamespaceQuotas: true}
	m := httpmap.Map(faults.FromEntry(entry, "", nil), target)
	wantStatus := flagInt(fs, "expected-status")
	if wantStatus == 0 {
		wantStatus = m.Status
	}
	wantFault := m.Fault.FaultType() // as that version reports it

	client := &http.Client{Timeout: 30 * time.Second}
	if flagBool(fs, "insecure") {
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // asked for with --insecure
	}
	session := ""
	if user := flagString(fs, "user"); user != "" {
		if session, err = login(ctx, client, u, user, flagString(fs, "password")); err != nil {
			return err
		}
	}
	target2 := *u
	target2.Path = strings.TrimSuffix(u.Path, "/") + path
	var body *strings.Reader
	if b := flagString(fs, "body"); b != "" {
		body = strings.NewReader(b)
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequestWithContext(ctx, flagString(fs, "method"), target2.String(), body)
	if err != nil {
		return badUsage("bad request: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	if body.Len() > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	if session != "" {
		req.Header.Set("vmware-api-session-id", session)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("request %s: %w", target2.Redacted(), err)
	}
	res := validateResult{Version: v.String(), ExpectedFault: wantFault, ExpectedStatus: wantStatus, ActualStatus: resp.StatusCode}
	f, err := httpmap.ParseResponse(resp, httpmap.WithPolicy(faults.Policy{Registry: reg}))
	if err != nil {
		return err
	}
	if f != nil {
		res.ActualFault, res.ActualCode, res.Message = f.FaultType(), string(f.Code()), f.Message()
	}
	res.Match = res.ActualFault == wantFault && res.ActualStatus == wantStatus
	if flagBool(fs, "json") {
		if err := writeJSON(e.stdout, res); err != nil {
			return err
		}
	} else if res.Match {
		fmt.Fprintf(e.stdout, "ok: %s %s answered %d %s, as vSphere %s does\n", req.Method, path, res.ActualStatus, res.ActualFault, res.Version)
	} else {
		fmt.Fprintf(e.stdout, "mismatch: %s %s on vSphere %s\n", req.Method, path, res.Version)
		fmt.Fprintf(e.stdout, "- fault type: %s\n+ fault type: %s\n", wantFault, orNone(res.ActualFault))
		fmt.Fprintf(e.stdout, "- HTTP status: %d\n+ HTTP status: %d\n", wantStatus, res.ActualStatus)
	}
	if !res.Match {
		return errSilent
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none: the request succeeded)"
	}
	return s
}

// login opens a vAPI session: POST /api/session (vSphere 7.0+), else the
// older /rest/com/vmware/cis/session.
func login(ctx context.Context, client *http.Client, base *url.URL, user, password string) (string, error) {
	for _, p := range []string{"/api/session", "/rest/com/vmware/cis/session"} {
		u := *base
		u.Path = strings.TrimSuffix(base.Path, "/") + p
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.SetBasicAuth(user, password)
		resp, err := client.Do(req)
		if err != nil {
			return "", fmt.Errorf("log in at %s: %w", u.Redacted(), err)
		}
		if resp.StatusCode == http.StatusNotFound {
			resp.Body.Close()
			continue
		}
		if resp.StatusCode >= 300 {
			f, _ := httpmap.ParseResponse(resp)
			return "", fmt.Errorf("log in at %s: %w", u.Redacted(), f)
		}
		var v any
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil {
			return "", fmt.Errorf("log in at %s: %w", u.Redacted(), err)
		}
		switch x := v.(type) {
		case string: // /api/session
			return x, nil
		case map[string]any: // /rest: {"value": "..."}
			if s, ok := x["value"].(string); ok {
				return s, nil
			}
		}
		return "", fmt.Errorf("log in at %s: no session ID in the answer", u.Redacted())
	}
	return "", fmt.Errorf("log in: no session endpoint at %s", base.Redacted())
}
