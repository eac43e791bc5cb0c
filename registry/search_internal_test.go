package registry

import (
	"strings"
	"testing"
)

// termMatchRef is the rating Search documents, applied word by word: the
// oracle for the vocabulary index.
func termMatchRef(t, w string) float64 {
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

// The index finds, for every term, exactly the words a scan of every word
// with the documented rating finds, with the same rating.
func TestVocabularyMatchesScan(t *testing.T) {
	r := Default()
	terms := []string{"host", "timout", "timeout", "disconect", "hostnotreachable", "gss", "vsp", "nsx", "certificat", "quota", "busy", "x", "ab"}
	for _, w := range r.vocab.words[:min(len(r.vocab.words), 300)] {
		terms = append(terms, w)
		if len(w) > 4 {
			terms = append(terms, w[:len(w)-1], w[1:], w[:2]+w[3:], w+"s")
		}
	}
	for _, term := range terms {
		got := map[int]float64{}
		r.vocab.matches(term, func(k int, m float64) { got[k] = max(got[k], m) })
		for k, w := range r.vocab.words {
			if want := termMatchRef(term, w); got[k] != want {
				t.Fatalf("term %q, word %q: index rates %v, scan %v", term, w, got[k], want)
			}
		}
	}
}
