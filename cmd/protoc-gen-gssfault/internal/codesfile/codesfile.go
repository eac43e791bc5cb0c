// Package codesfile writes the codes file of protoc-gen-gssfault, which
// `gssctl openapi inject SPEC --codes FILE` reads: for each OpenAPI
// operation of a gRPC method that declares GSS codes, the method, the
// operation's operationId and the codes.
//
//	{
//	  "gssfault": "v1",
//	  "methods": [
//	    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012", "GSS-VSP-014"]}
//	  ]
//	}
//
// It imports only the standard library.
package codesfile

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Version is the value of the file's "gssfault" member, the version of its
// format.
const Version = "v1"

// Entry is one member of the file's "methods": an OpenAPI operation of a
// method that declares codes.
type Entry struct {
	Method      string   `json:"method"`      // the gRPC full method name, "/pkg.Service/Method"
	OperationID string   `json:"operationId"` // the operation's OpenAPI operationId
	Codes       []string `json:"codes"`       // the declared GSS codes, in order; empty, not nil, for none
}

// Encode returns the codes file for entries, in the layout of the package
// documentation: one entry per line, in the order given. Two entries with
// one operationId are an error naming both methods, since a reader could
// not tell whose codes the operation has. Any text in the strings is
// escaped as JSON needs, without HTML escaping; invalid UTF-8 becomes
// U+FFFD.
func Encode(entries []Entry) (string, error) {
	byID := map[string]string{}
	var b bytes.Buffer
	b.WriteString("{\n  \"gssfault\": \"" + Version + "\",\n  \"methods\": [")
	for i, e := range entries {
		if other, dup := byID[e.OperationID]; dup {
			return "", fmt.Errorf("operationId %q names operations of both %s and %s, so their codes cannot be told apart "+
				"(protoc-gen-openapiv2 writes the same name for both: simple_operation_ids, or one operation_id for two methods)",
				e.OperationID, other, e.Method)
		}
		byID[e.OperationID] = e.Method
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    {\"method\": ")
		writeString(&b, e.Method)
		b.WriteString(", \"operationId\": ")
		writeString(&b, e.OperationID)
		b.WriteString(", \"codes\": [")
		for j, c := range e.Codes {
			if j > 0 {
				b.WriteString(", ")
			}
			writeString(&b, c)
		}
		b.WriteString("]}")
	}
	if len(entries) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.String(), nil
}

// writeString writes s as a JSON string, without HTML escaping (an
// operation_id may hold any text).
func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a bytes.Buffer does not fail
	b.Truncate(b.Len() - 1) // Encode's newline
}
