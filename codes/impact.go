package codes

import "fmt"

// ImpactLevel says how bad a fault is for the service that meets it. The
// values are ordered: a larger value is a worse impact, so levels can be
// compared with < and >.
//
// The zero value is not a level: it is what an unset field holds, and
// [ImpactLevel.MarshalText] rejects it.
type ImpactLevel uint8

// The impact levels. The numbers are part of the wire contract (they may be
// stored or sent as numbers) and never change.
const (
	// Minor: one request failed for a reason local to it (bad input, an
	// object that does not exist, a state conflict). Nothing else is
	// affected; the caller fixes the request.
	Minor ImpactLevel = 1
	// Major: a class of requests fails (authentication, a host or service
	// that cannot be reached, exhausted capacity). Operators should look.
	Major ImpactLevel = 2
	// Critical: a component or its connectivity is down (a core service
	// failed, a host lost its heartbeat, a datastore is full). Page someone.
	Critical ImpactLevel = 3

	maxImpact = Critical
)

// ImpactLevels returns every impact level, from Minor to Critical.
func ImpactLevels() []ImpactLevel { return []ImpactLevel{Minor, Major, Critical} }

// String returns "minor", "major" or "critical", and "ImpactLevel(n)" for
// any other value.
func (l ImpactLevel) String() string {
	switch l {
	case Minor:
		return "minor"
	case Major:
		return "major"
	case Critical:
		return "critical"
	}
	return fmt.Sprintf("ImpactLevel(%d)", uint8(l))
}

// Valid reports whether l is one of Minor, Major and Critical.
func (l ImpactLevel) Valid() bool { return l >= Minor && l <= maxImpact }

// MarshalText returns the lower-case name. It fails for a value that is not
// a level, so that MarshalText and UnmarshalText are symmetric.
func (l ImpactLevel) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("codes: invalid impact level %d", uint8(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText parses a level name, ignoring case ("Critical", "MAJOR").
func (l *ImpactLevel) UnmarshalText(text []byte) error {
	v, err := ParseImpact(string(text))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseImpact parses "minor", "major" or "critical", ignoring case. Any
// other string gives an error that lists the valid names.
func ParseImpact(s string) (ImpactLevel, error) {
	for _, l := range [...]ImpactLevel{Minor, Major, Critical} {
		if equalFoldASCII(s, l.String()) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("codes: unknown impact level %q (want minor, major or critical)", s)
}

// equalFoldASCII reports whether s equals the lower-case ASCII name, ignoring
// ASCII case only, so that look-alikes such as the Kelvin sign do not match.
func equalFoldASCII(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
