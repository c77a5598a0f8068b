package bundle

import (
	"errors"
	"fmt"
	"io/fs"
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
//
// A run's folder (no release record) is written as it is rendered: it is
// Stage, Commit and Close.
func Write(outDir string, res *payout.Result, in *payout.Inputs, rel *ReleaseFile) (*manifest.Manifest, error) {
	if rel != nil {
		b, err := Render(res, in, rel)
		if err != nil {
			return nil, err
		}
		return WriteRendered(outDir, res.Period, b)
	}
	st, err := Stage(outDir, res, in, Private)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return st.Commit()
}

// Staged is a run's folder rendered and written to temporary files, not
// yet in place: Flush makes them durable, Commit renames them into place
// (as WriteRenderedAs does, flushing them first if Flush has not), Close
// removes what was not committed. The folder stays locked from Stage to
// Close, so no other writer touches it meanwhile (nor takes the
// temporary files for a dead writer's). Only Stage makes one.
type Staged struct {
	dir    string
	period payout.Period
	perm   Perm
	lock   *os.File
	bundle *Bundle
	tw     *tempWriter
	// flushed: Flush ran (or Close stopped it from running); w is the
	// files it made durable, ferr why it could not.
	flushed sync.Once
	w       *pending
	ferr    error
	// committed: Commit ran; err is what it returned.
	committed bool
	err       error
}

// Stage renders the run's folder (no release record) and writes each file
// to its temporary file on the worker that rendered it while the others
// render, so that the writing, and the kernel's write-back of the pages
// written, overlap the rendering instead of following it. A released
// folder is refused before the work of rendering (the folder's lock,
// made as perm says, is taken first). On any error nothing is left but
// the folder. A caller that must do more before the files are in place
// (payout run --db stores the run, while they are flushed, and commits
// them inside the store's transaction) does it between Stage and Commit;
// Close must follow in any case. Stage is Reserve and Render.
func Stage(outDir string, res *payout.Result, in *payout.Inputs, perm Perm) (*Staged, error) {
	st, err := Reserve(outDir, res.Period, perm)
	if err != nil {
		return nil, err
	}
	if err := st.Render(res, in); err != nil {
		return nil, err
	}
	return st, nil
}

// Reserve takes the lock of period p's folder (made as perm says) for a
// Render, refusing a released folder, so that a caller can start other
// work that must follow the lock (payout run --db begins storing the run)
// before it renders. Close must follow in any case.
func Reserve(outDir string, p payout.Period, perm Perm) (*Staged, error) {
	dir := Dir(outDir, p)
	lock, err := lockWritable(dir, perm, nil)
	if err != nil {
		return nil, &WriteError{err}
	}
	return &Staged{dir: dir, period: p, perm: perm, lock: lock, tw: newTempWriter(lock, dir, perm, true)}, nil
}

// Render renders the run's folder into the reserved folder's temporary
// files, as Stage does; when it cannot, nothing is left but the folder, and
// st is closed. A Render of a folder closed or rendered already, or of
// another period's run, is refused and changes nothing.
func (st *Staged) Render(res *payout.Result, in *payout.Inputs) error {
	switch {
	case st.lock == nil || st.tw == nil || st.bundle != nil:
		return errors.New("bundle: Render of a folder closed or rendered already")
	case res.Period != st.period:
		return fmt.Errorf("bundle: the run of %s rendered into the folder of %s", res.Period, st.period)
	}
	var err error
	if st.bundle, err = render(res, in, nil, stageSink{st.tw}); err == nil { // a WriteError inside when a file could not be written
		if err = st.tw.write(st.bundle.Files[len(st.bundle.Files)-1], true); err != nil {
			err = &WriteError{fmt.Errorf("%s: %w", ManifestJSON, err)}
		}
	}
	if err != nil {
		st.bundle = nil
		st.tw.abort()
		st.tw = nil
		st.Close()
	}
	return err
}

// Bundle is the staged folder as rendered: every file's name, and the
// manifest with its bytes (the other files' bytes are in their temporary
// files, not held).
func (st *Staged) Bundle() *Bundle { return st.bundle }

// Flush makes the rendered files durable (one flush of the file system,
// or nothing where each was fsynced as it was written), once: it may run
// on its own goroutine beside other work (payout run --db stores the run
// meanwhile), and Commit and Close wait for it. On error the files are
// removed.
func (st *Staged) Flush() error {
	st.flushed.Do(func() {
		if st.bundle == nil {
			st.ferr = errors.New("bundle: Flush of a folder not rendered")
			return
		}
		if st.w, st.ferr = st.tw.finish(st.bundle.Files); st.ferr != nil {
			st.ferr = &WriteError{st.ferr}
		}
	})
	return st.ferr
}

// Commit flushes the staged files (Flush) and renames them into place, the
// manifest last, and returns the manifest. It does so once: called again it
// returns what it returned the first time (a retried store transaction
// calls its Write again; the files are in place already).
func (st *Staged) Commit() (*manifest.Manifest, error) {
	if !st.committed {
		st.committed = true
		if st.err = st.Flush(); st.err == nil {
			if err := commit(st.dir, st.bundle.Files, st.w); err != nil {
				st.err = &WriteError{err}
			}
		}
	}
	if st.err != nil {
		return nil, st.err
	}
	return st.bundle.Manifest, nil
}

// Close removes the temporary files unless they were committed (waiting
// for a Flush under way), and unlocks the folder.
func (st *Staged) Close() {
	if st.lock == nil {
		return
	}
	if st.tw != nil && !st.committed {
		// Not flushed yet: never, the files are removed as they are.
		st.flushed.Do(func() { st.tw.abort(); st.ferr = errors.New("bundle: closed before it was flushed") })
		if st.w != nil {
			st.w.remove(0)
		}
	}
	st.lock.Close()
	st.lock = nil
}

// stageSink is Stage's sink: the tempWriter, its errors WriteErrors.
type stageSink struct{ tw *tempWriter }

func (s stageSink) expect(names []string) error { return writeError(s.tw.expect(names)) }
func (s stageSink) put(o Output) error          { return writeError(s.tw.put(o)) }

func writeError(err error) error {
	if err == nil {
		return nil
	}
	return &WriteError{err}
}

// WriteError is a failure to write a folder's files (make the folder, take
// its lock, write, flush or rename them), not to render them: Stage and
// Commit return it so that a caller can say which of the two failed.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

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
	lock, err := lockWritable(dir, perm, b)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	w, err := writeTemps(lock, dir, b.Files, perm, true)
	if err != nil {
		return nil, err
	}
	if err := commit(dir, b.Files, w); err != nil {
		return nil, err
	}
	return b.Manifest, nil
}

// openFolder makes dir as perm says, takes its lock and removes the
// temporary files a killed writer left; closing the file returned unlocks.
func openFolder(dir string, perm Perm) (*os.File, error) {
	if err := perm.mkdirAll(dir); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	if err := removeTemps(dir); err != nil {
		lock.Close()
		return nil, err
	}
	return lock, nil
}

// lockWritable is openFolder for a writer of b (nil: a run's folder, to be
// rendered as it is written), refusing the folder as checkWritable says.
func lockWritable(dir string, perm Perm, b *Bundle) (*os.File, error) {
	lock, err := openFolder(dir, perm)
	if err != nil {
		return nil, err
	}
	if err := checkWritable(dir, b); err != nil {
		lock.Close()
		return nil, err
	}
	return lock, nil
}

// checkWritable refuses dir when it holds a released run's payment file and
// the new bundle is not a release, or a manifest of another release than
// the new bundle's: a released folder is only ever written again with the
// same release (to complete one that was interrupted).
func checkWritable(dir string, b *Bundle) error {
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

// removeTemps deletes the temporary files and folders (a staged
// statements folder, see tempWriter) of writers that died in dir and its
// statements folder (the caller holds the folder's lock, so no live
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
		if err := os.RemoveAll(path); err != nil {
			return err
		}
	}
	return nil
}

// writeTemps writes every file to a temporary file beside its final name
// (or, with stage, into a staged folder: see tempWriter) and makes them
// all durable before it returns what commit renames; on error none
// remains. The files are written in parallel (tempWriter); the last (the
// manifest, or a supplement's signed statement) marks the folder complete
// and is always written.
func writeTemps(lock *os.File, dir string, files []Output, perm Perm, stage bool) (*pending, error) {
	tw := newTempWriter(lock, dir, perm, stage)
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Name
	}
	if err := tw.expect(names); err != nil {
		return nil, err
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range writers(len(files), tw.flush) {
		wg.Go(func() {
			for !tw.failed.Load() {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				_ = tw.write(files[i], i == len(files)-1) // an error is kept by tw
			}
		})
	}
	wg.Wait()
	return tw.finish(files)
}

// tempWriter writes the temporary files of one folder, from any number of
// goroutines, under the folder's lock. Where one flush of the file system
// can make them durable (flushFS on lock, the folder's locked descriptor:
// see durable_linux.go) that is done once after the last (finish), else
// each is fsynced before it is closed.
//
// A file already in place with the same bytes, mode and group (a re-run
// whose statement did not change) is left as it is, no temporary file
// made: writing it again would change nothing but cost a new inode, a
// rename and the old inode's release. It is made durable like the others
// (the flush, or an fsync), so it does not matter who put it there. Only
// the names the folders held when expect listed them are looked at so (a
// new folder's files are not opened one by one to find none).
//
// With stage, a subfolder that does not exist yet (statements/ of a new
// period's folder) is made under a temporary name (.statements.tmp-…) and
// its files are written there under their own names; commit renames the
// folder into place, once, instead of each of its files (some 700 renames
// for an Oslo month, 9 400 for Norway).
type tempWriter struct {
	lock   *os.File
	dir    string
	perm   Perm
	stage  bool
	flush  bool
	held   map[string]bool   // the files in the folders, by name; nil: not listed
	staged map[string]string // a staged folder's temporary path by its final path
	bufs   sync.Pool         // *[]byte, for unchanged
	mu     sync.Mutex
	temps  map[string]string // temporary file by name
	errs   map[string]error
	// failed stops the writing at the first error.
	failed atomic.Bool
}

// pending is what a tempWriter leaves to commit: each file's temporary
// name in the order of the files ("" for one left in place or in a staged
// folder), the staged folders, and whether each file was fsynced (no
// flush of the file system).
type pending struct {
	temps   []string
	staged  map[string]string
	fsynced bool
	placed  []string // the staged folders renamed into place
}

func newTempWriter(lock *os.File, dir string, perm Perm, stage bool) *tempWriter {
	return &tempWriter{lock: lock, dir: dir, perm: perm, stage: stage, temps: map[string]string{},
		errs: map[string]error{}, staged: map[string]string{}}
}

// expect makes the folders of the files named (or stages them), chooses
// how the files are made durable and lists what the folders hold.
func (t *tempWriter) expect(names []string) error {
	folders := []string{t.dir} // where the files go
	listed := []string{t.dir}  // the folders that already were
	for _, name := range names {
		sub := filepath.Join(t.dir, filepath.Dir(filepath.FromSlash(name)))
		if t.staged[sub] != "" || slices.Contains(listed, sub) {
			continue
		}
		if t.stage && filepath.Dir(sub) == t.dir {
			if _, err := os.Lstat(sub); errors.Is(err, fs.ErrNotExist) {
				tmp, err := mkdirTemp(t.dir, "."+filepath.Base(sub)+".tmp-", t.perm)
				if err != nil {
					t.abort()
					return err
				}
				t.staged[sub] = tmp
				folders = append(folders, tmp)
				continue
			}
		}
		if err := t.perm.mkdirAll(sub); err != nil {
			t.abort()
			return err
		}
		folders, listed = append(folders, sub), append(listed, sub)
	}
	t.flush = canFlushFS(t.lock, folders)
	t.held = listFolders(t.dir, listed)
	return nil
}

func (t *tempWriter) put(o Output) error { return t.write(o, false) }

// write writes o's temporary file (or its file in a staged folder),
// unless o is in place already and not always to be written. After an
// error (kept for finish) it writes nothing more.
func (t *tempWriter) write(o Output, always bool) error {
	if t.failed.Load() {
		return nil
	}
	path := filepath.Join(t.dir, filepath.FromSlash(o.Name))
	if tmp := t.staged[filepath.Dir(path)]; tmp != "" {
		return t.done(o.Name, "", writeNew(filepath.Join(tmp, filepath.Base(path)), o.Data, t.perm, !t.flush))
	}
	if !always && (t.held == nil || t.held[o.Name]) {
		buf, _ := t.bufs.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		same := unchanged(path, o.Data, t.perm, !t.flush, buf)
		t.bufs.Put(buf)
		if same {
			return nil
		}
	}
	name, err := writeTemp(t.dir, o, t.perm, !t.flush)
	return t.done(o.Name, name, err)
}

// done records the temporary file written for name, or the error.
func (t *tempWriter) done(name, temp string, err error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.errs[name] = err
		t.failed.Store(true)
		return err
	}
	if temp != "" {
		t.temps[name] = temp
	}
	return nil
}

// finish makes the files written durable and returns what commit
// renames, or removes them all and returns the first error in the order
// of files.
func (t *tempWriter) finish(files []Output) (*pending, error) {
	if t.failed.Load() {
		t.abort()
		for _, f := range files {
			if err := t.errs[f.Name]; err != nil {
				return nil, fmt.Errorf("%s: %w", f.Name, err)
			}
		}
	}
	if t.flush {
		if err := flushFS(t.lock); err != nil {
			t.abort()
			return nil, err
		}
	}
	w := &pending{temps: make([]string, len(files)), staged: t.staged, fsynced: !t.flush}
	for i, f := range files {
		w.temps[i] = t.temps[f.Name]
	}
	return w, nil
}

// abort removes every temporary file and staged folder written.
func (t *tempWriter) abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, name := range t.temps {
		_ = os.Remove(name)
	}
	clear(t.temps)
	for _, tmp := range t.staged {
		_ = os.RemoveAll(tmp)
	}
	clear(t.staged)
}

// listFolders is the names of the files in the folders (under dir), or
// nil when one cannot be listed.
func listFolders(dir string, folders []string) map[string]bool {
	held := map[string]bool{}
	for _, folder := range folders {
		d, err := os.Open(folder)
		if err != nil {
			return nil
		}
		names, err := d.Readdirnames(-1)
		d.Close()
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(dir, folder)
		if err != nil {
			return nil
		}
		for _, n := range names {
			held[filepath.ToSlash(filepath.Join(rel, n))] = true
		}
	}
	return held
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
// then each staged folder, then stale district workbooks and statements of
// an earlier run, then the new manifest, and finally the folders are
// synced (a staged folder's files were made durable before it was
// renamed: by the flush, or fsynced with the folder).
func commit(dir string, files []Output, w *pending) error {
	temps := w.temps
	if err := os.Remove(filepath.Join(dir, ManifestJSON)); err != nil && !errors.Is(err, os.ErrNotExist) {
		w.remove(0)
		return err
	}
	last := len(files) - 1 // manifest.json: Render puts it last
	for i, f := range files {
		if i == last {
			if err := w.placeStaged(); err != nil {
				w.remove(i)
				return err
			}
			if err := removeStale(dir, files, w.staged); err != nil {
				removeAll(temps[i:])
				return err
			}
		}
		if temps[i] == "" {
			continue // already in place, or in a staged folder (writeTemps)
		}
		if err := rename(temps[i], filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			w.remove(i)
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	sub := filepath.Join(dir, StatementsDir)
	if _, staged := w.staged[sub]; !staged && exists(sub) {
		if err := syncDir(sub); err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// placeStaged renames each staged folder into place, in the order of
// their names, fsyncing it first when its files were fsynced.
func (w *pending) placeStaged() error {
	finals := make([]string, 0, len(w.staged))
	for final := range w.staged {
		finals = append(finals, final)
	}
	slices.Sort(finals)
	for _, final := range finals {
		tmp := w.staged[final]
		if w.fsynced {
			if err := syncDir(tmp); err != nil {
				return err
			}
		}
		if err := rename(tmp, final); err != nil {
			return err
		}
		w.placed = append(w.placed, final) // no longer removed on failure
	}
	return nil
}

// remove deletes the temporary files from the i-th on and the staged
// folders not yet in place.
func (w *pending) remove(i int) {
	removeAll(w.temps[i:])
	for final, tmp := range w.staged {
		if !slices.Contains(w.placed, final) {
			_ = os.RemoveAll(tmp)
		}
	}
}

// removeStale deletes district workbooks and statements that the new run
// does not write (a district whose last agreement ended, a payee no longer
// paid), so the folder matches its manifest.
func removeStale(dir string, files []Output, staged map[string]string) error {
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Name] = true
	}
	var old []string
	patterns := []string{"bydel-*.xlsx", StatementsDir + "/*.pdf"}
	if _, ok := staged[filepath.Join(dir, StatementsDir)]; ok {
		patterns = patterns[:1] // the staged folder holds the new statements only
	}
	for _, pattern := range patterns {
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

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
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
	createNew  = createNewFile
	canFlushFS = syncfsCovers
	flushFS    = syncfs
)
