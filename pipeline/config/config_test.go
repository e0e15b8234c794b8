package config

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestShippedConfigLoads(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "configs", "accordwatch.yaml")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Feeds) < 5 {
		t.Errorf("shipped config lists %d feeds, want at least 5", len(c.Feeds))
	}
	if c.NATS.Listen != "127.0.0.1:4222" || c.PollInterval.D() != 15*time.Minute {
		t.Errorf("defaults not as documented: %+v", c)
	}
	if h := c.HTTP; h.HostConcurrency != 2 || h.HostDelay.D() != time.Second || !h.RobotsTxt || h.AllowPrivateAddresses {
		t.Errorf("shipped HTTP politeness settings not the defaults: %+v", h)
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"bad url":      "feeds:\n  - url: ftp://example.org/feed\n",
		"twice":        "feeds:\n  - url: http://a/x\n  - url: http://a/x\n",
		"bad zone":     "timezone: Mars/Olympus\n",
		"bad duration": "poll_interval: soon\n",
		"unknown key":  "pol_interval: 5m\n",
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: Parse accepted %q", name, in)
		}
	}
}

func TestOverrides(t *testing.T) {
	c, err := Parse([]byte("feeds:\n  - url: https://example.org/feed\n    interval: 1h\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Interval(c.Feeds[0]); got != time.Hour {
		t.Errorf("feed interval = %v, want 1h", got)
	}
	if got := c.StoreDSN(); !strings.HasSuffix(got, "accordwatch.db") {
		t.Errorf("default DSN = %q", got)
	}
	env := map[string]string{"ACCORDWATCH_NATS_URL": "nats://x:4222", "ACCORDWATCH_DB": "/tmp/x.db"}
	c.ApplyEnv(func(k string) string { return env[k] })
	if c.NATS.URL != "nats://x:4222" || c.StoreDSN() != "/tmp/x.db" {
		t.Errorf("env not applied: %q %q", c.NATS.URL, c.StoreDSN())
	}
}

func TestHTTPPolitenessKeys(t *testing.T) {
	check := func(name string, c Config, conc int, delay time.Duration, robots, private bool) {
		t.Helper()
		h := c.HTTP
		if h.HostConcurrency != conc || h.HostDelay.D() != delay || h.RobotsTxt != robots || h.AllowPrivateAddresses != private {
			t.Errorf("%s: host_concurrency %d, host_delay %v, robots_txt %v, allow_private_addresses %v; want %d, %v, %v, %v",
				name, h.HostConcurrency, h.HostDelay.D(), h.RobotsTxt, h.AllowPrivateAddresses, conc, delay, robots, private)
		}
	}
	check("Default", Default(), 2, time.Second, true, false)
	for name, in := range map[string]string{
		"empty file":        "",
		"only comments":     "# nothing set\n",
		"empty http":        "http:\n",
		"other http keys":   "http:\n  timeout: 5s\n",
		"explicit defaults": "http:\n  host_concurrency: 2\n  host_delay: 1s\n  robots_txt: true\n  allow_private_addresses: false\n",
	} {
		c, err := Parse([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check(name, c, 2, time.Second, true, false)
	}
	c, err := Parse([]byte("http:\n  host_concurrency: 5\n  host_delay: 250ms\n  robots_txt: false\n  allow_private_addresses: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	check("set", c, 5, 250*time.Millisecond, false, true)
	c, err = Parse([]byte("http:\n  host_delay: -1s\n"))
	if err != nil {
		t.Fatal(err)
	}
	check("no delay", c, 2, -time.Second, true, false)
	if _, err := Parse([]byte("http:\n  host_concurrency: -1\n")); err == nil {
		t.Error("negative host_concurrency accepted")
	}
}
