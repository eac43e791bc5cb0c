// Package vcsim starts govmomi's vSphere simulator in-process for the
// tests, examples and gssctl demo: a VPX model (vCenter with hosts, VMs and
// datastores) over HTTPS on loopback, with credentials checked, the vAPI
// REST endpoints served, and the vSphere version it reports configurable.
package vcsim

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vapi/rest"
	"github.com/vmware/govmomi/vim25/soap"

	_ "github.com/vmware/govmomi/vapi/simulator" // serve the vAPI REST endpoints
)

// Default credentials of the simulator.
const (
	User     = "administrator@vsphere.local"
	Password = "Passw0rd!"
)

// Options configure [Start].
type Options struct {
	// Version is the vSphere version the simulator reports in About, for
	// example "8.0.3"; "" keeps vcsim's default.
	Version string
}

// Env is a running simulator.
type Env struct {
	Model  *simulator.Model
	Server *simulator.Server
	// URL is the SDK URL with the credentials in it.
	URL *url.URL
}

// Start creates a VPX model and serves it on a loopback port over TLS
// with a self-signed certificate. Close the Env when done.
func Start(opts Options) (*Env, error) {
	m := simulator.VPX()
	if opts.Version != "" {
		m.ServiceContent.About.Version = opts.Version
		m.ServiceContent.About.ApiVersion = opts.Version + ".0"
		m.ServiceContent.About.FullName = fmt.Sprintf("VMware vCenter Server %s build-0 (govmomi simulator)", opts.Version)
	}
	if err := m.Create(); err != nil {
		return nil, fmt.Errorf("vcsim: create model: %w", err)
	}
	m.Service.Listen = &url.URL{User: url.UserPassword(User, Password)}
	m.Service.TLS = new(tls.Config)
	m.Service.RegisterEndpoints = true
	s := m.Service.NewServer()
	u := *s.URL
	u.User = url.UserPassword(User, Password)
	return &Env{Model: m, Server: s, URL: &u}, nil
}

// Close stops the server and removes the model.
func (e *Env) Close() {
	e.Server.Close()
	e.Model.Remove()
}

// Context is the simulator's service context, which test code that
// manipulates the model directly needs.
func (e *Env) Context() context.Context { return e.Model.Service.Context }

// Connect logs in with the default credentials, skipping certificate
// verification (the certificate is self-signed).
func (e *Env) Connect(ctx context.Context) (*govmomi.Client, error) {
	return govmomi.NewClient(ctx, e.URL, true)
}

// ConnectAs logs in with the given user and password.
func (e *Env) ConnectAs(ctx context.Context, user, password string) (*govmomi.Client, error) {
	u := *e.URL
	u.User = url.UserPassword(user, password)
	return govmomi.NewClient(ctx, &u, true)
}

// ConnectVerifying connects with certificate verification on and the
// system's trust store, which does not trust the simulator: it fails.
func (e *Env) ConnectVerifying(ctx context.Context) (*govmomi.Client, error) {
	return govmomi.NewClient(ctx, e.URL, false)
}

// REST returns a vAPI REST client logged in through the session endpoint,
// sharing c's transport.
func (e *Env) REST(ctx context.Context, c *govmomi.Client) (*rest.Client, error) {
	rc := rest.NewClient(c.Client)
	if err := rc.Login(ctx, e.URL.User); err != nil {
		return nil, fmt.Errorf("vcsim: REST login: %w", err)
	}
	return rc, nil
}

// SOAPClient returns an unauthenticated SOAP client for the endpoint.
func (e *Env) SOAPClient() *soap.Client {
	return soap.NewClient(e.URL, true)
}
