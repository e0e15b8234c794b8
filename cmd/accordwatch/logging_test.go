package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// env returns a getenv reading from m.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestSetupLoggerJSONWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	log, err := setupLogger(&buf, "", "", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("hidden")
	log.Info("feed polled", "feed", "https://example.org/feed", "items", 3)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1 (debug hidden at the default level):\n%s", len(lines), buf.String())
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, lines[0])
	}
	if rec["level"] != "INFO" || rec["msg"] != "feed polled" || rec["feed"] != "https://example.org/feed" || rec["items"] != 3.0 {
		t.Errorf("record %v", rec)
	}
}

func TestSetupLoggerFormats(t *testing.T) {
	for _, tc := range []struct {
		flag, env string
		json      bool
	}{
		{"text", "", false},
		{"json", "", true},
		{"", "text", false},
		{"", "JSON", true},
		{"json", "text", true}, // the flag wins
		{"auto", "", true},     // a buffer is not a terminal
	} {
		var buf bytes.Buffer
		log, err := setupLogger(&buf, "", tc.flag, env(map[string]string{envLogFormat: tc.env}))
		if err != nil {
			t.Fatalf("format flag %q env %q: %v", tc.flag, tc.env, err)
		}
		log.Info("hello", "k", "v")
		isJSON := json.Valid(bytes.TrimSpace(buf.Bytes()))
		if isJSON != tc.json {
			t.Errorf("format flag %q env %q: wrote %q, JSON %v, want %v", tc.flag, tc.env, buf.String(), isJSON, tc.json)
		}
		if !tc.json && !strings.Contains(buf.String(), "level=INFO msg=hello k=v") {
			t.Errorf("format flag %q env %q: text %q", tc.flag, tc.env, buf.String())
		}
	}
	if _, err := setupLogger(&bytes.Buffer{}, "", "xml", env(nil)); !errors.Is(err, errUsage) {
		t.Errorf("format xml: %v, want a usage error", err)
	}
}

func TestSetupLoggerLevel(t *testing.T) {
	for _, tc := range []struct {
		flag, env string
		want      []string // messages written, of debug, info, warn, error
	}{
		{"", "", []string{"i", "w", "e"}},
		{"", "debug", []string{"d", "i", "w", "e"}},
		{"", "WARN", []string{"w", "e"}},
		{"error", "debug", []string{"e"}}, // the flag wins
		{"debug", "error", []string{"d", "i", "w", "e"}},
	} {
		var buf bytes.Buffer
		log, err := setupLogger(&buf, tc.flag, "json", env(map[string]string{envLogLevel: tc.env}))
		if err != nil {
			t.Fatalf("level flag %q env %q: %v", tc.flag, tc.env, err)
		}
		log.Debug("d")
		log.Info("i")
		log.Warn("w")
		log.Error("e")
		var got []string
		for line := range strings.Lines(buf.String()) {
			var rec struct{ Msg string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			got = append(got, rec.Msg)
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("level flag %q env %q: wrote %v, want %v", tc.flag, tc.env, got, tc.want)
		}
	}
	if _, err := setupLogger(&bytes.Buffer{}, "", "", env(map[string]string{envLogLevel: "verbose"})); !errors.Is(err, errUsage) {
		t.Errorf("level verbose: %v, want a usage error", err)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{
		"":        slog.LevelInfo,
		"debug":   slog.LevelDebug,
		"DEBUG":   slog.LevelDebug,
		" info ":  slog.LevelInfo,
		"Warn":    slog.LevelWarn,
		"warning": slog.LevelWarn,
		"error":   slog.LevelError,
		"info+2":  slog.LevelInfo + 2,
	} {
		got, err := parseLevel(in)
		if err != nil || got != want {
			t.Errorf("parseLevel(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"verbose", "3", "info+"} {
		if _, err := parseLevel(in); err == nil {
			t.Errorf("parseLevel(%q) succeeded", in)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a regular file is a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) {
		t.Error("a pipe is a terminal")
	}
	// A character device stands in for a terminal; the logger then
	// writes text.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer null.Close()
	if fi, err := null.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("%s is not a character device here", os.DevNull)
	}
	if !isTerminal(null) {
		t.Errorf("%s, a character device, is not taken for a terminal", os.DevNull)
	}
	log, err := setupLogger(null, "", "", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := log.Handler().(*slog.TextHandler); !ok {
		t.Errorf("logger on a character device uses %T, want *slog.TextHandler", log.Handler())
	}
}
