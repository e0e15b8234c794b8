// Package config loads accordwatch's daemon configuration (YAML) and applies
// defaults, environment variables and command-line overrides.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/robfig/cron/v3"

	"github.com/accordwatch/accordwatch/pipeline/digest"
)

// Feed is one feed to poll.
type Feed struct {
	URL  string `yaml:"url"`
	Name string `yaml:"name"`
	// Interval overrides the default polling interval for this feed.
	Interval Duration `yaml:"interval"`
}

// Jobs tunes the work queues. Zero fields take the defaults of package
// work (ack wait 1m, 6 attempts, back-off 10s 30s 2m 10m 30m).
type Jobs struct {
	// AckWait is how long a job may go without news from its worker before
	// another daemon gets it.
	AckWait Duration `yaml:"ack_wait"`
	// MaxAttempts is how many times a job is tried before it becomes a
	// dead letter.
	MaxAttempts int `yaml:"max_attempts"`
	// BackOff is the delay before each new attempt of a failed job.
	BackOff []Duration `yaml:"backoff"`
}

// Digest configures the scheduled digests: at each time of Schedule the
// daemon builds the digest of the previous day in Timezone, writes it in
// each of Formats to OutputDir as digest-YYYY-MM-DD.<format> and publishes
// it on NATS.
type Digest struct {
	// Schedule is a cron expression: five fields (minute, hour, day of
	// month, month, day of week; "0 7 * * *" is every day at 07:00), six
	// with a leading seconds field, or a descriptor such as "@daily" or
	// "@every 1h". Empty disables scheduled digests.
	Schedule string `yaml:"schedule"`
	// Timezone is the IANA zone of Schedule and of the digest's days;
	// empty means the top-level timezone.
	Timezone string `yaml:"timezone"`
	// OutputDir is where the files go; empty means <data_dir>/digests.
	OutputDir string `yaml:"output_dir"`
	// Formats are the formats written, of md, json, csv and html; empty
	// means all four.
	Formats []string `yaml:"formats"`
}

// cronParser parses Digest.Schedule: standard five-field expressions, an
// optional leading seconds field and descriptors.
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses d.Schedule. The zone comes from d.Timezone, so a
// TZ= or CRON_TZ= prefix is an error.
func (d Digest) ParseSchedule() (_ cron.Schedule, err error) {
	spec := strings.TrimSpace(d.Schedule)
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("schedule %q: set digest.timezone instead of a TZ= prefix", d.Schedule)
	}
	defer func() {
		// cron's parser panics on some malformed input.
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule %q: %v", d.Schedule, r)
		}
	}()
	s, err := cronParser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", d.Schedule, err)
	}
	return s, nil
}

// Config is the daemon's configuration.
type Config struct {
	// DataDir holds the embedded NATS store and the default SQLite file.
	DataDir string `yaml:"data_dir"`
	// Timezone is the IANA zone of digest days.
	Timezone string `yaml:"timezone"`
	NATS     struct {
		// URL of an external NATS server; empty starts an embedded one.
		URL string `yaml:"url"`
		// Listen is the embedded server's client address.
		Listen string `yaml:"listen"`
	} `yaml:"nats"`
	Store struct {
		// DSN of the store; empty uses DataDir/accordwatch.db (SQLite).
		DSN string `yaml:"dsn"`
	} `yaml:"store"`
	HTTP struct {
		UserAgent      string   `yaml:"user_agent"`
		Timeout        Duration `yaml:"timeout"`
		ConnectTimeout Duration `yaml:"connect_timeout"`
		MaxBodyBytes   int64    `yaml:"max_body_bytes"`
		// HostConcurrency is the number of requests in flight to one
		// host at once.
		HostConcurrency int `yaml:"host_concurrency"`
		// HostDelay is the minimum time between the starts of two
		// requests to one host; negative for none.
		HostDelay Duration `yaml:"host_delay"`
		// RobotsTxt makes article pages honour their site's robots.txt.
		// Feeds are fetched regardless. Default true.
		RobotsTxt bool `yaml:"robots_txt"`
		// AllowPrivateAddresses allows connections to loopback, private,
		// link-local and other non-public addresses.
		AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
	} `yaml:"http"`
	// PollInterval is the default time between two polls of a feed.
	PollInterval Duration `yaml:"poll_interval"`
	// Workers is the number of articles processed at once.
	Workers int `yaml:"workers"`
	// Jobs tunes the work queues that daemons sharing NATS take feed polls
	// and items from.
	Jobs Jobs `yaml:"jobs"`
	// Schedule bounds how the polling interval adapts to each feed's
	// publishing rate and backs off when a feed fails.
	Schedule struct {
		// MinInterval and MaxInterval bound the adapted interval
		// (defaults 5m and 6h).
		MinInterval Duration `yaml:"min_interval"`
		MaxInterval Duration `yaml:"max_interval"`
		// MaxBackoff caps the wait after failures; a failing feed is
		// retried at that interval for ever (default 6h).
		MaxBackoff Duration `yaml:"max_backoff"`
	} `yaml:"schedule"`
	// Metrics configures the HTTP endpoint of Prometheus metrics,
	// /healthz and /readyz.
	Metrics struct {
		// Addr is the listen address (":9464"); empty disables it.
		Addr string `yaml:"addr"`
	} `yaml:"metrics"`
	// Digest configures the scheduled digests.
	Digest Digest `yaml:"digest"`
	Feeds  []Feed `yaml:"feeds"`
}

// Duration is a time.Duration written as "15m" in YAML.
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(b []byte) error {
	var s string
	if err := yaml.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Default returns a configuration with every default set and no feeds.
func Default() Config {
	var c Config
	c.presetDefaults()
	c.applyDefaults()
	return c
}

// presetDefaults sets the defaults that are not zero values, such as
// booleans that default to true. Parse applies them before decoding, so
// that a value written in the file, even false, is kept.
func (c *Config) presetDefaults() {
	c.HTTP.RobotsTxt = true
}

func (c *Config) applyDefaults() {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.NATS.Listen == "" {
		c.NATS.Listen = "127.0.0.1:4222"
	}
	if c.PollInterval == 0 {
		c.PollInterval = Duration(15 * time.Minute)
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.HTTP.Timeout == 0 {
		c.HTTP.Timeout = Duration(30 * time.Second)
	}
	if c.HTTP.ConnectTimeout == 0 {
		c.HTTP.ConnectTimeout = Duration(10 * time.Second)
	}
	if c.HTTP.MaxBodyBytes == 0 {
		c.HTTP.MaxBodyBytes = 10 << 20
	}
	if c.HTTP.HostConcurrency == 0 {
		c.HTTP.HostConcurrency = 2
	}
	if c.HTTP.HostDelay == 0 {
		c.HTTP.HostDelay = Duration(time.Second)
	}
	if len(c.Digest.Formats) == 0 {
		c.Digest.Formats = slices.Clone(digest.Formats)
	}
}

// Parse reads a configuration from YAML and applies defaults.
func Parse(b []byte) (Config, error) {
	var c Config
	c.presetDefaults()
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.Strict()); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	// A document without any key (empty, or only comments) decodes as a
	// zero Config, presets included.
	var keys map[string]any
	if err := yaml.Unmarshal(b, &keys); err == nil && len(keys) == 0 {
		c.presetDefaults()
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Load reads the configuration file at path.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: reading %s: %w", path, err)
	}
	c, err := Parse(b)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Validate checks feed URLs, the time zones, the intervals, the HTTP
// limits and the digest schedule and formats.
func (c Config) Validate() error {
	var errs []error
	if c.HTTP.HostConcurrency < 0 {
		errs = append(errs, fmt.Errorf("config: http.host_concurrency: %d is negative", c.HTTP.HostConcurrency))
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("config: timezone %q: %w", c.Timezone, err))
	}
	seen := map[string]bool{}
	for i, f := range c.Feeds {
		u, err := url.Parse(f.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: feeds[%d]: %q is not an http(s) URL", i, f.URL))
		}
		if seen[f.URL] {
			errs = append(errs, fmt.Errorf("config: feeds[%d]: %s listed twice", i, f.URL))
		}
		seen[f.URL] = true
		if f.Interval < 0 {
			errs = append(errs, fmt.Errorf("config: feeds[%d]: negative interval", i))
		}
	}
	if c.Digest.Schedule != "" {
		if s, err := c.Digest.ParseSchedule(); err != nil {
			errs = append(errs, fmt.Errorf("config: digest.%w", err))
		} else if s.Next(time.Now()).IsZero() {
			errs = append(errs, fmt.Errorf("config: digest.schedule %q: never due", c.Digest.Schedule))
		}
	}
	if z := c.Digest.Timezone; z != "" {
		if _, err := time.LoadLocation(z); err != nil {
			errs = append(errs, fmt.Errorf("config: digest.timezone %q: %w", z, err))
		}
	}
	for i, f := range c.Digest.Formats {
		if !slices.Contains(digest.Formats, f) {
			errs = append(errs, fmt.Errorf("config: digest.formats[%d]: unknown format %q (want %s)", i, f, strings.Join(digest.Formats, ", ")))
		} else if slices.Index(c.Digest.Formats, f) < i {
			errs = append(errs, fmt.Errorf("config: digest.formats[%d]: %s listed twice", i, f))
		}
	}
	return errors.Join(errs...)
}

// Location returns the configured time zone.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// DigestLocation returns the time zone of the scheduled digests:
// digest.timezone, or the top-level timezone.
func (c Config) DigestLocation() *time.Location {
	if c.Digest.Timezone == "" {
		return c.Location()
	}
	loc, err := time.LoadLocation(c.Digest.Timezone)
	if err != nil {
		return c.Location()
	}
	return loc
}

// DigestDir returns the directory of the scheduled digests, defaulting to
// "digests" in DataDir.
func (c Config) DigestDir() string {
	if c.Digest.OutputDir != "" {
		return c.Digest.OutputDir
	}
	return filepath.Join(c.DataDir, "digests")
}

// StoreDSN returns the store DSN, defaulting to a SQLite file in DataDir.
func (c Config) StoreDSN() string {
	if c.Store.DSN != "" {
		return c.Store.DSN
	}
	return filepath.Join(c.DataDir, "accordwatch.db")
}

// Interval returns the polling interval of f.
func (c Config) Interval(f Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval.D()
	}
	return c.PollInterval.D()
}

// ApplyEnv overrides the NATS URL, store DSN and metrics address from
// ACCORDWATCH_NATS_URL, ACCORDWATCH_DB and ACCORDWATCH_METRICS_ADDR when
// they are set.
func (c *Config) ApplyEnv(getenv func(string) string) {
	if v := getenv("ACCORDWATCH_NATS_URL"); v != "" {
		c.NATS.URL = v
	}
	if v := getenv("ACCORDWATCH_DB"); v != "" {
		c.Store.DSN = v
	}
	if v, ok := lookup(getenv, "ACCORDWATCH_METRICS_ADDR"); ok {
		c.Metrics.Addr = v
	}
}

// lookup returns getenv(name) and whether it is set; "-" stands for an
// empty value (ACCORDWATCH_METRICS_ADDR=- disables the endpoint).
func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	if v == "" {
		return "", false
	}
	if v == "-" {
		return "", true
	}
	return v, true
}
