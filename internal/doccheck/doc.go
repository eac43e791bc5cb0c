// Package doccheck holds the tests that keep the project's documents honest:
// every test RELIABILITY.md and README.md name as the backing of a guarantee
// exists, and every fuzz target in the module is listed in the Makefile's
// FUZZ_TARGETS, so that make test and make fuzz-long run it.
package doccheck
