package main

import (
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/gssfault/gssfault/codes"
	gssfaultv1 "github.com/gssfault/gssfault/proto/gssfault/v1"
	"github.com/gssfault/gssfault/registry"
)

// maxReported bounds how many bad declarations one run reports.
const maxReported = 20

// fileDecls is one file to generate and its methods that declare codes.
type fileDecls struct {
	file     *protogen.File
	services []*serviceDecls // in file order; only services with declarations
}

// serviceDecls is a service and its methods that declare codes.
type serviceDecls struct {
	service *protogen.Service
	methods []*methodDecl // in file order
}

// methodDecl is one method's declaration: its catalog entries, in the
// order written, each once.
type methodDecl struct {
	method  *protogen.Method
	entries []registry.Entry
}

// fullMethod is the gRPC full method name, "/pkg.Service/Method".
func (m *methodDecl) fullMethod() string {
	return "/" + string(m.method.Parent.Desc.FullName()) + "/" + string(m.method.Desc.Name())
}

// codes returns the declared codes as strings, never nil.
func (m *methodDecl) codes() []string {
	out := make([]string, len(m.entries))
	for i, e := range m.entries {
		out[i] = string(e.Code)
	}
	return out
}

// declarations collects the declarations of every file to generate, in the
// request's order, and checks each code against reg. It returns every bad
// code (up to maxReported) as one error, each line naming the file, line,
// method and code.
func declarations(gen *protogen.Plugin, reg *registry.Registry) ([]*fileDecls, error) {
	var out []*fileDecls
	var bad []string
	for _, name := range gen.Request.GetFileToGenerate() {
		f := gen.FilesByPath[name]
		if f == nil || !f.Generate {
			continue
		}
		fd := &fileDecls{file: f}
		for _, s := range f.Services {
			sd := &serviceDecls{service: s}
			for _, m := range s.Methods {
				opts, _ := m.Desc.Options().(*descriptorpb.MethodOptions)
				if opts == nil || !proto.HasExtension(opts, gssfaultv1.E_Faults) {
					continue
				}
				faults, _ := proto.GetExtension(opts, gssfaultv1.E_Faults).(*gssfaultv1.MethodFaults)
				md := &methodDecl{method: m, entries: []registry.Entry{}}
				seen := map[codes.Code]bool{}
				for _, code := range faults.GetCodes() {
					e, problem := check(reg, code)
					if problem == "" && seen[e.Code] {
						problem = "is listed twice"
					}
					if problem != "" {
						bad = append(bad, fmt.Sprintf("%s: method %s: (gssfault.v1.faults) code %q %s",
							position(f, m), m.Desc.FullName(), code, problem))
						continue
					}
					seen[e.Code] = true
					md.entries = append(md.entries, e)
				}
				sd.methods = append(sd.methods, md)
			}
			if len(sd.methods) > 0 {
				fd.services = append(fd.services, sd)
			}
		}
		if len(fd.services) > 0 {
			out = append(out, fd)
		}
	}
	if len(bad) > 0 {
		if len(bad) > maxReported {
			bad = append(bad[:maxReported], fmt.Sprintf("and %d more", len(bad)-maxReported))
		}
		return nil, errors.New(strings.Join(bad, "\n"))
	}
	return out, nil
}

// check returns the catalog entry of s, or what is wrong with s: not a GSS
// code, or not in the catalog; either with the nearest catalog code.
func check(reg *registry.Registry, s string) (registry.Entry, string) {
	var problem string
	c, err := codes.Parse(s)
	switch {
	case err != nil:
		problem = "is not a GSS code (GSS-<DOMAIN>-<NNN>)"
		if perr, ok := errors.AsType[*codes.ParseError](err); ok {
			problem += ": " + perr.Part + " " + perr.Reason
		}
	default:
		e, ok := reg.Lookup(c)
		if ok {
			return e, ""
		}
		problem = "is not in the catalog"
	}
	if strings.TrimSpace(s) == "" {
		return registry.Entry{}, problem // nothing to be near
	}
	if near := reg.Nearest(s, 1); len(near) == 1 {
		problem += fmt.Sprintf("; did you mean %s (%s)?", near[0].Code, near[0].FaultType)
	}
	return registry.Entry{}, problem
}

// methodOptionsField, then the extension's number, is the source path of a
// method's (gssfault.v1.faults) option below the method's own path.
const methodOptionsField = 4 // google.protobuf.MethodDescriptorProto.options

// position returns "file:line:column" of m's (gssfault.v1.faults) option,
// or of m itself, or the file name alone when protoc sent no source
// information.
func position(f *protogen.File, m *protogen.Method) string {
	locs := f.Desc.SourceLocations()
	opt := append(protoreflect.SourcePath{}, m.Location.Path...)
	opt = append(opt, methodOptionsField, int32(gssfaultv1.E_Faults.TypeDescriptor().Number()))
	for _, path := range []protoreflect.SourcePath{opt, m.Location.Path} {
		if loc := locs.ByPath(path); loc.Path != nil {
			return fmt.Sprintf("%s:%d:%d", f.Desc.Path(), loc.StartLine+1, loc.StartColumn+1)
		}
	}
	return f.Desc.Path()
}
