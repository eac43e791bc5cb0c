package registry

import (
	"math/bits"
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

// vocabulary lists each distinct word of the docs once with where it
// occurs, so that Search rates a query term against each word once, not
// once per occurrence.
type vocabulary struct {
	words    []string
	postings [][]posting // parallel to words
	masks    []uint64    // parallel to words: the letters each has
	index    map[string]int
	sorted   []int     // word indexes in word order, for prefix ranges
	byLen    [33][]int // word indexes by length, for typo candidates
}

// posting is one field of one doc that holds a word.
type posting struct {
	doc   int32
	field uint8
}

func newVocabulary(docs []doc) vocabulary {
	var v vocabulary
	index := map[string]int{}
	for i, d := range docs {
		for f := range numFields {
			for _, w := range d.fields[f] {
				k, ok := index[w]
				if !ok {
					k = len(v.words)
					index[w] = k
					v.words = append(v.words, w)
					v.postings = append(v.postings, nil)
					v.masks = append(v.masks, maskOf(w))
				}
				p := posting{int32(i), uint8(f)}
				if !slices.Contains(v.postings[k], p) {
					v.postings[k] = append(v.postings[k], p)
				}
			}
		}
	}
	v.index = index
	v.sorted = make([]int, len(v.words))
	for k, w := range v.words {
		v.sorted[k] = k
		if len(w) < len(v.byLen) {
			v.byLen[len(w)] = append(v.byLen[len(w)], k)
		}
	}
	slices.SortFunc(v.sorted, func(a, b int) int { return strings.Compare(v.words[a], v.words[b]) })
	return v
}

// matches calls visit with each word that matches term t and how well
// (termMatch's rating, never 0), looking only at the words that can: the
// word itself, the words t begins, the prefixes of t, and for typos the
// words of about t's length.
func (v *vocabulary) matches(t string, visit func(k int, m float64)) {
	if k, ok := v.index[t]; ok {
		visit(k, 1)
	}
	if len(t) >= 3 { // words that begin with t
		i, _ := slices.BinarySearchFunc(v.sorted, t, func(k int, t string) int { return strings.Compare(v.words[k], t) })
		for ; i < len(v.sorted) && strings.HasPrefix(v.words[v.sorted[i]], t); i++ {
			if k := v.sorted[i]; v.words[k] != t {
				visit(k, 0.85)
			}
		}
	}
	for n := max(4, len(t)-3); n < len(t); n++ { // words t begins with
		if k, ok := v.index[t[:n]]; ok {
			visit(k, 0.7)
		}
	}
	if len(t) < 4 || len(t) > 32 {
		return
	}
	maxDist := 1
	if len(t) >= 6 {
		maxDist = 2
	}
	q := newQueryTerm(t)
	for n := max(0, len(t)-maxDist); n <= min(32, len(t)+maxDist); n++ {
		for _, k := range v.byLen[n] {
			w := v.words[k]
			if bits.OnesCount64(q.mask&^v.masks[k]) > maxDist || bits.OnesCount64(v.masks[k]&^q.mask) > maxDist ||
				bagDistance(&q.bag, w) > maxDist {
				continue
			}
			if d := editDistance(t, w, maxDist); d > 0 && d <= maxDist {
				visit(k, 0.8-0.15*float64(d))
			}
		}
	}
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
		for i, s := range r.scores(terms) {
			if s > 0 {
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

// scores rates how well each doc matches all terms: per term the best
// weighted field match plus a little for each further field that matches,
// doubled when every term matched.
func (r *Registry) scores(terms []string) []float64 {
	n := len(r.docs)
	total := make([]float64, n)
	matched := make([]int, n)
	fieldBest := make([][numFields]float64, n) // per term: the best match in each field
	for _, t := range terms {
		clear(fieldBest)
		r.vocab.matches(t, func(k int, m float64) {
			for _, p := range r.vocab.postings[k] {
				if fb := &fieldBest[p.doc][p.field]; m > *fb {
					*fb = m
				}
			}
		})
		for i := range fieldBest {
			best, extra := 0.0, 0.0
			for f, m := range fieldBest[i] {
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
				matched[i]++
				total[i] += best + extra
			}
		}
	}
	for i := range total {
		if matched[i] == len(terms) {
			total[i] *= 2
		}
	}
	return total
}

// bag counts the letters and digits of a word.
type bag [36]int8

func bagOf(s string) bag {
	var b bag
	for i := 0; i < len(s); i++ {
		if k := bagIndex(s[i]); k >= 0 && b[k] < 127 {
			b[k]++
		}
	}
	return b
}

func bagIndex(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return int(c - 'a')
	case '0' <= c && c <= '9':
		return 26 + int(c-'0')
	}
	return -1
}

// bagDistance is a lower bound of the edit distance between the word
// whose bag is tb and w (an insertion, deletion, substitution or swap
// changes the letter counts by at most one each way), cheap enough to rule
// words out before editDistance.
func bagDistance(tb *bag, w string) int {
	d := *tb
	for i := 0; i < len(w); i++ {
		if k := bagIndex(w[i]); k >= 0 {
			d[k]--
		}
	}
	pos, neg := 0, 0
	for _, n := range d {
		if n > 0 {
			pos += int(n)
		} else {
			neg -= int(n)
		}
	}
	return max(pos, neg)
}

// maskOf has bit k set for each letter or digit of bag index k in s.
func maskOf(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		if k := bagIndex(s[i]); k >= 0 {
			m |= 1 << k
		}
	}
	return m
}

// queryTerm is a query word with what rules document words out quickly.
type queryTerm struct {
	t    string
	bag  bag
	mask uint64
}

func newQueryTerm(t string) queryTerm { return queryTerm{t: t, bag: bagOf(t), mask: maskOf(t)} }

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
	var rows [3][n + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
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
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
