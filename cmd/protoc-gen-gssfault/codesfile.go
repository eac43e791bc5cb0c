package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/gssfault/gssfault/cmd/protoc-gen-gssfault/internal/codesfile"
)

// codesFileName names the codes file of a .proto file (or of a merge), as
// protoc-gen-openapiv2 names the Swagger file: the extension replaced.
func codesFileName(name string) string {
	return strings.TrimSuffix(name, filepath.Ext(name)) + ".gssfault.json"
}

// codesFile returns the codes file name for ops.
func codesFile(name string, ops []codesfile.Entry) (*pluginpb.CodeGeneratorResponse_File, error) {
	content, err := codesfile.Encode(ops)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &pluginpb.CodeGeneratorResponse_File{Name: proto.String(name), Content: proto.String(content)}, nil
}
