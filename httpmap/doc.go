// Package httpmap maps faults to and from HTTP: the vSphere version a
// service fronts ([Version], [ParseVersion]) and, per version, the HTTP
// status of each fault.
package httpmap
