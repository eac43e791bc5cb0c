package vsphere

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/gssfault/gssfault/internal/errwalk"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/task"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/internal/cowmap"
	"github.com/gssfault/gssfault/internal/vapierr"
	"github.com/gssfault/gssfault/registry"
)

// maxMessage bounds a message taken from an error's text or a response
// body, in bytes.
const maxMessage = 1024

// Classifier classifies errors against one registry. The zero value is not
// usable; make one with [NewClassifier]. It is safe for concurrent use.
type Classifier struct {
	reg      *registry.Registry
	fallback registry.Entry

	// What depends only on types, computed once per type or chain.
	types  cowmap.Map[reflect.Type, *vimType]
	chains cowmap.Map[chainKey, string]
}

// NewClassifier returns a classifier for reg, whose fault types must be
// those of the built-in catalog for the errors it is to recognise (a
// service's extended registry works). If reg has no fallback entry, the
// built-in catalog's is used. A nil reg means [registry.Default].
func NewClassifier(reg *registry.Registry) *Classifier {
	if reg == nil {
		reg = registry.Default()
	}
	fb, ok := reg.Fallback()
	if !ok {
		fb, _ = registry.Default().Fallback()
	}
	c := &Classifier{reg: reg, fallback: fb}
	c.types.Max, c.chains.Max = maxTypeCache, maxTypeCache
	return c
}

var defaultClassifier = sync.OnceValue(func() *Classifier { return NewClassifier(nil) })

// Classify turns err into a fault, with the built-in catalog. It returns nil
// only for a nil err; see the package documentation for what it recognises.
// If the walk meets a [*faults.Error] before a vim25 method fault, that
// fault is returned as it is: an error is classified once.
func Classify(err error) *faults.Error { return defaultClassifier().Classify(err) }

// Rank of what a node of an error tree says, best first.
const (
	rankVim = iota
	rankHTTP
	rankSpecific
	rankNetwork
	rankTimeout
	rankGeneric
	rankNone
)

// found is the best classification seen so far in a walk.
type found struct {
	rank   int
	entry  registry.Entry
	msg    string
	object string
	meta   []faults.Field
}

// Classify turns err into a fault whose cause is err; see [Classify].
func (c *Classifier) Classify(err error) *faults.Error {
	if err == nil {
		return nil
	}
	// A foreign error whose methods panic ends the walk (errwalk.Walk
	// recovers): what was found before stands, else the fallback.
	best := found{rank: rankNone, entry: c.fallback}
	var existing *faults.Error
	// A candidate's metadata goes into the half of s the best so far does
	// not use; Build copies it out, so the fault never aliases s.
	s := scratchPool.Get().(*scratch)
	spare := 0
	errwalk.Walk(err, func(node error) bool {
		if f, ok := node.(*faults.Error); ok {
			existing = f
			return true
		}
		if r, ok := c.node(node, best.rank, s[spare][:0]); ok && r.rank < best.rank {
			best, spare = r, 1-spare
		}
		return best.rank == rankVim
	})
	var f *faults.Error
	if existing != nil {
		f = existing
	} else {
		f = faults.Build(best.entry, best.msg, err, faults.Details{Object: best.object, Metadata: best.meta})
	}
	*s = scratch{} // keep no strings of err alive in the pool
	scratchPool.Put(s)
	return f
}

// scratch holds the metadata of the best classification so far and of the
// candidate being looked at, so that a classification allocates no slice
// it does not return.
type scratch [2][8]faults.Field

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// node classifies one node of an error tree, if it can do better than
// rank bestRank. A vim25 fault's metadata is appended to buf.
func (c *Classifier) node(err error, bestRank int, buf []faults.Field) (found, bool) {
	// vim25 method faults.
	if hf, ok := err.(types.HasFault); ok {
		if f := safeFault(hf); f != nil && !isNilFault(f) {
			return c.fromVim(f, faultMessage(err, f), buf), true
		}
	}
	if bestRank <= rankHTTP {
		return found{}, false
	}
	// govmomi's HTTP status errors and the vAPI 400 error are leaves.
	if _, wraps := err.(interface{ Unwrap() error }); !wraps {
		if r, ok := c.httpStatus(err); ok {
			return r, true
		}
		if r, ok := c.vapi400(err); ok {
			return r, true
		}
	}
	if bestRank <= rankSpecific {
		return found{}, false
	}
	if r, ok := c.specific(err); ok {
		return r, true
	}
	return found{}, false
}

func (c *Classifier) fromVim(f types.BaseMethodFault, msg string, buf []faults.Field) found {
	res := c.resolve(f, msg)
	object, meta := vimFields(res.fault, buf)
	if name := c.typeName(res.fault); name != res.entry.FaultType {
		meta = append(meta, faults.Field{Key: "vimFaultType", Value: name})
	}
	if res.chain != "" {
		meta = append(meta, faults.Field{Key: "faultChain", Value: res.chain})
	}
	rank := rankVim
	if c.generic(res.entry) {
		rank = rankGeneric
	}
	return found{rank: rank, entry: res.entry, msg: res.msg, object: object, meta: meta}
}

// faultMessage is the message of the node holding fault f: the task's or
// SOAP fault's localized message, without govmomi's "ServerFaultCode: ".
func faultMessage(err error, f types.BaseMethodFault) string {
	var lmf *types.LocalizedMethodFault
	switch x := err.(type) {
	case task.Error:
		lmf = x.LocalizedMethodFault
	case *task.Error:
		lmf = x.LocalizedMethodFault
	}
	if lmf != nil && lmf.LocalizedMessage != "" && !isTypeName(lmf.LocalizedMessage, f) {
		return lmf.LocalizedMessage
	}
	if soap.IsSoapFault(err) {
		if sf := soap.ToSoapFault(err); sf != nil {
			return sf.String
		}
	}
	if mf := f.GetMethodFault(); mf != nil {
		for _, m := range mf.FaultMessage {
			if m.Message != "" {
				return m.Message
			}
		}
	}
	return ""
}

// isTypeName reports whether msg is only the fault's Go type, as in
// "*types.InvalidPowerState", which is what some servers (vcsim among them)
// put where a localized message belongs.
func isTypeName(msg string, f types.BaseMethodFault) bool {
	name := typeName(f)
	return msg == name || msg == "*types."+name || msg == "types."+name
}

func (c *Classifier) entry(faultType string) (registry.Entry, bool) {
	if faultType == "" {
		return c.fallback, false
	}
	e, ok := c.reg.ByFaultType(faultType)
	if !ok {
		return c.fallback, false
	}
	return e, true
}

// httpStatus recognises the status errors of govmomi's vapi/rest and
// vim25/soap clients, which keep the *http.Response in an unexported
// field: the status code is read by reflection, the body is not there.
func (c *Classifier) httpStatus(err error) (found, bool) {
	t := reflect.TypeOf(err)
	if t.Kind() != reflect.Pointer || t.Elem().Name() != "statusError" {
		return found{}, false
	}
	pkg := t.Elem().PkgPath()
	if pkg != "github.com/vmware/govmomi/vapi/rest" && pkg != "github.com/vmware/govmomi/vim25/soap" {
		return found{}, false
	}
	res := reflect.ValueOf(err).Elem().FieldByName("res")
	if !res.IsValid() || res.Kind() != reflect.Pointer || res.IsNil() {
		return found{}, false
	}
	sc := res.Elem().FieldByName("StatusCode")
	if !sc.IsValid() || sc.Kind() != reflect.Int {
		return found{}, false
	}
	status := int(sc.Int())
	e, ok := c.entry(vapierr.StatusFaultType(status))
	if !ok {
		return found{}, false
	}
	return found{
		rank:  rankHTTP,
		entry: e,
		msg:   truncate(err.Error()),
		meta:  []faults.Field{{Key: "httpStatus", Value: strconv.Itoa(status)}},
	}, true
}

// vapi400 recognises the error vapi/rest makes of a 400 answer: the text
// "400 Bad Request: <body>", whose JSON body is either /api's
// {"error_type": ..., "messages": [...]} or /rest's {"type":
// "com.vmware.vapi.std.errors.<name>", "value": {...}}.
func (c *Classifier) vapi400(err error) (found, bool) {
	text := err.Error()
	const prefix = "400 Bad Request: "
	if !strings.HasPrefix(text, prefix) {
		return found{}, false
	}
	body := strings.TrimSpace(text[len(prefix):])
	errorType, msg, _ := vapierr.ParseBody([]byte(body))
	msg = truncate(msg)
	e, _ := c.entry(vapierr.Resolve(errorType, 400))
	meta := []faults.Field{{Key: "httpStatus", Value: "400"}}
	if errorType != "" {
		meta = append(meta, faults.Field{Key: "vapiErrorType", Value: errorType})
	}
	meta = append(meta, faults.Field{Key: "body", Value: truncate(body)})
	if msg == "" {
		msg = truncate(text)
	}
	return found{rank: rankHTTP, entry: e, msg: msg, meta: meta}, true
}

// specific recognises find, datastore, TLS, network, timeout and context
// errors.
func (c *Classifier) specific(err error) (found, bool) {
	mk := func(rank int, faultType string) (found, bool) {
		e, ok := c.entry(faultType)
		if !ok {
			return found{}, false
		}
		return found{rank: rank, entry: e, msg: truncate(err.Error())}, true
	}
	switch x := err.(type) {
	case *find.NotFoundError, *find.DefaultNotFoundError:
		return mk(rankSpecific, "NotFound")
	case *find.MultipleFoundError, find.DefaultMultipleFoundError, *find.DefaultMultipleFoundError:
		return mk(rankSpecific, "InvalidArgument")
	case object.DatastoreNoSuchFileError, *object.DatastoreNoSuchFileError,
		object.DatastoreNoSuchDirectoryError, *object.DatastoreNoSuchDirectoryError:
		return mk(rankSpecific, "FileNotFound")
	case *tls.CertificateVerificationError, x509.UnknownAuthorityError, *x509.UnknownAuthorityError,
		x509.HostnameError, *x509.HostnameError, x509.CertificateInvalidError, *x509.CertificateInvalidError:
		return mk(rankSpecific, "CertificateVerificationFailed")
	case *net.DNSError:
		return mk(rankNetwork, "NetworkUnavailable")
	case *net.OpError:
		if x.Op == "dial" {
			return mk(rankNetwork, "NetworkUnavailable")
		}
	case syscall.Errno:
		switch x {
		case syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ECONNRESET, syscall.EHOSTDOWN, syscall.ENETDOWN:
			return mk(rankNetwork, "NetworkUnavailable")
		case syscall.ETIMEDOUT:
			return mk(rankTimeout, "Timedout")
		}
	}
	switch {
	case err == context.Canceled:
		return mk(rankTimeout, "RequestCanceled")
	case err == context.DeadlineExceeded || err == os.ErrDeadlineExceeded:
		return mk(rankTimeout, "Timedout")
	}
	if te, ok := err.(interface{ Timeout() bool }); ok && te.Timeout() {
		return mk(rankTimeout, "Timedout")
	}
	// A leaf whose text is how govmomi and Go report an untrusted
	// certificate without a typed error.
	if _, wraps := err.(interface{ Unwrap() error }); !wraps && soap.IsCertificateUntrusted(err) {
		return mk(rankSpecific, "CertificateVerificationFailed")
	}
	return found{}, false
}

func truncate(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	cut := maxMessage
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "..."
}

// ClassifyFault classifies a method fault that is not inside an error, as
// a fake or a task's info holds it. The fault's cause is the fault wrapped
// as govmomi wraps PropertyCollector faults (soap.WrapVimFault), so
// errors.As to types.HasFault finds it. nil gives nil.
func ClassifyFault(f types.BaseMethodFault) *faults.Error {
	if f == nil || isNilFault(f) {
		return nil
	}
	return Classify(soap.WrapVimFault(f))
}

// ClassifyLocalized classifies a LocalizedMethodFault (a task's error, a
// faultCause) with its localized message. The fault's cause is the
// task.Error govmomi would have returned for it. nil, or one without a
// fault, gives nil.
func ClassifyLocalized(lmf *types.LocalizedMethodFault) *faults.Error {
	if lmf == nil || lmf.Fault == nil || isNilFault(lmf.Fault) {
		return nil
	}
	return Classify(task.Error{LocalizedMethodFault: lmf})
}

// MaxWalk is the most errors one classification visits in an error tree.
const MaxWalk = errwalk.MaxNodes
