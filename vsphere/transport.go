package vsphere

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
)

// RequestIDHeader is the header [Transport] reads and sets, the one
// govmomi's vAPI client sends the operation ID in.
const RequestIDHeader = "X-Request-ID"

// Transport is an [http.RoundTripper] that records, for calls made with a
// context from [Track], the request ID and the duration of each request.
// Install it with [Instrument] on govmomi's SOAP client and, separately, on
// the vAPI REST client: rest.NewClient builds its HTTP client on the SOAP
// client's underlying *http.Transport, not on a RoundTripper set on it.
//
//	vsphere.Instrument(&vimClient.Client.Client) // *vim25.Client
//	vsphere.Instrument(&restClient.Client.Client) // *rest.Client
//
// The request ID is, in order: the request's X-Request-ID header, the
// govmomi operation ID in the context (types.ID{}), else a new random ID,
// which is then sent as X-Request-ID. Transport never changes the caller's
// request: it sends a clone when it adds the header.
type Transport struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// RoundTrip sends req through Base and records what it sees on the
// request's [Call], if any.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	call, _ := req.Context().Value(callKey{}).(*Call)
	id := req.Header.Get(RequestIDHeader)
	if id == "" {
		if opID, ok := req.Context().Value(types.ID{}).(string); ok && opID != "" {
			id = opID
		} else if call != nil {
			id = newID()
		}
		if id != "" {
			req = req.Clone(req.Context())
			req.Header.Set(RequestIDHeader, id)
		}
	}
	start := time.Now()
	res, err := base.RoundTrip(req)
	if call != nil {
		call.record(id, start, time.Since(start))
	}
	return res, err
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Instrument installs a [Transport] on a govmomi client's HTTP client, in
// front of the transport it has, unless one is there already. hc is
// typically vimClient.Client.Client (the *http.Client inside the SOAP
// client); it is a no-op for nil.
func Instrument(hc *http.Client) {
	if hc == nil {
		return
	}
	if _, done := hc.Transport.(*Transport); done {
		return
	}
	hc.Transport = &Transport{Base: hc.Transport}
}

type callKey struct{}

// Call collects what [Transport] records for the requests made with one
// context: the last request ID, the number of requests and the time from
// the first request's start to the last response.
type Call struct {
	cl       *Classifier
	mu       sync.Mutex
	id       string
	first    time.Time
	last     time.Time
	requests int
}

// Track returns a context that makes [Transport] record its requests into
// the returned Call, whose Classify uses the built-in catalog.
func Track(ctx context.Context) (context.Context, *Call) { return defaultClassifier().Track(ctx) }

// Track returns a context that makes [Transport] record its requests into
// the returned Call, whose Classify uses this classifier.
func (cl *Classifier) Track(ctx context.Context) (context.Context, *Call) {
	c := &Call{cl: cl}
	return context.WithValue(ctx, callKey{}, c), c
}

func (c *Call) record(id string, start time.Time, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.requests == 0 || start.Before(c.first) {
		c.first = start
	}
	if end := start.Add(d); end.After(c.last) {
		c.last = end
	}
	if id != "" {
		c.id = id
	}
	c.requests++
}

// RequestID returns the ID of the last request recorded, or "".
func (c *Call) RequestID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

// Duration returns the time from the first recorded request's start to
// the last response, or 0 when none was recorded.
func (c *Call) Duration() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.requests == 0 {
		return 0
	}
	return c.last.Sub(c.first)
}

// Requests returns how many requests were recorded.
func (c *Call) Requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests
}

// Classify is the classifier's Classify with the call's request ID and
// duration added to the fault (unless it has its own); nil for a nil err.
func (c *Call) Classify(err error) error {
	e := c.cl.Classify(err)
	f, ok := faults.As(e)
	if !ok {
		return e
	}
	if id := c.RequestID(); id != "" && f.RequestID() == "" {
		f = f.WithRequestID(id)
	}
	if d := c.Duration(); d > 0 && f.Duration() == 0 {
		f = f.WithDuration(d)
	}
	return f
}
