package main

import (
	"bufio"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sampleEvery is how often a sampler looks at the process: often enough to
// catch the goroutines of a burst, which live for a second or two.
const sampleEvery = 10 * time.Millisecond

// Peaks is what the process held at most during one run. The service, the
// simulator and the load clients share the process, so every figure counts
// all three: an upper bound on the service's own.
type Peaks struct {
	// Goroutines is the largest runtime.NumGoroutine sampled;
	// StartGoroutines the number when the run started.
	Goroutines, StartGoroutines int
	// RSS is the peak resident set size in bytes: VmHWM after it was reset
	// at the start of the run (RSSSinceRun true), else the largest VmRSS
	// sampled. 0 when /proc is not available.
	RSS         int64
	RSSSinceRun bool
}

// sampler tracks Peaks from startSampler until Stop.
type sampler struct {
	goroutines atomic.Int64
	rss        atomic.Int64
	start      int
	hwmReset   bool
	stop       chan struct{}
	done       chan struct{}
	once       sync.Once
}

// startSampler returns the heap to the OS and resets the process's
// resident-set high-water mark (writing 5 to /proc/self/clear_refs, Linux
// 4.0 and later), so that the peaks are this run's, then samples every
// sampleEvery until Stop.
func startSampler() *sampler {
	runtime.GC()
	debug.FreeOSMemory()
	s := &sampler{stop: make(chan struct{}), done: make(chan struct{}), start: runtime.NumGoroutine()}
	s.hwmReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	read := func() {
		raise(&s.goroutines, int64(runtime.NumGoroutine()))
		if v := procStatus("VmRSS"); v > 0 {
			raise(&s.rss, v)
		}
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			read()
			select {
			case <-s.stop:
				read()
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peaks; later calls return the same.
func (s *sampler) Stop() Peaks {
	s.once.Do(func() { close(s.stop); <-s.done })
	p := Peaks{Goroutines: int(s.goroutines.Load()), StartGoroutines: s.start, RSS: s.rss.Load()}
	if s.hwmReset {
		if hwm := procStatus("VmHWM"); hwm > 0 {
			p.RSS, p.RSSSinceRun = max(p.RSS, hwm), true
		}
	}
	return p
}

// raise sets v to max(v, x).
func raise(v *atomic.Int64, x int64) {
	for {
		old := v.Load()
		if x <= old || v.CompareAndSwap(old, x) {
			return
		}
	}
}

// procStatus returns the field of /proc/self/status given in kB (VmRSS,
// VmHWM) in bytes, 0 when unknown.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
