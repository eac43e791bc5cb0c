package faults

import (
	"runtime"
	"testing"
	"time"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// TestRegistryTablesArePreparedOnceAndDropped: a registry a Policy names
// gets one table, its records carrying their Help and RetryInfo ready to
// send; the table goes when the registry does.
func TestRegistryTablesArePreparedOnceAndDropped(t *testing.T) {
	count := func() (n int) {
		tables.Range(func(any, any) bool { n++; return true })
		return n
	}
	before := count()
	func() {
		reg, err := registry.Default().Extend(registry.Entry{
			Code: "GSS-APP-009", FaultType: "OrderLocked", Category: codes.CategoryState, Component: "orders",
			Trigger: "locked", Action: "wait", Impact: codes.Minor, GRPCCode: grpccodes.Aborted,
			Retryable: true, RetryDelay: 3 * time.Second, DocRef: "https://orders.example.com/errors#locked",
		})
		if err != nil {
			t.Fatal(err)
		}
		tab := tableFor(reg)
		if tableFor(reg) != tab || count() != before+1 {
			t.Fatalf("the table of one registry was made twice (%d tables)", count())
		}
		r := tab.lookup("GSS-APP-009")
		if !r.known || r.retry == nil || r.help == nil {
			t.Errorf("record of a custom entry not prepared: known=%v retry=%v help=%v", r.known, r.retry, r.help)
		}
		runtime.KeepAlive(reg)
	}()
	for i := 0; i < 50 && count() > before; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if count() != before {
		t.Errorf("%d tables after the registry was dropped, want %d", count(), before)
	}
}
