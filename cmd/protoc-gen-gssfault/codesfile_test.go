package main

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzCodesFile: whatever text an operationId or method name holds (an
// openapiv2_operation operation_id is free text), the codes file is JSON
// that decodes back to the same entries. protoc only passes valid UTF-8.
func FuzzCodesFile(f *testing.F) {
	f.Add("/pkg.v1.VMService/PowerOn", "VMService_PowerOn", "GSS-VSP-012", "GSS-VSP-014")
	f.Add("/a.B/C", `quote" back\\slash <tag> & 	tab`, "", "\u2028")
	f.Add("/a.B/C", "日本語", "GSS-VSP-001", "\x00\x1f")
	f.Fuzz(func(t *testing.T, method, operationID, code1, code2 string) {
		for _, s := range []string{method, operationID, code1, code2} {
			if !utf8.ValidString(s) {
				t.Skip()
			}
		}
		ops := []operation{
			{method: method, operationID: operationID, codes: []string{code1, code2}},
			{method: method, operationID: operationID + "2", codes: []string{}},
		}
		content, err := encodeCodesFile(ops)
		if err != nil {
			t.Fatal(err)
		}
		var got codesFileJSON
		dec := json.NewDecoder(bytes.NewReader([]byte(content)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("codes file is not JSON: %v\n%s", err, content)
		}
		if got.Gssfault != "v1" || len(got.Methods) != len(ops) {
			t.Fatalf("decoded %+v from\n%s", got, content)
		}
		for i, op := range ops {
			m := got.Methods[i]
			if diff := cmp.Diff([]string{op.method, op.operationID}, []string{m.Method, m.OperationID}); diff != "" {
				t.Errorf("entry %d: (-want +got):\n%s", i, diff)
			}
			if diff := cmp.Diff(op.codes, m.Codes); diff != "" {
				t.Errorf("entry %d codes: (-want +got):\n%s", i, diff)
			}
		}
	})
}

// TestEncodeCodesFileEmpty: a file whose declaring methods have no
// operation still gets a codes file, with an empty list.
func TestEncodeCodesFileEmpty(t *testing.T) {
	got, err := encodeCodesFile(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"gssfault\": \"v1\",\n  \"methods\": []\n}\n"
	if got != want {
		t.Errorf("encodeCodesFile(nil) = %q, want %q", got, want)
	}
}
