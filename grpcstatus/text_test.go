package grpcstatus_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/grpcstatus"
)

// TestParseStatusTextGRPCGo reads the status texts grpc-go's own tests
// expect (testdata/statustext.txt names the source of each).
func TestParseStatusTextGRPCGo(t *testing.T) {
	f, err := os.Open("testdata/statustext.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			t.Fatalf("bad testdata line %q", line)
		}
		n++
		st, ok := grpcstatus.ParseStatusText(parts[2])
		if !ok {
			t.Errorf("ParseStatusText(%q) = _, false, want true", parts[2])
			continue
		}
		if st.Code().String() != parts[0] || st.Message() != parts[1] {
			t.Errorf("ParseStatusText(%q) = %v %q, want %s %q", parts[2], st.Code(), st.Message(), parts[0], parts[1])
		}
	}
	if n < 5 {
		t.Fatalf("only %d cases read", n)
	}
}

// Every code as grpc-go writes it reads back, with any message.
func TestParseStatusTextEveryCode(t *testing.T) {
	for c := grpccodes.Code(0); c <= 20; c++ {
		for _, msg := range []string{"", "vm-42 not found", " desc = tricky", "rpc error: code = NotFound desc = inner"} {
			text := status.New(c, msg).String() // what (*status.Status).Err().Error() returns
			st, ok := grpcstatus.ParseStatusText(text)
			if !ok || st.Code() != c || st.Message() != msg {
				t.Errorf("ParseStatusText(%q) = %v, %v; want %v %q", text, st, ok, c, msg)
			}
		}
	}
	st, ok := grpcstatus.ParseStatusText(status.New(grpccodes.Code(4294967295), "x").String())
	if !ok || st.Code() != grpccodes.Code(4294967295) {
		t.Errorf("largest code: %v %v", st, ok)
	}
}

func TestParseStatusTextRejects(t *testing.T) {
	for _, s := range []string{
		"",
		"rpc error",
		"code = NotFound desc = x",
		"rpc error: code = NotFound",                  // no desc
		"rpc error: code = NOT_FOUND desc = x",        // the canonical name, not Code.String
		"rpc error: code = notfound desc = x",         // case matters
		"rpc error: code = Code(5) desc = x",          // grpc-go writes NotFound
		"rpc error: code = Code(017) desc = x",        // not as grpc-go writes 17
		"rpc error: code = Code(-1) desc = x",         // no such code
		"rpc error: code = Code(4294967296) desc = x", // over uint32
		"rpc error: code = Code(17 desc = x",          // unclosed
		"rpc error: code =  NotFound desc = x",        // two spaces
		"rpc error: code = NotFound  desc = x",        // two spaces
		"rpc error: code = NotFound descr = x",        // not desc
		"RPC ERROR: code = NotFound desc = x",         // case matters
		"rpc error: code = Not Found desc = x",        // not a code name
		"rpc error: code = \u00a0NotFound desc = x",   // NBSP
		"rpc error: code = NotFound\ndesc = x",        // a line break
		"rpc error: code = desc = x",                  // empty code
		"rpc error: code = Unknown desc",              // no " desc = "
		"rpc error: code = OK desc",                   // no " desc = "
		"rpc error: code = Unauthenticatedd desc = x", // one letter too many
		"rpc error: code = Unauthenticate desc = x",   // one letter too few
		"xrpc error: code = Internal",                 // no desc
		"rpc error: code = Internal desc= x",          // no space
		"rpc error: code = Internal\tdesc = x",        // a tab
		strings.Repeat("rpc error: code = ", 1000),    // many prefixes, no desc
	} {
		if st, ok := grpcstatus.ParseStatusText(s); ok {
			t.Errorf("ParseStatusText(%q) = %v, true; want false", s, st)
		}
	}
}

// The outermost status is the one read; a nested status text stays in the
// message, as grpc-go's double-wrapped text has it.
func TestParseStatusTextNested(t *testing.T) {
	inner := status.Error(grpccodes.NotFound, "vm-42").Error()
	outer := status.New(grpccodes.Unknown, "call inventory: "+inner).String()
	st, ok := grpcstatus.ParseStatusText("reconcile: " + outer)
	if !ok || st.Code() != grpccodes.Unknown || st.Message() != "call inventory: "+inner {
		t.Errorf("ParseStatusText(%q) = %v, %v", outer, st, ok)
	}
}

// FuzzParseStatusText: whatever grpc-go writes for a code and message,
// after any prefix that holds no status text, reads back as that code and
// message; any other input never panics.
func FuzzParseStatusText(f *testing.F) {
	f.Add(uint32(5), "vm-42 not found", "list: ")
	f.Add(uint32(99), " desc = ", "")
	f.Add(uint32(0), "", "rpc error: code = ")
	f.Fuzz(func(t *testing.T, code uint32, msg, prefix string) {
		grpcstatus.ParseStatusText(prefix + msg) // arbitrary text: no panic
		if strings.Contains(prefix, "rpc error: code = ") {
			return
		}
		text := prefix + status.New(grpccodes.Code(code), msg).String()
		st, ok := grpcstatus.ParseStatusText(text)
		if !ok || st.Code() != grpccodes.Code(code) || st.Message() != msg {
			t.Fatalf("ParseStatusText(%q) = %v, %v; want %d %q", text, st, ok, code, msg)
		}
	})
}
