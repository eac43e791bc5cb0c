package codesfile

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzEncode: whatever text an operationId or method name holds (an
// openapiv2_operation operation_id is free text), the codes file is JSON
// that decodes back to the same entries. protoc only passes valid UTF-8.
// File is the whole codes file as encoding/json reads it, with any
// strings (openapi.ReadCodesFile, the reader, also checks the codes).
type File struct {
	Gssfault string  `json:"gssfault"` // Version
	Methods  []Entry `json:"methods"`
}

func FuzzEncode(f *testing.F) {
	f.Add("/pkg.v1.VMService/PowerOn", "VMService_PowerOn", "GSS-VSP-012", "GSS-VSP-014")
	f.Add("/a.B/C", `quote" back\\slash <tag> & 	tab`, "", "\u2028")
	f.Add("/a.B/C", "日本語", "GSS-VSP-001", "\x00\x1f")
	f.Fuzz(func(t *testing.T, method, operationID, code1, code2 string) {
		for _, s := range []string{method, operationID, code1, code2} {
			if !utf8.ValidString(s) {
				t.Skip()
			}
		}
		entries := []Entry{
			{Method: method, OperationID: operationID, Codes: []string{code1, code2}},
			{Method: method, OperationID: operationID + "2", Codes: []string{}},
		}
		content, err := Encode(entries)
		if err != nil {
			t.Fatal(err)
		}
		var got File
		dec := json.NewDecoder(bytes.NewReader([]byte(content)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("codes file is not JSON: %v\n%s", err, content)
		}
		if diff := cmp.Diff(File{Gssfault: "v1", Methods: entries}, got); diff != "" {
			t.Errorf("decoded (-want +got):\n%s\nfrom\n%s", diff, content)
		}
	})
}

// TestEncodeLayout holds Encode to the documented layout, byte for byte.
func TestEncodeLayout(t *testing.T) {
	for _, tt := range []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"none", nil, "{\n  \"gssfault\": \"v1\",\n  \"methods\": []\n}\n"},
		{"two", []Entry{
			{Method: "/pkg.v1.VMService/PowerOn", OperationID: "VMService_PowerOn", Codes: []string{"GSS-VSP-012", "GSS-VSP-014"}},
			{Method: "/pkg.v1.VMService/Rename", OperationID: "VMService_Rename", Codes: []string{}},
		}, `{
  "gssfault": "v1",
  "methods": [
    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012", "GSS-VSP-014"]},
    {"method": "/pkg.v1.VMService/Rename", "operationId": "VMService_Rename", "codes": []}
  ]
}
`},
		{"no HTML escaping", []Entry{{Method: "/a.B/C", OperationID: `<a&b>"`, Codes: []string{}}},
			"{\n  \"gssfault\": \"v1\",\n  \"methods\": [\n    {\"method\": \"/a.B/C\", \"operationId\": \"<a&b>\\\"\", \"codes\": []}\n  ]\n}\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(tt.entries)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Encode (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEncodeSharedOperationID: two methods under one operationId are an
// error that names both.
func TestEncodeSharedOperationID(t *testing.T) {
	_, err := Encode([]Entry{
		{Method: "/a.A/Get", OperationID: "Get", Codes: []string{}},
		{Method: "/a.B/Get", OperationID: "Get", Codes: []string{}},
	})
	if err == nil {
		t.Fatal("Encode succeeded; want an error")
	}
	for _, w := range []string{`operationId "Get"`, "/a.A/Get", "/a.B/Get"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}
