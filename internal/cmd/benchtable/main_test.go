package main

import (
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	in := `goos: linux
BenchmarkToStatus/gssfault-2   1000  300 ns/op  100 B/op  3 allocs/op
BenchmarkToStatus/gssfault-2   1000  100 ns/op  100 B/op  3 allocs/op
BenchmarkToStatus/gssfault-2   1000  200 ns/op  100 B/op  3 allocs/op
BenchmarkToStatus/grpc-status-2  1000  1000 ns/op  9 B/op  30 allocs/op
BenchmarkSearch/gssfault-2  10  15000 ns/op  1 B/op  11 allocs/op
PASS
`
	var out strings.Builder
	if err := run(strings.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| ToStatus | gssfault | 200 | 3 | grpc-status | 1000 | 30 | 0.20 |", // medians, ratio
		"| Search | gssfault | 15000 | 11 | - |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
