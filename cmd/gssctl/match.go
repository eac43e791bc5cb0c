package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
	"github.com/gssfault/gssfault/registry"
)

func matchCmd() *command {
	return &command{
		name:  "match",
		args:  "[FILE...|-] [--json]",
		short: "find the faults in log lines, SOAP faults, JSON error bodies and gRPC status texts",
		long: `match reads text (the FILEs, or standard input when there are none or
for "-") and prints every fault it finds: the line, GSS code, fault type,
whether a retry can help, and the action. It recognises, through the same
code as the library:

  - SOAP faults (a whole envelope or a <soapenv:Fault> element), decoded as
    govmomi decodes them and classified by vsphere.Classify;
  - JSON error bodies, read by httpmap.ParseBody: vSphere REST /api
    {"error_type": ...} and /rest {"type": "com.vmware.vapi.std.errors...."},
    grpc-gateway's {"code", "message", "details"}, Google's {"error": {...}}
    and RFC 9457 problem+json. The HTTP status is the one in the body or
    just before it on the line ("404 Not Found: {...}", "HTTP 404");
    without one the body is read as a 500 answer;
  - gRPC status texts, "rpc error: code = NotFound desc = ...", read back
    by grpcstatus.ParseStatusText;
  - GSS codes (GSS-VSP-023, any case) and fault type names: vim25 fault
    types as govmomi spells them (InvalidPowerState, PasswordExpired, which
    is InvalidLogin), and the catalog's own names when they are written in
    CamelCase; a code or fault type alone on a line matches in any case.

A body pretty-printed over several lines (up to 1000 lines and 1 MiB) is one
record, reported at its first line. On each record the most specific
answer wins: GSS codes and bodies first, else gRPC status texts, else fault
type names; a code is reported once per record. Lines are read up to 1 MiB.

Output: one line per fault, "LINE: CODE FAULT_TYPE retryable=yes|no
(KIND): ACTION", prefixed with the file name when there are several
inputs. --json prints one JSON object per fault and line (JSON Lines) with
the fields file, line, endLine, kind (code, soap, json, grpc or
faultType), match, code, faultType, known, retryable, retryDelay, impact,
grpcCode, action and message.

Exit status: 0 when a fault was found, 1 when none was, 2 for a usage error
or input that cannot be read.`,
		flags: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print one JSON object per fault (JSON Lines)")
		},
		run: runMatch,
	}
}

// matchJSON is one fault found, as --json prints it. Field names and
// meanings do not change; new fields may be added.
type matchJSON struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	EndLine    int    `json:"endLine"`
	Kind       string `json:"kind"`
	Match      string `json:"match"`
	Code       string `json:"code"`
	FaultType  string `json:"faultType"`
	Known      bool   `json:"known"`
	Retryable  bool   `json:"retryable"`
	RetryDelay string `json:"retryDelay,omitempty"`
	Impact     string `json:"impact"`
	GRPCCode   string `json:"grpcCode"`
	Action     string `json:"action"`
	Message    string `json:"message,omitempty"`
}

func runMatch(ctx context.Context, e *env, fs *flag.FlagSet) error {
	reg, err := e.registry()
	if err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	if n := strings.Count(strings.Join(files, "\x00")+"\x00", "-\x00"); n > 1 {
		return badUsage("standard input (-) given %d times", n)
	}
	found, failed := 0, false
	for _, path := range files {
		m := &matcher{reg: reg, pol: readPolicy(reg)}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f, name, err := e.open(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "gssctl: %v\n", err)
			failed = true
			continue
		}
		if path == "-" {
			name = "-"
		}
		n, err := m.matchReader(ctx, f, func(h hit) error {
			return printHit(e, h, name, len(files) > 1, flagBool(fs, "json"))
		})
		f.Close()
		found += n
		if m.cut > 0 {
			fmt.Fprintf(e.stderr, "gssctl: %s: %d line(s) longer than %d bytes matched up to that length only\n", name, m.cut, maxLine)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "gssctl: %s: %v\n", name, err)
			failed = true
		}
	}
	switch {
	case failed:
		return &usageError{err: errors.New("some input could not be read")}
	case found == 0:
		return noResult(nil)
	}
	return nil
}

func printHit(e *env, h hit, file string, withFile, asJSON bool) error {
	f := h.fault
	if asJSON {
		j := matchJSON{
			File: file, Line: h.line, EndLine: h.endLine, Kind: h.kind, Match: oneLineText(h.text, 200),
			Code: string(f.Code()), FaultType: f.FaultType(), Known: f.Known(), Retryable: f.Retryable(),
			Impact: f.Impact().String(), GRPCCode: f.GRPCCode().String(), Action: f.Action(), Message: f.Message(),
		}
		if d := f.RetryDelay(); d > 0 {
			j.RetryDelay = d.String()
		}
		return writeJSONLine(e.stdout, j)
	}
	var b strings.Builder
	if withFile {
		fmt.Fprintf(&b, "%s:", sanitize(file))
	}
	fmt.Fprintf(&b, "%d: %s", h.line, f.Code())
	if f.Known() {
		fmt.Fprintf(&b, " %s retryable=%s (%s): %s", f.FaultType(), yesNo(f.Retryable()), kindNames[h.kind], f.Action())
	} else {
		fmt.Fprintf(&b, " (%s): not in the catalog", kindNames[h.kind])
	}
	b.WriteString("\n")
	return writeOut(e.stdout, b.String())
}

var kindNames = map[string]string{
	"code": "GSS code", "soap": "SOAP fault", "json": "JSON error body", "grpc": "gRPC status", "faultType": "fault type",
}

// hit is one fault found in a record.
type hit struct {
	line, endLine int
	pos           int    // offset in the record, for ordering
	kind          string // code, soap, json, grpc, faultType
	text          string // what was matched
	fault         *faults.Error
}

// Tiers of precedence on a record: the most specific answer wins, as in
// the library (a fault already made, then a status, then classification).
const (
	tierCode = iota // GSS codes and error bodies
	tierStatus
	tierName
	tiers
)

// matcher finds faults with one registry.
type matcher struct {
	reg *registry.Registry
	pol faults.Policy // readPolicy(reg)
	cut int           // lines of the input cut at maxLine
	// The last HTTP status line seen and its line, for a body below it.
	statusLineStatus, statusLine int
	// nameCache holds what a capitalized word of running text is: its
	// fault (immutable, so shared by every hit), or nil for none.
	nameCache map[string]*faults.Error
}

// maxNameCache bounds nameCache; past it, words are looked up each time.
const maxNameCache = 4096

// nameFault returns the fault a capitalized word of running text names: a
// vim25 fault type, or a catalog fault type in CamelCase.
func (m *matcher) nameFault(tok string) *faults.Error {
	if f, ok := m.nameCache[tok]; ok {
		return f
	}
	var f *faults.Error
	if vf, ok := classifyVimType(m.pol, tok); ok {
		f = vf
	} else if e, ok := m.reg.ByFaultType(tok); ok && e.FaultType == tok && upperCount(tok) >= 2 {
		f = faults.FromEntry(e, "", nil)
	}
	if m.nameCache == nil {
		m.nameCache = map[string]*faults.Error{}
	}
	if len(m.nameCache) < maxNameCache {
		m.nameCache[strings.Clone(tok)] = f // not a slice of a line, which may be 1 MiB
	}
	return f
}

// matchReader reports every fault in r to emit and returns how many.
func (m *matcher) matchReader(ctx context.Context, r io.Reader, emit func(hit) error) (int, error) {
	sc := newScanner(r)
	n := 0
	for {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		rec, ok := sc.next()
		if !ok {
			break
		}
		for _, h := range m.record(rec) {
			if err := emit(h); err != nil {
				return n, err
			}
			n++
		}
		m.noteStatusLine(rec)
	}
	m.cut = sc.lr.long
	return n, sc.lr.err
}

// record returns the faults of one record, best tier only, one per code.
func (m *matcher) record(rec record) []hit {
	var found [tiers][]hit
	add := func(tier int, h hit) {
		h.line, h.endLine = rec.line, rec.endLine
		found[tier] = append(found[tier], h)
	}
	// Bodies, and the text around them.
	var texts []segment
	prev := 0
	for _, b := range rec.blocks {
		texts = append(texts, segment{prev, rec.text[prev:b.start]})
		body := rec.text[b.start:b.end]
		switch b.kind {
		case "xml":
			if f, err := classifySOAP(m.pol, []byte(body)); err == nil {
				add(tierCode, hit{pos: b.start, kind: "soap", text: body, fault: f})
				break
			}
			texts = append(texts, segment{b.start, body})
		case "json":
			if f, ok := m.jsonBody(body, rec.text[lineStart(rec.text, b.start):b.start], rec.line); ok {
				add(tierCode, hit{pos: b.start, kind: "json", text: body, fault: f})
				break
			}
			for _, s := range jsonStrings(body) {
				texts = append(texts, segment{b.start, s})
			}
		}
		prev = b.end
	}
	texts = append(texts, segment{prev, rec.text[prev:]})
	singleToken := len(rec.blocks) == 0 && isSingleToken(rec.text)
	for _, t := range texts {
		for _, line := range strings.Split(t.text, "\n") {
			m.codes(line, t.pos, func(h hit) { add(tierCode, h) })
			m.status(line, t.pos, func(h hit) { add(tierStatus, h) })
			m.names(line, t.pos, singleToken, func(h hit) { add(tierName, h) })
		}
	}
	for _, hs := range found {
		if len(hs) == 0 {
			continue
		}
		sort.SliceStable(hs, func(i, j int) bool { return hs[i].pos < hs[j].pos })
		seen := map[string]bool{}
		out := hs[:0]
		for _, h := range hs {
			if c := string(h.fault.Code()); !seen[c] {
				seen[c] = true
				out = append(out, h)
			}
		}
		return out
	}
	return nil
}

// segment is text of a record outside the bodies found in it, or a
// string value of a JSON object that is not an error body.
type segment struct {
	pos  int
	text string
}

func lineStart(s string, i int) int { return strings.LastIndexByte(s[:i], '\n') + 1 }

// isSingleToken reports whether the record is one word: a code or a fault
// type given on its own.
func isSingleToken(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.ContainsAny(s, " \t\"'=:,;{}[]()<>")
}

// codes finds GSS codes, in any case, at word boundaries.
func (m *matcher) codes(line string, pos int, add func(hit)) {
	const n = len("GSS-VSP-023")
	for i := 0; i+n <= len(line); i++ {
		if line[i]|0x20 != 'g' || !strings.EqualFold(line[i:i+4], "gss-") {
			continue
		}
		if i > 0 && isWordByte(line[i-1]) || i+n < len(line) && isWordByte(line[i+n]) {
			continue
		}
		c := strings.ToUpper(line[i : i+n])
		e, ok := m.reg.Lookup(codesCode(c))
		var f *faults.Error
		switch {
		case ok:
			f = faults.FromEntry(e, "", nil)
		case validCode(c):
			f = faults.New(codesCode(c), "")
		default:
			continue
		}
		add(hit{pos: pos + i, kind: "code", text: line[i : i+n], fault: f})
		i += n - 1
	}
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// fromStatus turns a gRPC status read from text into the fault a client
// with the matcher's catalog gets for it.
func (m *matcher) fromStatus(st *status.Status) *faults.Error {
	f, _ := m.pol.FromStatus(st)
	return f
}

// status finds a gRPC status text; its message runs to the end of the line
// (less a closing quote the line's own quoting added).
func (m *matcher) status(line string, pos int, add func(hit)) {
	i := strings.Index(line, "rpc error: code = ")
	if i < 0 {
		return
	}
	text := line[i:]
	if strings.Count(line[:i], `"`)%2 == 1 {
		if j := strings.LastIndexByte(text, '"'); j > 0 {
			text = text[:j]
		}
	}
	st, ok := grpcstatus.ParseStatusText(text)
	if !ok || st.Code() == grpccodes.OK {
		return
	}
	add(hit{pos: pos + i, kind: "grpc", text: text, fault: m.fromStatus(st)})
}

// names finds fault type names: vim25 fault types exactly as govmomi
// spells them, and catalog fault types in CamelCase; alone on a line, a
// catalog fault type or code in any case.
func (m *matcher) names(line string, pos int, alone bool, add func(hit)) {
	if alone {
		tok := strings.TrimSpace(line)
		if f, ok := classifyVimType(m.pol, tok); ok {
			add(hit{pos: pos, kind: "faultType", text: tok, fault: f})
			return
		}
		if e, ok := m.reg.ByFaultType(tok); ok { // codes are found by codes
			add(hit{pos: pos, kind: "faultType", text: tok, fault: faults.FromEntry(e, "", nil)})
		}
		return
	}
	for i := 0; i < len(line); {
		c := line[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') || i > 0 && isWordByte(line[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(line) && isWordByte(line[j]) {
			j++
		}
		if 'A' <= c && c <= 'Z' {
			if f := m.nameFault(line[i:j]); f != nil {
				add(hit{pos: pos + i, kind: "faultType", text: line[i:j], fault: f})
			}
		}
		i = j
	}
}

func upperCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			n++
		}
	}
	return n
}
