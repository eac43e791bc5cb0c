package faults

import (
	"slices"
	"strings"
	"sync"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// entry is the record a fault points at: a catalog entry and what never
// changes for it on the wire, worked out once. Records of the default
// registry are made once, when it is first used; a fault of another
// registry's entry gets its own record, whose wire parts are made when it
// is sent.
type entry struct {
	registry.Entry
	known  bool   // the entry came from a registry
	reason string // ErrorInfo reason
	domain string // ErrorInfo domain
	retry  *anypb.Any
	help   *anypb.Any
}

// newEntry returns the record of e; prepared records carry their
// RetryInfo and Help details ready to send.
func newEntry(e registry.Entry, known, prepared bool) *entry {
	r := &entry{Entry: e, known: known, reason: Reason(e.FaultType), domain: domainOf(e.Code.Domain())}
	if prepared {
		r.retry, r.help = r.retryInfo(), r.helpLink()
	}
	return r
}

// retryInfo is the entry's RetryInfo detail, or nil when the entry is not
// retryable or gives no delay.
func (r *entry) retryInfo() *anypb.Any {
	if r.retry != nil || !r.Retryable || r.RetryDelay <= 0 {
		return r.retry
	}
	return toAny(&errdetails.RetryInfo{RetryDelay: durationpb.New(r.RetryDelay)})
}

// helpLink is the entry's Help detail, or nil without a reference.
func (r *entry) helpLink() *anypb.Any {
	if r.help != nil || r.DocRef == "" {
		return r.help
	}
	return toAny(&errdetails.Help{Links: []*errdetails.Help_Link{{
		Description: validUTF8(r.FaultType + " reference"), Url: validUTF8(r.DocRef),
	}}})
}

// domainOf is the ErrorInfo domain of a GSS domain: "gssfault.vsp" for
// VSP. It is stable: with the reason it is the error's identity.
func domainOf(d codes.Domain) string {
	if d == "" {
		return "gssfault"
	}
	return "gssfault." + strings.ToLower(string(d))
}

// table is the prepared records of one registry.
type table struct {
	reg      *registry.Registry
	byCode   map[codes.Code]*entry
	fallback *entry
}

func newTable(reg *registry.Registry) *table {
	t := &table{reg: reg, byCode: make(map[codes.Code]*entry, reg.Len())}
	for _, e := range reg.All() {
		t.byCode[e.Code] = newEntry(e, true, true)
	}
	if fb, ok := reg.Fallback(); ok {
		t.fallback = t.byCode[fb.Code]
	}
	return t
}

// defaultTable is the records of registry.Default(), made on first use.
var defaultTable = sync.OnceValue(func() *table { return newTable(registry.Default()) })

// builtinFallback is the catch-all record of the built-in catalog.
func builtinFallback() *entry { return defaultTable().fallback }

// lookup returns the record for code c in the registry of t; for a code
// the registry does not hold, a new record with code c and the rest of
// the fallback entry, not known.
func (t *table) lookup(c codes.Code) *entry {
	if r, ok := t.byCode[c]; ok {
		return r
	}
	fb := t.fallback
	if fb == nil {
		fb = builtinFallback()
	}
	e := fb.Entry
	e.Code = c
	return newEntry(e, false, false)
}

// recordOf returns the record for entry e of any registry: the default
// registry's own record when e is one of its entries, else a new one.
func recordOf(e registry.Entry) *entry {
	if r, ok := defaultTable().byCode[e.Code]; ok && sameEntry(&r.Entry, &e) {
		return r
	}
	return newEntry(e, e.Code.Valid() && e.FaultType != "", false)
}

// tableFor returns the table of reg: the prepared default one for nil or
// registry.Default(), else a table made now (a registry's records for a
// Policy that names one are made once per Policy use).
func tableFor(reg *registry.Registry) *table {
	if t := defaultTable(); reg == nil || reg == t.reg {
		return t
	}
	return &table{reg: reg}
}

// record returns the record for code c in t's registry, or a not-known
// record for a code it lacks.
func (t *table) record(c codes.Code) *entry {
	if t.byCode != nil {
		return t.lookup(c)
	}
	if e, ok := t.reg.Lookup(c); ok {
		return recordOf(e)
	}
	fb, ok := t.reg.Fallback()
	if !ok {
		fb = builtinFallback().Entry
	}
	fb.Code = c
	return newEntry(fb, false, false)
}

// fallbackRecord returns the catch-all record of t's registry.
func (t *table) fallbackRecord() *entry {
	if t.fallback != nil {
		return t.fallback
	}
	if t.reg != nil {
		if fb, ok := t.reg.Fallback(); ok {
			return recordOf(fb)
		}
	}
	return builtinFallback()
}

// byFaultType returns the record of the entry with fault type ft, if any.
func (t *table) byFaultType(ft string) (*entry, bool) {
	reg := t.reg
	if reg == nil {
		reg = registry.Default()
	}
	e, ok := reg.ByFaultType(ft)
	if !ok {
		return nil, false
	}
	if t.byCode != nil {
		return t.byCode[e.Code], true
	}
	return recordOf(e), true
}

func sameEntry(a, b *registry.Entry) bool {
	return a.Code == b.Code && a.FaultType == b.FaultType && a.Category == b.Category &&
		a.Component == b.Component && a.Trigger == b.Trigger && a.Action == b.Action &&
		a.Retryable == b.Retryable && a.RetryDelay == b.RetryDelay && a.Impact == b.Impact &&
		a.GRPCCode == b.GRPCCode && a.HTTPStatus == b.HTTPStatus && a.Source == b.Source &&
		a.DocRef == b.DocRef && a.Rationale == b.Rationale && slices.Equal(a.DebugCommands, b.DebugCommands)
}
