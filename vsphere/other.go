package vsphere

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"

	"github.com/gssfault/gssfault/internal/errwalk"
	"github.com/gssfault/gssfault/internal/vapierr"
)

// otherKind says what a node that is not a method fault was recognised as.
type otherKind uint8

const (
	otherNone      otherKind = iota
	otherHTTP                // an HTTP status error of govmomi's clients
	otherVAPI400             // vapi/rest's error for a 400 answer, its body in the text
	otherGovmomi             // a find or datastore-file error
	otherTransport           // a failure under a request to vSphere
)

// maxMessage bounds a message taken from an error's text or a body.
const maxMessage = 1024

// otherTree looks through err for vSphere errors that are not method
// faults. Transport failures count only under the first *url.Error: a
// request to vSphere.
func (c *Classifier) otherTree(err error) result {
	best := result{rank: rankNone}
	urlSeen := false
	errwalk.Walk(err, func(node error) bool {
		if r, ok := c.otherNode(node); ok && r.rank < best.rank {
			best = r
		}
		if ue, ok := node.(*url.Error); ok && ue != nil && !urlSeen {
			urlSeen = true
			if r, ok := c.transport(ue); ok && r.rank < best.rank {
				best = r
			}
		}
		return best.rank <= rankHTTP
	})
	return best
}

// otherNode recognises one node: govmomi's HTTP status errors, the vAPI
// 400 error, and find and datastore-file errors.
func (c *Classifier) otherNode(node error) (result, bool) {
	mk := func(rank int, ok otherKind, faultType string) (result, bool) {
		k := c.kindByName(faultType)
		if k == nil {
			return result{}, false
		}
		return result{kind: k, rank: rank, node: node, other: ok}, true
	}
	if code, ok := httpStatusOf(node); ok {
		return mk(rankHTTP, otherHTTP, vapierr.StatusFaultType(code))
	}
	if _, body, ok := vapi400(node); ok {
		// Any HTTP client's error reads "400 Bad Request: ..."; only a
		// vAPI error body makes it vSphere's.
		if et, _, ok := vapierr.ParseBody([]byte(body)); ok && et != "" {
			return mk(rankHTTP, otherVAPI400, vapierr.Resolve(et, 400))
		}
	}
	switch node.(type) {
	case *find.NotFoundError, *find.DefaultNotFoundError:
		return mk(rankSpecific, otherGovmomi, "NotFound")
	case *find.MultipleFoundError, find.DefaultMultipleFoundError, *find.DefaultMultipleFoundError:
		return mk(rankSpecific, otherGovmomi, "InvalidArgument")
	case object.DatastoreNoSuchFileError, *object.DatastoreNoSuchFileError,
		object.DatastoreNoSuchDirectoryError, *object.DatastoreNoSuchDirectoryError:
		return mk(rankSpecific, otherGovmomi, "FileNotFound")
	}
	return result{}, false
}

// transport classifies what failed under a request to vSphere.
func (c *Classifier) transport(ue *url.Error) (result, bool) {
	best := result{rank: rankNone}
	consider := func(node error, rank int, faultType string) {
		if rank >= best.rank {
			return
		}
		if k := c.kindByName(faultType); k != nil {
			best = result{kind: k, rank: rank, node: node, other: otherTransport}
		}
	}
	errwalk.Walk(ue.Err, func(node error) bool {
		if rank, ft := transportNode(node); ft != "" {
			consider(node, rank, ft)
		}
		return best.rank <= rankSpecific
	})
	if best.rank == rankNone && isTimeout(ue) {
		consider(ue, rankTimeout, "Timedout")
	}
	if best.kind == nil {
		// Some other failure of a request to vSphere (a redirect loop, a
		// malformed answer): vSphere's still, as the catch-all.
		best = result{kind: c.fb, rank: rankGeneric, other: otherTransport}
	}
	best.node = ue // the message is the request's, without credentials
	return best, true
}

// transportNode recognises a TLS, network, timeout or context failure.
func transportNode(node error) (int, string) {
	switch x := node.(type) {
	case *tls.CertificateVerificationError, x509.UnknownAuthorityError, *x509.UnknownAuthorityError,
		x509.HostnameError, *x509.HostnameError, x509.CertificateInvalidError, *x509.CertificateInvalidError:
		return rankSpecific, "CertificateVerificationFailed"
	case *net.DNSError:
		return rankNetwork, "NetworkUnavailable"
	case *net.OpError:
		if x != nil && x.Op == "dial" {
			return rankNetwork, "NetworkUnavailable"
		}
	case syscall.Errno:
		switch x {
		case syscall.ECONNREFUSED, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ECONNRESET, syscall.EHOSTDOWN, syscall.ENETDOWN:
			return rankNetwork, "NetworkUnavailable"
		case syscall.ETIMEDOUT:
			return rankTimeout, "Timedout"
		}
	}
	switch {
	case node == context.Canceled:
		return rankTimeout, "RequestCanceled"
	case node == context.DeadlineExceeded || node == os.ErrDeadlineExceeded:
		return rankTimeout, "Timedout"
	case untrustedLeaf(node):
		return rankSpecific, "CertificateVerificationFailed"
	case isTimeout(node):
		return rankTimeout, "Timedout"
	}
	return 0, ""
}

// isTimeout calls a node's own Timeout method, which is foreign code.
func isTimeout(node error) (timeout bool) {
	defer func() {
		if recover() != nil {
			timeout = false
		}
	}()
	t, ok := node.(interface{ Timeout() bool })
	return ok && t.Timeout()
}

// untrustedLeaf reports whether node is a leaf whose text is how Go and
// govmomi report an untrusted certificate without a typed error (what
// soap.IsCertificateUntrusted looks for, which walks a whole tree without
// bound and so is never called on one).
func untrustedLeaf(node error) bool {
	switch node.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }:
		return false
	}
	text := node.Error()
	return strings.HasSuffix(text, "certificate is not trusted") || strings.HasSuffix(text, "certificate signed by unknown authority")
}

// otherMessage is the message of a non-vim result.
func otherMessage(r result) string {
	switch r.other {
	case otherHTTP:
		return truncate(statusText(r.node))
	case otherVAPI400:
		status, body, _ := vapi400(r.node)
		if _, msg, ok := vapierr.ParseBody([]byte(body)); ok && msg != "" {
			return truncate(msg)
		}
		return status
	case otherTransport:
		if ue, ok := r.node.(*url.Error); ok {
			return truncate(redactedURLError(ue))
		}
	}
	return truncate(r.node.Error())
}

// redactedURLError is ue's text with the URL's credentials and query left
// out: "Post \"https://vc.example/sdk\": dial tcp ...: connection refused".
func redactedURLError(ue *url.Error) string {
	u := "(unparsable URL)"
	if p, err := url.Parse(ue.URL); err == nil {
		p.User, p.RawQuery, p.ForceQuery, p.Fragment, p.RawFragment = nil, "", false, "", ""
		u = p.String()
	}
	inner := "unknown error"
	if ue.Err != nil {
		inner = ue.Err.Error()
		// The inner error may repeat the URL (a net/http redirect error).
		inner = strings.ReplaceAll(inner, ue.URL, u)
	}
	return ue.Op + " " + strconv.Quote(u) + ": " + inner
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
