package bundle

import (
	"bytes"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// The temporary files are written through file descriptors, not os.File:
// an os.File is made ready for the poller (four fcntl calls and an
// epoll_ctl that fails for a regular file) and os.Rename stats its target
// first, which for a Norway folder is some 60 000 system calls that change
// nothing.

// createTempFile creates a new file, mode 0600, named dir/prefix followed
// by random digits, for writing.
func createTempFile(dir, prefix string) (int, string, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		fd, err := openRetry(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
		if errors.Is(err, syscall.EEXIST) {
			continue
		}
		if err != nil {
			return -1, "", &os.PathError{Op: "createtemp", Path: name, Err: err}
		}
		return fd, name, nil
	}
	return -1, "", &os.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"), Err: syscall.EEXIST}
}

// createNewFile creates path, which must not exist, mode 0600, for
// writing: a file of a staged folder (tempWriter).
func createNewFile(path string) (int, error) {
	fd, err := openRetry(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return -1, &os.PathError{Op: "create", Path: path, Err: err}
	}
	return fd, nil
}

// writeNew writes a new file at path, as writeTemp writes a temporary
// one.
func writeNew(path string, data []byte, perm Perm, sync bool) error {
	fd, err := createNew(path)
	if err != nil {
		return err
	}
	err = writeFD(fd, path, data, perm, sync)
	if cerr := syscall.Close(fd); err == nil && cerr != nil {
		err = &os.PathError{Op: "close", Path: path, Err: cerr}
	}
	if err != nil {
		_ = os.Remove(path)
	}
	return err
}

// mkdirTemp makes a new folder named dir/prefix followed by random
// digits, with the Perm's mode and group.
func mkdirTemp(dir, prefix string, perm Perm) (string, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10))
		err := os.Mkdir(name, perm.Dir.Perm())
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := perm.own(name); err != nil {
			_ = os.Remove(name)
			return "", err
		}
		return name, nil
	}
	return "", &os.PathError{Op: "mkdirtemp", Path: filepath.Join(dir, prefix+"*"), Err: syscall.EEXIST}
}

func openRetry(path string, mode int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(path, mode, perm)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// writeFD writes data, the Perm's mode and group and (when sync) fsyncs.
func writeFD(fd int, name string, data []byte, perm Perm, sync bool) error {
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if perm.GID >= 0 {
		if err := syscall.Fchown(fd, -1, perm.GID); err != nil {
			return &os.PathError{Op: "chown", Path: name, Err: err}
		}
	}
	if err := syscall.Fchmod(fd, uint32(perm.File.Perm())); err != nil {
		return &os.PathError{Op: "chmod", Path: name, Err: err}
	}
	if sync {
		if err := syscall.Fsync(fd); err != nil {
			return &os.PathError{Op: "sync", Path: name, Err: err}
		}
	}
	return nil
}

// euid is the process's effective user, asked once: unchanged runs for
// every file of a folder, and the point of this file is to spare system
// calls that change nothing.
var euid = os.Geteuid()

// unchanged: the regular file at path (not a link to one) holds data, has
// the Perm's mode (and no other bit), is ours, in the Perm's group and has
// no other name; when sync it is then fsynced. buf is the caller's to
// reuse.
func unchanged(path string, data []byte, perm Perm, sync bool, buf *[]byte) bool {
	fd, err := openRetry(path, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || uint32(st.Mode)&syscall.S_IFMT != syscall.S_IFREG || uint32(st.Mode)&0o7777 != uint32(perm.File.Perm()) ||
		st.Size != int64(len(data)) || int(st.Uid) != euid || st.Nlink != 1 || (perm.GID >= 0 && int(st.Gid) != perm.GID) {
		return false
	}
	if cap(*buf) < len(data)+1 {
		*buf = make([]byte, len(data)+1)
	}
	b := (*buf)[:len(data)+1] // one byte more: a file that grew since the stat is not the same
	n := 0
	for n < len(b) {
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return false
		}
		if m == 0 {
			break
		}
		n += m
	}
	if n != len(data) || !bytes.Equal(b[:n], data) {
		return false
	}
	return !sync || syscall.Fsync(fd) == nil
}

// rename is os.Rename without its stat of the target (the target is never
// a folder: rename(2) refuses to put a file there).
func rename(from, to string) error {
	if err := syscall.Rename(from, to); err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}
