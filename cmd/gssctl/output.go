package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Output helpers: every line gssctl prints goes through trimWriter, so no
// line ends in white space, and JSON is written with '<', '>' and '&' as
// they are.

// trimWriter writes whole lines with their trailing spaces and tabs
// removed; Flush writes a last line without a newline.
type trimWriter struct {
	w   io.Writer
	buf []byte
}

func (t *trimWriter) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	for {
		i := bytes.IndexByte(t.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := bytes.TrimRight(t.buf[:i], " \t")
		if _, err := t.w.Write(append(line, '\n')); err != nil {
			return 0, err
		}
		t.buf = t.buf[i+1:]
	}
}

func (t *trimWriter) Flush() error {
	if len(t.buf) == 0 {
		return nil
	}
	_, err := t.w.Write(bytes.TrimRight(t.buf, " \t"))
	t.buf = t.buf[:0]
	return err
}

// writeOut writes s with trailing white space removed from every line.
func writeOut(w io.Writer, s string) error {
	t := &trimWriter{w: w}
	if _, err := io.WriteString(t, s); err != nil {
		return err
	}
	return t.Flush()
}

// table is a tabwriter whose lines are trimmed.
type table struct {
	*tabwriter.Writer
	trim *trimWriter
}

func newTable(w io.Writer) *table {
	t := &trimWriter{w: w}
	return &table{Writer: tabwriter.NewWriter(t, 0, 4, 2, ' ', 0), trim: t}
}

func (t *table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	return t.trim.Flush()
}

// writeJSON writes v as indented JSON without HTML escaping.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONLine writes v as one line of JSON without HTML escaping.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// oneLineText returns s on one line: runs of white space (newlines
// included) become one space, control characters are escaped (see
// sanitize), and at most n bytes are kept.
func oneLineText(s string, n int) string {
	return truncate(sanitize(strings.Join(strings.Fields(s), " ")), n)
}

// sanitize makes text from outside (a server's answer, an input file) safe
// to print on a terminal: control characters (ESC, CR, BEL, DEL, the C1
// range), Unicode bidirectional overrides and invalid UTF-8 are written as
// Go escapes (\x1b, \r, \u202e), so they cannot move the cursor, rewrite a
// line or reorder what is shown.
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if mustEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validAt(s, i):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case mustEscape(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case mustEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func mustEscape(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// validAt reports whether the U+FFFD at s[i] is really written in s.
func validAt(s string, i int) bool {
	r, size := utf8.DecodeRuneInString(s[i:])
	return r == utf8.RuneError && size == 3
}
