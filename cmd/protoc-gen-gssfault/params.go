package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/gssfault/gssfault/registry"
)

// params are the plugin's parameters (--gssfault_opt), other than those
// protogen handles itself (paths, module, M...).
type params struct {
	catalog                string // catalog=FILE; "" for registry.Default()
	simpleOperationIDs     bool
	generateUnboundMethods bool
	allowMerge             bool
	mergeFileName          string
}

// set is protogen's ParamFunc: it records one name=value parameter. A bare
// name arrives with value "" and means true for the boolean parameters.
func (p *params) set(name, value string) error {
	boolean := func(dst *bool) error {
		if value == "" {
			*dst = true
			return nil
		}
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("parameter %s=%q: want true or false", name, value)
		}
		*dst = b
		return nil
	}
	switch name {
	case "catalog":
		if value == "" {
			return fmt.Errorf("parameter catalog: want catalog=FILE")
		}
		p.catalog = value
		return nil
	case "simple_operation_ids":
		return boolean(&p.simpleOperationIDs)
	case "generate_unbound_methods":
		return boolean(&p.generateUnboundMethods)
	case "allow_merge":
		return boolean(&p.allowMerge)
	case "merge_file_name":
		if value == "" {
			return fmt.Errorf("parameter merge_file_name: want merge_file_name=NAME")
		}
		p.mergeFileName = value
		return nil
	}
	return fmt.Errorf("unknown parameter %q (known: catalog, simple_operation_ids, generate_unbound_methods, allow_merge, merge_file_name, and protoc-gen-go's paths, module and M)", name)
}

// mergeName returns merge_file_name, by default "apidocs" as for
// protoc-gen-openapiv2.
func (p *params) mergeName() string {
	if p.mergeFileName == "" {
		return "apidocs"
	}
	return p.mergeFileName
}

// registry returns the catalog the codes are checked against.
func (p *params) registry() (*registry.Registry, error) {
	if p.catalog == "" {
		return registry.Default(), nil
	}
	f, err := os.Open(p.catalog)
	if err != nil {
		return nil, fmt.Errorf("parameter catalog: %w", err)
	}
	defer f.Close()
	reg, err := registry.Load(f)
	if err != nil {
		return nil, fmt.Errorf("parameter catalog=%s: %w", p.catalog, err)
	}
	return reg, nil
}
