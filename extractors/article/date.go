package article

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the timestamp formats found in article metadata, most
// specific first. time.Parse accepts fractional seconds after the seconds
// field even when a layout does not mention them.
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon Jan 2 2006 15:04:05 GMT-0700",
	"January 2, 2006 3:04 PM",
	"January 2, 2006, 3:04 PM",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"2 January 2006 15:04",
	"2 January 2006",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"Monday, January 2, 2006",
	"Monday, 2 January 2006",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"02.01.2006, 15:04",
	"02.01.2006",
	"2.1.2006",
}

// isoDateRe finds an ISO-8601 calendar date, optionally with a time, inside a
// longer string such as "Published 2024-05-03T15:47:42+02:00 by ...".
var isoDateRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`)

// parseDate parses s in any of the formats commonly used for publication
// dates. It returns the zero time if s is not recognised or is implausible.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(collapseSpace(s))
	if s == "" {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return plausible(t)
		}
	}
	// "+0200" offsets without colon and a trailing "Z" on a space-separated
	// value are handled by the layouts; what is left are Unix timestamps
	// and dates embedded in prose.
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		switch {
		case n > 1e11 && n < 1e14: // milliseconds
			return plausible(time.UnixMilli(n).UTC())
		case n > 1e8 && n < 1e11:
			return plausible(time.Unix(n, 0).UTC())
		}
		return time.Time{}
	}
	if m := isoDateRe.FindString(s); m != "" && m != s {
		return parseDate(m)
	}
	return time.Time{}
}

// plausible returns t if it could be a publication date of a web page and
// the zero time otherwise.
func plausible(t time.Time) time.Time {
	if t.Year() < 1990 || t.After(time.Now().AddDate(1, 0, 0)) {
		return time.Time{}
	}
	return t
}
