package faults

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/registry"
)

// entry is the record a fault points at: a catalog entry and what never
// changes for it on the wire, worked out once. Records of a registry are
// made once, when it is first used (see tableFor); a fault made with
// FromEntry from an entry no table holds gets its own record, whose wire
// parts are made when it is sent.
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

// table is the prepared records of one registry. It holds no reference to
// the registry, so that a registry's table goes with it (see tableFor).
type table struct {
	byCode   map[codes.Code]*entry
	byType   map[string]*entry // the stand-in fault types, resolved once
	fallback *entry
}

// contextFaultTypes are the fault types of the entries that stand for
// context errors (see Policy.FaultOf).
var contextFaultTypes = [...]string{"RequestCanceled", "Timedout"}

func newTable(reg *registry.Registry) *table {
	t := &table{byCode: make(map[codes.Code]*entry, reg.Len()), byType: map[string]*entry{}}
	for _, e := range reg.All() {
		t.byCode[e.Code] = newEntry(e, true, true)
	}
	if fb, ok := reg.Fallback(); ok {
		t.fallback = t.byCode[fb.Code]
	}
	for _, ft := range append(codeFaultTypes[:], contextFaultTypes[:]...) {
		if e, ok := reg.ByFaultType(ft); ok && ft != "" {
			t.byType[ft] = t.byCode[e.Code]
		}
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
	e := t.fallbackRecord().Entry
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

// tables holds the prepared table of each registry a Policy has named,
// keyed weakly: a registry's table goes when the registry does.
var tables sync.Map // weak.Pointer[registry.Registry] -> *table

// tableFor returns the prepared table of reg: the default one for nil or
// registry.Default(), else reg's, made the first time reg is used
// (registries are immutable).
func tableFor(reg *registry.Registry) *table {
	if reg == nil || reg == registry.Default() {
		return defaultTable()
	}
	key := weak.Make(reg)
	if t, ok := tables.Load(key); ok {
		return t.(*table)
	}
	t, loaded := tables.LoadOrStore(key, newTable(reg))
	if !loaded {
		runtime.AddCleanup(reg, func(k weak.Pointer[registry.Registry]) { tables.Delete(k) }, key)
	}
	return t.(*table)
}

// fallbackRecord returns the catch-all record of t's registry, or the
// built-in catalog's when it has none.
func (t *table) fallbackRecord() *entry {
	if t.fallback != nil {
		return t.fallback
	}
	return builtinFallback()
}

// byFaultType returns the record of the entry with stand-in fault type ft
// (codeFaultTypes, contextFaultTypes), if the registry has one.
func (t *table) byFaultType(ft string) (*entry, bool) {
	r, ok := t.byType[ft]
	return r, ok
}

func sameEntry(a, b *registry.Entry) bool {
	return a.Code == b.Code && a.FaultType == b.FaultType && a.Category == b.Category &&
		a.Component == b.Component && a.Trigger == b.Trigger && a.Action == b.Action &&
		a.Retryable == b.Retryable && a.RetryDelay == b.RetryDelay && a.Impact == b.Impact &&
		a.GRPCCode == b.GRPCCode && a.HTTPStatus == b.HTTPStatus && a.Source == b.Source &&
		a.DocRef == b.DocRef && a.Rationale == b.Rationale && slices.Equal(a.DebugCommands, b.DebugCommands)
}
