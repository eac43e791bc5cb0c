package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gssfault/gssfault/httpmap"
	"github.com/gssfault/gssfault/registry"
	"github.com/gssfault/gssfault/vsphere/release"
)

// The releases view of an entry: for every known vSphere release, how a
// fault of the entry is answered over HTTP, with each feature switch and
// condition the per-version table has for its fault type. Everything comes
// from httpmap's table (answerOn); nothing here knows a status.

// featureSwitch is one of httpmap.Target's feature switches, by the name
// httpmap.Rule.Feature uses.
type featureSwitch struct {
	name  string // as in httpmap.Rule.Feature
	human string
	set   func(*httpmap.Target)
}

var featureSwitches = []featureSwitch{
	{"RBACv2", "RBAC v2", func(t *httpmap.Target) { t.RBACv2 = true }},
	{"NamespaceQuotas", "namespace quotas", func(t *httpmap.Target) { t.NamespaceQuotas = true }},
	{"CertificateVerification", "certificate verification", func(t *httpmap.Target) { t.CertificateVerification = true }},
}

func switchNamed(name string) (featureSwitch, bool) {
	for _, s := range featureSwitches {
		if s.name == name {
			return s, true
		}
	}
	return featureSwitch{}, false
}

// variant is the answer with one feature switch on or for one condition.
type variant struct {
	Feature    string `json:"feature,omitempty"`
	Condition  string `json:"condition,omitempty"`
	Applies    bool   `json:"applies"`
	HTTPStatus int    `json:"httpStatus"`
	ReportedAs string `json:"reportedAs,omitempty"`
	Subcode    string `json:"subcode,omitempty"`
}

// releaseRow is the answer on one release, with no feature switch on, and
// its variants. Applies is false where the release has no such fault and
// reports it as ReportedAs.
type releaseRow struct {
	Release    string    `json:"release"`
	Applies    bool      `json:"applies"`
	HTTPStatus int       `json:"httpStatus"`
	ReportedAs string    `json:"reportedAs,omitempty"`
	Subcode    string    `json:"subcode,omitempty"`
	Variants   []variant `json:"variants,omitempty"`
}

// releaseRows returns e's row for every release in release.Known().
func releaseRows(e registry.Entry) []releaseRow {
	var feats, conds []string
	for _, r := range tableRules() {
		if r.FaultType != e.FaultType {
			continue
		}
		if r.Feature != "" && !slices.Contains(feats, r.Feature) {
			feats = append(feats, r.Feature)
		}
		if r.Condition != "" && !slices.Contains(conds, r.Condition) {
			conds = append(conds, r.Condition)
		}
	}
	var rows []releaseRow
	for _, v := range release.Known() {
		t := httpmap.Target{Version: v}
		a := answerOn(e, "", t)
		row := releaseRow{Release: v.String(), Applies: a.ReportedAs == "", HTTPStatus: a.Status, ReportedAs: a.ReportedAs, Subcode: a.Subcode}
		for _, f := range feats {
			sw, ok := switchNamed(f)
			if !ok {
				continue
			}
			ft := t
			sw.set(&ft)
			a := answerOn(e, "", ft)
			row.Variants = append(row.Variants, variant{Feature: f, Applies: a.ReportedAs == "", HTTPStatus: a.Status, ReportedAs: a.ReportedAs, Subcode: a.Subcode})
		}
		for _, c := range conds {
			a := answerOn(e, c, t)
			row.Variants = append(row.Variants, variant{Condition: c, Applies: a.ReportedAs == "", HTTPStatus: a.Status, ReportedAs: a.ReportedAs, Subcode: a.Subcode})
		}
		rows = append(rows, row)
	}
	return rows
}

// cell says in words how one release answers: "503 as SystemError",
// "401; 403 with RBAC v2", "404; 400 when vmPathUnparsable".
func (r releaseRow) cell() string {
	base := answerText(r.HTTPStatus, r.ReportedAs, r.Subcode)
	parts := []string{base}
	for _, v := range r.Variants {
		s := answerText(v.HTTPStatus, v.ReportedAs, v.Subcode)
		if s == base {
			continue
		}
		if v.Feature != "" {
			sw, _ := switchNamed(v.Feature)
			parts = append(parts, s+" with "+sw.human)
		} else {
			parts = append(parts, s+" when "+v.Condition)
		}
	}
	return strings.Join(parts, "; ")
}

func answerText(status int, reportedAs, subcode string) string {
	s := fmt.Sprint(status)
	if reportedAs != "" {
		s += " as " + reportedAs
	}
	if subcode != "" {
		s += " (subcode " + subcode + ")"
	}
	return s
}

// releaseGroup is a run of consecutive releases that answer alike.
type releaseGroup struct {
	From, To string // equal for a single release
	Cell     string
}

// Range is "8.0" or "6.7 U2 to 7.0 U3".
func (g releaseGroup) Range() string {
	if g.From == g.To {
		return g.From
	}
	return g.From + " to " + g.To
}

func groupRows(rows []releaseRow) []releaseGroup {
	var gs []releaseGroup
	for _, r := range rows {
		c := r.cell()
		if n := len(gs); n > 0 && gs[n-1].Cell == c {
			gs[n-1].To = r.Release
			continue
		}
		gs = append(gs, releaseGroup{From: r.Release, To: r.Release, Cell: c})
	}
	return gs
}

// appliesText says on which known releases the fault exists: "every
// known release", or the ranges, with the switch it needs.
func appliesText(rows []releaseRow) string {
	type run struct {
		from, to string
		feature  string
	}
	var runs []run
	all := true
	for _, r := range rows {
		feature, ok := "", r.Applies
		if !ok {
			all = false
			for _, v := range r.Variants {
				if v.Feature != "" && v.Applies {
					sw, _ := switchNamed(v.Feature)
					feature, ok = sw.human, true
					break
				}
			}
		}
		if !ok {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1].feature == feature && runs[n-1].to == prevRelease(rows, r.Release) {
			runs[n-1].to = r.Release
			continue
		}
		runs = append(runs, run{r.Release, r.Release, feature})
	}
	if all {
		return "every known release (" + rows[0].Release + " to " + rows[len(rows)-1].Release + ")"
	}
	if len(runs) == 0 {
		return "none of the known releases"
	}
	var parts []string
	for _, r := range runs {
		s := r.from
		if r.to != r.from {
			s += " to " + r.to
		}
		if r.feature != "" {
			s += " with " + r.feature
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func prevRelease(rows []releaseRow, rel string) string {
	for i, r := range rows {
		if r.Release == rel && i > 0 {
			return rows[i-1].Release
		}
	}
	return ""
}
