package vapierr

import "testing"

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"NOT_FOUND": "NOT_FOUND", "not_found": "NOT_FOUND", "com.vmware.vapi.std.errors.not_found": "NOT_FOUND",
		" RESOURCE_BUSY ": "RESOURCE_BUSY", "": "", "com.vmware.vapi.std.errors.": "", "NOT FOUND": "", "x.y": "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every vAPI standard error type maps to a fault type.
func TestEveryErrorTypeMaps(t *testing.T) {
	for _, et := range []string{"ERROR", "ALREADY_EXISTS", "ALREADY_IN_DESIRED_STATE", "CANCELED", "CONCURRENT_CHANGE",
		"FEATURE_IN_USE", "INTERNAL_SERVER_ERROR", "INVALID_ARGUMENT", "INVALID_ELEMENT_CONFIGURATION",
		"INVALID_ELEMENT_TYPE", "INVALID_REQUEST", "NOT_ALLOWED_IN_CURRENT_STATE", "NOT_FOUND", "OPERATION_NOT_FOUND",
		"RESOURCE_BUSY", "RESOURCE_IN_USE", "RESOURCE_INACCESSIBLE", "SERVICE_UNAVAILABLE", "TIMED_OUT",
		"UNABLE_TO_ALLOCATE_RESOURCE", "UNAUTHENTICATED", "UNAUTHORIZED", "UNEXPECTED_INPUT", "UNSUPPORTED", "UNVERIFIED_PEER"} {
		if FaultType(et, 0) == "" {
			t.Errorf("FaultType(%s) is empty", et)
		}
	}
	if FaultType("UNABLE_TO_ALLOCATE_RESOURCE", 422) != "QuotaExceeded" || FaultType("UNABLE_TO_ALLOCATE_RESOURCE", 400) != "InsufficientResourcesFault" {
		t.Error("UNABLE_TO_ALLOCATE_RESOURCE does not depend on the status")
	}
	if FaultType("SOMETHING_NEW", 400) != "" {
		t.Error("an unknown error type mapped")
	}
}

func TestStatusFaultType(t *testing.T) {
	for st, want := range map[int]string{200: "", 302: "", 400: "InvalidRequest", 401: "NotAuthenticated", 403: "NoPermission",
		404: "NotFound", 409: "ConcurrentAccess", 418: "InvalidRequest", 503: "ServiceUnavailable", 504: "Timedout", 599: "SystemError"} {
		if got := StatusFaultType(st); got != want {
			t.Errorf("StatusFaultType(%d) = %q, want %q", st, got, want)
		}
	}
}

func TestParseBody(t *testing.T) {
	for in, want := range map[string][2]string{
		`{"error_type":"NOT_FOUND","messages":[{"default_message":"gone"}]}`:               {"NOT_FOUND", "gone"},
		`{"type":"com.vmware.vapi.std.errors.already_exists","value":{}}`:                  {"ALREADY_EXISTS", ""},
		`{"value":{"error_type":"RESOURCE_BUSY","messages":[{"default_message":"busy"}]}}`: {"RESOURCE_BUSY", "busy"},
	} {
		et, msg, ok := ParseBody([]byte(in))
		if !ok || et != want[0] || msg != want[1] {
			t.Errorf("ParseBody(%s) = %q, %q, %v", in, et, msg, ok)
		}
	}
	for _, in := range []string{``, `<html>`, `{"code":5}`, `[]`} {
		if _, _, ok := ParseBody([]byte(in)); ok {
			t.Errorf("ParseBody(%q) ok", in)
		}
	}
	if Resolve("", 404) != "NotFound" || Resolve("RESOURCE_BUSY", 400) != "Busy" {
		t.Error("Resolve does not fall back to the status")
	}
}
