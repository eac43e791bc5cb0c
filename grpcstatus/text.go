package grpcstatus

import (
	"strconv"
	"strings"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// statusTextPrefix and statusTextDesc are the fixed parts of the text
// grpc-go's status errors give: "rpc error: code = %s desc = %s".
const (
	statusTextPrefix = "rpc error: code = "
	statusTextDesc   = " desc = "
)

// ParseStatusText reads a status back from the text of a status error, as
// grpc-go writes it: "rpc error: code = NotFound desc = vm-42 not found".
// It is for text that has lost its status, such as a log line; an error
// value should go through [FromError].
//
//   - The first "rpc error: code = " in s starts the status; text before it
//     (the wrapping a caller added, "list VMs: rpc error: ...") is ignored.
//   - The code is spelled exactly as grpc-go's [grpccodes.Code.String]
//     writes it: a name such as NotFound or DeadlineExceeded, or Code(N)
//     for a code grpc-go has no name for.
//   - The message is everything after " desc = ", to the end of s, unchanged
//     (a nested "rpc error: ..." in it stays part of the message).
//
// It returns nil, false when s holds no such text or the code is not
// spelled as grpc-go spells it. The details a status had are not in its
// text, so the status has none. An OK code gives an OK status and true.
// The work is linear in len(s).
func ParseStatusText(s string) (*status.Status, bool) {
	i := strings.Index(s, statusTextPrefix)
	if i < 0 {
		return nil, false
	}
	rest := s[i+len(statusTextPrefix):]
	j := strings.Index(rest, statusTextDesc)
	if j < 0 {
		return nil, false
	}
	code, ok := parseCodeString(rest[:j])
	if !ok {
		return nil, false
	}
	return status.New(code, rest[j+len(statusTextDesc):]), true
}

// parseCodeString is the inverse of [grpccodes.Code.String].
func parseCodeString(s string) (grpccodes.Code, bool) {
	if n, ok := strings.CutPrefix(s, "Code("); ok {
		n, ok = strings.CutSuffix(n, ")")
		v, err := strconv.ParseUint(n, 10, 32)
		if !ok || err != nil {
			return 0, false
		}
		c := grpccodes.Code(v)
		return c, c.String() == s // "Code(5)" is not how grpc-go writes NotFound
	}
	for c := grpccodes.OK; c <= grpccodes.Unauthenticated; c++ {
		if c.String() == s {
			return c, true
		}
	}
	return 0, false
}
