package codes_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/codes"
)

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		in     string
		domain codes.Domain
		number int
	}{
		{"GSS-VSP-023", codes.VSP, 23},
		{"GSS-NSX-087", codes.NSX, 87},
		{"GSS-TKG-142", codes.TKG, 142},
		{"GSS-ABC-000", "ABC", 0},
		{"GSS-XYZ-999", "XYZ", 999},
	} {
		c, err := codes.Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q) error = %v, want nil", tc.in, err)
			continue
		}
		if c.String() != tc.in || c.Domain() != tc.domain || c.Number() != tc.number {
			t.Errorf("Parse(%q) = %q (domain %q, number %d), want domain %q number %d",
				tc.in, c, c.Domain(), c.Number(), tc.domain, tc.number)
		}
	}
}

func TestParseInvalidNamesPart(t *testing.T) {
	for _, tc := range []struct {
		in, part, mention string
	}{
		{"", "code", "empty"},
		{"gss-vsp-23", "prefix", `"gss"`},
		{"GSS-vsp-023", "domain", `"vsp"`},
		{"GSS-VSP-1000", "number", `"1000"`},
		{"GSS-VSP-23", "number", `"23"`},
		{"GSS--001", "domain", `""`},
		{"GSS-VSPX-001", "domain", `"VSPX"`},
		{"GSS-V5P-001", "domain", `"V5P"`},
		{"GSS-VSP-0a1", "number", `"0a1"`},
		{" GSS-VSP-001", "code", "white space at byte 0"},
		{"GSS-VSP-001\n", "code", "white space at byte 11"},
		{"GSS-VSP-001\x00", "code", "control character"},
		{"GSS-VSP", "code", "three hyphen-separated parts"},
		{"GSS-VSP-001-2", "code", "three hyphen-separated parts"},
		{"GSS_VSP_001", "code", "three hyphen-separated parts"},
		{"GSS-VSР-001", "code", "U+0420"},    // Cyrillic Er looks like P
		{"GSS-VSP-00１", "code", "U+FF11"},    // full-width digit one
		{"GSS‐VSP‐001", "code", "U+2010"},    // Unicode hyphen
		{"GSS-VSP-\xff01", "code", "U+FFFD"}, // invalid UTF-8
	} {
		c, err := codes.Parse(tc.in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error", tc.in, c)
			continue
		}
		var pe *codes.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q) error %T, want *codes.ParseError", tc.in, err)
		}
		if pe.Part != tc.part {
			t.Errorf("Parse(%q) error part = %q, want %q (%v)", tc.in, pe.Part, tc.part, err)
		}
		if !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("Parse(%q) error = %q, want it to mention %q", tc.in, err, tc.mention)
		}
		if !errors.Is(err, codes.ErrSyntax) {
			t.Errorf("Parse(%q) error does not match codes.ErrSyntax", tc.in)
		}
		if c != "" {
			t.Errorf("Parse(%q) returned code %q with an error", tc.in, c)
		}
	}
}

func TestInvalidCodeAccessors(t *testing.T) {
	c := codes.Code("nonsense")
	if c.Valid() || c.Domain() != "" || c.Number() != -1 {
		t.Errorf("invalid code: Valid=%v Domain=%q Number=%d, want false, \"\", -1", c.Valid(), c.Domain(), c.Number())
	}
	if _, err := c.MarshalText(); err == nil {
		t.Errorf("MarshalText(%q) succeeded, want error", c)
	}
}

func TestCodeTextRoundTrip(t *testing.T) {
	c := codes.Code("GSS-TKG-105")
	b, err := c.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var got codes.Code
	if err := got.UnmarshalText(b); err != nil || got != c {
		t.Errorf("UnmarshalText(%q) = %q, %v; want %q", b, got, err, c)
	}
	if err := got.UnmarshalText([]byte("GSS-tkg-105")); err == nil {
		t.Error("UnmarshalText accepted lower-case domain")
	}
}

func TestCodeAccessorsDoNotAllocate(t *testing.T) {
	c := codes.Code("GSS-VSP-023")
	n := testing.AllocsPerRun(100, func() {
		_ = c.Valid()
		_ = c.Domain()
		_ = c.Number()
		_ = c.String()
		if _, err := codes.Parse("GSS-VSP-023"); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("Valid/Domain/Number/String/Parse allocate %v times, want 0", n)
	}
}

func TestDomainDescription(t *testing.T) {
	for d, want := range map[codes.Domain]string{codes.VSP: "vSphere", codes.NSX: "NSX", codes.TKG: "Tanzu Kubernetes Grid", "ABC": ""} {
		if got := d.Description(); got != want {
			t.Errorf("Domain(%q).Description() = %q, want %q", d, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"GSS-VSP-023", "", "gss-vsp-23", "GSS-VSP-1000", "GSS--001", " GSS-VSP-001", "GSS-VSР-001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := codes.Parse(s)
		if err != nil {
			var pe *codes.ParseError
			if !errors.As(err, &pe) || pe.Input != s {
				t.Fatalf("Parse(%q) error %v is not a *ParseError for the input", s, err)
			}
			if c.Valid() {
				t.Fatalf("Parse(%q) failed but returned valid code %q", s, c)
			}
			return
		}
		// Round trip: a parsed code marshals to the same text and parses again.
		b, err := c.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText(Parse(%q)) = %q, %v", s, b, err)
		}
		var back codes.Code
		if err := back.UnmarshalText(b); err != nil || back != c {
			t.Fatalf("UnmarshalText(%q) = %q, %v", b, back, err)
		}
		if c.Number() < 0 || c.Number() > 999 || len(c.Domain()) != 3 {
			t.Fatalf("Parse(%q) gave Number %d Domain %q", s, c.Number(), c.Domain())
		}
	})
}
