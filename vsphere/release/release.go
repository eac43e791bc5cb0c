// Package release names vSphere releases: [Version], [Parse], which reads
// every way vSphere writes a version, and the releases whose behaviour
// gssfault's per-version HTTP table describes, as constants.
//
// It imports only the standard library, so that packages which need a
// version but not govmomi (httpmap among them) can use it.
package release

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a vSphere release: major, minor and update, as in 8.0 Update 3
// (8.0.3). The zero value is no version. Versions are ordered: a newer
// release is a larger value, so they compare with <, == and >.
//
// Each part is at most 255; [Parse] rejects larger numbers, which no
// vSphere release has.
type Version uint32

// The releases the per-version HTTP table names. They are constants: they
// cannot be reassigned.
const (
	V67U2 Version = 6<<16 | 7<<8 | 2 // vSphere 6.7 Update 2
	V67U3 Version = 6<<16 | 7<<8 | 3 // vSphere 6.7 Update 3
	V70U1 Version = 7<<16 | 1        // vSphere 7.0 Update 1
	V70U3 Version = 7<<16 | 3        // vSphere 7.0 Update 3
	V800  Version = 8 << 16          // vSphere 8.0 GA
	V801  Version = 8<<16 | 1        // vSphere 8.0 Update 1
	V802  Version = 8<<16 | 2        // vSphere 8.0 Update 2
	V803  Version = 8<<16 | 3        // vSphere 8.0 Update 3
)

// Known returns the releases the per-version HTTP table names, oldest
// first. The slice is new on each call.
func Known() []Version { return []Version{V67U2, V67U3, V70U1, V70U3, V800, V801, V802, V803} }

// Newest is the newest release the table documents; the zero
// httpmap.Target does not stand for it (see httpmap.Target).
const Newest = V803

const maxPart = 255

// New returns the version major.minor.update; ok is false when a part is
// negative or larger than 255, or major is 0.
func New(major, minor, update int) (v Version, ok bool) {
	if major <= 0 || major > maxPart || minor < 0 || minor > maxPart || update < 0 || update > maxPart {
		return 0, false
	}
	return Version(major<<16 | minor<<8 | update), true
}

// Major returns the major part (8 for 8.0 U3).
func (v Version) Major() int { return int(v>>16) & maxPart }

// Minor returns the minor part (0 for 8.0 U3).
func (v Version) Minor() int { return int(v>>8) & maxPart }

// Update returns the update part (3 for 8.0 U3).
func (v Version) Update() int { return int(v) & maxPart }

// IsZero reports whether v is the zero Version (no version known).
func (v Version) IsZero() bool { return v == 0 }

// String writes the version as vSphere's marketing name does: "8.0 U3",
// "8.0" for update 0, and "" for the zero Version.
func (v Version) String() string {
	switch {
	case v.IsZero():
		return ""
	case v.Update() == 0:
		return fmt.Sprintf("%d.%d", v.Major(), v.Minor())
	}
	return fmt.Sprintf("%d.%d U%d", v.Major(), v.Minor(), v.Update())
}

// Dotted writes the version as "8.0.3", and "" for the zero Version.
func (v Version) Dotted() string {
	if v.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d", v.Major(), v.Minor(), v.Update())
}

// MarshalText writes the dotted form "8.0.3" (nothing for the zero
// Version); UnmarshalText reads any form [Parse] accepts.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.Dotted()), nil }

// UnmarshalText parses text with [Parse]; empty text is the zero Version.
func (v *Version) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*v = 0
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// maxInput bounds the length of a string Parse looks at.
const maxInput = 128

// Parse parses the ways vSphere versions are written:
//   - dotted: "6.7.3", "8.0.3", "8", "8.0"; a fourth part and beyond, as in
//     the ApiVersion "8.0.3.0", is ignored;
//   - with an update: "6.7 U3", "7.0U3", "7.0 U3c" (the patch letter is
//     ignored), "8.0 Update 3", "8.0 update 2";
//   - About.FullName forms: "VMware vCenter Server 8.0.3 build-24022515",
//     "VMware ESXi 7.0.3 build-..." (the product name and build are
//     skipped).
//
// Anything else, including a part above 255 and input longer than 128
// bytes, gives an error naming the input; Parse never panics.
func Parse(s string) (Version, error) {
	orig := s
	fail := func(why string) (Version, error) {
		if len(orig) > maxInput {
			orig = orig[:maxInput] + "..."
		}
		return 0, fmt.Errorf("release: parse version %q: %s", orig, why)
	}
	s = strings.TrimSpace(s)
	if len(s) > maxInput {
		return fail("longer than 128 bytes")
	}
	// Skip a product name: start at the first token that begins with a digit.
	fields := strings.Fields(s)
	for len(fields) > 0 && (fields[0][0] < '0' || fields[0][0] > '9') {
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
	if len(fields) == 0 {
		return fail("no version number")
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
	if parts[0] == "" {
		return fail("no version number")
	}
	var nums [3]int
	for i, p := range parts {
		n, err := atoi(p)
		if err != nil {
			return fail(err.Error())
		}
		if i < 3 {
			nums[i] = n
		}
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
	if nums[0] == 0 {
		return fail("major version 0")
	}
	v, ok := New(nums[0], nums[1], nums[2])
	if !ok {
		return fail("a part is larger than 255")
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
