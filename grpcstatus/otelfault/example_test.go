package otelfault_test

import (
	"context"
	"fmt"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/grpcstatus/otelfault"
)

// New takes the application's meter (otel.GetMeterProvider().Meter(...));
// here a fake that prints what is counted.
func ExampleNew() {
	m := &fakeMeter{}
	rec, err := otelfault.New(m)
	if err != nil {
		panic(err)
	}
	_ = grpcstatus.UnaryServerInterceptor(grpcstatus.WithObserver(rec.Observe))
	rec.Observe(context.Background(), faults.New(codes.HostNotReachable, "esx-01"))
	code, _ := m.counter.adds[0].Value(otelfault.KeyCode)
	fmt.Println(m.counter.name, len(m.counter.adds), code.AsString())
	// Output: gssfault.faults 1 GSS-VSP-023
}
