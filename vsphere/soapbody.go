package vsphere

import (
	"bytes"
	encxml "encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

// Bounds of [ParseSOAPFault].
const (
	// MaxSOAPFaultBytes is the largest body ParseSOAPFault reads.
	MaxSOAPFaultBytes = 1 << 20
	// MaxSOAPFaultDepth is the deepest element nesting it accepts. A vim
	// fault with a chain of twenty nested faultCause elements stays well
	// inside it.
	MaxSOAPFaultDepth = 128
)

// soapEnvNS is the SOAP 1.1 envelope namespace vSphere's /sdk speaks.
const soapEnvNS = "http://schemas.xmlsoap.org/soap/envelope/"

// ParseSOAPFault reads a SOAP 1.1 fault as vSphere's /sdk endpoint sends
// it, or as a log recorded it, and returns the fault govmomi's SOAP client
// decodes from it: same decoder (govmomi's vim25/xml with the vim25 type
// registry), same [soap.Fault]. [soap.WrapSoapFault] of it is the error
// govmomi returns for that answer, so
//
//	Classify(soap.WrapSoapFault(f))
//
// classifies the body as the live call would have been classified.
//
// body is either a whole envelope (an optional XML declaration, then
// Envelope, optionally Header, Body, Fault) or a Fault element alone, as a
// log or a test fixture holds it. Any prefix works and an undeclared one
// is accepted (a fragment cut out of an envelope loses its xmlns
// attributes); a prefix bound to a namespace other than SOAP 1.1's is not
// a SOAP 1.1 fault.
//
// It returns an error naming what is wrong for a body over
// [MaxSOAPFaultBytes], nested deeper than [MaxSOAPFaultDepth], that is not
// well-formed XML, or that holds no Fault where a SOAP fault would be.
// Unknown fault types decode as govmomi decodes them (the detail is then
// empty). The work is linear in len(body).
func ParseSOAPFault(body []byte) (*soap.Fault, error) {
	if len(body) > MaxSOAPFaultBytes {
		return nil, fmt.Errorf("vsphere: SOAP fault body of %d bytes is over the limit of %d", len(body), MaxSOAPFaultBytes)
	}
	if err := checkXMLDepth(body); err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.TypeFunc = types.TypeFunc()
	// Walk down Envelope > Body > Fault, or take a Fault at the top.
	var path []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil, errors.New("vsphere: no SOAP Fault element in the body")
		}
		if err != nil {
			return nil, fmt.Errorf("vsphere: SOAP fault body: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !soapSpace(t.Name.Space) {
				return nil, fmt.Errorf("vsphere: element <%s> in namespace %q is not SOAP 1.1", t.Name.Local, t.Name.Space)
			}
			path = append(path, t.Name.Local)
			switch strings.Join(path, "/") {
			case "Envelope", "Envelope/Header", "Envelope/Body":
				if t.Name.Local == "Header" {
					if err := dec.Skip(); err != nil {
						return nil, fmt.Errorf("vsphere: SOAP fault body: %w", err)
					}
					path = path[:len(path)-1]
				}
				continue
			case "Fault", "Envelope/Body/Fault":
				var f soap.Fault
				t.Name.Space = soapEnvNS // what soap.Fault's XMLName asks for
				if err := dec.DecodeElement(&f, &t); err != nil {
					return nil, fmt.Errorf("vsphere: SOAP fault: %w", err)
				}
				return &f, nil
			}
			return nil, fmt.Errorf("vsphere: <%s> where a SOAP Fault would be", strings.Join(path, "/"))
		case xml.EndElement:
			return nil, errors.New("vsphere: no SOAP Fault element in the body")
		}
	}
}

// soapSpace reports whether an element's namespace can be SOAP 1.1's: that
// namespace, none, or an undeclared prefix (which the decoder reports as
// the namespace, "soapenv").
func soapSpace(ns string) bool {
	return ns == soapEnvNS || !strings.ContainsAny(ns, ":/")
}

// checkXMLDepth tokenizes body with the standard library and fails at the
// first element nested deeper than MaxSOAPFaultDepth, before govmomi's
// decoder, which recurses per level, sees it.
func checkXMLDepth(body []byte) error {
	d := encxml.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("vsphere: SOAP fault body: %w", err)
		}
		switch tok.(type) {
		case encxml.StartElement:
			if depth++; depth > MaxSOAPFaultDepth {
				return fmt.Errorf("vsphere: SOAP fault body nested deeper than %d elements", MaxSOAPFaultDepth)
			}
		case encxml.EndElement:
			depth--
		}
	}
}
