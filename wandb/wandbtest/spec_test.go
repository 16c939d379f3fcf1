package wandbtest

import (
	"bytes"
	"io"
	"testing"
	"time"
)

// TestGeneratedContentSeeks: reading from any offset gives the same bytes
// as reading the whole stream, which Range answers rely on.
func TestGeneratedContentSeeks(t *testing.T) {
	f := FileSpec{Name: "checkpoints/x.bin", Size: 200003}
	all, _ := io.ReadAll(f.Open())
	if len(all) != 200003 {
		t.Fatalf("%d bytes", len(all))
	}
	for _, off := range []int64{0, 1, 15, 16, 17, 4095, 65536 + 5, 199999, 200003} {
		r := f.openSeeker()
		if _, err := r.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		// Odd read sizes cross block boundaries.
		var got []byte
		buf := make([]byte, 7)
		for {
			n, err := r.Read(buf)
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
		}
		if !bytes.Equal(got, all[off:]) {
			t.Fatalf("from %d: %d bytes differ from the whole stream's tail", off, len(got))
		}
	}
	// No period: the two halves of a MiB differ, so a resume at a wrong
	// offset cannot produce the right bytes by luck.
	big, _ := io.ReadAll(FileSpec{Name: "p", Size: 1 << 20}.Open())
	for _, period := range []int{16, 4096, 32 << 10, 64 << 10, 512 << 10} {
		if bytes.Equal(big[:period], big[period:2*period]) {
			t.Fatalf("content repeats every %d bytes", period)
		}
	}
}

func TestMimetypesAndTimes(t *testing.T) {
	for name, want := range map[string]string{
		"a.json": "application/json", "b.YAML": "application/x-yaml", "output.log": "text/plain",
		"x.png": "image/png", "w.safetensors": "application/octet-stream", "noext": "application/octet-stream",
	} {
		if got := (FileSpec{Name: name}).mimetype(); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if got := (FileSpec{Name: "a", Mimetype: "text/x-custom"}).mimetype(); got != "text/x-custom" {
		t.Errorf("explicit mimetype ignored: %s", got)
	}
	a, b := FileSpec{Name: "a"}.updatedAt(), FileSpec{Name: "a"}.updatedAt()
	if !a.Equal(b) || a.IsZero() {
		t.Errorf("derived times %v %v", a, b)
	}
	fixed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	if got := (FileSpec{Name: "a", UpdatedAt: fixed}).updatedAt(); !got.Equal(fixed) || got.Location() != time.UTC {
		t.Errorf("explicit time: %v", got)
	}
}
