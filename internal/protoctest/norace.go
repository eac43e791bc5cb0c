//go:build !race

package protoctest

// raceEnabled says whether this binary was built with -race.
const raceEnabled = false
