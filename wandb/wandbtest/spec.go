package wandbtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// FileSpec describes one file of a run.
type FileSpec struct {
	Name string
	// Size is the length of the generated content when Content is nil.
	Size int64
	// Content is fixed content (small text files); when set, Size is
	// len(Content).
	Content []byte
	// Mimetype is what the server reports; "" means guessed from the
	// extension.
	Mimetype string
	// UpdatedAt is what the server reports; the zero time means a fixed
	// time derived deterministically from the name.
	UpdatedAt time.Time

	// Knobs that send nulls real servers send now and then (NullsRun has
	// one file with each).
	NullSize       bool // sizeBytes: null
	NullURL        bool // url: null
	NullMD5        bool // md5 and digest: null
	NullMimetype   bool // mimetype: null
	NullUpdatedAt  bool // updatedAt: null
	EmptyDirectURL bool // directUrl: ""
	NullNode       bool // the edge's node is null
}

// Len returns the length of the file's content.
func (f FileSpec) Len() int64 {
	if f.Content != nil {
		return int64(len(f.Content))
	}
	return f.Size
}

// Open returns the file's deterministic content. Generated content is
// produced on the fly, so a large file costs no memory.
func (f FileSpec) Open() io.Reader {
	if f.Content != nil {
		return bytes.NewReader(f.Content)
	}
	return newGenReader(seedOf(f.Name), f.Size)
}

// openSeeker is Open with seeking, for http.ServeContent.
func (f FileSpec) openSeeker() io.ReadSeeker {
	if f.Content != nil {
		return bytes.NewReader(f.Content)
	}
	return newGenReader(seedOf(f.Name), f.Size)
}

// MD5 returns the base64 of the raw MD5 digest of the content, as W&B
// reports it. It reads the whole content; the server caches the result.
func (f FileSpec) MD5() string {
	h := md5.New()
	if f.Content != nil {
		h.Write(f.Content)
	} else {
		// WriteTo fills a reusable buffer: no per-call garbage.
		newGenReader(seedOf(f.Name), f.Size).WriteTo(h)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// mimetype returns the reported mimetype: the explicit one or a guess from
// the extension. The table is fixed so answers do not depend on the
// machine's mime.types.
func (f FileSpec) mimetype() string {
	if f.Mimetype != "" {
		return f.Mimetype
	}
	switch strings.ToLower(path.Ext(f.Name)) {
	case ".json":
		return "application/json"
	case ".yaml", ".yml":
		return "application/x-yaml"
	case ".txt", ".log", ".patch", ".diff", ".md", ".cfg", ".ini", ".toml":
		return "text/plain"
	case ".csv":
		return "text/csv"
	case ".py":
		return "text/x-python"
	case ".sh":
		return "text/x-sh"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".svg":
		return "image/svg+xml"
	case ".html":
		return "text/html"
	case ".mp4":
		return "video/mp4"
	case ".wav":
		return "audio/wav"
	}
	return "application/octet-stream"
}

// demoEpoch anchors derived timestamps.
var demoEpoch = time.Date(2026, 8, 14, 9, 12, 0, 0, time.UTC)

// updatedAt returns the reported update time.
func (f FileSpec) updatedAt() time.Time {
	if !f.UpdatedAt.IsZero() {
		return f.UpdatedAt.UTC()
	}
	return demoEpoch.Add(time.Duration(seedOf(f.Name)%(6*3600)) * time.Second)
}

// seedOf derives the content seed from a file name (FNV-1a, inlined so it
// allocates nothing).
func seedOf(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// RunSpec describes one run.
type RunSpec struct {
	Entity, Project, ID, DisplayName, State string
	Files                                   []FileSpec
	// NullFileCount makes fileCount null, as some servers send.
	NullFileCount bool

	// Optional header fields; zero values get plausible defaults.
	CreatedAt      time.Time
	Config         string // JSON of the run config, "" → "{}"
	SummaryMetrics string // JSON of the summary, "" → wandb-summary.json's content, else "{}"
	Tags           []string
	Group          string
	JobType        string
	Notes          string
	Host           string
	SweepName      string
	Commit         string
	// User is the username of who ran it (Run.user, the username filter
	// key); "" means the user named like the entity.
	User string
}

// Ref returns entity/project/id.
func (r RunSpec) Ref() string { return r.Entity + "/" + r.Project + "/" + r.ID }

// genReader streams AES-128-CTR keystream under a key derived from the
// file's seed: counter mode gives any offset directly, which makes Seek
// (and thus HTTP Range) free, and the AES code is assembly, so it runs at
// several GB/s even under the race detector (a Go PRNG loop there is
// instrumented word by word and crawls). The content never repeats, so a
// client that resumes at a wrong offset gets wrong bytes and a wrong md5.
type genReader struct {
	block  cipher.Block
	stream cipher.Stream // positioned at off; nil after a Seek
	off    int64
	size   int64
}

func newGenReader(seed uint64, size int64) *genReader {
	var key [16]byte
	binary.LittleEndian.PutUint64(key[:8], seed)
	binary.LittleEndian.PutUint64(key[8:], mix(seed))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // a 16-byte key is always valid
	}
	return &genReader{block: block, size: size}
}

const golden = 0x9e3779b97f4a7c15

// mix is the splitmix64 finalizer, used to derive keys and demo noise.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamAt returns a keystream positioned at byte off.
func (g *genReader) streamAt(off int64) cipher.Stream {
	var iv [aes.BlockSize]byte
	binary.BigEndian.PutUint64(iv[8:], uint64(off/aes.BlockSize))
	s := cipher.NewCTR(g.block, iv[:])
	if r := off % aes.BlockSize; r != 0 {
		var skip [aes.BlockSize]byte
		s.XORKeyStream(skip[:r], skip[:r])
	}
	return s
}

// Read implements io.Reader.
func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	if rem := g.size - g.off; int64(len(p)) > rem {
		p = p[:rem]
	}
	if g.stream == nil {
		g.stream = g.streamAt(g.off)
	}
	clear(p)
	g.stream.XORKeyStream(p, p)
	g.off += int64(len(p))
	return len(p), nil
}

// Seek implements io.Seeker.
func (g *genReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += g.off
	case io.SeekEnd:
		offset += g.size
	}
	if offset < 0 {
		return 0, errors.New("wandbtest: seek before the start")
	}
	if offset != g.off {
		g.stream = nil
	}
	g.off = offset
	return offset, nil
}

// genBufs recycles WriteTo buffers: listing a run computes the md5 of
// every file once, and 20,000 fresh 64 KiB buffers would be 1.3 GB of
// garbage.
var genBufs = sync.Pool{New: func() any { return new([64 << 10]byte) }}

// WriteTo implements io.WriterTo with one pooled 64 KiB buffer.
func (g *genReader) WriteTo(w io.Writer) (int64, error) {
	bp := genBufs.Get().(*[64 << 10]byte)
	defer genBufs.Put(bp)
	buf := bp[:]
	var total int64
	for g.off < g.size {
		n, _ := g.Read(buf)
		m, err := w.Write(buf[:n])
		total += int64(m)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// SameAs reports, as an error, how the file at path differs from f's
// content (nil when it holds exactly that), comparing chunk by chunk so a
// large file costs no memory. Tests use it to check a download on disk.
func (f FileSpec) SameAs(path string) error {
	got, err := os.Open(path)
	if err != nil {
		return err
	}
	defer got.Close()
	a, b := io.Reader(got), f.Open()
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	var off int64
	for {
		na, errA := io.ReadFull(a, bufA)
		nb, errB := io.ReadFull(b, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return fmt.Errorf("content differs in the %d bytes from offset %d (%d vs %d bytes read)", max(na, nb), off, na, nb)
		}
		off += int64(na)
		endA := errA == io.EOF || errA == io.ErrUnexpectedEOF
		endB := errB == io.EOF || errB == io.ErrUnexpectedEOF
		switch {
		case endA && endB:
			return nil
		case endA != endB:
			return fmt.Errorf("lengths differ after %d bytes", off)
		case errA != nil && !endA:
			return errA
		case errB != nil && !endB:
			return errB
		}
	}
}

// SmallFiles is n generated files of 1 B to 6 KB in four folders
// (part0/file0000.bin …), for tests of many downloads.
func SmallFiles(n int) []FileSpec {
	files := make([]FileSpec, n)
	for i := range files {
		files[i] = FileSpec{Name: fmt.Sprintf("part%d/file%04d.bin", i%4, i), Size: int64(1 + (i*977)%6000)}
	}
	return files
}
