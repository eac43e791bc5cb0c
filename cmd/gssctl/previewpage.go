package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gssfault/gssfault/registry"
)

// The openapi preview page: every operation of an OpenAPI 3 or Swagger 2.0
// document with its error responses (4xx, 5xx, default) and their examples,
// each example named by the GSS code it carries where it has one.

// Bounds of the preview.
const (
	maxSpecBytes   = 8 << 20 // the document
	maxRefHops     = 32      // $ref followed in a row
	maxExampleText = 16 << 10
)

var previewMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type previewView struct {
	Title, Subtitle, Placeholder string

	DocTitle, DocVersion, Format string
	Description                  string
	Ops                          []previewOp
	ErrorResponses               int
}

type previewOp struct {
	Anchor, Method, Path, ID, Summary string
	Codes                             []previewCode // x-gss-codes
	Ignored                           bool          // x-ignore-errors
	Errors                            []previewResp
	Search                            string
}

type previewCode struct{ Code, FaultType string }

type previewResp struct {
	Status, Description, Schema string
	Examples                    []previewExample
}

type previewExample struct {
	Name, Summary, MediaType string
	Code, FaultType          string
	Body                     string
}

// renderPreview renders an OpenAPI 3 or Swagger 2.0 document (YAML or
// JSON) as a self-contained HTML page. reg names the GSS codes the
// examples carry. It fails for a document over maxSpecBytes, one that is
// not YAML or JSON, or one that is neither OpenAPI 3 nor Swagger 2.0.
func renderPreview(spec []byte, name string, reg *registry.Registry) ([]byte, error) {
	v, err := previewOf(spec, reg)
	if err != nil {
		return nil, err
	}
	v.Title = v.DocTitle + " " + v.DocVersion + ": error responses"
	v.Subtitle = fmt.Sprintf("%s, %s: %d operations, %d error responses. Served by gssctl openapi preview.",
		name, v.Format, len(v.Ops), v.ErrorResponses)
	v.Placeholder = "path, method, status, GSS code or fault type"
	return renderPage("preview", v)
}

func previewOf(spec []byte, reg *registry.Registry) (*previewView, error) {
	if len(spec) > maxSpecBytes {
		return nil, fmt.Errorf("document of %d bytes is over the limit of %d", len(spec), maxSpecBytes)
	}
	var raw any
	if err := yaml.Unmarshal(spec, &raw); err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %w", err)
	}
	doc, ok := normalize(raw, 0).(map[string]any)
	if !ok {
		return nil, errors.New("not an OpenAPI document: the top level is not a mapping")
	}
	v := &previewView{}
	switch {
	case str(doc["openapi"]) != "":
		v.Format = "OpenAPI " + str(doc["openapi"])
	case str(doc["swagger"]) != "":
		v.Format = "Swagger " + str(doc["swagger"])
	default:
		return nil, errors.New(`not an OpenAPI document: no "openapi" or "swagger" version`)
	}
	info, _ := doc["info"].(map[string]any)
	v.DocTitle, v.DocVersion, v.Description = str(info["title"]), str(info["version"]), str(info["description"])
	if v.DocTitle == "" {
		v.DocTitle = "API"
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		item, _ := resolve(doc, paths[p]).(map[string]any)
		for _, m := range previewMethods {
			op, ok := resolve(doc, item[m]).(map[string]any)
			if !ok {
				continue
			}
			o := previewOp{Method: strings.ToUpper(m), Path: p, ID: str(op["operationId"]), Summary: str(op["summary"])}
			o.Anchor = "op-" + strconv.Itoa(len(v.Ops)+1)
			o.Ignored = op["x-ignore-errors"] == true
			if cs, ok := op["x-gss-codes"].([]any); ok {
				for _, c := range cs {
					o.Codes = append(o.Codes, codeInfo(reg, str(c)))
				}
			}
			responses, _ := op["responses"].(map[string]any)
			for _, st := range sortedStatuses(responses) {
				if !isErrorStatus(st) {
					continue
				}
				r, _ := resolve(doc, responses[st]).(map[string]any)
				o.Errors = append(o.Errors, previewResponse(doc, reg, st, r))
				v.ErrorResponses++
			}
			o.Search = strings.ToLower(searchText(o))
			v.Ops = append(v.Ops, o)
		}
	}
	return v, nil
}

func previewResponse(doc map[string]any, reg *registry.Registry, status string, r map[string]any) previewResp {
	out := previewResp{Status: status, Description: str(r["description"])}
	add := func(name, summary, media string, value any) {
		ex := previewExample{Name: name, Summary: summary, MediaType: media, Body: exampleText(value)}
		code := ""
		if c := strings.ToUpper(name); validCode(c) {
			code = c
		} else {
			code = gssCodeIn(value, 0)
		}
		if code != "" {
			ci := codeInfo(reg, code)
			ex.Code, ex.FaultType = ci.Code, ci.FaultType
		}
		out.Examples = append(out.Examples, ex)
	}
	// Swagger 2.0: schema and examples by MIME type on the response.
	if s, ok := r["schema"]; ok {
		out.Schema = schemaName(s)
	}
	if exs, ok := r["examples"].(map[string]any); ok {
		for _, mime := range sortedKeys(exs) {
			add("", "", mime, exs[mime])
		}
	}
	// OpenAPI 3: content by media type, with example or examples.
	content, _ := r["content"].(map[string]any)
	for _, media := range sortedKeys(content) {
		mt, _ := content[media].(map[string]any)
		if out.Schema == "" {
			out.Schema = schemaName(mt["schema"])
		}
		if ex, ok := mt["example"]; ok {
			add("", "", media, ex)
		}
		exs, _ := mt["examples"].(map[string]any)
		for _, name := range sortedKeys(exs) {
			e, _ := resolve(doc, exs[name]).(map[string]any)
			if e == nil {
				continue
			}
			value, ok := e["value"]
			if !ok && e["externalValue"] != nil {
				value = "external example: " + str(e["externalValue"])
			}
			add(name, str(e["summary"]), media, value)
		}
	}
	return out
}

func codeInfo(reg *registry.Registry, code string) previewCode {
	c := strings.ToUpper(strings.TrimSpace(code))
	if e, ok := reg.Lookup(codesCode(c)); ok {
		return previewCode{Code: c, FaultType: e.FaultType}
	}
	return previewCode{Code: c, FaultType: "not in the catalog"}
}

// gssCodeIn finds the GSS code an example body carries: the first
// "gssCode" member (ErrorInfo metadata, a problem+json extension) with a
// valid code, at most 8 levels down.
func gssCodeIn(v any, depth int) string {
	if depth > 8 {
		return ""
	}
	switch x := v.(type) {
	case map[string]any:
		if c := strings.ToUpper(str(x["gssCode"])); validCode(c) {
			return c
		}
		for _, k := range sortedKeys(x) {
			if c := gssCodeIn(x[k], depth+1); c != "" {
				return c
			}
		}
	case []any:
		for _, e := range x {
			if c := gssCodeIn(e, depth+1); c != "" {
				return c
			}
		}
	}
	return ""
}

func searchText(o previewOp) string {
	parts := []string{o.Method, o.Path, o.ID, o.Summary}
	for _, c := range o.Codes {
		parts = append(parts, c.Code, c.FaultType)
	}
	for _, r := range o.Errors {
		parts = append(parts, r.Status, r.Description, r.Schema)
		for _, e := range r.Examples {
			parts = append(parts, e.Name, e.Code, e.FaultType)
		}
	}
	return strings.Join(parts, " ")
}

// exampleText shows an example value: a string as it is, anything else as
// indented JSON, at most maxExampleText bytes.
func exampleText(v any) string {
	var s string
	if x, ok := v.(string); ok {
		s = x
	} else {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			s = fmt.Sprint(v)
		} else {
			s = string(b)
		}
	}
	return truncate(s, maxExampleText)
}

func schemaName(s any) string {
	m, ok := s.(map[string]any)
	if !ok {
		return ""
	}
	if ref := str(m["$ref"]); ref != "" {
		return ref[strings.LastIndexByte(ref, '/')+1:]
	}
	if t := str(m["type"]); t != "" {
		return t
	}
	if len(m) == 0 {
		return ""
	}
	return "inline schema"
}

// resolve follows a local $ref ("#/components/responses/NotFound") to what
// it points at; anything else is returned as it is. A reference that does
// not resolve, or a chain longer than maxRefHops, gives nil.
func resolve(doc map[string]any, v any) any {
	for hops := 0; hops < maxRefHops; hops++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		if !strings.HasPrefix(ref, "#/") {
			return nil // external references are not fetched
		}
		var cur any = doc
		for _, part := range strings.Split(ref[2:], "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			switch c := cur.(type) {
			case map[string]any:
				cur = c[part]
			case []any:
				i, err := strconv.Atoi(part)
				if err != nil || i < 0 || i >= len(c) {
					return nil
				}
				cur = c[i]
			default:
				return nil
			}
		}
		v = cur
	}
	return nil
}

// normalize turns what yaml.v3 decodes into JSON-shaped values: mappings
// with keys of any type become map[string]any (a YAML 404: key is an int).
func normalize(v any, depth int) any {
	if depth > 1000 {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e, depth+1)
		}
		return x
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = normalize(e, depth+1)
		}
		return m
	case []any:
		for i, e := range x {
			x[i] = normalize(e, depth+1)
		}
		return x
	}
	return v
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortedStatuses orders response keys as a reader expects: statuses in
// numeric order, ranges (4XX) after their statuses, default last.
func sortedStatuses(m map[string]any) []string {
	keys := sortedKeys(m)
	slices.SortStableFunc(keys, func(a, b string) int {
		return statusRank(a) - statusRank(b)
	})
	return keys
}

func statusRank(s string) int {
	if s == "default" {
		return 1000
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if len(s) == 3 && strings.HasSuffix(strings.ToUpper(s), "XX") && s[0] >= '1' && s[0] <= '5' {
		return int(s[0]-'0')*100 + 99
	}
	return 999
}

// isErrorStatus: 4xx, 5xx, 4XX, 5XX and default.
func isErrorStatus(s string) bool {
	return s == "default" || len(s) == 3 && (s[0] == '4' || s[0] == '5')
}
