package httpmap_test

import (
	"strings"
	"testing"

	"github.com/gssfault/gssfault/httpmap"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]httpmap.Version{
		"6.7.3": {6, 7, 3}, "6.7 U3": {6, 7, 3}, "7.0 U3": {7, 0, 3}, "7.0.3": {7, 0, 3}, "8.0.3": {8, 0, 3},
		"8.0 Update 3": {8, 0, 3}, "8.0 update 2": {8, 0, 2}, "8.0.3.0": {8, 0, 3}, "8.0.2.00300": {8, 0, 2},
		"7.0U3": {7, 0, 3}, "7.0 U3c": {7, 0, 3}, "8.0": {8, 0, 0}, "8": {8, 0, 0}, " 8.0.1 ": {8, 0, 1},
		"VMware vCenter Server 8.0.3 build-24022515": {8, 0, 3}, "VMware ESXi 6.7.0 build-8169922": {6, 7, 0},
		"6.5": {6, 5, 0},
	} {
		got, err := httpmap.ParseVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseVersionRejects(t *testing.T) {
	for _, in := range []string{"", "   ", "latest", "8.x", "8.0 U", "8.0 Ux", "8.0.3 U2", "-1.0", "8.0 Update", "8.0 U3 extra",
		"0.0", "99999999999.0", "8..0", "8.0.", "vSphere", strings.Repeat("8", 200), "８.0"} {
		if v, err := httpmap.ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want error", in, v)
		} else if !strings.Contains(err.Error(), "parse version") {
			t.Errorf("ParseVersion(%q) error %q does not say what failed", in, err)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	order := []httpmap.Version{httpmap.V67U2, httpmap.V67U3, httpmap.V70U1, httpmap.V70U3, httpmap.V800, httpmap.V801, httpmap.V802, httpmap.V803}
	for i := range order {
		for j := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := order[i].Compare(order[j]); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if !httpmap.V803.AtLeast(httpmap.V802) || httpmap.V802.AtLeast(httpmap.V803) || !httpmap.V67U2.Before(httpmap.V67U3) {
		t.Error("AtLeast/Before disagree with Compare")
	}
	if httpmap.V803.String() != "8.0 U3" || httpmap.V800.String() != "8.0" || (httpmap.Version{}).String() != "" {
		t.Error("String is not the marketing form")
	}
}

func TestVersionText(t *testing.T) {
	b, _ := httpmap.V70U3.MarshalText()
	var v httpmap.Version
	if err := v.UnmarshalText(b); err != nil || v != httpmap.V70U3 || string(b) != "7.0.3" {
		t.Errorf("text round trip: %q -> %v, %v", b, v, err)
	}
	if err := v.UnmarshalText([]byte("nope")); err == nil {
		t.Error("UnmarshalText accepted nonsense")
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"8.0.3", "6.7 U3", "8.0 Update 3", "7.0U3c", "VMware vCenter Server 8.0.3 build-1", "8.0.3.0", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := httpmap.ParseVersion(s)
		if err != nil {
			return
		}
		// A parsed version survives its own dotted text form.
		b, err := v.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		back, err := httpmap.ParseVersion(string(b))
		if err != nil || back != v {
			t.Fatalf("ParseVersion(%q) = %v; its text %q parses to %v, %v", s, v, b, back, err)
		}
		if v.Major <= 0 || v.Minor < 0 || v.Update < 0 {
			t.Fatalf("ParseVersion(%q) = %v has a negative part", s, v)
		}
	})
}
