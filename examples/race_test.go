//go:build race

package examples_test

// race is true when the tests run with the race detector: the examples are
// then built with it too, which also reuses the packages go test compiled.
const race = true
