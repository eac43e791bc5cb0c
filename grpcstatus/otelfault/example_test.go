package otelfault_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/grpcstatus/otelfault"
)

func ExampleNew() {
	rec, err := otelfault.New(noop.NewMeterProvider().Meter("gssfault")) // the application's meter provider
	if err != nil {
		panic(err)
	}
	_ = grpcstatus.UnaryServerInterceptor(grpcstatus.WithObserver(rec.Observe))
	rec.Observe(context.Background(), faults.New(codes.HostNotReachable, "esx-01"))
	fmt.Println(otelfault.MetricName)
	// Output: gssfault.faults
}
