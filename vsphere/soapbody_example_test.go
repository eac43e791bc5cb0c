package vsphere_test

import (
	"fmt"

	"github.com/vmware/govmomi/vim25/soap"

	"github.com/gssfault/gssfault/vsphere"
)

// A SOAP fault as a log recorded it (the Fault element of an answer from
// vCenter's /sdk), classified as the live call would have been.
func ExampleParseSOAPFault() {
	body := `<soapenv:Fault><faultcode>ServerFaultCode</faultcode>` +
		`<faultstring>The operation is not allowed in the current state.</faultstring>` +
		`<detail><TaskInProgressFault xmlns="urn:vim25" xsi:type="TaskInProgress">` +
		`<task type="Task">task-77</task></TaskInProgressFault></detail></soapenv:Fault>`
	sf, err := vsphere.ParseSOAPFault([]byte(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := vsphere.FromError(soap.WrapSoapFault(sf)) // the error govmomi returns for that answer
	fmt.Println(f.Code(), f.FaultType(), f.Retryable())
	// Output: GSS-VSP-014 TaskInProgress true
}
