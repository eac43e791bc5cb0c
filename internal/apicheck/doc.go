// Package apicheck holds tests that hold the whole public API to the
// contract's cross-package rules (the design's principle 3: no typed nil
// reaches a caller as an error). It has no code of its own.
package apicheck
