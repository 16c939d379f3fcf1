package tui

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/wbfiles/wbfiles/internal/termtext"

	"github.com/wbfiles/wbfiles/wandb"
)

// textExtensions are previewed whatever mimetype the server reports.
var textExtensions = map[string]bool{
	".txt": true, ".md": true, ".py": true, ".yaml": true, ".yml": true, ".json": true,
	".jsonl": true, ".log": true, ".csv": true, ".tsv": true, ".patch": true, ".diff": true,
	".toml": true, ".cfg": true, ".ini": true, ".sh": true, ".xml": true, ".html": true,
	".js": true, ".ts": true, ".go": true, ".rs": true, ".c": true, ".h": true, ".cpp": true,
	".ipynb": true, ".svg": true, ".rst": true, ".env": true,
}

// previewable reports whether f looks like text by type or extension.
func previewable(f wandb.File) bool {
	mt := strings.ToLower(f.Mimetype)
	if strings.HasPrefix(mt, "text/") {
		return true
	}
	for _, s := range []string{"json", "yaml", "xml", "javascript", "x-sh", "toml"} {
		if strings.Contains(mt, s) {
			return true
		}
	}
	return textExtensions[strings.ToLower(path.Ext(f.Name))]
}

// noPreviewReason says why a file is not previewed.
func noPreviewReason(f wandb.File) string {
	return fmt.Sprintf("binary file (%s): no preview", orUnknown(f.Mimetype))
}

// renderPreview turns the fetched bytes into viewport text: JSON pretty
// printed, control characters removed so the file cannot drive the
// terminal, and a note of how much was shown.
func renderPreview(f wandb.File, p previewFetchedMsg) string {
	if p.err != nil {
		return "no preview: " + termtext.Line(p.err.Error())
	}
	body := p.body
	if looksBinary(body) {
		return noPreviewReason(f)
	}
	if isJSON(f) && !p.truncated {
		var out bytes.Buffer
		if json.Indent(&out, body, "", "  ") == nil {
			body = out.Bytes()
		}
	}
	text := termtext.Block(string(body))
	note := fmt.Sprintf("(whole file, %s)", termtext.Bytes(int64(len(p.body))))
	if p.truncated {
		note = fmt.Sprintf("(first %s", termtext.Bytes(int64(len(p.body))))
		if f.SizeKnown() {
			note += " of " + termtext.Bytes(f.SizeBytes)
		}
		note += ")"
	}
	if len(p.body) == 0 {
		return "(empty file)"
	}
	return text + "\n" + note
}

func isJSON(f wandb.File) bool {
	return strings.Contains(strings.ToLower(f.Mimetype), "json") || strings.EqualFold(path.Ext(f.Name), ".json")
}

// looksBinary reports NUL bytes or invalid UTF-8 beyond a rune cut off at
// the end of a truncated preview.
func looksBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	if len(b) > utf8.UTFMax {
		return !utf8.Valid(b[:len(b)-utf8.UTFMax])
	}
	return !utf8.Valid(b)
}

// md5Hex converts W&B's base64 md5 to the hex form tools print.
func md5Hex(b64 string) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != 16 {
		return "", false
	}
	return hex.EncodeToString(raw), true
}

// shortenSigned keeps a signed URL readable: long query values (the
// signature, credentials) are cut to their ends.
func shortenSigned(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery == "" {
		return raw
	}
	var parts []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if len(v) > 16 {
			v = v[:6] + "…" + v[len(v)-4:]
		}
		parts = append(parts, k+"="+v)
	}
	u.RawQuery = ""
	return u.String() + "?" + strings.Join(parts, "&")
}
