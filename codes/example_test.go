package codes_test

import (
	"fmt"

	"github.com/gssfault/gssfault/codes"
)

func ExampleParse() {
	c, err := codes.Parse("GSS-VSP-023")
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Domain(), c.Domain().Description(), c.Number())
	// Output: VSP vSphere 23
}

func ExampleParse_invalid() {
	_, err := codes.Parse("gss-vsp-23")
	fmt.Println(err)
	_, err = codes.Parse("GSS-VSP-1000")
	fmt.Println(err)
	// Output:
	// codes: parse "gss-vsp-23": prefix "gss" must be "GSS"
	// codes: parse "GSS-VSP-1000": number "1000" must be three digits 0-9
}

func ExampleParseImpact() {
	l, _ := codes.ParseImpact("CRITICAL")
	fmt.Println(l, l > codes.Major)
	// Output: critical true
}

func ExampleParseCategory() {
	c, err := codes.ParseCategory("Network")
	fmt.Println(c, err)
	_, err = codes.ParseCategory("weather")
	fmt.Println(err != nil)
	// Output:
	// network <nil>
	// true
}
