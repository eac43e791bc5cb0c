package main

// This file holds every call gssctl makes into the core packages for
// classification, status conversion, body parsing and the per-version
// table, so that the commands share one way of making each.

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
)

// readPolicy is the policy gssctl reads faults with: the catalog it was
// given (--catalog, else the built-in one) and vSphere's classification
// against that catalog.
func readPolicy(reg *registry.Registry) faults.Policy {
	return faults.Policy{Registry: reg, Classifier: vsphere.NewClassifier(reg).FromError}
}

// classify turns a govmomi error into the fault the policy gives it.
func classify(pol faults.Policy, err error) *faults.Error {
	f, _ := pol.FaultOf(err)
	return f
}

// classifySOAP reads a recorded SOAP fault body and classifies the error
// govmomi's client returns for it.
func classifySOAP(pol faults.Policy, body []byte) (*faults.Error, error) {
	sf, err := vsphere.ParseSOAPFault(body)
	if err != nil {
		return nil, err
	}
	return classify(pol, soap.WrapSoapFault(sf)), nil
}

// classifyVimType classifies a vim25 fault type by name (exact spelling,
// as govmomi's type registry has it): the fault a method returning that
// type would give, hierarchy-aware (PasswordExpired is InvalidLogin). The
// SOAP element name of a fault, <Name>Fault (govmomi's interface twin),
// stands for <Name>. ok is false for a name that is no vim25 method fault.
func classifyVimType(pol faults.Policy, name string) (*faults.Error, bool) {
	t, ok := types.TypeFunc()(name)
	if ok && t.Kind() == reflect.Interface && strings.HasSuffix(name, "Fault") {
		t, ok = types.TypeFunc()(strings.TrimSuffix(name, "Fault"))
	}
	if !ok || t.Kind() != reflect.Struct {
		return nil, false
	}
	v, ok := reflect.New(t).Interface().(types.BaseMethodFault)
	if !ok {
		return nil, false
	}
	return classify(pol, soap.WrapVimFault(v)), true
}

// parseResponse reads the answer validate checks.
func parseResponse(reg *registry.Registry, resp *http.Response) (*faults.Error, error) {
	return httpmap.ParseResponse(resp, httpmap.WithPolicy(faults.Policy{Registry: reg}))
}

// httpStatusOf is an entry's HTTP status with no target (its catalog
// status).
func httpStatusOf(e registry.Entry) int { return httpmap.EntryStatus(e) }

// grpcHTTPStatus is the HTTP status grpc-gateway gives a gRPC code.
var grpcHTTPStatus = httpmap.HTTPStatus

// answer is how a fault of an entry is answered over HTTP on a target.
type answer struct {
	Status     int
	ReportedAs string // the fault type that version reports instead, or ""
	Subcode    string
}

// answerOn maps a fault of entry e, under condition cond ("" for none), on
// target t, through the per-version table.
func answerOn(e registry.Entry, cond string, t httpmap.Target) answer {
	f := faults.FromEntry(e, "", nil)
	if cond != "" {
		f = f.WithMetadata(faults.Field{Key: httpmap.ConditionKey, Value: cond})
	}
	m := httpmap.Map(f, t)
	a := answer{Status: m.Status, Subcode: m.Subcode}
	if m.Fault != nil && m.Fault.FaultType() != e.FaultType {
		a.ReportedAs = m.Fault.FaultType()
	}
	return a
}

// tableRules is the per-version table's rules.
func tableRules() []httpmap.Rule { return httpmap.Rules() }
