package main

import (
	"fmt"
	"strconv"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/codesfile"
)

// openapiOperationOption is protoc-gen-openapiv2's method option whose
// operation_id field replaces the generated operationId.
const openapiOperationOption protoreflect.FullName = "grpc.gateway.protoc_gen_openapiv2.options.openapiv2_operation"

// openapiNaming names operations as protoc-gen-openapiv2 v2.33.0 does
// (protoc-gen-openapiv2/internal/genopenapi/template.go, renderServices;
// internal/descriptor/services.go, loadServices and newMethod).
type openapiNaming struct {
	simple  bool // simple_operation_ids
	unbound bool // generate_unbound_methods

	// The openapiv2_operation extension, built from the descriptor protoc
	// sent, so that this plugin need not link grpc-gateway; nil when no
	// file of the request defines it (then no method can use it).
	operationExt protoreflect.ExtensionType
	resolver     *protoregistry.Types
}

func newOpenAPINaming(gen *protogen.Plugin, p *params) *openapiNaming {
	n := &openapiNaming{simple: p.simpleOperationIDs, unbound: p.generateUnboundMethods}
	for _, f := range gen.Files {
		xds := f.Desc.Extensions()
		if xd := xds.ByName(openapiOperationOption.Name()); xd != nil && xd.FullName() == openapiOperationOption {
			n.operationExt = dynamicpb.NewExtensionType(xd)
			n.resolver = new(protoregistry.Types)
			// A fresh registry holding one extension cannot conflict.
			_ = n.resolver.RegisterExtension(n.operationExt)
			break
		}
	}
	return n
}

// operations returns the operations of fd's declaring methods, in file
// order, one per HTTP binding. A method whose bindings all carry one
// overriding operationId gives one operation.
func (n *openapiNaming) operations(fd *fileDecls) ([]codesfile.Entry, error) {
	var out []codesfile.Entry
	for _, sd := range fd.services {
		for _, md := range sd.methods {
			ids, err := n.operationIDs(md.method)
			if err != nil {
				return nil, fmt.Errorf("%s: method %s: %w", fd.file.Desc.Path(), md.method.Desc.FullName(), err)
			}
			for i, id := range ids {
				if i > 0 && id == ids[i-1] {
					continue // an override names every binding alike
				}
				out = append(out, codesfile.Entry{Method: md.fullMethod(), OperationID: id, Codes: md.codes()})
			}
		}
	}
	return out, nil
}

// operationIDs returns the operationId of each HTTP binding of m, in
// protoc-gen-openapiv2's binding order: the rule's own pattern, then its
// additional bindings; a rule or binding without a pattern gives none.
func (n *openapiNaming) operationIDs(m *protogen.Method) ([]string, error) {
	opts, _ := m.Desc.Options().(*descriptorpb.MethodOptions)
	var bindings int
	if opts != nil && proto.HasExtension(opts, annotations.E_Http) {
		rule, _ := proto.GetExtension(opts, annotations.E_Http).(*annotations.HttpRule)
		if hasPattern(rule) {
			bindings++
		}
		for _, b := range rule.GetAdditionalBindings() {
			if hasPattern(b) {
				bindings++
			}
		}
	} else if n.unbound {
		bindings = 1 // POST /<package>.<Service>/<Method>
	}
	if bindings == 0 {
		return nil, nil
	}
	override, err := n.operationIDOverride(opts)
	if err != nil {
		return nil, err
	}
	base := string(m.Parent.Desc.Name()) + "_" + string(m.Desc.Name())
	if n.simple {
		base = string(m.Desc.Name())
	}
	ids := make([]string, bindings)
	for i := range ids {
		switch {
		case override != "":
			ids[i] = override
		case i == 0:
			ids[i] = base
		default:
			// "OperationID must be unique in an OpenAPI v2 definition."
			ids[i] = base + strconv.Itoa(i+1)
		}
	}
	return ids, nil
}

// hasPattern reports whether an HTTP rule gives a binding: a non-empty
// get, put, post, delete or patch path, or a custom pattern.
func hasPattern(r *annotations.HttpRule) bool {
	return r.GetGet() != "" || r.GetPut() != "" || r.GetPost() != "" ||
		r.GetDelete() != "" || r.GetPatch() != "" || r.GetCustom() != nil
}

// operationIDOverride returns the operation_id of m's openapiv2_operation
// option, or "". The option reached the plugin as unknown fields of
// MethodOptions; it is decoded with the extension built from protoc's
// descriptor.
func (n *openapiNaming) operationIDOverride(opts *descriptorpb.MethodOptions) (string, error) {
	if n.operationExt == nil || opts == nil {
		return "", nil
	}
	wire, err := proto.Marshal(opts)
	if err != nil {
		return "", err
	}
	decoded := &descriptorpb.MethodOptions{}
	if err := (proto.UnmarshalOptions{Resolver: n.resolver}).Unmarshal(wire, decoded); err != nil {
		return "", fmt.Errorf("option (%s): %w", openapiOperationOption, err)
	}
	xd := n.operationExt.TypeDescriptor()
	if !decoded.ProtoReflect().Has(xd) {
		return "", nil
	}
	op := decoded.ProtoReflect().Get(xd).Message()
	fd := op.Descriptor().Fields().ByName("operation_id")
	if fd == nil || fd.Kind() != protoreflect.StringKind {
		return "", nil
	}
	return op.Get(fd).String(), nil
}
