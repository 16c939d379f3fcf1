package wandb

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// statusError explains an HTTP error answer to what ("downloading",
// "previewing") the run's file name. It names the host that answered (the last hop of
// any redirects) and says the API key was rejected only when the key was
// sent to that host; a refusal without the key is blamed on a signed URL
// only when the URL carries a query (its signature).
func (c *Client) statusError(what, name string, resp *http.Response) error {
	u := resp.Request.URL
	keySent := resp.Request.Header.Get("Authorization") != ""
	code := resp.StatusCode
	var why string
	switch {
	case code == http.StatusUnauthorized && keySent:
		why = "the API key was rejected by " + u.Host
	case (code == http.StatusUnauthorized || code == http.StatusForbidden) && !keySent && u.RawQuery != "" && !c.sameOrigin(u):
		why = "the signed URL was refused by " + u.Host + " (expired?)"
	case code == http.StatusUnauthorized && c.sameOrigin(u):
		why = u.Host + " wants credentials and no API key was sent (a signed URL led there)"
	case code == http.StatusUnauthorized:
		why = u.Host + " wants credentials and no API key was sent (the key goes only to the API host " + c.Host() + ")"
	case code == http.StatusForbidden:
		why = "permission denied by " + u.Host
	case code == http.StatusNotFound:
		why = "not found at " + u.Host
	default:
		why = u.Host + " answered " + http.StatusText(code)
	}
	return &downloadStatusError{what: what, name: name, why: why, Code: code}
}

// downloadStatusError is an HTTP error answer to a download or preview
// request.
type downloadStatusError struct {
	what, name, why string
	Code            int
}

func (e *downloadStatusError) Error() string {
	return fmt.Sprintf("%s %s: %s (HTTP %d)", e.what, e.name, e.why, e.Code)
}

// localError explains a failed local file operation: what failed, the
// cause, then the path, shortened, so that a long path can never push the
// cause off the screen. The cause stays matchable with errors.Is.
func localError(action, path string, err error) error {
	return fmt.Errorf("%s: %w: %s", action, rootErr(err), shortPath(path))
}

// shortReason names the cause of a failed try for Progress.Reason: the
// status of an HTTP answer in words, else the cause GraphQL retries give
// (retryCause: a well-known network failure, or the innermost error's
// text, one printable line without the key).
func (c *Client) shortReason(err error) string {
	if err == nil {
		return ""
	}
	var se *downloadStatusError
	if errors.As(err, &se) {
		return strconv.Itoa(se.Code) + " " + http.StatusText(se.Code)
	}
	return c.retryCause(nil, err)
}
