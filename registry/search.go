package registry

import (
	"slices"
	"strings"
)

// Field weights for Search: a match in the code or fault type says more
// than one in the free text.
const (
	fieldCode = iota
	fieldFaultType
	fieldComponent
	fieldTrigger
	fieldAction
	numFields
)

var fieldWeight = [numFields]float64{10, 8, 4, 3, 1.5}

// doc is an entry's search index, built once with the registry.
type doc struct {
	code   string // lower-case code, for prefix queries
	fields [numFields][]string
}

func newDoc(e *Entry) doc {
	d := doc{code: strings.ToLower(string(e.Code))}
	d.fields[fieldCode] = append(words(d.code), d.code)
	ft := strings.ToLower(e.FaultType)
	d.fields[fieldFaultType] = append(camelWords(e.FaultType), ft)
	d.fields[fieldComponent] = textTokens(e.Component)
	d.fields[fieldTrigger] = textTokens(e.Trigger)
	d.fields[fieldAction] = textTokens(e.Action)
	return d
}

// words splits s into lower-case runs of ASCII letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	})
}

// textTokens returns the words of s plus each pair of adjacent words run
// together, so that "timed out" also matches "timedout".
func textTokens(s string) []string {
	w := words(s)
	out := slices.Clone(w)
	for i := 0; i+1 < len(w); i++ {
		out = append(out, w[i]+w[i+1])
	}
	return out
}

// camelWords splits an identifier such as HostNotReachable or SSLVerifyFault
// into lower-case words: host not reachable, ssl verify fault.
func camelWords(s string) []string {
	var out []string
	start := 0
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	for i := 1; i < len(s); i++ {
		if isUpper(s[i]) && (!isUpper(s[i-1]) || i+1 < len(s) && !isUpper(s[i+1])) {
			out = append(out, strings.ToLower(s[start:i]))
			start = i
		}
	}
	return append(out, strings.ToLower(s[start:]))
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "is": true, "are": true, "of": true, "to": true,
	"in": true, "on": true, "or": true, "and": true, "for": true, "with": true, "by": true,
}

// Search returns the entries that match query, best first.
//
// A query that starts with "GSS-" is a code prefix: "GSS-VSP-02" returns the
// codes GSS-VSP-020 to GSS-VSP-029 in code order, and an exact code returns
// that entry first. Any other query is split into words, and each word is
// looked for in the code, fault type (split at its capitals), component,
// trigger and action, in that order of weight. A word matches exactly, as a
// prefix ("disconnect" finds "disconnected"), or with one typo (two for
// words of six letters or more: "timout" finds "timedout"). Entries that
// match every word rank above those that match some. Ties go to the lower
// code. An empty query, or one that matches nothing, returns nil.
func (r *Registry) Search(query string) []Entry {
	if r == nil {
		return nil
	}
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return nil
	}
	type hit struct {
		i     int
		score float64
	}
	var hits []hit
	if strings.HasPrefix(q, "gss-") {
		for i, d := range r.docs {
			if strings.HasPrefix(d.code, q) {
				s := 100.0
				if d.code == q {
					s = 200
				}
				hits = append(hits, hit{i, s})
			}
		}
	}
	if len(hits) == 0 {
		var terms []string
		for _, w := range words(q) {
			if !stopWords[w] {
				terms = append(terms, w)
			}
		}
		if len(terms) == 0 {
			return nil
		}
		for i := range r.docs {
			if s := r.docs[i].score(terms); s > 0 {
				hits = append(hits, hit{i, s})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.i - b.i // entries are in code order
	})
	out := make([]Entry, len(hits))
	for k, h := range hits {
		out[k] = r.entries[h.i]
	}
	return out
}

// score rates how well the doc matches all terms: per term the best
// weighted field match plus a little for each further field that matches,
// doubled when every term matched.
func (d *doc) score(terms []string) float64 {
	total, matched := 0.0, 0
	for _, t := range terms {
		best, extra := 0.0, 0.0
		for f := range numFields {
			m := 0.0
			for _, w := range d.fields[f] {
				if s := termMatch(t, w); s > m {
					m = s
					if m == 1 {
						break
					}
				}
			}
			if m == 0 {
				continue
			}
			s := m * fieldWeight[f]
			if s > best {
				extra += best * 0.1
				best = s
			} else {
				extra += s * 0.1
			}
		}
		if best > 0 {
			matched++
			total += best + extra
		}
	}
	if matched == len(terms) {
		total *= 2
	}
	return total
}

// termMatch rates query term t against document word w, from 0 to 1.
func termMatch(t, w string) float64 {
	switch {
	case t == w:
		return 1
	case len(t) >= 3 && strings.HasPrefix(w, t):
		return 0.85
	case len(w) >= 4 && strings.HasPrefix(t, w) && len(t)-len(w) <= 3:
		return 0.7
	case len(t) < 4:
		return 0
	}
	maxDist := 1
	if len(t) >= 6 {
		maxDist = 2
	}
	if d := editDistance(t, w, maxDist); d <= maxDist {
		return 0.8 - 0.15*float64(d)
	}
	return 0
}

// editDistance returns the optimal-string-alignment distance between a
// and b (insertions, deletions, substitutions and adjacent swaps), or
// max+1 as soon as it is sure to exceed max. It does not allocate for
// words of up to 32 bytes; longer words count as too far.
func editDistance(a, b string, max int) int {
	const n = 32
	if len(a) > n || len(b) > n {
		return max + 1
	}
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	var prev2, prev, cur [n + 1]int
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)]
}
