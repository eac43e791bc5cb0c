package httpmap_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/internal/testenv"
)

// TestDetailJSONMatchesProtojson: the body httpmap writes for a status is
// what protojson writes for it, decoded: the same message, for every
// detail type it writes from plain structs and for hostile strings.
func TestDetailJSONMatchesProtojson(t *testing.T) {
	hostile := "quote \" backslash \\ <script>&amp; \u2028 \u2029 \x01 ünï"
	var details []proto.Message
	for _, d := range []time.Duration{0, time.Second, 1500 * time.Millisecond, 10*time.Second + 10, 3*time.Millisecond + 7*time.Microsecond, -time.Second} {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(d)})
	}
	// Beyond time.Duration's 292 years (red team): the largest and smallest
	// durations protobuf allows, written from seconds and nanos.
	for _, d := range []*durationpb.Duration{{Seconds: 315576000000, Nanos: 999999999}, {Seconds: -315576000000, Nanos: -999999999}, {Seconds: 1e10}} {
		details = append(details, &errdetails.RetryInfo{RetryDelay: d})
	}
	details = append(details,
		&errdetails.ErrorInfo{Reason: "R", Domain: hostile, Metadata: map[string]string{"a": hostile, "b": ""}},
		&errdetails.ErrorInfo{},
		&errdetails.Help{Links: []*errdetails.Help_Link{{Description: hostile, Url: "https://x/" + hostile}, {}}},
		&errdetails.LocalizedMessage{Locale: "de-DE", Message: hostile},
		&errdetails.ResourceInfo{ResourceType: "book", ResourceName: hostile, Owner: "User", Description: hostile},
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "f", Description: hostile}}},
	)
	pbs := []*spb.Status{{Code: 5, Message: hostile}}
	for _, d := range details {
		a, err := anypb.New(d)
		if err != nil {
			t.Fatal(err)
		}
		pbs[0].Details = append(pbs[0].Details, a)
	}
	for _, st := range testenv.Statuses(t) {
		pbs = append(pbs, st)
	}
	for _, pb := range pbs {
		// The body of a received status, written as it came.
		ours := httpmap.Render(nil, status.FromProto(pb).Err(), httpmap.WithPolicy(faults.Policy{ExposeInternal: true, DebugInfo: true})).Body
		if !json.Valid(ours) {
			t.Fatalf("invalid JSON: %s", ours)
		}
		var back spb.Status
		if err := protojson.Unmarshal(ours, &back); err != nil {
			t.Fatalf("protojson cannot read %s: %v", ours, err)
		}
		if diff := cmp.Diff(pb, &back, protocmp.Transform()); diff != "" {
			t.Errorf("the body differs from the status (-want +got):\n%s", diff)
		}
		theirs, _ := protojson.Marshal(pb)
		var a, b map[string]any
		_ = json.Unmarshal(ours, &a)
		_ = json.Unmarshal(theirs, &b)
		// The envelope always has message and details, as grpc-gateway's
		// default marshaler (EmitUnpopulated) writes them.
		if a["message"] == "" {
			delete(a, "message")
		}
		if d, ok := a["details"].([]any); ok && len(d) == 0 {
			delete(a, "details")
		}
		if diff := cmp.Diff(b, a); diff != "" {
			t.Errorf("the body and protojson decode differently (-protojson +ours):\n%s", diff)
		}
	}
}
