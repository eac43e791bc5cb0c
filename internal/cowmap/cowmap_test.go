package cowmap

import (
	"strconv"
	"sync"
	"testing"
)

func TestGetComputesOnceAndBounds(t *testing.T) {
	calls := 0
	c := Map[int, string]{Max: 3}
	f := func(k int) string { calls++; return strconv.Itoa(k) }
	for range 2 {
		for k := range 5 {
			if got := c.Get(k, f); got != strconv.Itoa(k) {
				t.Fatalf("Get(%d) = %q", k, got)
			}
		}
	}
	if c.Len() != 3 {
		t.Errorf("kept %d entries, bound is 3", c.Len())
	}
	if calls != 3+2*2 { // 3 kept once; 2 beyond the bound computed each time
		t.Errorf("computed %d times", calls)
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.Get(1, f) }); n != 0 {
		t.Errorf("a cached Get allocates %v times", n)
	}
}

func TestConcurrentGet(t *testing.T) {
	var c Map[int, int]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 100 {
				if v := c.Get((k+g)%50, func(k int) int { return k * 2 }); v != (k+g)%50*2 {
					t.Errorf("Get = %d", v)
				}
			}
		})
	}
	wg.Wait()
	if c.Len() != 50 {
		t.Errorf("kept %d entries, want 50", c.Len())
	}
}
