package registry

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	grpccodes "google.golang.org/grpc/codes"
	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/codes"
)

// MaxCatalogSize is the largest catalog file [Load] reads, in bytes.
const MaxCatalogSize = 4 << 20

// catalogFile is the on-disk form of a catalog: YAML (or JSON, which is
// YAML) with snake_case keys. See catalog.yaml for the documented format.
type catalogFile struct {
	Fallback string      `yaml:"fallback,omitempty"`
	Entries  []fileEntry `yaml:"entries"`
}

type fileEntry struct {
	Code       string   `yaml:"code"`
	FaultType  string   `yaml:"fault_type"`
	Category   string   `yaml:"category"`
	Component  string   `yaml:"component"`
	Trigger    string   `yaml:"trigger"`
	Action     string   `yaml:"action"`
	Retryable  bool     `yaml:"retryable"`
	RetryDelay string   `yaml:"retry_delay,omitempty"`
	Impact     string   `yaml:"impact"`
	GRPCCode   string   `yaml:"grpc_code"`
	HTTPStatus int      `yaml:"http_status,omitempty"`
	Source     string   `yaml:"source,omitempty"`
	DocRef     string   `yaml:"doc_ref,omitempty"`
	Debug      []string `yaml:"debug,omitempty"`
	Rationale  string   `yaml:"rationale,omitempty"`
}

// Load reads a catalog file (the format of the built-in catalog.yaml: YAML,
// or JSON) and builds a registry from it with [New]. Unknown keys are
// errors, so a misspelt field is not silently dropped. A bad entry gives an
// [*EntryError] naming the entry and field; a file larger than
// [MaxCatalogSize] or that is not YAML gives an error saying so.
func Load(r io.Reader, opts ...Option) (*Registry, error) {
	if r == nil {
		return nil, errors.New("registry: Load: nil reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxCatalogSize+1))
	if err != nil {
		return nil, fmt.Errorf("registry: read catalog: %w", err)
	}
	if len(data) > MaxCatalogSize {
		return nil, fmt.Errorf("registry: catalog is larger than %d bytes", MaxCatalogSize)
	}
	return parse(data, opts...)
}

func parse(data []byte, opts ...Option) (*Registry, error) {
	var f catalogFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("registry: catalog is empty")
		}
		return nil, fmt.Errorf("registry: parse catalog: %w", err)
	}
	entries := make([]Entry, len(f.Entries))
	for i, fe := range f.Entries {
		e, err := fe.entry()
		if err != nil {
			err.Index, err.Code = i, codes.Code(fe.Code)
			return nil, err
		}
		entries[i] = e
	}
	var o options
	if f.Fallback != "" {
		o.fallback = codes.Code(f.Fallback)
	}
	for _, opt := range opts {
		opt(&o)
	}
	return build(entries, o.fallback)
}

func (fe *fileEntry) entry() (Entry, *EntryError) {
	fail := func(field string, err error) (Entry, *EntryError) {
		return Entry{}, &EntryError{Field: field, Err: err}
	}
	e := Entry{
		Code:          codes.Code(fe.Code),
		FaultType:     fe.FaultType,
		Component:     fe.Component,
		Trigger:       fe.Trigger,
		Action:        fe.Action,
		Retryable:     fe.Retryable,
		HTTPStatus:    fe.HTTPStatus,
		Source:        Source(fe.Source),
		DocRef:        fe.DocRef,
		DebugCommands: fe.Debug,
		Rationale:     fe.Rationale,
	}
	var err error
	if e.Category, err = codes.ParseCategory(fe.Category); err != nil {
		return fail("category", err)
	}
	if e.Impact, err = codes.ParseImpact(fe.Impact); err != nil {
		return fail("impact", err)
	}
	if e.GRPCCode, err = parseGRPCCode(fe.GRPCCode); err != nil {
		return fail("grpc_code", err)
	}
	if fe.RetryDelay != "" {
		if e.RetryDelay, err = time.ParseDuration(fe.RetryDelay); err != nil {
			return fail("retry_delay", err)
		}
	}
	return e, nil
}

// parseGRPCCode accepts a gRPC code by its Go name ("FailedPrecondition")
// or its canonical name ("FAILED_PRECONDITION"), ignoring case.
func parseGRPCCode(s string) (grpccodes.Code, error) {
	norm := strings.ReplaceAll(s, "_", "")
	for c := grpccodes.OK; c <= grpccodes.Unauthenticated; c++ {
		if strings.EqualFold(norm, c.String()) {
			return c, nil
		}
	}
	if strings.EqualFold(norm, "cancelled") {
		return grpccodes.Canceled, nil
	}
	return 0, fmt.Errorf("%q is not a gRPC code name", s)
}

// grpcName is the inverse of parseGRPCCode for writing catalogs.
func grpcName(c grpccodes.Code) string { return c.String() }

// Encode writes the registry in the catalog file format that [Load] reads,
// entries in code order, so that Load(Encode(r)) rebuilds an equal registry.
func (r *Registry) Encode(w io.Writer) error {
	f := catalogFile{Entries: make([]fileEntry, 0, r.Len())}
	if fb, ok := r.Fallback(); ok {
		f.Fallback = string(fb.Code)
	}
	for _, e := range r.All() {
		fe := fileEntry{
			Code:       string(e.Code),
			FaultType:  e.FaultType,
			Category:   e.Category.String(),
			Component:  e.Component,
			Trigger:    e.Trigger,
			Action:     e.Action,
			Retryable:  e.Retryable,
			Impact:     e.Impact.String(),
			GRPCCode:   grpcName(e.GRPCCode),
			HTTPStatus: e.HTTPStatus,
			Source:     string(e.Source),
			DocRef:     e.DocRef,
			Debug:      e.DebugCommands,
			Rationale:  e.Rationale,
		}
		if e.RetryDelay > 0 {
			fe.RetryDelay = e.RetryDelay.String()
		}
		f.Entries = append(f.Entries, fe)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&f); err != nil {
		return fmt.Errorf("registry: encode catalog: %w", err)
	}
	return enc.Close()
}
