package release_test

import (
	"strings"
	"testing"

	"github.com/gssfault/gssfault/vsphere/release"
)

func v(major, minor, update int) release.Version {
	r, ok := release.New(major, minor, update)
	if !ok {
		panic("bad test version")
	}
	return r
}

func TestParse(t *testing.T) {
	for in, want := range map[string]release.Version{
		"6.7.3": v(6, 7, 3), "6.7 U3": v(6, 7, 3), "7.0 U3": v(7, 0, 3), "7.0.3": v(7, 0, 3), "8.0.3": v(8, 0, 3),
		"8.0 Update 3": v(8, 0, 3), "8.0 update 2": v(8, 0, 2), "8.0.3.0": v(8, 0, 3), "8.0.2.00300": v(8, 0, 2),
		"7.0U3": v(7, 0, 3), "7.0 U3c": v(7, 0, 3), "8.0": v(8, 0, 0), "8": v(8, 0, 0), " 8.0.1 ": v(8, 0, 1),
		"VMware vCenter Server 8.0.3 build-24022515": v(8, 0, 3), "VMware ESXi 6.7.0 build-8169922": v(6, 7, 0),
		"6.5": v(6, 5, 0),
	} {
		got, err := release.Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "   ", "latest", "8.x", "8.0 U", "8.0 Ux", "8.0.3 U2", "-1.0", "8.0 Update", "8.0 U3 extra",
		"0.0", "99999999999.0", "8..0", "8.0.", "vSphere", strings.Repeat("8", 200), "８.0", "256.0", "8.0 U300",
		"VMware build-1", "8.0.3.x"} {
		if got, err := release.Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, got)
		} else if !strings.Contains(err.Error(), "parse version") || len(err.Error()) > 300 {
			t.Errorf("Parse(%q) error %q does not say what failed, briefly", in, err)
		}
	}
}

func TestKnownAreOrderedConstants(t *testing.T) {
	k := release.Known()
	for i := 1; i < len(k); i++ {
		if !(k[i-1] < k[i]) {
			t.Errorf("Known()[%d] = %v is not older than [%d] = %v", i-1, k[i-1], i, k[i])
		}
	}
	if k[len(k)-1] != release.Newest {
		t.Errorf("the newest known release is %v, Newest is %v", k[len(k)-1], release.Newest)
	}
	k[0] = 0
	if release.Known()[0] != release.V67U2 {
		t.Error("Known returned a shared slice")
	}
	for want, got := range map[string]release.Version{"8.0 U3": release.V803, "8.0": release.V800, "6.7 U2": release.V67U2, "": 0} {
		if got.String() != want {
			t.Errorf("%d.String() = %q, want %q", uint32(got), got.String(), want)
		}
	}
	if release.V803.Major() != 8 || release.V803.Minor() != 0 || release.V803.Update() != 3 || release.V803.Dotted() != "8.0.3" {
		t.Errorf("V803 parts = %d %d %d %q", release.V803.Major(), release.V803.Minor(), release.V803.Update(), release.V803.Dotted())
	}
}

func TestNew(t *testing.T) {
	for _, in := range [][3]int{{0, 0, 0}, {-1, 0, 0}, {8, -1, 0}, {8, 0, 256}, {256, 0, 0}} {
		if got, ok := release.New(in[0], in[1], in[2]); ok {
			t.Errorf("New(%v) = %v, true; want false", in, got)
		}
	}
}

func TestText(t *testing.T) {
	b, _ := release.V70U3.MarshalText()
	var got release.Version
	if err := got.UnmarshalText(b); err != nil || got != release.V70U3 || string(b) != "7.0.3" {
		t.Errorf("text round trip: %q -> %v, %v", b, got, err)
	}
	if err := got.UnmarshalText([]byte("nope")); err == nil {
		t.Error("UnmarshalText accepted nonsense")
	}
	if err := got.UnmarshalText(nil); err != nil || !got.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %v; want the zero Version", got, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"8.0.3", "6.7 U3", "8.0 Update 3", "7.0U3c", "VMware vCenter Server 8.0.3 build-1", "8.0.3.0", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := release.Parse(s)
		if err != nil {
			return
		}
		// A parsed version survives its own dotted and marketing forms.
		for _, text := range []string{got.Dotted(), got.String()} {
			back, err := release.Parse(text)
			if err != nil || back != got {
				t.Fatalf("Parse(%q) = %v; its text %q parses to %v, %v", s, got, text, back, err)
			}
		}
		if got.Major() <= 0 {
			t.Fatalf("Parse(%q) = %v has major %d", s, got, got.Major())
		}
	})
}
