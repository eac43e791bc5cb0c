package vsphere_test

import (
	"context"
	"net/http"
	"regexp"
	"testing"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/vsphere"
	"github.com/gssfault/gssfault/vsphere/release"
)

// headerSpy records the X-Request-ID header of each request it sends.
type headerSpy struct {
	base http.RoundTripper
	ids  []string
}

func (h *headerSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	h.ids = append(h.ids, req.Header.Get(vsphere.RequestIDHeader))
	return h.base.RoundTrip(req)
}

func TestTransportRecordsRequestIDAndDuration(t *testing.T) {
	ctx := context.Background()
	c, err := testEnv.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	spy := &headerSpy{base: c.Client.Client.Transport}
	c.Client.Client.Transport = spy
	vsphere.Instrument(&c.Client.Client.Client)
	vsphere.Instrument(&c.Client.Client.Client) // idempotent
	if _, ok := c.Client.Client.Transport.(*vsphere.Transport); !ok {
		t.Fatalf("Instrument did not install the transport: %T", c.Client.Client.Transport)
	}

	vm := object.NewVirtualMachine(c.Client, types.ManagedObjectReference{Type: "VirtualMachine", Value: "vm-9999"})
	tctx, call := vsphere.Track(ctx)
	_, err = vm.PowerOn(tctx)
	f := classify(call.Classify(err))
	if f.FaultType() != "ManagedObjectNotFound" {
		t.Fatalf("classified %v", f)
	}
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(f.RequestID()) {
		t.Errorf("request ID %q is not a generated ID", f.RequestID())
	}
	if len(spy.ids) == 0 || spy.ids[len(spy.ids)-1] != f.RequestID() {
		t.Errorf("the ID sent (%v) is not the ID recorded (%q)", spy.ids, f.RequestID())
	}
	if f.Duration() <= 0 || call.Requests() != 1 {
		t.Errorf("duration %v, requests %d; want > 0 and 1", f.Duration(), call.Requests())
	}

	// The govmomi operation ID in the context is used as the request ID.
	tctx, call = vsphere.Track(context.WithValue(ctx, types.ID{}, "op-1234"))
	_, err = vm.PowerOn(tctx)
	if f := classify(call.Classify(err)); f.RequestID() != "op-1234" {
		t.Errorf("request ID = %q, want the operation ID op-1234", f.RequestID())
	}

	// Without Track nothing is recorded and no header is added.
	n := len(spy.ids)
	_, _ = vm.PowerOn(ctx)
	if spy.ids[n] != "" {
		t.Errorf("an untracked call got request ID %q", spy.ids[n])
	}
	if call.Classify(nil) != nil {
		t.Error("Call.Classify(nil) != nil")
	}
}

func TestTransportOnRESTClient(t *testing.T) {
	ctx := context.Background()
	c, err := testEnv.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := testEnv.REST(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	vsphere.Instrument(&rc.Client.Client)
	u := *rc.URL()
	u.Path = "/api/vcenter/vm/vm-9999"
	req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
	tctx, call := vsphere.Track(ctx)
	f := classify(call.Classify(rc.Do(tctx, req, nil)))
	if f.FaultType() != "NotFound" || f.RequestID() == "" || f.Duration() <= 0 {
		t.Errorf("REST fault = %v, request ID %q, duration %v", f, f.RequestID(), f.Duration())
	}
}

func TestVersionOf(t *testing.T) {
	ctx := context.Background()
	c, err := testEnv.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := vsphere.VersionOf(c.Client)
	if err != nil || v != release.V803 {
		t.Errorf("VersionOf(8.0.3 simulator) = %v, %v", v, err)
	}
	env, err := vcsim.Start(vcsim.Options{Version: "7.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	c2, err := env.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := vsphere.VersionOf(c2.Client); err != nil || v != release.V70U3 {
		t.Errorf("VersionOf(7.0.3 simulator) = %v, %v", v, err)
	}
	c2.Client.ServiceContent.About.Version = "garbage"
	c2.Client.ServiceContent.About.ApiVersion = ""
	c2.Client.ServiceContent.About.FullName = "nothing here"
	if _, err := vsphere.VersionOf(c2.Client); err == nil {
		t.Error("VersionOf with a bad About succeeded")
	}
	if _, err := vsphere.VersionOf(nil); err == nil {
		t.Error("VersionOf(nil) succeeded")
	}
}
