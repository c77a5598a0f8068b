package bundle

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
)

// Write renders the period's folder and writes it under outDir/YYYY-MM/,
// all or nothing (see the package comment). It returns the manifest written.
func Write(outDir string, res *payout.Result, in *payout.Inputs, rel *ReleaseFile) (*manifest.Manifest, error) {
	if rel == nil {
		// Refuse a released folder before the work of rendering.
		if err := checkWritable(Dir(outDir, res.Period), nil); err != nil {
			return nil, err
		}
	}
	b, err := Render(res, in, rel)
	if err != nil {
		return nil, err
	}
	return WriteRendered(outDir, res.Period, b)
}

// WriteRendered writes a bundle that Render made for period p, exactly as
// Write would have written it, so a caller that renders first (to refuse a
// result its outputs cannot show) need not render the folder twice. A
// bundle without payments.xml is refused for a released folder, as Write
// refuses a run without a release record. The files are the owner's alone
// (Private); WriteRenderedAs shares them with a group.
func WriteRendered(outDir string, p payout.Period, b *Bundle) (*manifest.Manifest, error) {
	return WriteRenderedAs(outDir, p, b, Private)
}

// WriteRenderedAs is WriteRendered with the folders and files made as perm
// says. It holds an exclusive lock on the period's folder while it writes,
// so that two writers never mix their files, and under that lock first
// removes the temporary files a killed writer left.
func WriteRenderedAs(outDir string, p payout.Period, b *Bundle, perm Perm) (*manifest.Manifest, error) {
	dir := Dir(outDir, p)
	if err := perm.mkdirAll(dir); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := removeTemps(dir); err != nil {
		return nil, err
	}
	if err := checkWritable(dir, b); err != nil {
		return nil, err
	}
	temps, err := writeTemps(lock, dir, b.Files, perm)
	if err != nil {
		return nil, err
	}
	if err := commit(dir, b.Files, temps); err != nil {
		return nil, err
	}
	return b.Manifest, nil
}

// checkWritable refuses dir when it holds a released run's payment file and
// the new bundle is not a release, or a manifest of another release than
// the new bundle's: a released folder is only ever written again with the
// same release (to complete one that was interrupted).
func checkWritable(dir string, b *Bundle) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if b == nil || b.File(PaymentsXML) == nil {
		if _, err := os.Stat(filepath.Join(dir, PaymentsXML)); err == nil {
			return fmt.Errorf("%s: %w: it holds %s, and a released run is never changed", dir, ErrReleased, PaymentsXML)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestJSON))
	if err != nil {
		return nil
	}
	old, err := manifest.Unmarshal(data)
	if err != nil || old.Release == nil {
		return nil
	}
	if b == nil || b.Manifest == nil || b.Manifest.Release == nil || *b.Manifest.Release != *old.Release {
		return fmt.Errorf("%s: %w: it holds the release of %s at %s by %s, and a released folder is never written with anything else",
			dir, ErrReleased, old.Period, old.Release.ReleasedAt, old.Release.ReleasedBy)
	}
	return nil
}

// removeTemps deletes the temporary files of writers that died in dir and
// its statements folder (the caller holds the folder's lock, so no live
// writer has any).
func removeTemps(dir string) error {
	var stale []string
	for _, d := range []string{dir, filepath.Join(dir, StatementsDir)} {
		found, err := filepath.Glob(filepath.Join(d, ".*.tmp-*"))
		if err != nil {
			return err
		}
		stale = append(stale, found...)
	}
	for _, path := range stale {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// writeTemps writes every file to a temporary file beside its final name
// and makes them all durable before it returns their names, in the order
// of files; on error none remains. The files are written in parallel;
// where one flush of the file system can make them durable (flushFS on
// lock, the folder's locked descriptor: see durable_linux.go) that is done
// once after the last, else each is fsynced before it is closed.
//
// A file already in place with the same bytes, mode and group (a re-run
// whose statement did not change) is left as it is, its name "": writing
// it again would change nothing but cost a new inode, a rename and the old
// inode's release. It is made durable like the others (the flush, or an
// fsync), so it does not matter who put it there. The last file (the
// manifest, or a supplement's signed statement) marks the folder complete
// and is always written.
func writeTemps(lock *os.File, dir string, files []Output, perm Perm) ([]string, error) {
	folders, err := tempFolders(dir, files, perm)
	if err != nil {
		return nil, err
	}
	flush := canFlushFS(lock, folders)
	temps := make([]string, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range writers(len(files), flush) {
		wg.Go(func() {
			var buf []byte
			for !failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				if i < len(files)-1 && unchanged(filepath.Join(dir, filepath.FromSlash(files[i].Name)), files[i].Data, perm, !flush, &buf) {
					continue
				}
				temps[i], errs[i] = writeTemp(dir, files[i], perm, !flush)
				if errs[i] != nil {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	if failed.Load() {
		removeAll(temps)
		for i, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("%s: %w", files[i].Name, err)
			}
		}
	}
	if flush {
		if err := flushFS(lock); err != nil {
			removeAll(temps)
			return nil, err
		}
	}
	return temps, nil
}

// writers is how many goroutines write n files: one per processor when
// writing only fills the page cache, more when each waits for its fsync.
func writers(n int, flush bool) int {
	w := runtime.GOMAXPROCS(0)
	if !flush {
		w = max(8, 2*w)
	}
	return max(1, min(w, n))
}

// tempFolders makes the folders the files go in (dir, and a name with a
// folder, statements/…, gets that folder with the Perm's mode) and returns
// them.
func tempFolders(dir string, files []Output, perm Perm) ([]string, error) {
	folders := []string{dir}
	for _, f := range files {
		sub := filepath.Join(dir, filepath.Dir(filepath.FromSlash(f.Name)))
		if slices.Contains(folders, sub) {
			continue
		}
		if err := perm.mkdirAll(sub); err != nil {
			return nil, err
		}
		folders = append(folders, sub)
	}
	return folders, nil
}

// writeTemp writes one file beside its final name, fsynced when sync.
func writeTemp(dir string, f Output, perm Perm, sync bool) (string, error) {
	sub := filepath.Join(dir, filepath.Dir(filepath.FromSlash(f.Name)))
	fd, name, err := createTemp(sub, "."+path.Base(f.Name)+".tmp-")
	if err != nil {
		return "", err
	}
	err = writeFD(fd, name, f.Data, perm, sync)
	if cerr := syscall.Close(fd); err == nil && cerr != nil {
		err = &os.PathError{Op: "close", Path: name, Err: cerr}
	}
	if err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

// commit renames the temporary files into place: first the old manifest
// goes (so the folder no longer claims to be complete), then every file,
// then stale district workbooks of an earlier run, then the new manifest,
// and finally the folder itself is synced.
func commit(dir string, files []Output, temps []string) error {
	if err := os.Remove(filepath.Join(dir, ManifestJSON)); err != nil && !errors.Is(err, os.ErrNotExist) {
		removeAll(temps)
		return err
	}
	last := len(files) - 1 // manifest.json: Render puts it last
	for i, f := range files {
		if i == last {
			if err := removeStale(dir, files); err != nil {
				removeAll(temps[i:])
				return err
			}
		}
		if temps[i] == "" {
			continue // already in place (writeTemps)
		}
		if err := rename(temps[i], filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			removeAll(temps[i:])
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, StatementsDir)); err == nil {
		if err := syncDir(filepath.Join(dir, StatementsDir)); err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// removeStale deletes district workbooks and statements that the new run
// does not write (a district whose last agreement ended, a payee no longer
// paid), so the folder matches its manifest.
func removeStale(dir string, files []Output) error {
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
	}
	var old []string
	for _, pattern := range []string{"bydel-*.xlsx", StatementsDir + "/*.pdf"} {
		found, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		if err != nil {
			return err
		}
		old = append(old, found...)
	}
	for _, p := range old {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if !keep[filepath.ToSlash(rel)] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !strings.Contains(err.Error(), "invalid argument") {
		return err
	}
	return nil
}

func removeAll(paths []string) {
	for _, p := range paths {
		if p != "" {
			_ = os.Remove(p)
		}
	}
}

// The steps tests replace to fail part-way or to take the other way:
// createTemp is createTempFile, canFlushFS says whether one flushFS of the
// locked folder's descriptor makes the temporary files in the folders
// durable, flushFS is that flush.
var (
	createTemp = createTempFile
	canFlushFS = syncfsCovers
	flushFS    = syncfs
)
