package faults_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/errtest"
	"github.com/gssfault/gssfault/registry"
)

// referenceStatus builds the status Error.Status documents with the
// generated protobuf types and proto.Marshal: the oracle for the direct
// encoder.
func referenceStatus(t *testing.T, f *faults.Error, o faults.StatusOptions) *spb.Status {
	t.Helper()
	valid := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	e := f.Entry()
	code := e.GRPCCode
	msg := f.Message()
	if msg == "" {
		msg = e.Trigger
	}
	switch code {
	case grpccodes.Internal, grpccodes.Unknown, grpccodes.DataLoss:
		if !o.ExposeInternal {
			msg = "internal error (" + string(e.Code) + " " + e.FaultType + ")"
		}
	}
	md := map[string]string{
		"gssCode": string(e.Code), "impact": e.Impact.String(), "retryable": strconv.FormatBool(e.Retryable),
	}
	set := func(k, v string) {
		if v != "" {
			md[k] = valid(v)
		}
	}
	set("requestId", f.RequestID())
	set("object", f.Object())
	set("op", f.Op())
	if f.Duration() > 0 {
		set("duration", f.Duration().String())
	}
	for _, fl := range f.Metadata() {
		k := faults.MetadataKey(fl.Key)
		if _, ok := md[k]; ok {
			k = faults.MetadataKey("x-" + k)
		}
		if _, ok := md[k]; !ok {
			md[k] = valid(fl.Value)
		}
	}
	details := []proto.Message{&errdetails.ErrorInfo{Reason: faults.Reason(e.FaultType), Domain: faults.DefaultDomain(e.Code.Domain()), Metadata: md}}
	if f.Retryable() {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(f.RetryDelay())})
	}
	if obj := f.Object(); obj != "" {
		typ, name, ok := strings.Cut(obj, ":")
		if !ok {
			typ, name = "", obj
		}
		details = append(details, &errdetails.ResourceInfo{ResourceType: valid(typ), ResourceName: valid(name)})
	}
	if e.DocRef != "" {
		details = append(details, &errdetails.Help{Links: []*errdetails.Help_Link{{Description: e.FaultType + " reference", Url: e.DocRef}}})
	}
	if l, ok := f.Localized(); ok {
		details = append(details, &errdetails.LocalizedMessage{Locale: valid(l.Locale), Message: valid(l.Message)})
	}
	p := &spb.Status{Code: int32(code), Message: valid(msg)}
	for _, d := range details {
		a := &anypb.Any{}
		if err := anypb.MarshalFrom(a, d, proto.MarshalOptions{Deterministic: true}); err != nil {
			t.Fatal(err)
		}
		p.Details = append(p.Details, a)
	}
	return p
}

func deterministic(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatalf("proto.Marshal: %v", err)
	}
	return b
}

// GRPCStatus writes, for every catalog entry and for escaping-hostile
// strings, the bytes proto.Marshal writes for the documented status.
func TestStatusBytesMatchProtoMarshal(t *testing.T) {
	hostile := []string{"plain", `q"uote \ back`, "ctl\x00\x01\n\t", "<b>&</b>", "line\u2028sep\u2029", "bad\xff\xfeutf8", "日本語 🚀"}
	for i, e := range registry.Default().All() {
		s := hostile[i%len(hostile)]
		f := faults.New(e.Code, "msg "+s).
			WithRequestID("req-"+s).WithObject("VirtualMachine:vm-"+s).WithOp("PowerOnVM_Task").
			WithDuration(1500*time.Millisecond).WithLocalized("en-US", s).
			WithMetadataFields(faults.Field{Key: "host", Value: s}, faults.Field{Key: "Bad Key", Value: "v"}, faults.Field{Key: "gssCode", Value: "spoof"})
		for _, o := range []faults.StatusOptions{{}, {ExposeInternal: true}} {
			got := deterministic(t, f.Status(o).Proto())
			want := deterministic(t, referenceStatus(t, f, o))
			if !bytes.Equal(got, want) {
				t.Errorf("%s %+v (%q):\n got %x\nwant %x", e.Code, o, s, got, want)
			}
		}
		bare := faults.New(e.Code, "")
		if got, want := deterministic(t, bare.GRPCStatus().Proto()), deterministic(t, referenceStatus(t, bare, faults.StatusOptions{})); !bytes.Equal(got, want) {
			t.Errorf("%s without context:\n got %x\nwant %x", e.Code, got, want)
		}
	}
}

// GRPCStatus is called concurrently on shared faults by every server
// goroutine; the pooled buffers must not leak between calls.
func TestStatusConcurrent(t *testing.T) {
	all := registry.Default().All()
	want := make([][]byte, len(all))
	fs := make([]*faults.Error, len(all))
	for i, e := range all {
		fs[i] = faults.New(e.Code, "m"+strconv.Itoa(i)).WithRequestID(strconv.Itoa(i)).WithObject("HostSystem:host-" + strconv.Itoa(i))
		want[i] = deterministic(t, fs[i].GRPCStatus().Proto())
	}
	errtest.Hammer(t, 8, func(g int) error {
		for n := range 200 {
			i := (g*31 + n) % len(fs)
			got, _ := proto.MarshalOptions{Deterministic: true}.Marshal(fs[i].GRPCStatus().Proto())
			if !bytes.Equal(got, want[i]) {
				return errors.New(string(fs[i].Code()) + ": status changed under concurrency")
			}
		}
		return nil
	})
}

func TestStatusAllocs(t *testing.T) {
	f := faults.New(codes.TaskInProgress, "vm-42 has a task in progress").WithRequestID("req-1")
	_ = f.GRPCStatus()
	// The status's own copy (proto.Clone in status.FromProto) is what it
	// costs; building the details allocates nothing more.
	if n := testing.AllocsPerRun(100, func() { _ = f.GRPCStatus() }); n > 12 {
		t.Errorf("GRPCStatus allocates %v times", n)
	}
}
