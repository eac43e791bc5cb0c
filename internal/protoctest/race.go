//go:build race

package protoctest

// raceEnabled says whether this binary was built with -race; plugins are
// then built with -race too, so that they reuse the packages the race
// build of the tests compiled instead of compiling them a second time.
const raceEnabled = true
