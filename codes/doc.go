// Package codes is the vocabulary of gssfault: the GSS fault code, the
// domains codes live in, the impact levels and the fault categories.
//
// It imports only the standard library, so every other package (and any
// service that only needs to name a code) can depend on it cheaply.
//
// # Codes
//
// A [Code] is written GSS-<DOMAIN>-<NNN>: the literal prefix "GSS", a
// domain of three upper-case ASCII letters and a number of exactly three
// decimal digits, separated by hyphens, for example GSS-VSP-023. [Parse]
// accepts exactly that form and nothing else: no surrounding space, no
// lower case, no look-alike characters. Its error names the part that is
// wrong.
//
//	c, err := codes.Parse("GSS-VSP-023")
//	if err != nil {
//		return err
//	}
//	fmt.Println(c.Domain(), c.Number()) // VSP 23
//
// # Impact and category
//
// [ImpactLevel] ([Minor], [Major], [Critical]) and [Category] are closed,
// numbered sets. Their text form is lower case; parsing is
// case-insensitive and rejects unknown names.
package codes

//go:generate go run ../internal/cmd/gencodes -o catalog.go
