// Package cowmap is a copy-on-write map for caches of values that depend
// on a small set of keys (fault types, domains, type chains): reads take no
// lock and do not allocate; writes copy the map. It stops growing at a
// bound, past which values are computed but not kept.
package cowmap

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Map caches V by K. The zero value is an empty, usable map without a
// bound; set Max before first use to bound it.
type Map[K comparable, V any] struct {
	Max int // entries kept at most; 0 means no bound

	mu sync.Mutex
	m  atomic.Pointer[map[K]V]
}

// Get returns the value for k, computing it with make and keeping it on
// first sight.
func (c *Map[K, V]) Get(k K, make func(K) V) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	v := make(k)
	c.mu.Lock()
	defer c.mu.Unlock()
	var old map[K]V
	if p := c.m.Load(); p != nil {
		old = *p
	}
	if c.Max > 0 && len(old) >= c.Max {
		return v
	}
	next := maps.Clone(old)
	if next == nil {
		next = map[K]V{}
	}
	next[k] = v
	c.m.Store(&next)
	return v
}

// Len is the number of entries kept.
func (c *Map[K, V]) Len() int {
	if p := c.m.Load(); p != nil {
		return len(*p)
	}
	return 0
}
