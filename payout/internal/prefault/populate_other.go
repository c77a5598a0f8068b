//go:build !linux

package prefault

import "errors"

func populate(p, size uintptr) error { return errors.ErrUnsupported }
