package registry_test

import (
	"fmt"
	"strings"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

func ExampleDefault() {
	fmt.Println(registry.Default().Len())
	// Output: 47
}

func ExampleRegistry_Lookup() {
	e, ok := registry.Default().Lookup("GSS-VSP-023")
	fmt.Println(ok, e.FaultType, e.Retryable, e.Impact, e.GRPCCode)
	// Output: true HostNotReachable true critical Unavailable
}

func ExampleRegistry_ByFaultType() {
	e, _ := registry.Default().ByFaultType("taskinprogress")
	fmt.Println(e.Code, e.GRPCCode, e.RetryDelay)
	// Output: GSS-VSP-014 Aborted 5s
}

func ExampleRegistry_Search() {
	for _, e := range registry.Default().Search("timout")[:2] {
		fmt.Println(e.Code, e.FaultType)
	}
	// Output:
	// GSS-VSP-037 Timedout
	// GSS-VSP-023 HostNotReachable
}

func ExampleRegistry_All() {
	all := registry.Default().All()
	fmt.Println(all[0].Code, all[len(all)-1].Code)
	// Output: GSS-NSX-087 GSS-VSP-999
}

func ExampleRegistry_Extend() {
	reg, err := registry.Default().Extend(registry.Entry{
		Code:      "GSS-APP-001",
		FaultType: "OrderRejected",
		Category:  codes.CategoryValidation,
		Component: "order service",
		Trigger:   "an order fails validation",
		Action:    "fix the order and resubmit",
		Impact:    codes.Minor,
		GRPCCode:  grpccodes.InvalidArgument,
	})
	if err != nil {
		panic(err)
	}
	e, _ := reg.Lookup("GSS-APP-001")
	fmt.Println(reg.Len(), e.FaultType, e.GRPCCode)
	// Output: 48 OrderRejected InvalidArgument
}

func ExampleLoad() {
	_, err := registry.Load(strings.NewReader(`
entries:
  - code: GSS-APP-001
    fault_type: OrderRejected
    category: validation
    component: orders
    trigger: an order fails validation
    impact: minor
    grpc_code: InvalidArgument
`))
	fmt.Println(err)
	// Output: registry: entry 0 (GSS-APP-001): action: is empty
}

func ExampleNew() {
	_, err := registry.New([]registry.Entry{{Code: "GSS-APP-1", FaultType: "X"}})
	fmt.Println(err)
	// Output: registry: entry 0 (GSS-APP-1): code: number "1" must be three digits 0-9
}

func ExampleRegistry_Fallback() {
	e, _ := registry.Default().Fallback()
	fmt.Println(e.Code, e.FaultType, e.GRPCCode)
	// Output: GSS-VSP-999 MethodFault Unknown
}

// Nearest answers "did you mean" for a mistyped code.
func ExampleRegistry_Nearest() {
	for _, e := range registry.Default().Nearest("gss-vsp-23", 1) {
		fmt.Println(e.Code, e.FaultType)
	}
	// Output: GSS-VSP-023 HostNotReachable
}
