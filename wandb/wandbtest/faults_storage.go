package wandbtest

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// BodyFaults are misbehaviours of the body endpoints (the API host's file
// URLs and the storage host) that Faults does not cover: bodies that
// disagree with their own size, and redirects a client must not follow or
// must give up on at once. The zero value means none.
type BodyFaults struct {
	// ExtraBytes appends this many zero bytes to the file's content, and
	// Content-Length counts them: a body longer than the file's sizeBytes.
	// Range is ignored (200 with the whole body).
	ExtraBytes int64
	// ShortBy makes Content-Length announce ShortBy bytes more than the
	// body holds; the connection closes after the real bytes. A Range from
	// the real end gets 416, as from a bucket that holds the real object.
	ShortBy int64
	// RedirectTo answers 302 to this location (any scheme) instead of the
	// body.
	RedirectTo string
	// RedirectLoop answers 302 to the request's own URL, for ever.
	RedirectLoop bool
}

// bodyFaultSlots holds one target's BodyFaults; nil means none.
type bodyFaultSlots [3]atomic.Pointer[BodyFaults]

// SetBodyFaults replaces the body faults of every target in t.
func (s *Server) SetBodyFaults(t Target, f BodyFaults) {
	for _, one := range []Target{GraphQL, FileURL, Storage} {
		if t&one != 0 {
			s.bodyFaults[targetIndex(one)].Store(&f)
		}
	}
}

// serveBodyFault answers a body request of t the way its BodyFaults say,
// and reports whether it did.
func (s *Server) serveBodyFault(w http.ResponseWriter, r *http.Request, t Target, f *fileData) bool {
	bf := s.bodyFaults[targetIndex(t)].Load()
	switch {
	case bf == nil:
		return false
	case bf.RedirectLoop:
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	case bf.RedirectTo != "":
		w.Header().Set("Location", bf.RedirectTo)
		w.WriteHeader(http.StatusFound)
	case bf.ExtraBytes > 0:
		size := f.spec.Len() + bf.ExtraBytes
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			io.Copy(w, io.MultiReader(f.spec.Open(), io.LimitReader(zeros{}, bf.ExtraBytes)))
		}
	case bf.ShortBy > 0:
		serveShortBody(w, r, f, bf.ShortBy)
	default:
		return false
	}
	return true
}

// serveShortBody sends the content from the requested offset with a
// Content-Length short more than that, then cuts the connection.
func serveShortBody(w http.ResponseWriter, r *http.Request, f *fileData, short int64) {
	size := f.spec.Len()
	var from int64
	status := http.StatusOK
	if rng := r.Header.Get("Range"); rng != "" {
		first, _, _ := strings.Cut(strings.TrimPrefix(rng, "bytes="), "-")
		n, err := strconv.ParseInt(first, 10, 64)
		if err != nil || n >= size {
			w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		from, status = n, http.StatusPartialContent
		w.Header().Set("Content-Range", "bytes "+strconv.FormatInt(from, 10)+"-"+
			strconv.FormatInt(size+short-1, 10)+"/"+strconv.FormatInt(size+short, 10))
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size+short-from, 10))
	w.WriteHeader(status)
	body := f.spec.Open()
	io.CopyN(io.Discard, body, from)
	io.Copy(w, body)
	http.NewResponseController(w).Flush()
	panic(http.ErrAbortHandler)
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
