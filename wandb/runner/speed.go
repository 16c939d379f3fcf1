package runner

import "time"

// SpeedWindow is how far back the moving averages of speed look.
const SpeedWindow = 3 * time.Second

// speedSamples bounds the samples a meter keeps: enough for SpeedWindow at
// the engine's default of five reports a second.
const speedSamples = 16

// speedMeter is a ring of (time, bytes) samples.
type speedMeter struct {
	at    [speedSamples]time.Time
	bytes [speedSamples]int64
	n     int // samples held
	last  int // index of the newest sample
}

func (m *speedMeter) reset() { *m = speedMeter{} }

// add records that done bytes were on disk at time at. A count that goes
// back (a restart from zero) starts the meter over; a time that goes back
// (reports of parallel downloads arrive slightly out of order) counts as
// the newest time.
func (m *speedMeter) add(at time.Time, done int64) {
	if m.n > 0 && done < m.bytes[m.last] {
		m.reset()
	}
	if m.n > 0 && at.Before(m.at[m.last]) {
		at = m.at[m.last]
	}
	if m.n > 0 {
		m.last = (m.last + 1) % speedSamples
	}
	m.at[m.last], m.bytes[m.last] = at, done
	m.n = min(m.n+1, speedSamples)
}

// rate returns bytes per second between the oldest sample within
// SpeedWindow of the newest one and the newest one.
func (m *speedMeter) rate() float64 {
	if m.n < 2 {
		return 0
	}
	newest := m.at[m.last]
	oldest := m.last
	for k := 1; k < m.n; k++ {
		i := (m.last - k + speedSamples) % speedSamples
		if newest.Sub(m.at[i]) > SpeedWindow {
			break
		}
		oldest = i
	}
	dt := newest.Sub(m.at[oldest]).Seconds()
	if oldest == m.last || dt <= 0 {
		return 0
	}
	return float64(m.bytes[m.last]-m.bytes[oldest]) / dt
}

// eta returns the time left bytes take at speed, or UnknownETA when known
// is false or the speed is not positive.
func eta(left int64, known bool, speed float64) time.Duration {
	switch {
	case !known:
		return UnknownETA
	case left <= 0:
		return 0
	case speed <= 0:
		return UnknownETA
	}
	secs := float64(left) / speed
	if secs > float64(maxETA/time.Second) {
		return maxETA
	}
	return time.Duration(secs * float64(time.Second)).Round(time.Second)
}

// maxETA caps an ETA, so an absurd size at a crawl cannot overflow a
// time.Duration.
const maxETA = 100 * 365 * 24 * time.Hour
