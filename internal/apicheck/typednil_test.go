package apicheck

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"google.golang.org/grpc/status"
	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/grpcstatus/otelfault"
	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/httpmap/openapi"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere"
	"github.com/gssfault/gssfault/vsphere/release"

	noopmetric "go.opentelemetry.io/otel/metric/noop"
)

// isNil reports whether err is the nil interface, not an interface holding
// a nil pointer.
func isNil(err error) bool { return err == nil }

// noErr fails t when a function that returns error gave anything but the
// nil interface for an input that means "nothing went wrong".
func noErr(t *testing.T, name string, err error) {
	t.Helper()
	if !isNil(err) {
		t.Errorf("%s = %#v (%T), want the nil error", name, err, err)
	}
}

// nilFault fails t unless f is nil and ok false.
func nilFault(t *testing.T, name string, f *faults.Error, ok bool) {
	t.Helper()
	if f != nil || ok {
		t.Errorf("%s = %v, %v, want nil, false", name, f, ok)
	}
}

// audited names every exported function and method of the public packages
// that returns an error, or a pointer to an error or fault type, and calls
// it with the input that means "nothing" (a nil error, a nil status, a
// success, valid input). TestEveryErrorReturnIsAudited keeps the list
// whole: a new such function fails it until it is added here.
var audited = map[string]func(t *testing.T){
	"codes.Parse":            func(t *testing.T) { _, err := codes.Parse("GSS-VSP-005"); noErr(t, "Parse", err) },
	"codes.ParseCategory":    func(t *testing.T) { _, err := codes.ParseCategory("state"); noErr(t, "ParseCategory", err) },
	"codes.ParseImpact":      func(t *testing.T) { _, err := codes.ParseImpact("minor"); noErr(t, "ParseImpact", err) },
	"codes.Code.MarshalText": func(t *testing.T) { _, err := codes.NotFound.MarshalText(); noErr(t, "MarshalText", err) },
	"codes.Code.UnmarshalText": func(t *testing.T) {
		var c codes.Code
		noErr(t, "UnmarshalText", c.UnmarshalText([]byte("GSS-VSP-005")))
	},
	"codes.Category.MarshalText":    func(t *testing.T) { _, err := codes.CategoryState.MarshalText(); noErr(t, "MarshalText", err) },
	"codes.Category.UnmarshalText":  func(t *testing.T) { var c codes.Category; noErr(t, "UnmarshalText", c.UnmarshalText([]byte("state"))) },
	"codes.ImpactLevel.MarshalText": func(t *testing.T) { _, err := codes.Minor.MarshalText(); noErr(t, "MarshalText", err) },
	"codes.ImpactLevel.UnmarshalText": func(t *testing.T) {
		var l codes.ImpactLevel
		noErr(t, "UnmarshalText", l.UnmarshalText([]byte("minor")))
	},
	"codes.ParseError.Unwrap": func(t *testing.T) {
		_, err := codes.Parse("GSS-VSP-5")
		var pe *codes.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse error %T is no *ParseError", err)
		}
		_ = pe.Unwrap() // may be nil: the nil interface or an error, never typed nil
		if u := pe.Unwrap(); u != nil && reflect.ValueOf(u).Kind() == reflect.Pointer && reflect.ValueOf(u).IsNil() {
			t.Errorf("ParseError.Unwrap = typed nil %T", u)
		}
	},

	"faults.Wrap":  func(t *testing.T) { noErr(t, "Wrap(nil)", faults.Wrap(nil, codes.NotFound, "x")) },
	"faults.Wrapf": func(t *testing.T) { noErr(t, "Wrapf(nil)", faults.Wrapf(nil, codes.NotFound, "x %d", 1)) },
	"faults.Code": func(t *testing.T) {
		if faults.Code(codes.NotFound) == nil {
			t.Error("Code(NotFound) is nil")
		}
	},
	"faults.Retry": func(t *testing.T) {
		noErr(t, "Retry(success)", faults.Retry(context.Background(), faults.RetryPolicy{}, func(context.Context) error { return nil }))
	},
	"faults.Call": func(t *testing.T) {
		_, err := faults.Call(context.Background(), func(context.Context) (int, error) { return 1, nil }, nil)
		noErr(t, "Call(success)", err)
		_, err = faults.Call(context.Background(), func(context.Context) (int, error) { return 0, errors.New("x") },
			faults.OnRetryable(func(context.Context, *faults.Error) (int, error) { return 0, nil }))
		if err == nil {
			t.Error("Call lost a non-retryable error")
		}
	},
	"faults.As":         func(t *testing.T) { f, ok := faults.As(nil); nilFault(t, "As(nil)", f, ok) },
	"faults.FromStatus": func(t *testing.T) { f, ok := faults.FromStatus(nil); nilFault(t, "FromStatus(nil)", f, ok) },
	"faults.Policy.FromStatus": func(t *testing.T) {
		f, ok := faults.Policy{}.FromStatus(status.New(0, ""))
		nilFault(t, "FromStatus(OK)", f, ok)
	},
	"faults.Policy.FaultOf": func(t *testing.T) { f, ok := faults.Policy{}.FaultOf(nil); nilFault(t, "FaultOf(nil)", f, ok) },
	"faults.Policy.Panic": func(t *testing.T) {
		if f := (faults.Policy{}).Panic(nil); f == nil || f.GRPCCode() != 13 {
			t.Errorf("Panic(nil) = %v, want an INTERNAL fault", f)
		}
	},
	"faults.New":       func(t *testing.T) { notNil(t, faults.New(codes.NotFound, "")) },
	"faults.Newf":      func(t *testing.T) { notNil(t, faults.Newf(codes.NotFound, "%d", 1)) },
	"faults.FromEntry": func(t *testing.T) { notNil(t, faults.FromEntry(registry.Entry{}, "", nil)) },
	// The With methods and Derive return nil for a nil receiver, as a
	// *Error: a caller holds a typed value, never an error interface.
	"faults.Error.WithMessage":    withOnNil(func(e *faults.Error) *faults.Error { return e.WithMessage("x") }),
	"faults.Error.WithCause":      withOnNil(func(e *faults.Error) *faults.Error { return e.WithCause(errors.New("x")) }),
	"faults.Error.WithOp":         withOnNil(func(e *faults.Error) *faults.Error { return e.WithOp("x") }),
	"faults.Error.WithObject":     withOnNil(func(e *faults.Error) *faults.Error { return e.WithObject("x") }),
	"faults.Error.WithRequestID":  withOnNil(func(e *faults.Error) *faults.Error { return e.WithRequestID("x") }),
	"faults.Error.WithDuration":   withOnNil(func(e *faults.Error) *faults.Error { return e.WithDuration(1) }),
	"faults.Error.WithRetryDelay": withOnNil(func(e *faults.Error) *faults.Error { return e.WithRetryDelay(1) }),
	"faults.Error.WithLocalized":  withOnNil(func(e *faults.Error) *faults.Error { return e.WithLocalized("de", "x") }),
	"faults.Error.WithMetadata":   withOnNil(func(e *faults.Error) *faults.Error { return e.WithMetadata(faults.Field{Key: "k", Value: "v"}) }),
	"faults.Error.WithDetails":    withOnNil(func(e *faults.Error) *faults.Error { return e.WithDetails() }),
	"faults.Error.Derive":         withOnNil(func(e *faults.Error) *faults.Error { return e.Derive(errors.New("x"), nil) }),
	"faults.Error.Unwrap": func(t *testing.T) {
		noErr(t, "(*Error)(nil).Unwrap", (*faults.Error)(nil).Unwrap())
		noErr(t, "New(...).Unwrap", faults.New(codes.NotFound, "x").Unwrap())
	},
	"faults.RetryError.Unwrap": func(t *testing.T) {
		// Err is a *Error: an empty RetryError must not unwrap to it.
		noErr(t, "RetryError{}.Unwrap", (&faults.RetryError{}).Unwrap())
	},

	"grpcstatus.FromError": func(t *testing.T) {
		if f, ok := grpcstatus.FromError(nil); f != nil || !ok {
			t.Errorf("FromError(nil) = %v, %v, want nil, true (status.FromError's convention)", f, ok)
		}
	},
	"grpcstatus/otelfault.New": func(t *testing.T) {
		_, err := otelfault.New(noopmetric.NewMeterProvider().Meter("t"))
		noErr(t, "otelfault.New", err)
	},

	"httpmap.ParseBody": func(t *testing.T) { f, ok := httpmap.ParseBody(200, nil); nilFault(t, "ParseBody(200)", f, ok) },
	"httpmap.ParseResponse": func(t *testing.T) {
		f, err := httpmap.ParseResponse(&http.Response{StatusCode: 204, Body: http.NoBody})
		if f != nil {
			t.Errorf("ParseResponse(204) = %v", f)
		}
		noErr(t, "ParseResponse(204)", err)
	},
	"httpmap.ResponseError.Unwrap": func(t *testing.T) {
		noErr(t, "ResponseError{}.Unwrap", (&httpmap.ResponseError{}).Unwrap())
	},

	"httpmap/openapi.Inject": func(t *testing.T) {
		_, err := openapi.Inject([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"), openapi.Options{})
		noErr(t, "Inject", err)
	},
	"httpmap/openapi.Check": func(t *testing.T) {
		_, err := openapi.Check([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
		noErr(t, "Check", err)
	},
	"httpmap/openapi.ReadCodesFile": func(t *testing.T) {
		_, err := openapi.ReadCodesFile(strings.NewReader(`{"gssfault": "v1", "methods": []}`))
		noErr(t, "ReadCodesFile", err)
	},
	"httpmap/openapi.ParseMapping": func(t *testing.T) {
		_, err := openapi.ParseMapping(strings.NewReader("{}"))
		noErr(t, "ParseMapping", err)
	},
	"httpmap/openapi.Mapping.Validate": func(t *testing.T) {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("openapi: 3.0.3\npaths: {}\n"), &doc); err != nil {
			t.Fatal(err)
		}
		noErr(t, "Mapping{}.Validate", openapi.Mapping{}.Validate(&doc))
	},

	"registry.Load": func(t *testing.T) {
		var b strings.Builder
		noErr(t, "Encode", registry.Default().Encode(&b))
		_, err := registry.Load(strings.NewReader(b.String()))
		noErr(t, "Load", err)
	},
	"registry.Registry.Encode": func(t *testing.T) { var b strings.Builder; noErr(t, "Encode", registry.Default().Encode(&b)) },
	"registry.New":             func(t *testing.T) { _, err := registry.New(registry.Default().All()); noErr(t, "New", err) },
	"registry.Registry.Extend": func(t *testing.T) { _, err := registry.Default().Extend(); noErr(t, "Extend()", err) },
	"registry.EntryError.Unwrap": func(t *testing.T) {
		_, err := registry.New([]registry.Entry{{}})
		var ee *registry.EntryError
		if !errors.As(err, &ee) {
			t.Fatalf("New of an empty entry: %T, want *EntryError", err)
		}
		if u := ee.Unwrap(); u == nil {
			t.Error("EntryError.Unwrap = nil, want the field's error")
		}
	},

	"vsphere.Classify":            func(t *testing.T) { noErr(t, "Classify(nil)", vsphere.Classify(nil)) },
	"vsphere.FromError":           func(t *testing.T) { f, ok := vsphere.FromError(nil); nilFault(t, "FromError(nil)", f, ok) },
	"vsphere.Classifier.Classify": func(t *testing.T) { noErr(t, "Classifier.Classify(nil)", new(vsphere.Classifier).Classify(nil)) },
	"vsphere.Classifier.FromError": func(t *testing.T) {
		f, ok := new(vsphere.Classifier).FromError(nil)
		nilFault(t, "Classifier.FromError(nil)", f, ok)
	},
	"vsphere.Call.Classify": func(t *testing.T) {
		_, call := vsphere.Track(context.Background())
		noErr(t, "Call.Classify(nil)", call.Classify(nil))
	},
	"vsphere.Retry": func(t *testing.T) {
		noErr(t, "Retry(success)", vsphere.Retry(context.Background(), faults.RetryPolicy{}, func(context.Context) error { return nil }))
	},
	"vsphere.ToLocalizedFault": func(t *testing.T) {
		if lf := vsphere.ToLocalizedFault(nil); lf != nil {
			t.Errorf("ToLocalizedFault(nil) = %v", lf)
		}
	},
	"vsphere.ParseSOAPFault": func(t *testing.T) {
		f, err := vsphere.ParseSOAPFault([]byte(`<Fault><faultcode>ServerFaultCode</faultcode><faultstring>x</faultstring></Fault>`))
		if f == nil {
			t.Errorf("ParseSOAPFault of a fault = nil, %v", err)
		}
		noErr(t, "ParseSOAPFault", err)
	},
	"vsphere.Transport.RoundTrip": func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
		defer srv.Close()
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := (&vsphere.Transport{}).RoundTrip(req)
		noErr(t, "RoundTrip", err)
		if resp != nil {
			resp.Body.Close()
		}
	},
	"vsphere.VersionOf": func(t *testing.T) {
		simulator.Test(func(ctx context.Context, c *vim25.Client) {
			_, err := vsphere.VersionOf(c)
			noErr(t, "VersionOf", err)
		})
	},

	"vsphere/release.Parse":                 func(t *testing.T) { _, err := release.Parse("8.0.3"); noErr(t, "Parse", err) },
	"vsphere/release.Version.MarshalText":   func(t *testing.T) { _, err := release.V803.MarshalText(); noErr(t, "MarshalText", err) },
	"vsphere/release.Version.UnmarshalText": func(t *testing.T) { var v release.Version; noErr(t, "UnmarshalText", v.UnmarshalText([]byte("8.0.3"))) },
}

func notNil(t *testing.T, f *faults.Error) {
	t.Helper()
	if f == nil {
		t.Error("a constructor returned a nil fault")
	}
}

func withOnNil(with func(*faults.Error) *faults.Error) func(t *testing.T) {
	return func(t *testing.T) {
		if got := with(nil); got != nil {
			t.Errorf("on a nil *Error = %v, want nil", got)
		}
		if got := with(faults.New(codes.NotFound, "x")); got == nil {
			t.Error("on a fault = nil")
		}
	}
}

// TestNoTypedNil runs every audited call.
func TestNoTypedNil(t *testing.T) {
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range audited {
			if !yield(k) {
				return
			}
		}
	}) {
		t.Run(name, audited[name])
	}
}

// TestEveryErrorReturnIsAudited lists, from the source, every exported
// function and method of the public packages whose results include error
// or a pointer to a type named *Error or *Fault, and fails for one missing
// from audited (a new function must be checked for typed nils) or one
// audited that no longer exists.
func TestEveryErrorReturnIsAudited(t *testing.T) {
	found := map[string]bool{}
	root := "../.."
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			base := filepath.Base(rel)
			if rel != "." && (slices.Contains([]string{"internal", "cmd", "examples", "adapters", "tools", "testdata", "proto"}, strings.Split(rel, string(filepath.Separator))[0]) ||
				base == "testdata" || strings.HasPrefix(base, ".") || strings.HasPrefix(base, "wt-")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		for _, decl := range f.Decls {
			if name, ok := errorReturning(decl); ok {
				found[pkg+"."+name] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "faults")); err != nil || len(found) < 50 {
		t.Fatalf("found %d functions: the walk missed the packages (%v)", len(found), err)
	}
	for name := range found {
		if audited[name] == nil {
			t.Errorf("%s returns an error or a fault and is not in audited: add a call with its nothing input", name)
		}
	}
	for name := range audited {
		if !found[name] {
			t.Errorf("audited names %s, which is no longer an exported error-returning function", name)
		}
	}
}

// errorReturning reports the name (Func or Type.Method) of an exported
// function declaration whose results include an error.
func errorReturning(decl ast.Decl) (string, bool) {
	fd, ok := decl.(*ast.FuncDecl)
	if !ok || !fd.Name.IsExported() || fd.Type.Results == nil {
		return "", false
	}
	name := fd.Name.Name
	if fd.Recv != nil {
		typ := fd.Recv.List[0].Type
		if s, ok := typ.(*ast.StarExpr); ok {
			typ = s.X
		}
		if ix, ok := typ.(*ast.IndexExpr); ok {
			typ = ix.X
		}
		id, ok := typ.(*ast.Ident)
		if !ok || !id.IsExported() {
			return "", false
		}
		name = id.Name + "." + name
	}
	for _, r := range fd.Type.Results.List {
		switch typ := r.Type.(type) {
		case *ast.Ident:
			if typ.Name == "error" {
				return name, true
			}
		case *ast.StarExpr:
			var n string
			switch x := typ.X.(type) {
			case *ast.Ident:
				n = x.Name
			case *ast.SelectorExpr:
				n = x.Sel.Name
			}
			if strings.HasSuffix(n, "Error") || strings.HasSuffix(n, "Fault") {
				return name, true
			}
		}
	}
	return "", false
}
