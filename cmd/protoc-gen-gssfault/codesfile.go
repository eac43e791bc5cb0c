package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"
)

// codesFileVersion is the value of the codes file's "gssfault" member, the
// version of its format.
const codesFileVersion = "v1"

// codesFileName names the codes file of a .proto file (or of a merge), as
// protoc-gen-openapiv2 names the Swagger file: the extension replaced.
func codesFileName(name string) string {
	return strings.TrimSuffix(name, filepath.Ext(name)) + ".gssfault.json"
}

// codesFile returns the codes file name for ops, as encodeCodesFile writes
// it.
func codesFile(name string, ops []operation) (*pluginpb.CodeGeneratorResponse_File, error) {
	content, err := encodeCodesFile(ops)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &pluginpb.CodeGeneratorResponse_File{Name: proto.String(name), Content: proto.String(content)}, nil
}

// encodeCodesFile returns the codes file for ops:
//
//	{
//	  "gssfault": "v1",
//	  "methods": [
//	    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012"]}
//	  ]
//	}
//
// one method per line. Two methods with one operationId are an error.
func encodeCodesFile(ops []operation) (string, error) {
	byID := map[string]string{}
	var b bytes.Buffer
	b.WriteString("{\n  \"gssfault\": \"" + codesFileVersion + "\",\n  \"methods\": [")
	for i, op := range ops {
		if other, dup := byID[op.operationID]; dup {
			return "", fmt.Errorf("operationId %q names operations of both %s and %s, so their codes cannot be told apart "+
				"(protoc-gen-openapiv2 writes the same name for both: simple_operation_ids, or one operation_id for two methods)",
				op.operationID, other, op.method)
		}
		byID[op.operationID] = op.method
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    {\"method\": ")
		writeString(&b, op.method)
		b.WriteString(", \"operationId\": ")
		writeString(&b, op.operationID)
		b.WriteString(", \"codes\": [")
		for j, c := range op.codes {
			if j > 0 {
				b.WriteString(", ")
			}
			writeString(&b, c)
		}
		b.WriteString("]}")
	}
	if len(ops) > 0 {
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
	_ = enc.Encode(s)       // a bytes.Buffer does not fail; invalid UTF-8 becomes U+FFFD
	b.Truncate(b.Len() - 1) // Encode's newline
}
