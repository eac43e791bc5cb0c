package grpcstatus

import (
	"github.com/gssfault/gssfault/faults"
)

// FromError turns an error from a gRPC call into a fault, with the
// conventions of grpc-go's status.FromError:
//   - nil gives nil and true;
//   - an error that holds a [*faults.Error] gives that fault and true;
//   - an error that holds a gRPC status (a status error, wrapped or not)
//     gives the fault that status describes and true (see
//     [faults.Policy.FromStatus]): the fault keeps the status, so sending
//     it on sends it unchanged, and its message is the one the peer sent,
//     not the wrapper's text as status.FromError would make it;
//   - anything else gives false and a fault wrapping err, the one
//     [faults.Policy.FaultOf] gives: context.Canceled and
//     context.DeadlineExceeded as RequestCanceled and Timedout, else the
//     catch-all.
//
// It reads codes against the built-in catalog; the client interceptors
// take [WithPolicy] for a service's own registry.
func FromError(err error) (*faults.Error, bool) { return fromError(faults.Policy{}, err) }

func fromError(p faults.Policy, err error) (*faults.Error, bool) {
	if err == nil {
		return nil, true
	}
	return p.FaultOf(err)
}
