package vsphere

import (
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/vapi/rest"
)

// This file holds the only code that depends on how govmomi formats
// errors it does not export: its HTTP status errors and the error of a
// vAPI 400 answer. TestGovmomiInternals provokes each through vcsim and
// fails loudly if a govmomi upgrade changes them.

// httpStatusOf returns the HTTP status of govmomi's status errors: the
// vapi/rest client's (read with rest.IsStatusError) and the SOAP client's
// (an unexported type whose text is the response's Status line, "503
// Service Unavailable").
func httpStatusOf(node error) (int, bool) {
	t := reflect.TypeOf(node)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Name() != "statusError" {
		return 0, false
	}
	switch t.Elem().PkgPath() {
	case "github.com/vmware/govmomi/vapi/rest":
		for code := 400; code < 600; code++ {
			if rest.IsStatusError(node, code) {
				return code, true
			}
		}
	case "github.com/vmware/govmomi/vim25/soap":
		return leadingStatus(node.Error())
	}
	return 0, false
}

// statusText is the "404 Not Found" part of a status error's text.
func statusText(node error) string {
	s := node.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:] // vapi/rest: "GET <url>: 404 Not Found"
	}
	return s
}

// leadingStatus reads the status at the start of "503 Service Unavailable".
func leadingStatus(s string) (int, bool) {
	if len(s) < 3 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:3])
	if err != nil || n < 400 || n > 599 || len(s) > 3 && s[3] != ' ' {
		return 0, false
	}
	return n, true
}

// errorStringType is the type of errors.New's errors, which fmt.Errorf
// returns without %w.
var errorStringType = reflect.TypeOf(errors.New(""))

// vapi400 recognises the error govmomi's vapi/rest client makes of a 400
// answer, fmt.Errorf("%s: %s", res.Status, body): an *errors.errorString
// whose text is "400 Bad Request: <body>". It returns the status and the
// body; the caller checks that the body is a vAPI error. Only that type's
// text is read, so a caller's own error types are never asked for theirs.
func vapi400(node error) (status, body string, ok bool) {
	if reflect.TypeOf(node) != errorStringType {
		return "", "", false
	}
	const prefix = "400 Bad Request: "
	text := node.Error()
	if !strings.HasPrefix(text, prefix) {
		return "", "", false
	}
	return "400 Bad Request", strings.TrimSpace(text[len(prefix):]), true
}
