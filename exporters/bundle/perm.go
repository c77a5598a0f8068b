package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Perm is how a folder's files are shared. Private is the owner alone;
// Shared is a group of clerks sharing one store (payout init --group):
// folders 2770 (the set-group-ID bit keeps files inside the group's) and
// files 0660, all the group's, so that whoever releases can write where
// another computed. The modes are set explicitly, whatever the umask.
type Perm struct {
	Dir  fs.FileMode
	File fs.FileMode
	GID  int // -1: the creator's group
}

// Private: folders 0750, files 0600 (they hold account numbers).
var Private = Perm{Dir: 0o750, File: 0o600, GID: -1}

// Shared is the Perm of a store shared with group gid.
func Shared(gid int) Perm { return Perm{Dir: fs.ModeSetgid | 0o770, File: 0o660, GID: gid} }

// mkdirAll creates dir and its missing parents with the Perm's folder mode
// and group; folders that exist are left as they are.
func (p Perm) mkdirAll(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := p.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, p.Dir.Perm()); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return p.own(dir)
}

// own gives a folder made the Perm's group and mode.
func (p Perm) own(dir string) error {
	if p.GID >= 0 {
		if err := os.Chown(dir, -1, p.GID); err != nil {
			return fmt.Errorf("give %s to group %d: %w", dir, p.GID, err)
		}
	}
	return os.Chmod(dir, p.Dir)
}

// lockDir takes an exclusive lock on the folder itself (flock on its
// descriptor), waiting for another writer; the kernel drops it if the
// process dies, so no lock file is left behind. Closing the descriptor
// returned unlocks; until then it is the descriptor the written files are
// flushed through (flushFS), opened before any of them is written.
func lockDir(dir string) (*os.File, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		d.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return d, nil
}

// WriteFilesAs writes files into dir (made, with its parents, as perm
// says), all through temporary files made durable (see writeTemps) and
// only then renamed into place in the order given, under the folder's
// lock; then the folder is synced. A supplement's folder (issue 13) is
// written so, beside the released folder, and so are the yearly
// statements of `payout statement`.
func WriteFilesAs(dir string, files []Output, perm Perm) error {
	if err := perm.mkdirAll(dir); err != nil {
		return err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := removeTemps(dir); err != nil {
		return err
	}
	w, err := writeTemps(lock, dir, files, perm, false)
	if err != nil {
		return err
	}
	temps := w.temps
	for i, f := range files {
		if temps[i] == "" {
			continue // already in place (writeTemps)
		}
		if err := rename(temps[i], filepath.Join(dir, f.Name)); err != nil {
			removeAll(temps[i:])
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return syncDir(dir)
}
