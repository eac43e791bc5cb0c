// Package statusview lets httpmap write a status that package faults
// received, copied and decoded, without copying and decoding it a second
// time: the gateway path reads a status from gRPC and writes it as JSON at
// once, and each copy and decode of its details costs about a microsecond.
package statusview

import (
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Received returns, when err is a fault read from the status st (and st is
// what it sends unchanged), the copy of st's proto the fault keeps and its
// details as decoded (decoded[i] is pb.Details[i] decoded, or nil); both
// must only be read. It returns nil, nil otherwise. Package faults sets it
// when it is initialised.
var Received = func(err error, st *status.Status) (pb *spb.Status, decoded []proto.Message) { return nil, nil }
