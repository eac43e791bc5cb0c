package httpmap_test

import (
	"crypto/tls"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/vcsim"
)

// vSphere REST error bodies, as the simulator sends them, parse into the
// right faults.
func TestParseResponseFromSimulatorREST(t *testing.T) {
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // the simulator's certificate is self-signed
	base := "https://" + env.URL.Host
	do := func(method, path, body, session string) *http.Response {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if session != "" {
			req.Header.Set("vmware-api-session-id", session)
		} else {
			req.SetBasicAuth(vcsim.User, vcsim.Password)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	// Log in through the /rest session endpoint (vcsim has no POST /api/session).
	resp := do("POST", "/rest/com/vmware/cis/session", "", "")
	var sess struct{ Value string }
	if err := jsonDecode(resp, &sess); err != nil || sess.Value == "" {
		t.Fatalf("login: %v %+v", err, sess)
	}
	spec := `{"create_spec":{"name":"dup","description":"","cardinality":"SINGLE","associable_types":[]}}`
	do("POST", "/rest/com/vmware/cis/tagging/category", spec, sess.Value).Body.Close()
	resp = do("POST", "/rest/com/vmware/cis/tagging/category", spec, sess.Value)
	f, err := httpmap.ParseResponse(resp)
	var re *httpmap.ResponseError
	if v, _ := f.MetadataValue("vapiErrorType"); err != nil || f.FaultType() != "AlreadyExists" || v != "ALREADY_EXISTS" || !errors.As(f, &re) || re.StatusCode != 400 {
		t.Errorf("duplicate category: %v %v (%v)", f, f.Metadata(), err)
	}
	resp = do("GET", "/api/vcenter/vm/vm-9999", "", sess.Value)
	f, _ = httpmap.ParseResponse(resp)
	if f.FaultType() != "NotFound" {
		t.Errorf("missing VM: %v", f)
	}
	resp = do("GET", "/rest/com/vmware/cis/tagging/category", "", "bogus-session")
	f, _ = httpmap.ParseResponse(resp)
	if resp.StatusCode != 401 || f.GRPCCode().String() != "Unauthenticated" {
		t.Errorf("bad session: %d %v", resp.StatusCode, f)
	}
}
