package main

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
)

// Environment variables read by setupLogger; flags take precedence.
const (
	// envLogLevel is debug, info, warn or error.
	envLogLevel = "ACCORDWATCH_LOG_LEVEL"
	// envLogFormat is auto, text or json.
	envLogFormat = "ACCORDWATCH_LOG_FORMAT"
)

// setupLogger returns the logger of a long-running command, writing to w
// (normally os.Stderr).
//
// level is debug, info, warn or error (any case; slog's "info+2" form is
// accepted too); format is auto, text or json. An empty argument is read
// from ACCORDWATCH_LOG_LEVEL or ACCORDWATCH_LOG_FORMAT through getenv
// instead, and defaults to info and auto. With auto, the logger writes
// text if w is a terminal and JSON lines otherwise (a file, a pipe, a log
// collector).
func setupLogger(w io.Writer, level, format string, getenv func(string) string) (*slog.Logger, error) {
	if level == "" {
		level = getenv(envLogLevel)
	}
	if format == "" {
		format = getenv(envLogFormat)
	}
	lvl, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "auto":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("%w: log format %q: want auto, text or json", errUsage, format)
}

// parseLevel parses a log level; empty means info.
func parseLevel(s string) (slog.Level, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return slog.LevelInfo, nil
	case "warning":
		return slog.LevelWarn, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%w: log level %q: want debug, info, warn or error", errUsage, s)
	}
	return l, nil
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Stat() (fs.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&fs.ModeCharDevice != 0
}
