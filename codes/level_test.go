package codes_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gssfault/gssfault/codes"
)

func TestImpactText(t *testing.T) {
	for _, l := range codes.ImpactLevels() {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", l, err)
		}
		for _, in := range []string{string(b), strings.ToUpper(string(b)), strings.ToUpper(string(b[:1])) + string(b[1:])} {
			var got codes.ImpactLevel
			if err := got.UnmarshalText([]byte(in)); err != nil || got != l {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", in, got, err, l)
			}
		}
	}
	if !(codes.Minor < codes.Major && codes.Major < codes.Critical) {
		t.Error("impact levels are not ordered minor < major < critical")
	}
	var l codes.ImpactLevel
	for _, bad := range []string{"", "severe", "minor ", "crıtical"} { // dotless i
		if err := l.UnmarshalText([]byte(bad)); err == nil || !strings.Contains(err.Error(), "impact level") {
			t.Errorf("UnmarshalText(%q) error = %v, want an impact level error", bad, err)
		}
	}
	if _, err := codes.ImpactLevel(0).MarshalText(); err == nil {
		t.Error("MarshalText of the zero impact level succeeded")
	}
	if got := codes.ImpactLevel(9).String(); got != "ImpactLevel(9)" {
		t.Errorf("ImpactLevel(9).String() = %q", got)
	}
}

func TestCategoryText(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range codes.Categories() {
		b, err := c.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", c, err)
		}
		if seen[string(b)] {
			t.Errorf("category name %q used twice", b)
		}
		seen[string(b)] = true
		var got codes.Category
		if err := got.UnmarshalText([]byte(strings.ToUpper(string(b)))); err != nil || got != c {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", strings.ToUpper(string(b)), got, err, c)
		}
	}
	var c codes.Category
	if err := c.UnmarshalText([]byte("weather")); err == nil || !strings.Contains(err.Error(), `"weather"`) {
		t.Errorf("UnmarshalText(weather) error = %v, want one naming the input", err)
	}
	if _, err := codes.Category(0).MarshalText(); err == nil {
		t.Error("MarshalText of the zero category succeeded")
	}
}

func TestJSONUsesText(t *testing.T) {
	type doc struct {
		Impact   codes.ImpactLevel `json:"impact"`
		Category codes.Category    `json:"category"`
		Code     codes.Code        `json:"code"`
	}
	in := doc{codes.Critical, codes.CategoryNetwork, "GSS-VSP-024"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"impact":"critical","category":"network","code":"GSS-VSP-024"}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal([]byte(`{"impact":"Critical","category":"NETWORK","code":"GSS-VSP-024"}`), &out); err != nil || out != in {
		t.Errorf("json.Unmarshal = %+v, %v; want %+v", out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"code":"GSS-VSP-24"}`), &out); err == nil {
		t.Error("json.Unmarshal accepted a bad code")
	}
}

func TestStringDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		_ = codes.Critical.String()
		_ = codes.CategoryNetwork.String()
	}); n != 0 {
		t.Errorf("String allocates %v times, want 0", n)
	}
}
