package wandb

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/url"
	"syscall"
	"testing"
)

// TestRetryableError is the classification both GraphQL calls and
// downloads use: failures that may heal are retried, the others not.
func TestRetryableError(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Get", URL: "https://h/x", Err: err} }
	for err, want := range map[error]bool{
		wrap(syscall.ECONNRESET):                    true,
		wrap(syscall.ECONNREFUSED):                  true,
		fmt.Errorf("body: %w", io.ErrUnexpectedEOF): true,
		errStalled:                true,
		wrap(errTooManyRedirects): false,
		wrap(errRedirectScheme):   false,
		wrap(errors.New(`unsupported protocol scheme "ftp"`)):                               false,
		wrap(errors.New("http: server gave HTTP response to HTTPS client")):                 false,
		wrap(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}): false,
		wrap(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}):          false,
		wrap(x509.HostnameError{Host: "h"}):                                                 false,
		context.Canceled:                                                                    false,
	} {
		if got := retryableError(err); got != want {
			t.Errorf("retryableError(%v) = %v, want %v", err, got, want)
		}
	}
}
