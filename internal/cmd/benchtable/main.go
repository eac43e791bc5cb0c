// Command benchtable reads `go test -bench -benchmem` output on standard
// input and prints, for each benchmark named Benchmark<Op>/.../<impl>, the
// median ns/op and allocs/op of our implementation ("gssfault...") beside
// each anchor and their ratio. make bench runs it.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// line matches "BenchmarkOp/case/impl-2  N  123.4 ns/op  56 B/op  7 allocs/op".
var line = regexp.MustCompile(`^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+[\d.]+ B/op\s+([\d.]+) allocs/op)?`)

type samples struct{ ns, allocs []float64 }

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	data := map[string]map[string]*samples{} // op -> impl -> samples
	var ops []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			continue
		}
		op, impl := name[:i], name[i+1:]
		if data[op] == nil {
			data[op] = map[string]*samples{}
			ops = append(ops, op)
		}
		s := data[op][impl]
		if s == nil {
			s = &samples{}
			data[op][impl] = s
		}
		ns, _ := strconv.ParseFloat(m[2], 64)
		s.ns = append(s.ns, ns)
		if m[3] != "" {
			a, _ := strconv.ParseFloat(m[3], 64)
			s.allocs = append(s.allocs, a)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	fmt.Fprintln(out, "| op | ours | ns/op | allocs/op | anchor | ns/op | allocs/op | ratio |")
	fmt.Fprintln(out, "|---|---|---:|---:|---|---:|---:|---:|")
	for _, op := range ops {
		var ours, anchors []string
		for impl := range data[op] {
			if strings.HasPrefix(impl, "gssfault") {
				ours = append(ours, impl)
			} else {
				anchors = append(anchors, impl)
			}
		}
		slices.Sort(ours)
		slices.Sort(anchors)
		for _, o := range ours {
			so := data[op][o]
			if len(anchors) == 0 {
				fmt.Fprintf(out, "| %s | %s | %s | %s | - | - | - | - |\n", op, o, num(median(so.ns)), num(median(so.allocs)))
			}
			for _, a := range anchors {
				sa := data[op][a]
				fmt.Fprintf(out, "| %s | %s | %s | %s | %s | %s | %s | %.2f |\n", op, o,
					num(median(so.ns)), num(median(so.allocs)), a, num(median(sa.ns)), num(median(sa.allocs)),
					median(so.ns)/median(sa.ns))
			}
		}
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(x float64) string {
	if x >= 100 || x == float64(int64(x)) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}
