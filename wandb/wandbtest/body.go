package wandbtest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// bucket is the storage bucket name that signed URLs point into.
const bucket = "wandb-production.appspot.com"

// signedURLLifetime is how long a signed URL stays valid. URLs are signed
// with the time rounded down to the hour (so they can be cached per file),
// which leaves at least one hour of validity.
const signedURLLifetime = 2 * time.Hour

// appendEscapedName appends name to b with each slash-separated segment
// escaped for a URL path.
func appendEscapedName(b []byte, name string) []byte {
	for {
		seg, rest, more := strings.Cut(name, "/")
		b = append(b, url.PathEscape(seg)...)
		if !more {
			return b
		}
		b = append(b, '/')
		name = rest
	}
}

// runPath is entity/project/run escaped for a URL path.
func runPath(r *RunSpec) string {
	return url.PathEscape(r.Entity) + "/" + url.PathEscape(r.Project) + "/" + url.PathEscape(r.ID)
}

// fileURL returns the API-host URL of a file's body.
func fileURL(base string, f *fileData) string {
	b := make([]byte, 0, len(base)+len(f.spec.Name)+64)
	b = append(b, base...)
	b = append(b, "/files/"...)
	b = append(b, runPath(&f.run.spec)...)
	b = append(b, '/')
	return string(appendEscapedName(b, f.spec.Name))
}

// storagePath is the object key of a file in the bucket.
func storagePath(f *fileData) string {
	r := &f.run.spec
	return r.Entity + "/" + r.Project + "/" + r.ID + "/" + f.spec.Name
}

// signature signs an object key with a date and lifetime, in the spirit of
// GCS V4 signed URLs (HMAC-SHA256, hex).
func (s *Server) signature(key, date, expires string) string {
	var sum [sha256.Size]byte
	return hex.EncodeToString(s.sign(sum[:0], key, date, expires))
}

// sign appends the raw HMAC of key, date and expires to b, with a pooled
// HMAC state.
func (s *Server) sign(b []byte, key, date, expires string) []byte {
	m, _ := s.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, s.secret)
	}
	m.Reset()
	io.WriteString(m, key)
	io.WriteString(m, "\n")
	io.WriteString(m, date)
	io.WriteString(m, "\n")
	io.WriteString(m, expires)
	b = m.Sum(b)
	s.macs.Put(m)
	return b
}

// directURL returns a signed storage URL of the file, valid for at least
// an hour from now (see SetURLLifetime).
func (s *Server) directURL(f *fileData, now time.Time) string {
	return s.signedURL(storagePath(f), now)
}

// signedURL returns a signed storage URL of the object key.
func (s *Server) signedURL(key string, now time.Time) string {
	signed, secs, _ := s.signingWindow(now)
	var db [16]byte
	date := string(signed.AppendFormat(db[:0], "20060102T150405Z"))
	expires := strconv.Itoa(secs)
	storage := s.StorageURL()
	b := make([]byte, 0, len(storage)+2*len(key)+400)
	b = append(b, storage...)
	b = append(b, '/')
	b = append(b, bucket...)
	b = append(b, '/')
	b = appendEscapedName(b, key)
	b = append(b, "?X-Goog-Algorithm=GOOG4-HMAC-SHA256"+
		"&X-Goog-Credential=wbfiles-test%40example.iam.gserviceaccount.com%2F"...)
	b = append(b, date[:8]...)
	b = append(b, "%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date="...)
	b = append(b, date...)
	b = append(b, "&X-Goog-Expires="...)
	b = append(b, expires...)
	b = append(b, "&X-Goog-SignedHeaders=host&X-Goog-Signature="...)
	var sum [sha256.Size]byte
	b = hex.AppendEncode(b, s.sign(sum[:0], key, date, expires))
	return string(b)
}

// lookupFile finds the file of a path "entity/project/run/name...", or
// the artifact object of a "wandb_artifacts/..." key.
func (s *Server) lookupFile(p string) *fileData {
	if strings.HasPrefix(p, artifactKeyPrefix) {
		return s.artObject(p)
	}
	parts := strings.SplitN(p, "/", 4)
	if len(parts) < 4 {
		return nil
	}
	rd := s.run(parts[0], parts[1], parts[2])
	if rd == nil {
		return nil
	}
	i, ok := rd.byName[parts[3]]
	if !ok {
		return nil
	}
	return rd.files[i]
}

// serveFileURL serves GET {API}/files/entity/project/run/name with the key.
func (s *Server) serveFileURL(w http.ResponseWriter, r *http.Request) {
	s.counters.file.Add(1)
	if s.injectFaults(w, r, FileURL) {
		return
	}
	if !s.requireKey(w, r) {
		return
	}
	f := s.lookupFile(strings.TrimPrefix(r.URL.Path, "/files/"))
	if f == nil {
		writeJSONError(w, http.StatusNotFound, "file not found")
		return
	}
	if s.redirect.Load() {
		http.Redirect(w, r, s.directURL(f, time.Now()), http.StatusFound)
		return
	}
	s.serveBody(w, r, FileURL, f)
}

// serveStorage serves the signed storage host: GET /bucket/key?signature.
// Like GCS, it refuses a request carrying Authorization next to a signed
// query.
func (s *Server) serveStorage(w http.ResponseWriter, r *http.Request) {
	s.counters.storage.Add(1)
	if s.injectFaults(w, r, Storage) {
		return
	}
	if r.Header.Get("Authorization") != "" {
		s.counters.storageAuthRejected.Add(1)
		writeXMLError(w, http.StatusForbidden, "AuthorizationConflict",
			"A signed URL must not be sent with an Authorization header.")
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, "/"+bucket+"/")
	if !ok {
		writeXMLError(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist.")
		return
	}
	q := r.URL.Query()
	date, expires, sig := q.Get("X-Goog-Date"), q.Get("X-Goog-Expires"), q.Get("X-Goog-Signature")
	want := s.signature(key, date, expires)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		writeXMLError(w, http.StatusForbidden, "SignatureDoesNotMatch",
			"The request signature we calculated does not match the signature you provided.")
		return
	}
	t, err := time.Parse("20060102T150405Z", date)
	secs, err2 := strconv.Atoi(expires)
	if err != nil || err2 != nil || time.Now().After(t.Add(time.Duration(secs)*time.Second)) {
		writeXMLError(w, http.StatusForbidden, "ExpiredToken", "The provided token has expired.")
		return
	}
	f := s.lookupFile(key)
	if f == nil {
		writeXMLError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	s.serveBody(w, r, Storage, f)
}

// writeXMLError answers the way GCS does: an XML error document.
func writeXMLError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
	w.WriteHeader(status)
	w.Write([]byte("<?xml version='1.0' encoding='UTF-8'?><Error><Code>" + code +
		"</Code><Message>" + msg + "</Message></Error>"))
}

// serveBody streams a file with Range, HEAD, ETag and the body faults.
func (s *Server) serveBody(w http.ResponseWriter, r *http.Request, t Target, f *fileData) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSONError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if r.Header.Get("Range") != "" {
		s.counters.ranges.Add(1)
	}
	faults := s.faultsFor(t)
	if faults.NoRange {
		r.Header.Del("Range")
		r.Header.Del("If-Range")
	}
	sum := f.contentMD5()
	h := w.Header()
	h.Set("Content-Type", f.spec.mimetype())
	h.Set("ETag", `"`+sum+`"`)
	h.Set("X-Goog-Hash", "md5="+sum)
	if s.serveBodyFault(w, r, t, f) {
		return
	}
	bw := &bodyWriter{ResponseWriter: w, ctx: r.Context(), bps: faults.BytesPerSecond, pace: pacer{bps: faults.BytesPerSecond}, cut: -1}
	if r.Method == http.MethodGet {
		if n, ok := s.cutPoint(t); ok {
			bw.cut = n
			bw.onCut = func() { s.noteCut(t) }
		}
	}
	if bw.cut >= 0 {
		defer func() {
			if !bw.wasCut {
				s.disarmCut(t)
			}
		}()
	}
	http.ServeContent(bw, r, "", f.spec.updatedAt(), f.spec.openSeeker())
}

// bodyWriter applies the slow-body and cut-body faults to a response.
type bodyWriter struct {
	http.ResponseWriter
	ctx     context.Context
	bps     int64 // bytes per second, 0 = unlimited
	pace    pacer // keeps the body to bps (pace.go)
	cut     int64 // cut after this many body bytes, -1 = never
	onCut   func()
	wasCut  bool
	written int64
}

// WriteHeader disarms the cut for anything but a content answer, so an
// error text (a 416, a 304) is never what gets cut.
func (b *bodyWriter) WriteHeader(status int) {
	if status != http.StatusOK && status != http.StatusPartialContent {
		b.cut = -1
	}
	b.ResponseWriter.WriteHeader(status)
}

// Write passes p on, slowly when asked, and aborts the connection once the
// cut point is reached: panic(http.ErrAbortHandler) makes net/http close
// the connection without a log line, so the client sees an unexpected EOF.
func (b *bodyWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		chunk := p
		if b.bps > 0 {
			// About 20 writes a second keeps the pace smooth.
			step := max(b.bps/20, 1)
			if int64(len(chunk)) > step {
				chunk = chunk[:step]
			}
		}
		if b.cut >= 0 && b.written+int64(len(chunk)) >= b.cut {
			chunk = chunk[:b.cut-b.written]
			b.ResponseWriter.Write(chunk)
			http.NewResponseController(b.ResponseWriter).Flush()
			b.wasCut = true
			b.onCut()
			panic(http.ErrAbortHandler)
		}
		n, err := b.ResponseWriter.Write(chunk)
		total += n
		b.written += int64(n)
		if err != nil {
			return total, err
		}
		p = p[n:]
		if d := b.pace.wait(n); d > 0 {
			http.NewResponseController(b.ResponseWriter).Flush()
			timer := time.NewTimer(d)
			select {
			case <-timer.C:
			case <-b.ctx.Done():
				timer.Stop()
				return total, b.ctx.Err()
			}
		}
	}
	return total, nil
}

// Unwrap lets http.ResponseController reach the real writer.
func (b *bodyWriter) Unwrap() http.ResponseWriter { return b.ResponseWriter }
