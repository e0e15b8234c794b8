package digest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Formats lists the formats that Write accepts.
var Formats = []string{"md", "json", "csv", "html"}

// CSVHeader is the header row of the CSV format.
//
// A row's kind is "change", "contradiction" or "feed". For a
// contradiction, previous and previous_since are the current stance it
// contradicts, stance and since the stance reported, sources is empty and
// confirmed is "true" or "false"; for a change, confirmed is empty. The
// feed_ columns are empty but in feed rows, one per feed after the changes
// and contradictions (when the feed health is known), which fill only url,
// outlet (the feed's name) and the feed_ columns: feed_status is "healthy",
// "failing" or "not_polled".
var CSVHeader = []string{
	"kind", "actor", "actor_name", "accord", "accord_name",
	"previous", "previous_since", "stance", "since",
	"evidence", "speaker", "url", "outlet", "title", "detected",
	"sources", "confirmed",
	"feed_status", "feed_failures", "feed_last_error", "feed_last_polled", "feed_last_success",
}

// Row kinds of the CSV format.
const (
	csvChange        = "change"
	csvContradiction = "contradiction"
	csvFeed          = "feed"
)

// Write writes d to w in format: "md" (Markdown for people), "json" (the
// Digest as indented JSON), "csv" (one row per change, then one per
// contradiction, then one per feed, with CSVHeader as the first row) or
// "html" (one self-contained page: the stance board, then the changes, the
// contradicting reports and the feed health; see writeHTML). Any other
// format is an error.
func Write(w io.Writer, d Digest, format string) error {
	var err error
	switch format {
	case "md":
		_, err = io.WriteString(w, markdown(d))
	case "json":
		err = writeJSON(w, d)
	case "csv":
		err = writeCSV(w, d)
	case "html":
		err = writeHTML(w, d)
	default:
		return fmt.Errorf("digest: unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("digest: writing %s: %w", format, err)
	}
	return nil
}

func writeJSON(w io.Writer, d Digest) error {
	if d.Changes == nil {
		d.Changes = []Entry{} // "changes": [] rather than null
	}
	if d.Contradictions == nil {
		d.Contradictions = []Contradiction{}
	}
	if d.Board.Accords == nil {
		d.Board.Accords = []BoardAccord{}
	}
	if d.Board.Rows == nil {
		d.Board.Rows = []BoardRow{}
	}
	if d.FeedHealth != nil && d.FeedHealth.Feeds == nil {
		h := *d.FeedHealth
		h.Feeds = []FeedStatus{}
		d.FeedHealth = &h
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

func writeCSV(w io.Writer, d Digest) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, e := range d.Changes {
		row := []string{
			csvChange, e.Actor, e.ActorName, e.Accord, e.AccordName,
			e.Previous, csvTimePtr(e.PreviousSince), e.Stance, csvTime(e.Since),
			e.Evidence, e.Speaker, e.URL, e.Outlet, e.Title, csvTime(e.Detected),
			strconv.Itoa(e.Sources), "",
			"", "", "", "", "",
		}
		if err := writeCSVRow(cw, row); err != nil {
			return err
		}
	}
	for _, e := range d.Contradictions {
		row := []string{
			csvContradiction, e.Actor, e.ActorName, e.Accord, e.AccordName,
			e.Current, csvTimePtr(e.CurrentSince), e.Stance, csvTime(e.Since),
			e.Evidence, e.Speaker, e.URL, e.Outlet, e.Title, csvTime(e.Detected),
			"", strconv.FormatBool(e.Confirmed),
			"", "", "", "", "",
		}
		if err := writeCSVRow(cw, row); err != nil {
			return err
		}
	}
	if d.FeedHealth != nil {
		for _, f := range d.FeedHealth.Feeds {
			row := []string{
				csvFeed, "", "", "", "",
				"", "", "", "",
				"", "", f.URL, f.Name, "", "",
				"", "",
				f.Status, strconv.Itoa(f.Failures), f.LastError, csvTimePtr(f.LastPolled), csvTimePtr(f.LastSuccess),
			}
			if err := writeCSVRow(cw, row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeCSVRow writes row with its cells neutralised (see csvCell).
func writeCSVRow(cw *csv.Writer, row []string) error {
	for i, cell := range row {
		row[i] = csvCell(cell)
	}
	return cw.Write(row)
}

// csvTimePtr formats *t as csvTime does, or "" for nil.
func csvTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return csvTime(*t)
}

// csvTime formats t as RFC 3339, or "" for the zero time.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// csvCell neutralises spreadsheet formula injection: a cell that starts with
// a character that makes spreadsheets evaluate it (= + - @, and tab or
// carriage return, as OWASP advises) gets a leading apostrophe.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// markdown renders d as Markdown.
func markdown(d Digest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# accordwatch digest — %s (%s)\n\n", mdEscape(d.Date), mdEscape(d.Zone))
	flagged := ""
	if n := len(d.Contradictions); n > 0 {
		flagged = " " + plural(n, "contradicting report") + " flagged."
	}
	if len(d.Changes) == 0 {
		fmt.Fprintf(&b, "%s%s\n", mdEscape(noChanges(d.Date)), flagged)
	} else {
		// Group by accord, keeping the order of d.Changes (Build sorts by accord).
		var order []string
		groups := make(map[string][]Entry)
		for _, e := range d.Changes {
			if _, ok := groups[e.Accord]; !ok {
				order = append(order, e.Accord)
			}
			groups[e.Accord] = append(groups[e.Accord], e)
		}
		fmt.Fprintf(&b, "%s on %s.%s\n", plural(len(d.Changes), "stance change"), plural(len(order), "accord"), flagged)

		for _, accord := range order {
			entries := groups[accord]
			b.WriteString("\n## ")
			b.WriteString(named(entries[0].AccordName, accord, false))
			b.WriteString("\n")
			for _, e := range entries {
				b.WriteString("\n")
				writeEntry(&b, e)
			}
		}
	}
	if len(d.Contradictions) > 0 {
		b.WriteString("\n## Contradicting reports\n\n")
		b.WriteString("Reports that contradict an actor's current stance: another polarity, from another outlet, close\n")
		b.WriteString("in time to when the current stance took effect. They are kept, and the current stance stays until\n")
		b.WriteString("another source or a later report confirms the reported one.\n")
		for _, e := range d.Contradictions {
			b.WriteString("\n")
			writeContradiction(&b, e)
		}
	}
	if h := d.FeedHealth; h != nil {
		fmt.Fprintf(&b, "\n## Feed health\n\n%s\n", mdEscape(feedSummary(*h)))
		if failing := h.FailingFeeds(); len(failing) > 0 {
			b.WriteString("\n")
			for _, f := range failing {
				writeFailingFeed(&b, f)
			}
		}
	}
	return b.String()
}

// writeFailingFeed writes one list item: the feed, its last error, how
// many polls failed in a row and when the last one succeeded.
func writeFailingFeed(b *strings.Builder, f FeedStatus) {
	fmt.Fprintf(b, "- %s: %s\n", named(f.Name, f.URL, true), mdEscape(feedFailure(f)))
}

// writeEntry writes one list item: the change, the evidence as a
// blockquote, then speaker, outlet, link, since when and how many sources.
func writeEntry(b *strings.Builder, e Entry) {
	fmt.Fprintf(b, "- %s: ", named(e.ActorName, e.Actor, true))
	if e.Previous != "" {
		fmt.Fprintf(b, "%s → %s", mdEscape(e.Previous), mdEscape(stanceLabel(e.Stance)))
		if e.PreviousSince != nil {
			fmt.Fprintf(b, " (was %s since %s)", mdEscape(e.Previous), e.PreviousSince.Format(dateLayout))
		}
	} else {
		fmt.Fprintf(b, "%s (no earlier stance recorded)", mdEscape(stanceLabel(e.Stance)))
	}
	b.WriteString("\n")
	var more []string
	if !e.Since.IsZero() {
		more = append(more, "Since: "+e.Since.Format(dateLayout))
	}
	if e.Sources > 0 {
		more = append(more, "Sources: "+strconv.Itoa(e.Sources))
	}
	writeReport(b, e.Evidence, e.Speaker, e.Outlet, e.Title, e.URL, more)
}

// writeContradiction writes one list item: the contradicting report, the
// evidence as a blockquote, then speaker, outlet, link and when the report
// speaks for.
func writeContradiction(b *strings.Builder, e Contradiction) {
	fmt.Fprintf(b, "- %s on %s: reported %s, contradicting %s", named(e.ActorName, e.Actor, true),
		named(e.AccordName, e.Accord, false), mdEscape(e.Stance), mdEscape(e.Current))
	if e.CurrentSince != nil {
		fmt.Fprintf(b, " (since %s)", e.CurrentSince.Format(dateLayout))
	}
	if e.Confirmed {
		b.WriteString(" — confirmed later")
	} else {
		b.WriteString(" — unconfirmed")
	}
	b.WriteString("\n")
	var more []string
	if !e.Since.IsZero() {
		more = append(more, "Reported for: "+e.Since.Format(dateLayout))
	}
	writeReport(b, e.Evidence, e.Speaker, e.Outlet, e.Title, e.URL, more)
}

// writeReport writes the evidence of a list item as a blockquote, then a
// line with speaker, outlet, link and the parts in more.
func writeReport(b *strings.Builder, evidence, speaker, outlet, title, rawURL string, more []string) {
	if ev := mdEscape(evidence); ev != "" {
		fmt.Fprintf(b, "\n  > %s\n", ev)
	}

	var parts []string
	if s := mdEscape(speaker); s != "" {
		parts = append(parts, "Speaker: "+s)
	}
	if s := mdEscape(outlet); s != "" {
		parts = append(parts, "Outlet: "+s)
	}
	if link := mdLink(title, rawURL); link != "" {
		parts = append(parts, link)
	}
	parts = append(parts, more...)
	if len(parts) > 0 {
		fmt.Fprintf(b, "\n  %s\n", strings.Join(parts, " · "))
	}
}

// named renders a display name with its id, "**United States** (USA)", or
// the id alone when there is no distinct name.
func named(name, id string, bold bool) string {
	n := mdEscape(name)
	if n == "" {
		n = mdEscape(id)
	}
	if bold {
		n = "**" + n + "**"
	}
	if name != "" && name != id && id != "" {
		n += " (" + mdEscape(id) + ")"
	}
	return n
}

// mdLink renders a link to rawURL titled title. Only absolute http and https
// URLs become links; anything else (javascript:, data:, relative) is shown
// as escaped text.
func mdLink(title, rawURL string) string {
	text := mdEscape(title)
	dest, ok := mdURL(rawURL)
	switch {
	case ok && text != "":
		return "[" + text + "](" + dest + ")"
	case ok:
		return "[" + mdEscape(dest) + "](" + dest + ")"
	case rawURL == "":
		if text == "" {
			return ""
		}
		return "Title: " + text
	case text != "":
		return "Title: " + text + " · URL: " + mdEscape(rawURL)
	default:
		return "URL: " + mdEscape(rawURL)
	}
}

// mdURL returns rawURL as a Markdown link destination if it is an absolute
// http or https URL, with the characters that could end or break the
// destination percent-encoded.
func mdURL(rawURL string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	var b strings.Builder
	for _, r := range u.String() {
		switch {
		case r == '(' || r == ')' || r == '<' || r == '>' || r == '\\' || r == '`' ||
			r == '"' || r == '\'' || r == '[' || r == ']' || r <= ' ' || r == 0x7f:
			fmt.Fprintf(&b, "%%%02X", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// mdSpecial are the characters that mdEscape backslash-escapes anywhere in
// a string: all are ASCII punctuation, which CommonMark lets a backslash
// escape.
const mdSpecial = "\\`*_[]()<>!|~&#{}"

// mdEscape makes s, a string from an article, safe to embed in a line of
// Markdown: line breaks and other control characters become spaces (runs of
// space collapse), Markdown-significant characters are backslash-escaped,
// and a leading marker that would start a block at the beginning of a line
// (a list item, setext underline or ordered-list number) is escaped too.
func mdEscape(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	if s[0] == '-' || s[0] == '+' || s[0] == '=' {
		b.WriteByte('\\')
	}
	// An ordered-list marker is up to 9 digits then "." or ")"; ")" is
	// escaped below, "." only here, as digits cannot be escaped.
	listDot := -1
	if n := leadingDigits(s); n > 0 && n <= 9 && n < len(s) && s[n] == '.' {
		listDot = n
	}
	for i, r := range s {
		if strings.ContainsRune(mdSpecial, r) || i == listDot {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// leadingDigits returns the number of ASCII digits that s starts with.
func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// stanceLabel returns how a change's new stance is shown: "no stance" for
// a correction that left the actor without one (store.Change.Stance "").
func stanceLabel(stance string) string {
	if stance == "" {
		return "no stance"
	}
	return stance
}

// noChanges is what a digest without changes says.
func noChanges(date string) string { return "No stance changes on " + date + "." }

// feedSummary sums up h: "8 feeds healthy / 1 failing".
func feedSummary(h FeedHealth) string {
	s := plural(h.Healthy, "feed") + " healthy / " + strconv.Itoa(h.Failing) + " failing"
	if h.NotPolled > 0 {
		s += " / " + strconv.Itoa(h.NotPolled) + " not polled yet"
	}
	return s + "."
}

// feedFailure describes a failing feed: its last error, the number of
// failed polls in a row and its last success.
func feedFailure(f FeedStatus) string {
	msg := f.LastError
	if msg == "" {
		msg = "unknown error"
	}
	msg += " (" + plural(f.Failures, "failed poll") + " in a row; "
	if f.LastSuccess != nil {
		msg += "last success " + f.LastSuccess.Format("2006-01-02 15:04 MST") + ")"
	} else {
		msg += "never succeeded)"
	}
	return msg
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
