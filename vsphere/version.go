package vsphere

import (
	"errors"
	"fmt"

	"github.com/vmware/govmomi/vim25"

	"github.com/gssfault/gssfault/vsphere/release"
)

// VersionOf returns the vSphere version of a connected client, from its
// ServiceContent.About: Version ("8.0.3"), else ApiVersion ("8.0.3.0"),
// else FullName. It fails, naming what it read, when none parses; it never
// panics, and a nil client is an error.
func VersionOf(c *vim25.Client) (release.Version, error) {
	if c == nil {
		return 0, errors.New("vsphere: VersionOf: nil client")
	}
	about := c.ServiceContent.About
	var firstErr error
	for _, s := range []string{about.Version, about.ApiVersion, about.FullName} {
		if s == "" {
			continue
		}
		v, err := release.Parse(s)
		if err == nil {
			return v, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = errors.New("no version in ServiceContent.About")
	}
	return 0, fmt.Errorf("vsphere: version of %s: %w", about.FullName, firstErr)
}
