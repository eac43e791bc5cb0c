package openapi_test

import (
	"strings"
	"testing"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/httpmap/openapi"
)

func TestReadCodesFile(t *testing.T) {
	f, err := openapi.ReadCodesFile(strings.NewReader(`{
  "gssfault": "v1",
  "methods": [
    {"method": "/pkg.v1.VMService/PowerOn", "operationId": "VMService_PowerOn", "codes": ["GSS-VSP-012", "GSS-VSP-014"]},
    {"method": "/pkg.v1.VMService/Get", "operationId": "VMService_Get", "codes": []}
  ]
}`))
	if err != nil {
		t.Fatal(err)
	}
	by := f.ByOperationID()
	if got := by["VMService_PowerOn"]; len(got) != 2 || got[0] != codes.InvalidPowerState || got[1] != codes.TaskInProgress {
		t.Errorf("VMService_PowerOn = %v", got)
	}
	if got, ok := by["VMService_Get"]; !ok || len(got) != 0 {
		t.Errorf("VMService_Get = %v, %v; want listed with no codes", got, ok)
	}
}

func TestReadCodesFileRejects(t *testing.T) {
	entry := func(s string) string { return `{"gssfault": "v1", "methods": [` + s + `]}` }
	good := `{"method": "/a.S/M", "operationId": "S_M", "codes": ["GSS-VSP-005"]}`
	for _, tc := range []struct{ name, in, want string }{
		{"no version", `{"methods": []}`, "version"},
		{"other version", `{"gssfault": "v2", "methods": []}`, `"v2"`},
		{"unknown top-level field", `{"gssfault": "v1", "methods": [], "extra": 1}`, "extra"},
		{"unknown method field", entry(good + `, {"method": "/a.S/N", "operationId": "S_N", "kodes": []}`), "methods[1]"},
		{"malformed code", entry(`{"method": "/a.S/M", "operationId": "S_M", "codes": ["GSS-VSP-5"]}`), "methods[0] (/a.S/M): codes[0]"},
		{"code twice", entry(`{"method": "/a.S/M", "operationId": "S_M", "codes": ["GSS-VSP-005", "GSS-VSP-005"]}`), "listed twice"},
		{"no method", entry(`{"operationId": "S_M", "codes": []}`), "methods[0]: no method"},
		{"no operationId", entry(`{"method": "/a.S/M", "codes": []}`), "no operationId"},
		{"duplicate operationId", entry(good + "," + good), "methods[0]"},
		{"trailing data", entry(good) + ` {}`, "after"},
		{"not JSON", `gssfault: v1`, "codes file"},
		{"over the cap", `{"gssfault": "v1", "methods": [], "x": "` + strings.Repeat("x", openapi.MaxCodesFileBytes) + `"}`, "larger than"},
	} {
		_, err := openapi.ReadCodesFile(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}
