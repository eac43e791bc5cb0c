package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gssfault/gssfault/codes"
)

// MaxCodesFileBytes is the size of the largest codes file [ReadCodesFile]
// reads: 4 MiB (a codes file of 10,000 methods is about 1.5 MB).
const MaxCodesFileBytes = 4 << 20

// CodesFileVersion is the version of the codes file format this package
// reads.
const CodesFileVersion = "v1"

// CodesFile says which GSS codes each RPC method can return. gssfault's
// protoc plugin writes it from the methods' annotations:
//
//	{
//	  "gssfault": "v1",
//	  "methods": [
//	    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn",
//	     "codes": ["GSS-VSP-012", "GSS-VSP-014"]}
//	  ]
//	}
//
// operationId is what protoc-gen-openapiv2 names the method's operation
// (<Service>_<Method>); [Inject] matches operations by it (through
// [CodesFile.ByOperationID] and Options.OperationCodes).
type CodesFile struct {
	Version string        `json:"gssfault"`
	Methods []MethodCodes `json:"methods"`
}

// MethodCodes is one method of a [CodesFile].
type MethodCodes struct {
	// Method is the gRPC full method name, /package.Service/Method.
	Method string `json:"method"`
	// OperationID is the operation's operationId in the API description.
	OperationID string `json:"operationId"`
	// Codes are the GSS codes the method can return; empty means none.
	Codes []codes.Code `json:"codes"`
}

// ReadCodesFile reads a codes file strictly: at most [MaxCodesFileBytes],
// version [CodesFileVersion], no unknown field, every method with a method
// name and an operationId that no other method has, every code a valid
// GSS code listed once. An error names the entry at fault. Whether the
// codes are in the catalog is checked by [Inject].
func ReadCodesFile(r io.Reader) (CodesFile, error) {
	data, err := readCapped(r, MaxCodesFileBytes, "codes file")
	if err != nil {
		return CodesFile{}, err
	}
	var top struct {
		Version *string           `json:"gssfault"`
		Methods []json.RawMessage `json:"methods"`
	}
	if err := strictJSON(data, &top); err != nil {
		return CodesFile{}, fmt.Errorf("openapi: codes file: %w", err)
	}
	if top.Version == nil {
		return CodesFile{}, errors.New(`openapi: codes file: no "gssfault" version`)
	}
	if *top.Version != CodesFileVersion {
		return CodesFile{}, fmt.Errorf("openapi: codes file: version %q, want %q", *top.Version, CodesFileVersion)
	}
	f := CodesFile{Version: *top.Version, Methods: make([]MethodCodes, 0, len(top.Methods))}
	ids := map[string]int{}
	for i, raw := range top.Methods {
		var m struct {
			Method      string   `json:"method"`
			OperationID string   `json:"operationId"`
			Codes       []string `json:"codes"`
		}
		if err := strictJSON(raw, &m); err != nil {
			return CodesFile{}, fmt.Errorf("openapi: codes file: methods[%d]: %w", i, err)
		}
		where := fmt.Sprintf("methods[%d] (%s)", i, m.Method)
		switch {
		case m.Method == "":
			return CodesFile{}, fmt.Errorf("openapi: codes file: methods[%d]: no method name", i)
		case m.OperationID == "":
			return CodesFile{}, fmt.Errorf("openapi: codes file: %s: no operationId", where)
		}
		if j, dup := ids[m.OperationID]; dup {
			return CodesFile{}, fmt.Errorf("openapi: codes file: %s: operationId %q is also methods[%d]'s", where, m.OperationID, j)
		}
		ids[m.OperationID] = i
		mc := MethodCodes{Method: m.Method, OperationID: m.OperationID, Codes: make([]codes.Code, 0, len(m.Codes))}
		for j, s := range m.Codes {
			c, err := codes.Parse(s)
			if err != nil {
				return CodesFile{}, fmt.Errorf("openapi: codes file: %s: codes[%d]: %w", where, j, err)
			}
			for _, prev := range mc.Codes {
				if prev == c {
					return CodesFile{}, fmt.Errorf("openapi: codes file: %s: %s is listed twice", where, c)
				}
			}
			mc.Codes = append(mc.Codes, c)
		}
		f.Methods = append(f.Methods, mc)
	}
	return f, nil
}

// strictJSON decodes one JSON value into v: no unknown field, nothing after
// it.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// ByOperationID returns the codes of each operationId, for
// Options.OperationCodes.
func (f CodesFile) ByOperationID() map[string][]codes.Code {
	out := make(map[string][]codes.Code, len(f.Methods))
	for _, m := range f.Methods {
		out[m.OperationID] = m.Codes
	}
	return out
}
