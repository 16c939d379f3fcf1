package termtext

import (
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
)

// Bytes is a byte count in binary units ("1.2 GiB"); negative counts read
// as 0.
func Bytes(n int64) string { return humanize.IBytes(uint64(max(n, 0))) }

// Speed is a rate in bytes per second ("2.1 MiB/s").
func Speed(bps float64) string { return Bytes(int64(bps)) + "/s" }

// Comma is n with thousands separators ("20,484").
func Comma(n int64) string { return humanize.Comma(n) }

// Count words a count of things: "1 file", "1,234 files".
func Count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Comma(int64(n)) + " " + word + "s"
}

// Duration is a short time left: "12s", "3m05s", "2h03m".
func Duration(t time.Duration) string {
	t = t.Round(time.Second)
	switch {
	case t < time.Minute:
		return fmt.Sprintf("%ds", int(t.Seconds()))
	case t < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(t.Minutes()), int(t.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(t.Hours()), int(t.Minutes())%60)
}

// Ago is a relative time ("3 days ago"), or "?" for an unknown time.
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "?"
	}
	return humanize.RelTime(t, now, "ago", "from now")
}

// Size words a total of known sizes and a count of unknown ones: "1.2 GiB",
// "1.2 GiB + 3 of unknown size", "size unknown".
func Size(known int64, unknown int) string {
	if unknown > 0 && known == 0 {
		return "size unknown"
	}
	text := Bytes(known)
	if unknown > 0 {
		text += " + " + Comma(int64(unknown)) + " of unknown size"
	}
	return text
}

// AtLeast marks a count or size as a lower bound ("≥ 1,204 files") unless
// it is exact: what a folder holds over the pages loaded so far.
func AtLeast(s string, exact bool) string {
	if exact {
		return s
	}
	return "≥ " + s
}
