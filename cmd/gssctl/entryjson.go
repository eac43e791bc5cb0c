package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gssfault/gssfault/registry"
)

// entryJSON is the stable, machine-readable form of an entry that every
// --json output uses. Field names and meanings do not change; new fields
// may be added.
type entryJSON struct {
	Code          string   `json:"code"`
	FaultType     string   `json:"faultType"`
	Category      string   `json:"category"`
	Component     string   `json:"component"`
	Trigger       string   `json:"trigger"`
	Action        string   `json:"action"`
	Retryable     bool     `json:"retryable"`
	RetryDelay    string   `json:"retryDelay,omitempty"`
	Impact        string   `json:"impact"`
	GRPCCode      string   `json:"grpcCode"`
	HTTPStatus    int      `json:"httpStatus"`
	Source        string   `json:"source,omitempty"`
	DocRef        string   `json:"docRef,omitempty"`
	DebugCommands []string `json:"debugCommands,omitempty"`
	Rationale     string   `json:"rationale,omitempty"`
}

// describeJSON is describe --json: the entry and its answers per release.
type describeJSON struct {
	entryJSON
	// AppliesTo says in words on which known releases the fault exists.
	AppliesTo string `json:"appliesTo"`
	// Releases is, for every known vSphere release, the HTTP status (and
	// the fault reported instead, where the release has no such fault),
	// with the feature switches and conditions that change it.
	Releases []releaseRow `json:"releases"`
}

func toJSON(e registry.Entry) entryJSON {
	j := entryJSON{
		Code: string(e.Code), FaultType: e.FaultType, Category: e.Category.String(),
		Component: e.Component, Trigger: e.Trigger, Action: e.Action, Retryable: e.Retryable,
		Impact: e.Impact.String(), GRPCCode: e.GRPCCode.String(), HTTPStatus: httpStatusOf(e),
		Source: string(e.Source), DocRef: e.DocRef, DebugCommands: e.DebugCommands, Rationale: e.Rationale,
	}
	if e.RetryDelay > 0 {
		j.RetryDelay = e.RetryDelay.String()
	}
	return j
}

// writeEntries writes entries as a JSON array or a table (with the
// trigger when withTrigger); none is the answer "nothing found", none
// (after printing [] for JSON).
func writeEntries(e *env, entries []registry.Entry, asJSON, withTrigger bool, none error) error {
	if asJSON {
		js := make([]entryJSON, 0, len(entries))
		for _, x := range entries {
			js = append(js, toJSON(x))
		}
		if err := writeJSON(e.stdout, js); err != nil {
			return err
		}
	} else if len(entries) > 0 {
		if err := writeTable(e.stdout, entries, withTrigger); err != nil {
			return err
		}
	}
	if len(entries) == 0 {
		return noResult(none)
	}
	return nil
}

// writeTable writes entries one per line: code, fault type, retryable,
// impact, gRPC code, HTTP status and, when withTrigger, the trigger.
func writeTable(w io.Writer, entries []registry.Entry, withTrigger bool) error {
	tw := newTable(w)
	fmt.Fprint(tw, "CODE\tFAULT TYPE\tRETRYABLE\tIMPACT\tGRPC\tHTTP")
	if withTrigger {
		fmt.Fprint(tw, "\tTRIGGER")
	}
	fmt.Fprintln(tw)
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d", e.Code, e.FaultType, yesNo(e.Retryable), e.Impact, e.GRPCCode, httpStatusOf(e))
		if withTrigger {
			fmt.Fprintf(tw, "\t%s", truncate(e.Trigger, 70))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// truncate cuts s to at most n bytes, at a space when one is near the end
// and never inside a UTF-8 sequence, and marks the cut with "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "..."
}
