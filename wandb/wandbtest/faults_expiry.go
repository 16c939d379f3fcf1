package wandbtest

import "time"

// SetURLLifetime sets how long the signed storage URLs the API hands out
// from now on stay valid: the directUrl of run files and artifact entries
// and an artifact's manifest URL. Zero restores the default (signed per
// hour, valid for two hours, so at least one). A negative d hands out URLs
// that have expired already, as a listing fetched hours ago holds them: the
// storage host answers 403 ExpiredToken, and asking the API again after
// SetURLLifetime(0) gives a working one. A positive d signs them valid for
// at least d from now (whole seconds).
func (s *Server) SetURLLifetime(d time.Duration) { s.urlLifetime.Store(int64(d)) }

// signingWindow returns the signing time and the lifetime in seconds of a
// URL signed at now, and whether it may be cached for the hour (only the
// default lifetime allows it).
func (s *Server) signingWindow(now time.Time) (signed time.Time, secs int, cacheable bool) {
	lifetime := int(signedURLLifetime / time.Second)
	switch d := time.Duration(s.urlLifetime.Load()); {
	case d == 0:
		return now.UTC().Truncate(time.Hour), lifetime, true
	case d < 0:
		return now.UTC().Add(-signedURLLifetime - time.Hour).Truncate(time.Second), lifetime, false
	default:
		// The date is cut to the second: one more second keeps d whole.
		return now.UTC().Truncate(time.Second), int((d+time.Second-1)/time.Second) + 1, false
	}
}
