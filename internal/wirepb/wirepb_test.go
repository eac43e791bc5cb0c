package wirepb_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/gssfault/gssfault/internal/wirepb"
)

func toMap(w *wirepb.ErrorInfo) *errdetails.ErrorInfo {
	e := &errdetails.ErrorInfo{Reason: w.GetReason(), Domain: w.GetDomain()}
	for _, kv := range w.GetMetadata() {
		if e.Metadata == nil {
			e.Metadata = map[string]string{}
		}
		e.Metadata[kv.GetKey()] = kv.GetValue()
	}
	return e
}

// TestWireCompatible: bytes of either form decode into the other to the
// same error info, both ways, for empty, odd and many-entry metadata.
func TestWireCompatible(t *testing.T) {
	for _, md := range []map[string]string{nil, {"": ""}, {"gssCode": "GSS-VSP-014", "impact": "minor", "": "empty key", "v": ""},
		func() map[string]string {
			m := map[string]string{}
			for i := range 300 {
				m[string(rune('a'+i%26))+string(rune('A'+i/26))] = "ünï\x00code"
			}
			return m
		}()} {
		std := &errdetails.ErrorInfo{Reason: "TASK_IN_PROGRESS", Domain: "gssfault.vsp", Metadata: md}
		b, err := proto.Marshal(std)
		if err != nil {
			t.Fatal(err)
		}
		var w wirepb.ErrorInfo
		if err := proto.Unmarshal(b, &w); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(std, toMap(&w), protocmp.Transform()); diff != "" {
			t.Errorf("errdetails bytes read as wirepb (-want +got):\n%s", diff)
		}
		wb, err := proto.Marshal(&w)
		if err != nil {
			t.Fatal(err)
		}
		var back errdetails.ErrorInfo
		if err := proto.Unmarshal(wb, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(std, &back, protocmp.Transform()); diff != "" {
			t.Errorf("wirepb bytes read as errdetails (-want +got):\n%s", diff)
		}
	}
}

// FuzzWireCompatible: whatever bytes one form accepts, the other accepts
// too, as the same error info (a repeated key: the last one wins in both).
func FuzzWireCompatible(f *testing.F) {
	b, _ := proto.Marshal(&errdetails.ErrorInfo{Reason: "R", Domain: "D", Metadata: map[string]string{"k": "v", "x": "y"}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var std errdetails.ErrorInfo
		var w wirepb.ErrorInfo
		e1, e2 := proto.Unmarshal(b, &std), proto.Unmarshal(b, &w)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("errdetails: %v, wirepb: %v", e1, e2)
		}
		if e1 == nil {
			if diff := cmp.Diff(&std, toMap(&w), protocmp.Transform(), protocmp.IgnoreUnknown()); diff != "" {
				t.Fatalf("differ (-errdetails +wirepb):\n%s", diff)
			}
		}
	})
}
