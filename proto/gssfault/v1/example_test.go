package gssfaultv1_test

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	gssfaultv1 "github.com/gssfault/gssfault/proto/gssfault/v1"
)

// A tool that reads descriptors (a protoc plugin, a reflection client) gets
// a method's declaration from its options with proto.GetExtension.
func Example() {
	// The options of a method as protoc sends them for
	//   option (gssfault.v1.faults) = {codes: ["GSS-VSP-012", "GSS-VSP-014"]};
	sent := &descriptorpb.MethodOptions{}
	proto.SetExtension(sent, gssfaultv1.E_Faults, &gssfaultv1.MethodFaults{
		Codes: []string{"GSS-VSP-012", "GSS-VSP-014"},
	})
	wire, err := proto.Marshal(sent)
	if err != nil {
		panic(err)
	}

	opts := &descriptorpb.MethodOptions{}
	if err := proto.Unmarshal(wire, opts); err != nil {
		panic(err)
	}
	if proto.HasExtension(opts, gssfaultv1.E_Faults) {
		faults := proto.GetExtension(opts, gssfaultv1.E_Faults).(*gssfaultv1.MethodFaults)
		fmt.Println(faults.GetCodes())
	}
	// Output: [GSS-VSP-012 GSS-VSP-014]
}
