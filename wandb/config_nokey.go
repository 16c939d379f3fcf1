package wandb

import (
	"fmt"
	"strings"
)

// NoAPIKeyError is LoadConfigWith's error when it found no key: it says
// which host the key was for and which netrc file was looked at. It is
// ErrNoAPIKey for errors.Is, and never holds a key.
type NoAPIKeyError struct {
	Host string // the API host[:port] whose key was looked for
	Base string // the API base URL, for the `wandb login --host` hint
	// Netrc is the netrc file that was read, or the one looked for when
	// NetrcFound is false ("" when there was no home folder either).
	Netrc      string
	NetrcFound bool
	// FromURL is true when Host came from a run URL, whose key is only
	// taken from its own netrc entry; EnvKeySet says that WANDB_API_KEY
	// was set and left unused for that reason.
	FromURL, EnvKeySet bool
}

// Is makes errors.Is(err, ErrNoAPIKey) true.
func (e *NoAPIKeyError) Is(target error) bool { return target == ErrNoAPIKey }

func (e *NoAPIKeyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no W&B API key for %s", e.Host)
	if e.FromURL {
		b.WriteString(" (the run URL's host)")
	}
	b.WriteString(": ")
	if !e.FromURL {
		b.WriteString(EnvAPIKey + " is not set and ")
	}
	switch {
	case e.NetrcFound:
		fmt.Fprintf(&b, "the netrc file %s has no password for machine %s", e.Netrc, e.Host)
	case e.Netrc != "":
		fmt.Fprintf(&b, "there is no netrc file %s", e.Netrc)
	default:
		b.WriteString("there is no home folder to find a netrc file in")
	}
	login := "`wandb login`"
	if e.Base != DefaultBaseURL {
		login = "`wandb login --host " + e.Base + "`"
	}
	if !e.FromURL {
		fmt.Fprintf(&b, "; set %s or run %s", EnvAPIKey, login)
		return b.String()
	}
	fmt.Fprintf(&b, "; run %s, or set %s=%s to use %s with it", login, EnvBaseURL, e.Base, EnvAPIKey)
	if e.EnvKeySet {
		fmt.Fprintf(&b, " (%s is sent only to the host of %s, %s by default)", EnvAPIKey, EnvBaseURL, DefaultBaseURL)
	}
	return b.String()
}
