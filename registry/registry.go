package registry

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	grpccodes "google.golang.org/grpc/codes"

	"github.com/gssfault/gssfault/codes"
)

// maxFaultTypeLen bounds fault type names so that lookups can fold case in
// a fixed buffer and AIP-193 reasons derived from them stay short.
const maxFaultTypeLen = 63

// Registry is an immutable catalog of entries. The zero value is an empty
// registry; build one with [New], [Load] or [Registry.Extend]. All methods
// are safe for concurrent use and never modify the registry.
type Registry struct {
	entries  []Entry // sorted by code
	byCode   map[codes.Code]int
	byFault  map[string]int // lower-case fault type
	docs     []doc          // search index, parallel to entries
	vocab    vocabulary     // the docs' distinct words, for Search
	fallback int            // index of the catch-all entry, or -1
}

// Option configures [New] and [Load].
type Option func(*options)

type options struct {
	fallback codes.Code
}

// WithFallback names the catch-all entry: the one [Registry.Fallback]
// returns and classifiers use for errors no other entry describes. The code
// must be one of the registry's entries. In a catalog file the top-level
// key fallback does the same.
func WithFallback(c codes.Code) Option {
	return func(o *options) { o.fallback = c }
}

// New builds a registry from entries after validating each one. It copies
// entries and their DebugCommands, so the caller may reuse them.
//
// An entry is rejected, with an [*EntryError] naming it and the field, when:
//   - code is not a valid GSS code, or is used by an earlier entry;
//   - fault_type is empty, longer than 63 bytes, not an ASCII identifier, or
//     (ignoring case) used by an earlier entry;
//   - category or impact is not set to a known value;
//   - component, trigger or action is empty;
//   - grpc_code is OK or not one of the 17 gRPC codes;
//   - http_status is set outside 400-599;
//   - retry_delay is negative, or set on an entry that is not retryable;
//   - doc_ref is set and is not an absolute https URL.
//
// HTTPStatus 0 is kept: it means the HTTP status of GRPCCode (see
// Entry.HTTPStatus). A fallback given
// with [WithFallback] that names no entry is an error too.
func New(entries []Entry, opts ...Option) (*Registry, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return build(entries, o.fallback)
}

func build(entries []Entry, fallback codes.Code) (*Registry, error) {
	r := &Registry{
		entries:  make([]Entry, 0, len(entries)),
		byCode:   make(map[codes.Code]int, len(entries)),
		byFault:  make(map[string]int, len(entries)),
		fallback: -1,
	}
	seenFault := make(map[string]int, len(entries))
	seenCode := make(map[codes.Code]int, len(entries))
	for i, e := range entries {
		if err := validate(&e); err != nil {
			err.Index, err.Code = i, e.Code
			return nil, err
		}
		fail := func(field, format string, args ...any) error {
			return &EntryError{Index: i, Code: e.Code, Field: field, Err: fmt.Errorf(format, args...)}
		}
		if j, dup := seenCode[e.Code]; dup {
			return nil, fail("code", "duplicate of entry %d", j)
		}
		key := strings.ToLower(e.FaultType)
		if j, dup := seenFault[key]; dup {
			return nil, fail("fault_type", "%q already claimed by entry %d (%s)", e.FaultType, j, entries[j].Code)
		}
		seenCode[e.Code], seenFault[key] = i, i
		// An empty list and no list are the same catalog; keep one form so
		// that entries compare equal after Encode and Load.
		if len(e.DebugCommands) == 0 {
			e.DebugCommands = nil
		} else {
			e.DebugCommands = slices.Clip(slices.Clone(e.DebugCommands))
		}
		r.entries = append(r.entries, e)
	}
	slices.SortFunc(r.entries, func(a, b Entry) int { return strings.Compare(string(a.Code), string(b.Code)) })
	r.docs = make([]doc, len(r.entries))
	for i := range r.entries {
		e := &r.entries[i]
		r.byCode[e.Code] = i
		r.byFault[strings.ToLower(e.FaultType)] = i
		r.docs[i] = newDoc(e)
	}
	r.vocab = newVocabulary(r.docs)
	if fallback != "" {
		i, ok := r.byCode[fallback]
		if !ok {
			return nil, fmt.Errorf("registry: fallback %q is not an entry of the registry", fallback)
		}
		r.fallback = i
	}
	return r, nil
}

// validate checks one entry and fills in defaults. The returned error has
// Field and Err set; the caller fills in Index and Code.
func validate(e *Entry) *EntryError {
	fail := func(field string, err error) *EntryError { return &EntryError{Field: field, Err: err} }
	if _, err := codes.Parse(string(e.Code)); err != nil {
		var pe *codes.ParseError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s %s", pe.Part, pe.Reason)
		}
		return fail("code", err)
	}
	switch {
	case e.FaultType == "":
		return fail("fault_type", errors.New("is empty"))
	case len(e.FaultType) > maxFaultTypeLen:
		return fail("fault_type", fmt.Errorf("is %d bytes long, more than %d", len(e.FaultType), maxFaultTypeLen))
	case !isIdent(e.FaultType):
		return fail("fault_type", fmt.Errorf("%q is not an identifier of ASCII letters and digits starting with a letter", e.FaultType))
	}
	if !e.Category.Valid() {
		return fail("category", fmt.Errorf("%v is not a known category", e.Category))
	}
	if !e.Impact.Valid() {
		return fail("impact", fmt.Errorf("%v is not a known impact level", e.Impact))
	}
	for _, f := range [...]struct{ name, v string }{{"component", e.Component}, {"trigger", e.Trigger}, {"action", e.Action}} {
		if strings.TrimSpace(f.v) == "" {
			return fail(f.name, errors.New("is empty"))
		}
	}
	if e.GRPCCode == grpccodes.OK || e.GRPCCode > grpccodes.Unauthenticated {
		return fail("grpc_code", fmt.Errorf("%v is not an error code", e.GRPCCode))
	}
	if e.HTTPStatus != 0 && (e.HTTPStatus < 400 || e.HTTPStatus > 599) {
		return fail("http_status", fmt.Errorf("%d is not a 4xx or 5xx status", e.HTTPStatus))
	}
	if e.RetryDelay < 0 {
		return fail("retry_delay", fmt.Errorf("%v is negative", e.RetryDelay))
	}
	if e.RetryDelay > 0 && !e.Retryable {
		return fail("retry_delay", errors.New("is set but the entry is not retryable"))
	}
	if e.DocRef != "" {
		u, err := url.Parse(e.DocRef)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fail("doc_ref", fmt.Errorf("%q is not an absolute https URL", e.DocRef))
		}
	}
	return nil
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// Len returns the number of entries.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.entries)
}

// Lookup returns the entry for code c. ok is false, with a zero Entry, when
// the registry has no such code. It does not allocate.
func (r *Registry) Lookup(c codes.Code) (e Entry, ok bool) {
	if r == nil {
		return Entry{}, false
	}
	i, ok := r.byCode[c]
	if !ok {
		return Entry{}, false
	}
	return r.entries[i], true
}

// ByFaultType returns the entry whose FaultType is name, ignoring ASCII
// case ("invalidlogin" finds InvalidLogin). ok is false when no entry has
// that fault type. It does not allocate.
func (r *Registry) ByFaultType(name string) (e Entry, ok bool) {
	if r == nil || len(name) == 0 || len(name) > maxFaultTypeLen {
		return Entry{}, false
	}
	var buf [maxFaultTypeLen]byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	i, ok := r.byFault[string(buf[:len(name)])]
	if !ok {
		return Entry{}, false
	}
	return r.entries[i], true
}

// Fallback returns the catch-all entry, the one for errors that no other
// entry describes. ok is false when the registry was built without one.
// The default registry's fallback is GSS-VSP-999 (MethodFault).
func (r *Registry) Fallback() (e Entry, ok bool) {
	if r == nil || r.fallback < 0 {
		return Entry{}, false
	}
	return r.entries[r.fallback], true
}

// All returns a copy of every entry, sorted by code.
func (r *Registry) All() []Entry {
	if r == nil {
		return nil
	}
	return slices.Clone(r.entries)
}

// Extend returns a new registry holding the receiver's entries and the
// given ones, with the receiver's fallback. It fails, naming the entry, if a
// new entry is invalid or reuses a code or fault type of the receiver or of
// another new entry; the receiver is never changed. Indexes in the error
// count the receiver's entries first.
func (r *Registry) Extend(entries ...Entry) (*Registry, error) {
	all := make([]Entry, 0, r.Len()+len(entries))
	if r != nil {
		all = append(all, r.entries...)
	}
	all = append(all, entries...)
	var fb codes.Code
	if r != nil && r.fallback >= 0 {
		fb = r.entries[r.fallback].Code
	}
	return build(all, fb)
}
