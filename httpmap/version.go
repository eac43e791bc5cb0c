package httpmap

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a vSphere release: major, minor and update, as in 8.0 Update 3
// (8.0.3). The zero value is no version. Versions are comparable with
// [Version.Compare] and, being plain structs, with ==.
type Version struct {
	Major, Minor, Update int
}

// Common releases, for targets and tests.
var (
	V67U2 = Version{6, 7, 2}
	V67U3 = Version{6, 7, 3}
	V70U1 = Version{7, 0, 1}
	V70U3 = Version{7, 0, 3}
	V800  = Version{8, 0, 0}
	V801  = Version{8, 0, 1}
	V802  = Version{8, 0, 2}
	V803  = Version{8, 0, 3}
)

// ParseVersion parses the ways vSphere versions are written:
//   - dotted: "6.7.3", "8.0.3", "8", "8.0"; a fourth part and beyond, as in
//     the ApiVersion "8.0.3.0", is ignored;
//   - with an update: "6.7 U3", "7.0U3", "7.0 U3c" (the patch letter is
//     ignored), "8.0 Update 3", "8.0 update 2";
//   - About.FullName forms: "VMware vCenter Server 8.0.3 build-24022515",
//     "VMware ESXi 7.0.3 build-..." (the product name and build are skipped).
//
// Anything else, including negative or very large numbers, gives an error
// naming the input; ParseVersion never panics.
func ParseVersion(s string) (Version, error) {
	orig := s
	fail := func(why string) (Version, error) {
		return Version{}, fmt.Errorf("httpmap: parse version %q: %s", orig, why)
	}
	s = strings.TrimSpace(s)
	if len(s) > 128 {
		return fail("too long")
	}
	// Skip a product name: start at the first token that begins with a digit.
	fields := strings.Fields(s)
	for len(fields) > 0 && (fields[0] == "" || fields[0][0] < '0' || fields[0][0] > '9') {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return fail("no version number")
	}
	// Drop a build suffix.
	for i, f := range fields {
		if strings.HasPrefix(strings.ToLower(f), "build") {
			fields = fields[:i]
			break
		}
	}
	head, rest := fields[0], fields[1:]
	var update string
	hasUpdate := false
	if i := strings.IndexAny(head, "uU"); i > 0 { // "7.0U3"
		head, update, hasUpdate = head[:i], head[i+1:], true
	}
	switch {
	case len(rest) == 0:
	case len(rest) == 1 && !hasUpdate:
		if r := rest[0]; r[0] != 'u' && r[0] != 'U' {
			return fail("want an update such as U3 after the version")
		}
		update, hasUpdate = rest[0][1:], true
	case len(rest) == 2 && !hasUpdate && strings.EqualFold(rest[0], "update"):
		update, hasUpdate = rest[1], true
	default:
		return fail("unexpected text after the version")
	}
	parts := strings.Split(head, ".")
	if len(parts) < 1 || parts[0] == "" {
		return fail("no version number")
	}
	nums := make([]int, 3)
	for i, p := range parts {
		if i >= 3 {
			if _, err := atoi(p); err != nil {
				return fail(err.Error())
			}
			continue
		}
		n, err := atoi(p)
		if err != nil {
			return fail(err.Error())
		}
		nums[i] = n
	}
	if hasUpdate {
		if len(parts) > 2 {
			return fail("update given twice")
		}
		u := strings.TrimRight(update, "abcdefghijklmnopqrstuvwxyz")
		if len(u) < len(update)-1 {
			return fail(fmt.Sprintf("bad update %q", update))
		}
		n, err := atoi(u)
		if err != nil {
			return fail(err.Error())
		}
		nums[2] = n
	}
	v := Version{nums[0], nums[1], nums[2]}
	if v.Major == 0 {
		return fail("major version 0")
	}
	return v, nil
}

func atoi(s string) (int, error) {
	if s == "" || len(s) > 5 {
		return 0, fmt.Errorf("bad number %q", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad number %q", s)
		}
	}
	return strconv.Atoi(s)
}

// MustParseVersion is [ParseVersion] for constants in tests and
// examples; it panics on a bad string.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// IsZero reports whether v is the zero Version (no version known).
func (v Version) IsZero() bool { return v == Version{} }

// Compare returns -1, 0 or +1 as v is older than, the same as or newer
// than w.
func (v Version) Compare(w Version) int {
	for _, d := range [...]int{v.Major - w.Major, v.Minor - w.Minor, v.Update - w.Update} {
		if d < 0 {
			return -1
		}
		if d > 0 {
			return 1
		}
	}
	return 0
}

// Before reports whether v is older than w.
func (v Version) Before(w Version) bool { return v.Compare(w) < 0 }

// AtLeast reports whether v is w or newer.
func (v Version) AtLeast(w Version) bool { return v.Compare(w) >= 0 }

// String writes the version as vSphere's marketing name does: "8.0 U3",
// "8.0" for update 0, and "" for the zero Version.
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	if v.Update == 0 {
		return fmt.Sprintf("%d.%d", v.Major, v.Minor)
	}
	return fmt.Sprintf("%d.%d U%d", v.Major, v.Minor, v.Update)
}

// MarshalText writes the dotted form "8.0.3"; UnmarshalText reads any form
// ParseVersion accepts.
func (v Version) MarshalText() ([]byte, error) {
	if v.IsZero() {
		return []byte{}, nil
	}
	return fmt.Appendf(nil, "%d.%d.%d", v.Major, v.Minor, v.Update), nil
}

// UnmarshalText parses text with [ParseVersion]; empty text is the zero
// Version.
func (v *Version) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*v = Version{}
		return nil
	}
	p, err := ParseVersion(string(text))
	if err != nil {
		return err
	}
	*v = p
	return nil
}
