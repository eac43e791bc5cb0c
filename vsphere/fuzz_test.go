package vsphere_test

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// fuzzFaultTypes are the fault types random trees are built from: entries,
// their subtypes and faults the catalog does not know.
var fuzzFaultTypes = []string{
	"SystemError", "HostNotReachable", "InvalidLogin", "PasswordExpired", "TaskInProgress", "VAppTaskInProgress",
	"InsufficientMemoryResourcesFault", "NotAuthenticated", "InvalidPowerState", "FileNotFound", "RuntimeFault",
	"VimFault", "MethodFault", "NotImplemented", "RestrictedVersion", "InvalidArgument", "HostNotConnected",
}

// FuzzClassify builds a random faultCause chain and wraps it in a random
// sequence of error layers; classification must never panic, always give a
// valid code, and keep the original error reachable.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1})
	f.Add([]byte{16, 0, 5, 9, 200, 3})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return int(b)
		}
		// A faultCause chain, outermost first.
		depth := next() % 8
		var outer types.BaseMethodFault
		var prev types.BaseMethodFault
		for i := 0; i <= depth; i++ {
			typ, _ := types.TypeFunc()(fuzzFaultTypes[next()%len(fuzzFaultTypes)])
			mf := reflect.New(typ).Interface().(types.BaseMethodFault)
			if prev == nil {
				outer = mf
			} else {
				prev.GetMethodFault().FaultCause = &types.LocalizedMethodFault{Fault: mf, LocalizedMessage: fmt.Sprint("cause ", i)}
			}
			prev = mf
		}
		if next()%5 == 0 { // sometimes a cycle
			prev.GetMethodFault().FaultCause = &types.LocalizedMethodFault{Fault: outer}
		}
		var err error
		switch next() % 4 {
		case 0:
			err = soap.WrapVimFault(outer)
		case 1:
			err = task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{Fault: outer, LocalizedMessage: "task failed"}}
		case 2:
			err = &task.Error{LocalizedMethodFault: &types.LocalizedMethodFault{Fault: outer}}
		default:
			err = io.EOF // no fault at all
		}
		for layers := next() % 6; layers > 0; layers-- {
			switch next() % 3 {
			case 0:
				err = fmt.Errorf("layer: %w", err)
			case 1:
				err = errors.Join(errors.New("other"), err)
			default:
				err = errors.Join(err, io.ErrUnexpectedEOF)
			}
		}
		got := classify(err)
		if got == nil || !got.Code().Valid() || !got.Known() {
			t.Fatalf("Classify(%v) = %v", err, got)
		}
		if !errors.Is(got, err) {
			t.Fatalf("the original error is not reachable from %v", got)
		}
	})
}
