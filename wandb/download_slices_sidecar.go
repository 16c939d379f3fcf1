package wandb

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"
)

// slicesSuffix ends the name of the file beside a sliced download's
// temporary file that records which of its bytes are on disk, so that a
// later call (after a crash, a cancel, a failure) resumes every slice
// where it stopped: ".<base>.wbfiles-slices". Run files whose names end
// so are refused, like those ending in partialSuffix.
const slicesSuffix = ".wbfiles-slices"

// sidecarName returns the sidecar beside rel's temporary file.
func sidecarName(rel string) string {
	return strings.TrimSuffix(tempName(rel), partialSuffix) + slicesSuffix
}

// sidecarMagic opens a sidecar; the format is text, one fact a line:
//
//	wbfiles-slices 1
//	size 1073741824
//	md5 <the file's md5, base64>
//	done 0 67108864
//	done 134217728 140509184
//	crc <crc32 of the lines above, hex>
//
// It is written in place without a sync: a process that dies leaves its
// writes in the page cache, and after a power loss a torn or stale sidecar
// at worst makes the md5 fail, which fetches the file once more from zero.
const sidecarMagic = "wbfiles-slices 1\n"

// maxSidecarSize bounds what readSidecar reads.
const maxSidecarSize = 1 << 20

// sidecar is the open sidecar of one download; nil when it could not be
// created (the download then goes on without saving its progress).
type sidecar struct {
	f   *os.File
	buf bytes.Buffer
}

// createSidecar replaces whatever is at name with a new file of ours (a
// link planted there is dropped, never written through).
func createSidecar(root *os.Root, name string) *sidecar {
	root.Remove(name)
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil
	}
	return &sidecar{f: f}
}

// write records the extents on disk of the file of size and md5.
func (sc *sidecar) write(size int64, md5 string, done []extent) {
	if sc == nil {
		return
	}
	b := &sc.buf
	b.Reset()
	b.WriteString(sidecarMagic)
	fmt.Fprintf(b, "size %d\nmd5 %s\n", size, md5)
	for _, e := range done {
		fmt.Fprintf(b, "done %d %d\n", e.from, e.to)
	}
	fmt.Fprintf(b, "crc %08x\n", crc32.ChecksumIEEE(b.Bytes()))
	if _, err := sc.f.WriteAt(b.Bytes(), 0); err == nil {
		sc.f.Truncate(int64(b.Len()))
	}
}

func (sc *sidecar) close() {
	if sc != nil {
		sc.f.Close()
	}
}

// readSidecar returns the extents a sidecar records for a file of size
// and md5, nil when there is none, or it is for another file, or it is
// damaged in any way.
func readSidecar(root *os.Root, name string, size int64, md5 string) []extent {
	fi, err := root.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxSidecarSize {
		return nil
	}
	f, err := root.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSidecarSize))
	if err != nil {
		return nil
	}
	return parseSidecar(data, size, md5)
}

// parseSidecar checks a sidecar's text strictly: the magic line, its crc
// as the last line, the size and md5 asked for, and extents in order,
// apart, inside the file.
func parseSidecar(data []byte, size int64, md5 string) []extent {
	body, ok := bytes.CutPrefix(data, []byte(sidecarMagic))
	if !ok || len(data) == 0 || data[len(data)-1] != '\n' {
		return nil
	}
	i := bytes.LastIndex(data[:len(data)-1], []byte("\n"))
	if i < 0 {
		return nil
	}
	crc, ok := strings.CutPrefix(string(data[i+1:len(data)-1]), "crc ")
	if !ok || crc != fmt.Sprintf("%08x", crc32.ChecksumIEEE(data[:i+1])) {
		return nil
	}
	body = body[:len(body)-(len(data)-i-1)]
	sc := bufio.NewScanner(bytes.NewReader(body))
	want := []string{"size " + strconv.FormatInt(size, 10), "md5 " + md5}
	var out []extent
	at := int64(0)
	for n := 0; sc.Scan(); n++ {
		line := sc.Text()
		if n < len(want) {
			if line != want[n] {
				return nil
			}
			continue
		}
		var e extent
		if _, err := fmt.Sscanf(line, "done %d %d", &e.from, &e.to); err != nil ||
			fmt.Sprintf("done %d %d", e.from, e.to) != line || e.from < at || e.to <= e.from || e.to > size {
			return nil
		}
		out = append(out, e)
		at = e.to
	}
	return out
}
