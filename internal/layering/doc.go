// Package layering holds the test that keeps the design's import direction:
// codes imports only the standard library; codes and registry pull no
// govmomi and no grpc-gateway; faults compiles without govmomi; only
// httpmap/gateway imports grpc-gateway; only otelfault imports OpenTelemetry.
package layering
