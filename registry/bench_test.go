package registry_test

import (
	"strings"
	"testing"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

var sinkEntry registry.Entry

// BenchmarkLookup compares Lookup with the map of entries a user would
// keep by hand.
func BenchmarkLookup(b *testing.B) {
	r := registry.Default()
	byCode := map[codes.Code]registry.Entry{}
	for _, e := range r.All() {
		byCode[e.Code] = e
	}
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkEntry, _ = r.Lookup(codes.HostNotReachable)
		}
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkEntry = byCode[codes.HostNotReachable]
		}
	})
}

// BenchmarkByFaultType compares the case-insensitive ByFaultType with a
// map keyed by the lower-cased name, lowered per call.
func BenchmarkByFaultType(b *testing.B) {
	r := registry.Default()
	byType := map[string]registry.Entry{}
	for _, e := range r.All() {
		byType[strings.ToLower(e.FaultType)] = e
	}
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkEntry, _ = r.ByFaultType("HostNotReachable")
		}
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkEntry = byType[strings.ToLower("HostNotReachable")]
		}
	})
}

// BenchmarkSearch measures a ranked, typo-tolerant search against a scan
// with strings.Contains over the same fields, which finds no typos.
func BenchmarkSearch(b *testing.B) {
	r := registry.Default()
	all := r.All()
	b.Run("gssfault", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(r.Search("host timeout")) == 0 {
				b.Fatal("no result")
			}
		}
	})
	b.Run("contains", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var out []registry.Entry
			for _, e := range all {
				text := strings.ToLower(e.FaultType + " " + e.Trigger + " " + e.Component)
				if strings.Contains(text, "host") || strings.Contains(text, "timeout") {
					out = append(out, e)
				}
			}
			if len(out) == 0 {
				b.Fatal("no result")
			}
		}
	})
}
