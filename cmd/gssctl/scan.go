package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// The scanner of error match splits its input into records: a line, or a
// line whose SOAP envelope or JSON body runs on over the following lines
// (a pretty-printed body inside a log), with those lines. It reads as it
// goes, so a stream is matched while it is written, and holds at most one
// body's worth of lines ahead.

// Bounds of the scanner.
const (
	maxLine       = 1 << 20 // bytes kept of one line; the rest of it is skipped
	maxBlockBytes = 1 << 20 // bytes of a body that spans lines
	maxBlockLines = 1000    // lines of a body that spans lines
)

// record is one unit of input: its first and last line numbers (1-based),
// its text (lines joined with "\n") and the bodies found in it.
type record struct {
	line, endLine int
	text          string
	blocks        []block
}

// block is a well-formed body in a record's text: text[start:end].
type block struct {
	start, end int
	kind       string // "json" or "xml"
}

// lineReader reads lines of at most maxLine bytes, with look-ahead.
type lineReader struct {
	r     *bufio.Reader
	queue []string // lines read ahead, not yet consumed
	done  bool     // the reader is exhausted
	err   error    // a read error other than EOF
	long  int      // lines cut at maxLine
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// read reads one more line into the queue; false at the end of the input.
func (lr *lineReader) read() bool {
	if lr.done {
		return false
	}
	var line []byte
	cut := false
	for {
		chunk, err := lr.r.ReadSlice('\n')
		if !cut {
			room := maxLine - len(line)
			if len(chunk) > room {
				line, cut = append(line, chunk[:room]...), true
				lr.long++
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			lr.done = true
			if err != io.EOF {
				lr.err = err
			}
			if len(line) == 0 && !cut {
				return false
			}
		}
		break
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	lr.queue = append(lr.queue, string(line))
	return true
}

// peek returns the i-th line not yet consumed.
func (lr *lineReader) peek(i int) (string, bool) {
	for len(lr.queue) <= i {
		if !lr.read() {
			return "", false
		}
	}
	return lr.queue[i], true
}

// pop consumes n lines.
func (lr *lineReader) pop(n int) {
	lr.queue = lr.queue[n:]
}

// scanPasses is how many times over, in all, the openers of one line may
// have the rest of the line read to find where their bodies end.
const scanPasses = 8

// scanner turns lines into records.
type scanner struct {
	lr        *lineReader
	lineNo    int // lines consumed
	noMulti   int // no body spanning lines may start on a line before this one
	lookahead int // lines read ahead in all, for the test of linearity
	fed       int // bytes of records read to close bodies, likewise
}

func newScanner(r io.Reader) *scanner { return &scanner{lr: newLineReader(r)} }

// next returns the next record; false at the end of the input.
func (s *scanner) next() (record, bool) {
	first, ok := s.lr.peek(0)
	if !ok {
		return record{}, false
	}
	s.lr.pop(1)
	s.lineNo++
	rec := record{line: s.lineNo, endLine: s.lineNo, text: first}
	// Each opener that does not close costs the rest of the line; a budget
	// of a few passes over the line keeps a line of openers ('{"' a
	// million times) linear instead of quadratic. Real lines close their
	// bodies long before it runs out.
	budget := scanPasses*len(rec.text) + maxBlockBytes
	for pos := 0; pos < len(rec.text) && budget > 0; {
		start, kind := findOpener(rec.text, pos)
		if start < 0 {
			break
		}
		budget -= len(rec.text) - start
		s.fed += len(rec.text) - start
		end := s.close(&rec, start, kind)
		if end < 0 {
			pos = start + 1
			continue
		}
		rec.blocks = append(rec.blocks, block{start: start, end: end, kind: kind})
		pos = end
	}
	return rec, true
}

// close finds the end of the body that starts at rec.text[start], in the
// record's text or, if it is not closed there, in the lines that follow,
// which then join the record. It returns the end offset, or -1 when the
// body is not well-formed within the bounds. A look-ahead that fails
// keeps later records from starting another one before the lines it read,
// so the look-ahead work stays linear in the input.
func (s *scanner) close(rec *record, start int, kind string) int {
	closer := newCloser(kind)
	switch n := closer.feed(rec.text[start:]); {
	case n >= 0:
		return checkBlock(kind, rec.text[start:start+n], start)
	case n < -1:
		return -1
	}
	if strings.Contains(rec.text[start:], "\n") || rec.endLine < s.noMulti {
		return -1 // only the record's last line goes on, and not in a failed look-ahead
	}
	var acc strings.Builder
	acc.WriteString(rec.text)
	for i := 0; i < maxBlockLines; i++ {
		line, ok := s.lr.peek(i)
		s.lookahead++
		if !ok || acc.Len()-start+len(line)+1 > maxBlockBytes || (i == 0 && !closer.continues(line)) {
			s.noMulti = rec.endLine + i + 1
			return -1
		}
		n := closer.feed("\n" + line)
		if n < -1 {
			s.noMulti = rec.endLine + i + 2
			return -1
		}
		end := acc.Len() + n
		acc.WriteString("\n")
		acc.WriteString(line)
		if n < 0 {
			continue
		}
		text := acc.String()
		if checkBlock(kind, text[start:end], start) < 0 {
			s.noMulti = rec.endLine + i + 2
			return -1
		}
		rec.text = text
		s.lr.pop(i + 1)
		s.lineNo += i + 1
		rec.endLine += i + 1
		return end
	}
	s.noMulti = rec.endLine + maxBlockLines + 1
	return -1
}

// checkBlock returns start+len(b) when b is a well-formed body of its
// kind, else -1. XML is checked when it is parsed.
func checkBlock(kind, b string, start int) int {
	if kind == "json" && !json.Valid([]byte(b)) {
		return -1
	}
	return start + len(b)
}

// findOpener returns the offset at or after pos where a body may start and
// its kind: a JSON object ('{' followed by '"' or '}' or the end of the
// line) or an XML SOAP envelope or fault (<?xml, <x:Envelope, <x:Fault).
func findOpener(s string, pos int) (int, string) {
	for i := pos; i < len(s); i++ {
		switch s[i] {
		case '{':
			rest := strings.TrimLeft(s[i+1:], " \t")
			if rest == "" || rest[0] == '"' || rest[0] == '}' || rest[0] == '\n' {
				return i, "json"
			}
		case '<':
			if strings.HasPrefix(s[i:], "<?xml") {
				return i, "xml"
			}
			if local := xmlLocal(s[i+1:]); local == "Envelope" || local == "Fault" {
				return i, "xml"
			}
		}
	}
	return -1, ""
}

// xmlLocal returns the local part of the element name at the start of s,
// or "".
func xmlLocal(s string) string {
	n := 0
	for n < len(s) && (isNameByte(s[n]) || s[n] == ':') {
		n++
	}
	name := s[:n]
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// closer finds where a body ends, fed its text piece by piece.
type closer interface {
	// feed takes the next piece and returns the offset just past the end
	// of the body within that piece, -1 if it has not ended yet, or -2 if
	// it cannot be a body.
	feed(piece string) int
	// continues reports whether line can be the body's next line.
	continues(line string) bool
}

func newCloser(kind string) closer {
	if kind == "json" {
		return &jsonCloser{}
	}
	return &xmlCloser{}
}

// jsonCloser tracks the nesting of a JSON object, strings included.
type jsonCloser struct {
	depth      int
	inStr, esc bool
	started    bool
}

func (j *jsonCloser) feed(p string) int {
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case j.inStr:
			switch {
			case j.esc:
				j.esc = false
			case c == '\\':
				j.esc = true
			case c == '"':
				j.inStr = false
			case c == '\n':
				return -2 // a raw newline in a string: not JSON; never closes
			}
		case c == '"':
			j.inStr = true
		case c == '{' || c == '[':
			j.depth++
			j.started = true
		case c == '}' || c == ']':
			j.depth--
			if j.started && j.depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// continues: a pretty-printed object goes on with a key or its end.
func (j *jsonCloser) continues(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return t != "" && (t[0] == '"' || t[0] == '}')
}

// xmlCloser looks for the end tag of the root element.
type xmlCloser struct {
	root    string // "soapenv:Envelope", or "" until the declaration is past
	endTag  string
	seen    strings.Builder
	failed  bool
	scanned int // where the search for the end tag resumes
}

func (x *xmlCloser) feed(p string) int {
	if x.failed {
		return -2
	}
	before := x.seen.Len()
	x.seen.WriteString(p)
	s := x.seen.String()
	if x.root == "" {
		i := 0
		if strings.HasPrefix(s, "<?xml") {
			j := strings.Index(s, "?>")
			if j < 0 {
				return -1
			}
			i = j + 2
		}
		rest := strings.TrimLeft(s[i:], " \t\r\n")
		if rest == "" {
			return -1
		}
		if rest[0] != '<' {
			x.failed = true
			return -2
		}
		n := 1
		for n < len(rest) && (isNameByte(rest[n]) || rest[n] == ':') {
			n++
		}
		if n == len(rest) {
			return -1
		}
		name := rest[1:n]
		if local := xmlLocal(name); local != "Envelope" && local != "Fault" {
			x.failed = true
			return -2
		}
		x.root, x.endTag = name, "</"+name+">"
		x.scanned = len(s) - len(rest)
	}
	from := max(x.scanned, 0)
	if k := strings.Index(s[from:], x.endTag); k >= 0 {
		end := from + k + len(x.endTag)
		return end - before
	}
	x.scanned = max(len(s)-len(x.endTag), 0)
	return -1
}

// continues: any line can go on an XML body.
func (x *xmlCloser) continues(string) bool { return !x.failed }
