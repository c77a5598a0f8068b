package main

import "os"

// writeFileAtomic writes data to a temporary name beside path and renames
// it, so a crash never leaves half a file under the real name (templates,
// yearly statements).
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return errorf("cannot write %s: %w", path, err)
	}
	return nil
}
