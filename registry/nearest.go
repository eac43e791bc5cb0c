package registry

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gssfault/gssfault/codes"
)

// Nearest returns up to n entries whose codes are nearest to s, a code that
// may be mistyped, for "did you mean" answers. s is upper-cased and trimmed,
// and a number of fewer than three digits is zero-padded ("gss-vsp-23"
// reads as GSS-VSP-023). Entries are ordered by edit distance to s (an
// adjacent swap counts as one edit), then by how far their number is from
// s's. It returns nil for n <= 0 or a nil registry.
func (r *Registry) Nearest(s string, n int) []Entry {
	if r == nil || n <= 0 {
		return nil
	}
	norm := strings.ToUpper(strings.TrimSpace(s))
	if parts := strings.Split(norm, "-"); len(parts) == 3 && len(parts[2]) < 3 {
		norm = fmt.Sprintf("%s-%s-%03s", parts[0], parts[1], parts[2])
		norm = strings.ReplaceAll(norm, " ", "0")
	}
	want := codes.Code(norm).Number()
	type ranked struct {
		e         Entry
		dist, gap int
	}
	all := make([]ranked, len(r.entries))
	for i, e := range r.entries {
		gap := 1000
		if want >= 0 {
			gap = max(e.Code.Number()-want, want-e.Code.Number())
		}
		all[i] = ranked{e, editDistance(norm, string(e.Code), 32), gap}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return a.gap - b.gap
	})
	out := make([]Entry, min(n, len(all)))
	for i := range out {
		out[i] = all[i].e
	}
	return out
}
