package faults

import (
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// Reason returns the AIP-193 ErrorInfo reason for a fault type: upper snake
// case ("HostNotReachable" is "HOST_NOT_REACHABLE", "SSLVerifyFault" is
// "SSL_VERIFY_FAULT"), only A-Z, 0-9 and _, at most 63 characters, as AIP-193
// requires. An empty or unusable fault type gives "UNKNOWN".
func Reason(faultType string) string {
	var b strings.Builder
	prevLower := false
	for i := 0; i < len(faultType); i++ {
		c := faultType[i]
		switch {
		case 'a' <= c && c <= 'z':
			b.WriteByte(c - 'a' + 'A')
			prevLower = true
			continue
		case '0' <= c && c <= '9':
			if b.Len() == 0 {
				continue
			}
			b.WriteByte(c)
			prevLower = true
			continue
		case 'A' <= c && c <= 'Z':
			nextLower := i+1 < len(faultType) && 'a' <= faultType[i+1] && faultType[i+1] <= 'z'
			upperRun := i > 0 && 'A' <= faultType[i-1] && faultType[i-1] <= 'Z'
			if b.Len() > 0 && (prevLower || upperRun && nextLower) {
				b.WriteByte('_')
			}
			b.WriteByte(c)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
		}
		prevLower = false
	}
	r := strings.TrimRight(b.String(), "_")
	if len(r) > 63 {
		r = strings.TrimRight(r[:63], "_")
	}
	if len(r) < 2 {
		return "UNKNOWN"
	}
	return r
}

// metadataKey makes key fit AIP-193's metadata key syntax
// [a-z][a-zA-Z0-9-_]+, at most 64 characters: characters outside the set
// become '_', a key that does not start with a lower-case letter gets an
// "x" in front, and long keys are cut.
func metadataKey(key string) string {
	if validMetadataKey(key) {
		return key
	}
	var b strings.Builder
	for i := 0; i < len(key) && b.Len() < 64; i++ {
		c := key[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			c = '_'
		}
		if b.Len() == 0 && !('a' <= c && c <= 'z') {
			b.WriteByte('x')
		}
		b.WriteByte(c)
	}
	s := b.String()
	if len(s) > 64 {
		s = s[:64]
	}
	if len(s) < 2 {
		s = (s + "xx")[:2]
	}
	return s
}

func validMetadataKey(key string) bool {
	if len(key) < 2 || len(key) > 64 || !('a' <= key[0] && key[0] <= 'z') {
		return false
	}
	for i := 1; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validUTF8 replaces the bytes of s that are not UTF-8 (which protobuf
// strings cannot carry) with U+FFFD.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// truncateUTF8 cuts s to at most n bytes at a rune boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// toAny packs m; nil when it cannot be marshalled (a detail that cannot be
// sent is left out, never an error).
func toAny(m proto.Message) *anypb.Any {
	if a, ok := m.(*anypb.Any); ok {
		return a
	}
	a, err := anypb.New(m)
	if err != nil {
		return nil
	}
	return a
}
