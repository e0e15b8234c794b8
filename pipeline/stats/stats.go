// Package stats counts what the daemon does and what goes wrong, by name.
package stats

import (
	"maps"
	"sync"
)

// Counters is a set of named counters, safe for concurrent use.
type Counters struct {
	mu sync.Mutex
	m  map[string]int64
}

// Inc adds one to the counter name.
func (c *Counters) Inc(name string) { c.Add(name, 1) }

// Add adds n to the counter name.
func (c *Counters) Add(name string, n int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]int64{}
	}
	c.m[name] += n
	c.mu.Unlock()
}

// Get returns the value of the counter name.
func (c *Counters) Get(name string) int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name]
}

// Snapshot returns a copy of every counter.
func (c *Counters) Snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.m)
}
