package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gssfault/gssfault/internal/vcsim"
	"github.com/gssfault/gssfault/registry"
)

// matchJSONLines runs error match --json on stdin and decodes its output.
func matchJSONLines(t *testing.T, stdin string, args ...string) ([]matchJSON, int) {
	t.Helper()
	out, errOut, code := gssctlIn(t, stdin, append([]string{"error", "match", "--json"}, args...)...)
	var hits []matchJSON
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var h matchJSON
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("match --json line %q: %v (stderr %q)", sc.Text(), err, errOut)
		}
		hits = append(hits, h)
	}
	return hits, code
}

// TestMatchMixedLog reads a log assembled from third-party fragments
// (testdata/match/README.md) and compares with the hand-written
// expectations.
func TestMatchMixedLog(t *testing.T) {
	want, err := os.ReadFile("testdata/match/mixed.want")
	if err != nil {
		t.Fatal(err)
	}
	var wantLines []string
	for _, l := range strings.Split(string(want), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			wantLines = append(wantLines, l)
		}
	}
	hits, code := matchJSONLines(t, "", "testdata/match/mixed.log")
	var got []string
	for _, h := range hits {
		got = append(got, fmt.Sprintf("%d %d %s %s", h.Line, h.EndLine, h.Kind, h.Code))
		if !h.Known || h.Action == "" || h.FaultType == "" || h.Impact == "" || h.GRPCCode == "" || h.File != "testdata/match/mixed.log" {
			t.Errorf("incomplete hit %+v", h)
		}
	}
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if diff := cmp.Diff(wantLines, got); diff != "" {
		t.Errorf("match mixed.log (-want +got):\n%s", diff)
	}
	// The text form says the same, one line per fault.
	out, _, _ := gssctl(t, "error", "match", "testdata/match/mixed.log")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(wantLines) || !strings.HasPrefix(lines[0], "3: GSS-VSP-002 InvalidLogin retryable=no (SOAP fault): ") {
		t.Errorf("text output:\n%s", out)
	}
}

// TestMatchLibraryLogs provokes every fault scenario on vcsim, logs each
// classified fault as a service would (its Error text, slog's text and
// JSON handlers), and checks that match finds, on each line, the code the
// library gave.
func TestMatchLibraryLogs(t *testing.T) {
	env, err := vcsim.Start(vcsim.Options{Version: "8.0.3"})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	defer vcsim.Quiet(env)()
	ctx := context.Background()
	s, err := env.NewSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	var want []string
	text := slog.New(slog.NewTextHandler(&log, nil))
	js := slog.New(slog.NewJSONHandler(&log, nil))
	line := 0
	for _, sc := range vcsim.Scenarios() {
		gerr := sc.Provoke(ctx, s)
		if vcsim.IsNoFault(gerr) {
			t.Fatalf("%s: %v", sc.Name, gerr)
		}
		f := classify(readPolicy(nil), gerr)
		fmt.Fprintf(&log, "%s ERROR %s: %v\n", "2026-12-01T10:00:00Z", sc.Op, f)
		text.Error("call failed", "op", sc.Op, "err", f)
		js.Error("call failed", "op", sc.Op, "err", f)
		for i := 0; i < 3; i++ {
			line++
			want = append(want, fmt.Sprintf("%d %s", line, f.Code()))
		}
	}
	hits, code := matchJSONLines(t, log.String())
	var got []string
	for _, h := range hits {
		got = append(got, fmt.Sprintf("%d %s", h.Line, h.Code))
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("match of the library's own log lines (-want +got):\n%s\nlog:\n%s", diff, log.String())
	}
}

func TestMatchInputs(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string // "line kind code"
	}{
		{"fault type alone, any case", "invalidpowerstate\n", []string{"1 faultType GSS-VSP-012"}},
		{"catalog name alone", "  Busy \n", []string{"1 faultType GSS-VSP-022"}},
		{"catalog name in text is not CamelCase enough", "server Busy, try later\n", nil},
		{"vim subtype takes its ancestor's entry", "VAppTaskInProgress\n", []string{"1 faultType GSS-VSP-014"}},
		{"generated Fault twin", "got InvalidLoginFault from vCenter\n", []string{"1 faultType GSS-VSP-002"}},
		{"code in any case", "see Gss-Vsp-023\n", []string{"1 code GSS-VSP-023"}},
		{"unknown code is reported", "GSS-APP-001 order rejected\n", []string{"1 code GSS-APP-001"}},
		{"not a code", "GSS-VSP-0234 xGSS-VSP-023 GSS-VSP-02\n", nil},
		{"one code once per line", "GSS-VSP-023 HostNotReachable GSS-VSP-023\n", []string{"1 code GSS-VSP-023"}},
		{"two codes on a line", "GSS-VSP-023 then gss-vsp-012\n", []string{"1 code GSS-VSP-023", "1 code GSS-VSP-012"}},
		{"status outranks a fault name", "InvalidPowerState: rpc error: code = Unavailable desc = x\n", []string{"1 grpc GSS-VSP-021"}},
		{"OK status is no fault", "rpc error: code = OK desc = fine\n", nil},
		{"status code grpc-go has no name for", "rpc error: code = Code(99) desc = x\n", []string{"1 grpc GSS-VSP-999"}},
		{"Google shape", `{"error":{"code":404,"message":"no such bucket","status":"NOT_FOUND"}}` + "\n", []string{"1 json GSS-VSP-005"}},
		{"gateway shape with details", `HTTP 409: {"code":10,"message":"busy","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_IN_PROGRESS","domain":"gssfault.vsp","metadata":{"gssCode":"GSS-VSP-014"}}]}` + "\n", []string{"1 json GSS-VSP-014"}},
		{"a JSON log line is text", `{"level":"error","err":"GSS-VSP-005 NotFound: vm-1"}` + "\n", []string{"1 code GSS-VSP-005"}},
		{"JSON that is no error body", `{"code":5,"message":"x","other":1}` + "\n", nil},
		{"CRLF line ends", "a\r\nInvalidLogin\r\n", []string{"2 faultType GSS-VSP-002"}},
		{"no newline at the end", "x\nNotAuthenticated", []string{"2 faultType GSS-VSP-003"}},
		{"unclosed JSON", "{\n  \"error_type\": \"NOT_FOUND\",\n  InvalidLogin\n", []string{"3 faultType GSS-VSP-002"}},
		{"unclosed SOAP", "<soapenv:Fault><faultcode>x</faultcode>\nNotFound\n", []string{"2 faultType GSS-VSP-005"}},
		{"HTML is not SOAP", "<html><body>InvalidLogin</body></html>\n", []string{"1 faultType GSS-VSP-002"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits, code := matchJSONLines(t, tc.in)
			var got []string
			for _, h := range hits {
				got = append(got, fmt.Sprintf("%d %s %s", h.Line, h.Kind, h.Code))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("match %q (-want +got):\n%s", tc.in, diff)
			}
			if wantCode := map[bool]int{true: 0, false: 1}[len(tc.want) > 0]; code != wantCode {
				t.Errorf("exit %d, want %d", code, wantCode)
			}
		})
	}
	hits, _ := matchJSONLines(t, "GSS-APP-001\n")
	if len(hits) != 1 || hits[0].Known {
		t.Errorf("an unknown code must be reported with known=false: %+v", hits)
	}
}

func TestMatchFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	os.WriteFile(a, []byte("x\nGSS-VSP-023\n"), 0o600)
	os.WriteFile(b, []byte("nothing\n"), 0o600)
	out, errOut, code := gssctlIn(t, "InvalidLogin\n", "error", "match", a, b, "-")
	if code != 0 || out != a+":2: GSS-VSP-023 HostNotReachable retryable=yes (GSS code): "+mustEntry(t, "GSS-VSP-023").Action+"\n"+
		"-:1: GSS-VSP-002 InvalidLogin retryable=no (fault type): "+mustEntry(t, "GSS-VSP-002").Action+"\n" {
		t.Errorf("several inputs: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = gssctl(t, "error", "match", a, filepath.Join(dir, "missing.log"))
	if code != 2 || !strings.Contains(out, "GSS-VSP-023") || !strings.Contains(errOut, "missing.log") {
		t.Errorf("a missing file: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, code := gssctl(t, "error", "match", "-", "-"); code != 2 {
		t.Errorf("stdin twice: exit %d", code)
	}
}

func mustEntry(t *testing.T, c string) registry.Entry {
	t.Helper()
	e, ok := registry.Default().Lookup(codesCode(c))
	if !ok {
		t.Fatalf("no entry %s", c)
	}
	return e
}

// The scanner's bounds: long lines are cut, a body that does not close is
// given up after its look-ahead, and look-ahead work stays linear.
func TestScanBounds(t *testing.T) {
	long := strings.Repeat("x", maxLine+10) + " InvalidLogin\nNotFound\n"
	hits, _ := matchJSONLines(t, long)
	if len(hits) != 1 || hits[0].Line != 2 {
		t.Errorf("a line over the limit: %+v", hits)
	}
	// 3,000 lines that each open a pretty-printed object and never close it.
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		b.WriteString("{\n  \"a\": 1,\n")
	}
	b.WriteString("InvalidLogin\n")
	sc := newScanner(strings.NewReader(b.String()))
	lines, records := 0, 0
	for {
		rec, ok := sc.next()
		if !ok {
			break
		}
		records++
		lines += rec.endLine - rec.line + 1
		if len(rec.blocks) != 0 {
			t.Fatalf("record %d has a body", rec.line)
		}
	}
	if lines != 6001 || records != 6001 {
		t.Errorf("read %d lines in %d records, want 6001", lines, records)
	}
	if sc.lookahead > 2*lines {
		t.Errorf("look-ahead read %d lines for %d lines of input: not linear", sc.lookahead, lines)
	}
}

// TestScanRandom feeds the scanner mutations of the test log: records
// cover every line once, in order, and bodies lie inside their record.
func TestScanRandom(t *testing.T) {
	seed, err := os.ReadFile("testdata/match/mixed.log")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("{}[]\"\\<>/:?\n x")
	for i := 0; i < 200; i++ {
		in := append([]byte(nil), seed...)
		for j := 0; j < 1+r.IntN(20); j++ {
			p := r.IntN(len(in))
			switch r.IntN(3) {
			case 0:
				in[p] = alphabet[r.IntN(len(alphabet))]
			case 1:
				in = append(in[:p], in[min(len(in), p+r.IntN(40)):]...)
			case 2:
				q := r.IntN(len(in))
				in = append(in[:p], append(append([]byte(nil), in[q:min(len(in), q+r.IntN(80))]...), in[p:]...)...)
			}
			if len(in) == 0 {
				in = []byte("x")
			}
		}
		wantLines := bytes.Count(in, []byte("\n"))
		if in[len(in)-1] != '\n' {
			wantLines++
		}
		sc := newScanner(bytes.NewReader(in))
		next := 1
		for {
			rec, ok := sc.next()
			if !ok {
				break
			}
			if rec.line != next || rec.endLine < rec.line {
				t.Fatalf("input %d: record %d-%d, want it to start at %d", i, rec.line, rec.endLine, next)
			}
			for _, b := range rec.blocks {
				if b.start < 0 || b.end > len(rec.text) || b.start >= b.end {
					t.Fatalf("input %d: body %d-%d outside record of %d bytes", i, b.start, b.end, len(rec.text))
				}
			}
			new(matcher).withRegistry().record(rec) // never panics
			next = rec.endLine + 1
		}
		if next-1 != wantLines {
			t.Fatalf("input %d: %d lines read, want %d", i, next-1, wantLines)
		}
	}
}

func (m *matcher) withRegistry() *matcher {
	m.reg = registry.Default()
	m.pol = readPolicy(m.reg)
	return m
}

// BenchmarkMatch measures error match's throughput on the test log.
func BenchmarkMatch(b *testing.B) {
	seed, err := os.ReadFile("testdata/match/mixed.log")
	if err != nil {
		b.Fatal(err)
	}
	in := bytes.Repeat(seed, 20)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := &matcher{reg: registry.Default()}
		if _, err := m.matchReader(context.Background(), bytes.NewReader(in), func(hit) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchQuiet measures a log that is mostly not faults: one line
// in a hundred holds one.
func BenchmarkMatchQuiet(b *testing.B) {
	var in bytes.Buffer
	for i := 0; i < 10000; i++ {
		if i%100 == 99 {
			fmt.Fprintf(&in, "2026-12-01T10:00:%02d.000Z ERROR PowerOnVM_Task vm-%d: rpc error: code = FailedPrecondition desc = InvalidPowerState\n", i%60, i)
			continue
		}
		fmt.Fprintf(&in, "2026-12-01T10:00:%02d.000Z INFO  reconcile VirtualMachine:vm-%d in folder group-v%d took %dms {\"attempt\": %d}\n", i%60, i, i%7, i%300, i%3)
	}
	b.SetBytes(int64(in.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := &matcher{reg: registry.Default()}
		n, err := m.matchReader(context.Background(), bytes.NewReader(in.Bytes()), func(hit) error { return nil })
		if err != nil || n != 100 {
			b.Fatalf("%d hits, %v", n, err)
		}
	}
}

// TestScanLineOfOpeners (red team): a 64 KiB line of '{"' openers, none
// of which closes, is read a few times over, not once per opener (which
// took 302 s for a 1 MiB line).
func TestScanLineOfOpeners(t *testing.T) {
	line := strings.Repeat(`{"`, 32<<10)
	for _, text := range []string{line, strings.Repeat("<Fault", 11000)} {
		s := newScanner(strings.NewReader(text + "\n"))
		if _, ok := s.next(); !ok {
			t.Fatal("no record")
		}
		if limit := (scanPasses+1)*len(text) + maxBlockBytes; s.fed > limit {
			t.Errorf("%.10q...: %d bytes read to close bodies for a %d-byte line, want at most %d", text, s.fed, len(text), limit)
		}
	}
}

// TestMatchReportsCutLines: a line longer than maxLine is matched up to
// maxLine, and error match says so on standard error instead of dropping
// the rest silently.
func TestMatchReportsCutLines(t *testing.T) {
	in := "InvalidLogin " + strings.Repeat("x", maxLine+10) + "\nNotFound\n"
	out, errOut, code := gssctlIn(t, in, "error", "match", "-")
	if code != 0 || !strings.Contains(out, "GSS-VSP-002") || !strings.Contains(out, "GSS-VSP-005") {
		t.Errorf("exit %d, want both faults:\n%s", code, out)
	}
	if !strings.Contains(errOut, "1 line(s) longer than 1048576 bytes matched up to that length only") {
		t.Errorf("stderr %q does not report the cut line", errOut)
	}
}
