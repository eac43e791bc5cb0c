package grpcstatus_test

import (
	"fmt"
	"strings"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

// A status read back from a log line, then turned into a fault.
func ExampleParseStatusText() {
	line := `level=ERROR msg="power on" err="PowerOnVM: rpc error: code = Unavailable desc = vcenter is draining"`
	st, ok := grpcstatus.ParseStatusText(strings.TrimSuffix(line, `"`))
	fmt.Println(ok, st.Code(), st.Message())
	f, _ := faults.FromStatus(st)
	fmt.Println(f.FaultType(), f.Retryable())
	// Output:
	// true Unavailable vcenter is draining
	// ServiceUnavailable true
}
