package grpcstatus

import (
	"context"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

// Option configures the interceptors of this package.
type Option func(*config)

type config struct {
	policy   faults.Policy
	observe  func(context.Context, *faults.Error)
	declared func(fullMethod string) ([]codes.Code, bool)
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// WithPolicy sets the status policy: the registry, the classifier,
// redaction, DebugInfo, the size budget and the panic handler (see
// [faults.Policy]). httpmap.WithPolicy takes the same value, so a service
// configures its trust boundary once for gRPC and HTTP. Options after it
// may change single fields (WithClassifier).
func WithPolicy(p faults.Policy) Option {
	return func(c *config) { c.policy = p }
}

// WithClassifier sets the policy's classifier: how a server interceptor
// turns an error that holds no fault and no gRPC status into a fault,
// before context errors and the catch-all. It returns false for errors it
// does not recognise. Pass vsphere.FromError to classify govmomi errors;
// this package does not import govmomi.
func WithClassifier(classify func(error) (*faults.Error, bool)) Option {
	return func(c *config) { c.policy.Classifier = classify }
}

// WithObserver calls observe with every fault an interceptor sends or
// receives, for metrics and traces (see the otelfault package).
func WithObserver(observe func(context.Context, *faults.Error)) Option {
	return func(c *config) { c.observe = observe }
}

// WithDeclaredCodes makes the server interceptors check every fault a
// handler returns against the GSS codes its method declares: declared
// gives the codes of a full method name ("/pkg.Service/Method") and false
// for a method that declares none, which is not checked. A fault of a code
// the method does not declare is sent as INTERNAL with a message naming
// the method and the code, so that tests (or a service that opts in) catch
// it; the observer still sees the original fault. protoc-gen-gssfault
// writes such functions from the gssfault.v1 method option.
func WithDeclaredCodes(declared func(fullMethod string) ([]codes.Code, bool)) Option {
	return func(c *config) { c.declared = declared }
}
