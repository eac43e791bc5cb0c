package codes

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code is a GSS fault code such as GSS-VSP-023.
//
// The zero value is the empty code, which is not valid; it is what
// [faults.CodeOf] returns for a nil error. A Code obtained from [Parse] or
// from a registry is always valid. Comparing two codes with == is the
// identity test: codes are case-sensitive and have exactly one spelling.
type Code string

// Domain is the three-letter domain part of a [Code], such as VSP.
type Domain string

// The domains of the built-in catalog. A custom registry may use other
// domains: any three upper-case ASCII letters form a valid domain.
const (
	// VSP is vSphere: vCenter, ESXi and the vim25 and vAPI interfaces.
	VSP Domain = "VSP"
	// NSX is VMware NSX networking.
	NSX Domain = "NSX"
	// TKG is Tanzu Kubernetes Grid and vSphere with Tanzu.
	TKG Domain = "TKG"
)

// Description returns a short human name for the built-in domains ("vSphere",
// "NSX", "Tanzu Kubernetes Grid") and "" for any other domain.
func (d Domain) Description() string {
	switch d {
	case VSP:
		return "vSphere"
	case NSX:
		return "NSX"
	case TKG:
		return "Tanzu Kubernetes Grid"
	}
	return ""
}

const (
	prefix  = "GSS"
	codeLen = len("GSS-VSP-023")
)

// ErrSyntax is the error that every [*ParseError] from [Parse] matches with
// [errors.Is]. It is returned, wrapped, by [Parse] and [Code.UnmarshalText].
var ErrSyntax = errors.New("codes: invalid code syntax")

// ParseError is the error [Parse] returns: the input, the part of the code
// that is wrong ("code", "prefix", "domain" or "number") and why.
type ParseError struct {
	Input  string // the string given to Parse
	Part   string // "code", "prefix", "domain" or "number"
	Reason string // what is wrong with that part
}

// Error returns `codes: parse "<input>": <part> <reason>`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("codes: parse %q: %s %s", e.Input, e.Part, e.Reason)
}

// Unwrap returns [ErrSyntax].
func (e *ParseError) Unwrap() error { return ErrSyntax }

// Parse parses s as a GSS code of the form GSS-<DOMAIN>-<NNN>.
//
// It accepts exactly that form: no surrounding white space, an upper-case
// prefix and domain, ASCII only. On failure it returns a [*ParseError]
// that names the wrong part:
//   - the empty string, surrounding space, a non-ASCII character (such as a
//     Cyrillic letter or full-width digit that looks like ASCII) or the wrong
//     number of hyphen-separated parts: Part "code";
//   - a prefix other than "GSS": Part "prefix";
//   - a domain that is not three upper-case letters A-Z: Part "domain";
//   - a number that is not three decimal digits 0-9: Part "number".
func Parse(s string) (Code, error) {
	if err := check(s); err != nil {
		return "", err
	}
	return Code(s), nil
}

// check validates s without allocating when s is valid.
func check(s string) *ParseError {
	fail := func(part, reason string) *ParseError {
		return &ParseError{Input: s, Part: part, Reason: reason}
	}
	if len(s) == codeLen && s[0:4] == prefix+"-" && s[7] == '-' &&
		isUpper(s[4]) && isUpper(s[5]) && isUpper(s[6]) &&
		isDigit(s[8]) && isDigit(s[9]) && isDigit(s[10]) {
		return nil // fast path
	}
	if s == "" {
		return fail("code", "is empty")
	}
	for i, r := range s {
		if r >= utf8.RuneSelf || r == utf8.RuneError {
			return fail("code", fmt.Sprintf("has non-ASCII character %U at byte %d", r, i))
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' {
			return fail("code", fmt.Sprintf("has white space at byte %d", i))
		}
		if r < 0x20 || r == 0x7f {
			return fail("code", fmt.Sprintf("has control character %U at byte %d", r, i))
		}
	}
	p, rest, ok1 := strings.Cut(s, "-")
	d, num, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 || strings.Contains(num, "-") {
		return fail("code", "must have three hyphen-separated parts, GSS-<DOMAIN>-<NNN>")
	}
	if p != prefix {
		return fail("prefix", fmt.Sprintf("%q must be %q", p, prefix))
	}
	if len(d) != 3 || !isUpper(d[0]) || !isUpper(d[1]) || !isUpper(d[2]) {
		return fail("domain", fmt.Sprintf("%q must be three upper-case letters A-Z", d))
	}
	if len(num) != 3 || !isDigit(num[0]) || !isDigit(num[1]) || !isDigit(num[2]) {
		return fail("number", fmt.Sprintf("%q must be three digits 0-9", num))
	}
	return fail("code", "is malformed") // unreachable for inputs of the checked shape
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Valid reports whether c has the form GSS-<DOMAIN>-<NNN>. It does not
// allocate.
func (c Code) Valid() bool { return check(string(c)) == nil }

// String returns the code as written, for example "GSS-VSP-023".
func (c Code) String() string { return string(c) }

// Domain returns the domain part of a valid code ("VSP" for GSS-VSP-023),
// and "" for an invalid one.
func (c Code) Domain() Domain {
	if !c.Valid() {
		return ""
	}
	return Domain(c[4:7])
}

// Number returns the numeric part of a valid code (23 for GSS-VSP-023), and
// -1 for an invalid one.
func (c Code) Number() int {
	if !c.Valid() {
		return -1
	}
	return int(c[8]-'0')*100 + int(c[9]-'0')*10 + int(c[10]-'0')
}

// MarshalText returns the code as written. It fails for an invalid code, so
// that no invalid code is ever written out.
func (c Code) MarshalText() ([]byte, error) {
	if err := check(string(c)); err != nil {
		return nil, err
	}
	return []byte(c), nil
}

// UnmarshalText parses text with [Parse], so it rejects what Parse rejects.
func (c *Code) UnmarshalText(text []byte) error {
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
