//go:build race

package testenv

// Race reports whether the race detector is on; it changes allocation
// counts, so tests that guard them skip under it.
const Race = true
