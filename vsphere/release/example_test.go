package release_test

import (
	"fmt"

	"github.com/gssfault/gssfault/vsphere/release"
)

func ExampleParse() {
	for _, s := range []string{"8.0 Update 3", "7.0U3c", "VMware vCenter Server 6.7.3 build-15976714", "8.0.2.00300"} {
		v, err := release.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-45q %-7s %s since 8.0 U1: %v\n", s, v, v.Dotted(), v >= release.V801)
	}
	// Output:
	// "8.0 Update 3"                                8.0 U3  8.0.3 since 8.0 U1: true
	// "7.0U3c"                                      7.0 U3  7.0.3 since 8.0 U1: false
	// "VMware vCenter Server 6.7.3 build-15976714"  6.7 U3  6.7.3 since 8.0 U1: false
	// "8.0.2.00300"                                 8.0 U2  8.0.2 since 8.0 U1: true
}
