package openapi

import (
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
)

// This file is the one place that asks httpmap how an error answer looks.

// render returns the HTTP status and the body that httpmap writes for f on
// target t, in the given shape, reading codes against reg.
func render(f *faults.Error, t httpmap.Target, reg *registry.Registry, shape httpmap.Shape) (int, []byte) {
	a := httpmap.Render(nil, f, httpmap.WithTarget(t), httpmap.WithShape(shape), httpmap.WithPolicy(faults.Policy{Registry: reg}))
	return a.Status, a.Body
}
