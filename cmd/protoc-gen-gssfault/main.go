package main

import (
	"fmt"
	"io"
	"os"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/codesfile"
)

// maxRequest bounds the CodeGeneratorRequest read from protoc, in bytes.
const maxRequest = 512 << 20

func main() {
	if err := run(os.Stdin, os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "protoc-gen-gssfault: %v\n", err)
		os.Exit(1)
	}
}

// run is the plugin protocol: it reads a CodeGeneratorRequest from in and
// writes the CodeGeneratorResponse to out. A bad declaration is reported in
// the response, which protoc prints; run's own error is for a request it
// cannot read or a response it cannot write.
func run(in io.Reader, out io.Writer, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("unknown argument %q: protoc runs this program (protoc --gssfault_out=DIR ...)", args[0])
	}
	data, err := io.ReadAll(io.LimitReader(in, maxRequest+1))
	if err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	if len(data) > maxRequest {
		return fmt.Errorf("the request is larger than %d bytes", maxRequest)
	}
	req := &pluginpb.CodeGeneratorRequest{}
	if err := proto.Unmarshal(data, req); err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	data, err = proto.Marshal(respond(req))
	if err != nil {
		return err
	}
	_, err = out.Write(data)
	return err
}

// respond generates the response to req. The Go files are protogen's, so
// they follow the paths=, module= and M parameters as protoc-gen-go's do;
// the codes files are added afterwards, named from the .proto path as
// protoc-gen-openapiv2 names its Swagger files, so they land beside them.
func respond(req *pluginpb.CodeGeneratorRequest) *pluginpb.CodeGeneratorResponse {
	var p params
	gen, err := protogen.Options{ParamFunc: p.set}.New(req)
	if err != nil {
		return &pluginpb.CodeGeneratorResponse{Error: proto.String(err.Error())}
	}
	// The plugin reads only names and options, so it handles every syntax
	// protogen does; without saying so protoc refuses files that use proto3
	// optional fields or editions.
	gen.SupportedFeatures = uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL |
		pluginpb.CodeGeneratorResponse_FEATURE_SUPPORTS_EDITIONS)
	gen.SupportedEditionsMinimum = descriptorpb.Edition_EDITION_PROTO2
	gen.SupportedEditionsMaximum = descriptorpb.Edition_EDITION_2023

	codesFiles, err := generate(gen, &p)
	if err != nil {
		gen.Error(err)
	}
	resp := gen.Response()
	if resp.Error == nil {
		resp.File = append(resp.File, codesFiles...)
	}
	return resp
}

// generate adds the Go file of every file to generate that declares codes
// to gen, and returns their codes files; or it returns every bad
// declaration as one error.
func generate(gen *protogen.Plugin, p *params) ([]*pluginpb.CodeGeneratorResponse_File, error) {
	reg, err := p.registry()
	if err != nil {
		return nil, err
	}
	files, err := declarations(gen, reg)
	if err != nil {
		return nil, err
	}
	naming := newOpenAPINaming(gen, p)
	var out []*pluginpb.CodeGeneratorResponse_File
	var merged []codesfile.Entry
	for _, fd := range files {
		genGoFile(gen, fd)
		ops, err := naming.operations(fd)
		if err != nil {
			return nil, err
		}
		if p.allowMerge {
			merged = append(merged, ops...)
			continue
		}
		f, err := codesFile(codesFileName(fd.file.Desc.Path()), ops)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if p.allowMerge && len(files) > 0 {
		f, err := codesFile(codesFileName(p.mergeName()), merged)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
