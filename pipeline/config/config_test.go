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
	if d := c.Digest; d.Schedule != "0 7 * * *" || c.DigestDir() != "./data/digests" || len(d.Formats) != 4 || c.DigestLocation().String() != c.Location().String() {
		t.Errorf("shipped digest settings: %+v", d)
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

func TestDigestKeys(t *testing.T) {
	c := Default()
	if c.Digest.Schedule != "" || strings.Join(c.Digest.Formats, ",") != "md,json,csv,html" ||
		c.DigestDir() != filepath.Join("data", "digests") || c.DigestLocation().String() != "UTC" {
		t.Errorf("digest defaults: %+v, dir %q, zone %v", c.Digest, c.DigestDir(), c.DigestLocation())
	}

	c, err := Parse([]byte("timezone: Europe/Paris\ndigest:\n  schedule: \"0 7 * * *\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.DigestLocation().String() != "Europe/Paris" {
		t.Errorf("digest zone = %v, want the top-level timezone", c.DigestLocation())
	}
	c, err = Parse([]byte(`timezone: Europe/Paris
data_dir: /var/lib/accordwatch
digest:
  schedule: "30 6 * * 1-5"
  timezone: America/New_York
  output_dir: /srv/digests
  formats: [html, md]
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.DigestLocation().String() != "America/New_York" || c.DigestDir() != "/srv/digests" || strings.Join(c.Digest.Formats, ",") != "html,md" {
		t.Errorf("digest keys not applied: %+v", c.Digest)
	}
	sched, err := c.Digest.ParseSchedule()
	if err != nil {
		t.Fatal(err)
	}
	ny := c.DigestLocation()
	// Friday 2026-11-27 07:00 in New York: next is Monday 06:30 there.
	if got, want := sched.Next(time.Date(2026, 11, 27, 7, 0, 0, 0, ny)), time.Date(2026, 11, 30, 6, 30, 0, 0, ny); !got.Equal(want) {
		t.Errorf("next run = %v, want %v", got, want)
	}

	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 26, 7, 0, 0, 0, brussels) // on the hour: the next is the day after
	for spec, want := range map[string]time.Time{
		"0 7 * * *":       time.Date(2026, 11, 27, 7, 0, 0, 0, brussels),
		"@daily":          time.Date(2026, 11, 27, 0, 0, 0, 0, brussels),
		"@every 1s":       from.Add(time.Second),
		"*/15 * * * * *":  from.Add(15 * time.Second), // with seconds
		" 0 7 * * * ":     time.Date(2026, 11, 27, 7, 0, 0, 0, brussels),
		"0 0 7 * * *":     time.Date(2026, 11, 27, 7, 0, 0, 0, brussels),
		"@every 2h30m":    from.Add(150 * time.Minute),
		"0 7 29 2 *":      time.Date(2028, 2, 29, 7, 0, 0, 0, brussels),
		"0 7 * * MON-FRI": time.Date(2026, 11, 27, 7, 0, 0, 0, brussels),
	} {
		s, err := Digest{Schedule: spec}.ParseSchedule()
		if err != nil {
			t.Errorf("%q: %v", spec, err)
			continue
		}
		if got := s.Next(from); !got.Equal(want) {
			t.Errorf("%q: next after %v = %v, want %v", spec, from, got, want)
		}
	}
}

func TestDigestErrors(t *testing.T) {
	for name, in := range map[string]string{
		"bad minute":      "digest:\n  schedule: \"61 7 * * *\"\n",
		"too few fields":  "digest:\n  schedule: \"7 * *\"\n",
		"too many fields": "digest:\n  schedule: \"0 0 7 * * * *\"\n",
		"bad descriptor":  "digest:\n  schedule: \"@sometimes\"\n",
		"bad every":       "digest:\n  schedule: \"@every soon\"\n",
		"TZ prefix":       "digest:\n  schedule: \"TZ=Europe/Paris 0 7 * * *\"\n",
		"CRON_TZ":         "digest:\n  schedule: \"CRON_TZ=UTC 0 7 * * *\"\n",
		"bare TZ":         "digest:\n  schedule: \"TZ=UTC\"\n",
		"never":           "digest:\n  schedule: \"0 7 30 2 *\"\n",
		"bad zone":        "digest:\n  timezone: Europe/Atlantis\n",
		"unknown format":  "digest:\n  formats: [md, pdf]\n",
		"twice":           "digest:\n  formats: [md, html, md]\n",
		"unknown key":     "digest:\n  shedule: \"0 7 * * *\"\n",
	} {
		_, err := Parse([]byte(in))
		if err == nil {
			t.Errorf("%s: Parse accepted %q", name, in)
			continue
		}
		if !strings.Contains(err.Error(), "digest") && name != "unknown key" {
			t.Errorf("%s: error %q does not name the digest key", name, err)
		}
	}
}
