package digest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/accordwatch/accordwatch/store"
)

func paris(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatalf("loading Europe/Paris: %v", err)
	}
	return loc
}

var testNames = map[string]string{
	"actor/USA":                            "United States",
	"actor/BRA":                            "Brazil",
	"accord/pall-mall-process":             "Pall Mall Process",
	"accord/counter-ransomware-initiative": "Counter Ransomware Initiative",
}

func names(kind, id string) string { return testNames[kind+"/"+id] }

const (
	hostileTitle    = "Brazil joins <script>alert(1)</script> [click](javascript:alert(1)) *now*"
	hostileEvidence = "“We sign.”\n# Not a heading\n- not a list\r\n<img src=x onerror=alert(1)> `code` _em_ ![i](http://x/i.png)"
	hostileSpeaker  = "=HYPERLINK(\"http://evil.example\",\"x\")"
	hostileOutlet   = "@Harbour_Ledger | +1"
)

// fixture returns changes with hostile strings from articles, out of order.
func fixture(t *testing.T) []store.Change {
	t.Helper()
	loc := paris(t)
	return []store.Change{
		{
			ID: "chg-2", Actor: "USA", Accord: "counter-ransomware-initiative",
			Stance:   "declined",
			Since:    time.Date(2026, 11, 26, 9, 0, 0, 0, loc),
			Detected: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC),
			Sources:  1,
			Evidence: "-1 The United States declined to sign.", Speaker: "-Ann Lee",
			URL: "javascript:alert(1)", Outlet: "Cyber Policy Wire", Title: "US stays out",
		},
		{
			ID: "chg-1", Actor: "BRA", Accord: "pall-mall-process",
			Previous: "declined", PreviousSince: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC),
			Stance:   "signed",
			Since:    time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
			Sources:  3,
			Detected: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC),
			Evidence: hostileEvidence, Speaker: hostileSpeaker,
			URL:    "https://harbour.example/a/(brazil)?q=<x>",
			Outlet: hostileOutlet, Title: hostileTitle,
		},
		{
			ID: "chg-3", Actor: "microsoft", Accord: "counter-ransomware-initiative",
			Stance:   "supports",
			Detected: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
			Evidence: "1. Microsoft backs it.",
		},
	}
}

// contradictionsFixture returns contradictions with hostile strings, out
// of order.
func contradictionsFixture() []store.Contradiction {
	return []store.Contradiction{
		{
			ID: "con-2", Actor: "USA", Accord: "pall-mall-process",
			Current: "signed", CurrentSince: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
			Stance: "opposes", Since: time.Date(2026, 11, 26, 7, 0, 0, 0, time.UTC),
			Detected: time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC),
			Evidence: "=cmd|' /C calc'!A0 <b>opposes</b>", Speaker: "+Spokesperson",
			URL: "https://wire.example/usa", Outlet: "Cyber Policy Wire", Title: "US [opposes](javascript:x)",
			ConfirmedBy: "chg-obs-9",
		},
		{
			ID: "con-1", Actor: "BRA", Accord: "pall-mall-process",
			Current: "declined", CurrentSince: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC),
			Stance: "signed", Since: time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC),
			Detected: time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
			Evidence: "Brazil signed the code.", URL: "data:text/html,<script>x</script>", Outlet: "The Meridian Tribune",
			Title: "Brazil joins",
		},
	}
}

func build(t *testing.T) Digest {
	t.Helper()
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	return Build("2026-11-26", paris(t), fixture(t), contradictionsFixture(), names, now)
}

func TestBuild(t *testing.T) {
	d := build(t)
	if d.Date != "2026-11-26" || d.Zone != "Europe/Paris" {
		t.Errorf("Date, Zone = %q, %q", d.Date, d.Zone)
	}
	var got []string
	for _, e := range d.Changes {
		got = append(got, e.Accord+"/"+e.Actor)
	}
	want := []string{"counter-ransomware-initiative/microsoft", "counter-ransomware-initiative/USA", "pall-mall-process/BRA"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("order = %v, want %v", got, want)
	}
	bra := d.Changes[2]
	if bra.ActorName != "Brazil" || bra.AccordName != "Pall Mall Process" {
		t.Errorf("names = %q, %q", bra.ActorName, bra.AccordName)
	}
	if bra.PreviousSince == nil || bra.PreviousSince.Location().String() != "Europe/Paris" {
		t.Errorf("PreviousSince = %v, want a time in Europe/Paris", bra.PreviousSince)
	}
	if ms := d.Changes[0]; ms.ActorName != "microsoft" || ms.PreviousSince != nil || !ms.Since.IsZero() {
		t.Errorf("microsoft entry = %+v, want id as name, nil PreviousSince, zero Since", ms)
	}

	if bra.Sources != 3 || d.Changes[1].Sources != 1 {
		t.Errorf("Sources = %d, %d; want 3, 1", bra.Sources, d.Changes[1].Sources)
	}

	// Contradictions are ordered as changes are, by accord then detection.
	if len(d.Contradictions) != 2 {
		t.Fatalf("got %d contradictions, want 2", len(d.Contradictions))
	}
	k := d.Contradictions[0]
	if k.Actor != "BRA" || k.ActorName != "Brazil" || k.AccordName != "Pall Mall Process" || k.Confirmed ||
		k.Current != "declined" || k.Stance != "signed" {
		t.Errorf("first contradiction = %+v, want Brazil's, unconfirmed", k)
	}
	if k.CurrentSince == nil || k.CurrentSince.Location().String() != "Europe/Paris" || k.Since.Location().String() != "Europe/Paris" {
		t.Errorf("contradiction times = %v, %v; want times in Europe/Paris", k.CurrentSince, k.Since)
	}
	if !d.Contradictions[1].Confirmed {
		t.Errorf("second contradiction = %+v, want confirmed", d.Contradictions[1])
	}

	// nil names: ids are shown.
	d = Build("2026-11-26", nil, fixture(t), nil, nil, time.Now())
	if d.Zone != "UTC" || d.Changes[0].AccordName != d.Changes[0].Accord || d.Changes[0].ActorName != d.Changes[0].Actor {
		t.Errorf("with nil names and loc: %+v", d.Changes[0])
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, build(t), "md"); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	t.Logf("\n%s", md)

	for _, want := range []string{
		"# accordwatch digest — 2026-11-26 (Europe/Paris)\n",
		"3 stance changes on 2 accords. 2 contradicting reports flagged.",
		"## Counter Ransomware Initiative (counter-ransomware-initiative)",
		"## Pall Mall Process (pall-mall-process)",
		"- **Brazil** (BRA): declined → signed (was declined since 2026-11-20)",
		"- **United States** (USA): declined (no earlier stance recorded)",
		"- **microsoft**: supports (no earlier stance recorded)",
		`  > “We sign.” \# Not a heading - not a list \<img src=x onerror=alert\(1\)\> \` + "`code\\`" + ` \_em\_ \!\[i\]\(http://x/i.png\)`,
		`  > \-1 The United States declined to sign.`,
		`  > 1\. Microsoft backs it.`,
		`[Brazil joins \<script\>alert\(1\)\</script\> \[click\]\(javascript:alert\(1\)\) \*now\*](https://harbour.example/a/%28brazil%29?q=%3Cx%3E)`,
		`Outlet: @Harbour\_Ledger \| +1`,
		`Title: US stays out · URL: javascript:alert\(1\)`,
		`Speaker: \-Ann Lee`,
		"Since: 2026-11-26 · Sources: 3\n",
		"## Contradicting reports",
		"- **Brazil** (BRA) on Pall Mall Process (pall-mall-process): reported signed, contradicting declined (since 2026-11-20) — unconfirmed\n",
		"- **United States** (USA) on Pall Mall Process (pall-mall-process): reported opposes, contradicting signed (since 2026-11-25) — confirmed later\n",
		`  > \=cmd\|' /C calc'\!A0 \<b\>opposes\</b\>`,
		`Speaker: \+Spokesperson · Outlet: Cyber Policy Wire · [US \[opposes\]\(javascript:x\)](https://wire.example/usa) · Reported for: 2026-11-26`,
		`Title: Brazil joins · URL: data:text/html,\<script\>x\</script\>`,
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// Nothing from an article may become raw HTML or a link other than
	// the one http(s) link per change.
	if m := unescaped.FindString(md); m != "" {
		t.Errorf("markdown has an unescaped special character: %q", m)
	}
	for _, bad := range []string{"](javascript:", "\n# Not", "\n- not"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown contains %q", bad)
		}
	}
	if n := strings.Count(md, "]("); n != 2 {
		t.Errorf("markdown has %d links, want 2 (one change, one contradiction)", n)
	}
	if strings.Index(md, "## Contradicting reports") < strings.Index(md, "## Pall Mall Process") {
		t.Error("contradictions are not listed after the changes")
	}
}

// unescaped matches a "<" that could start raw HTML, or a link to a
// javascript: or data: URL.
var unescaped = regexp.MustCompile(`(^|[^\\])<|(^|[^\\])\[[^\]]*[^\\]\]\((javascript|data)`)

func TestMdEscape(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"  a\n\n b\u2028c\t ": "a b c",
		"a\\b":                `a\\b`,
		"+ x":                 `\+ x`,
		"= x":                 `\= x`,
		"12) x":               `12\) x`,
		"2026. x":             `2026\. x`,
		"2026 x.":             "2026 x.",
		"[a](b)":              `\[a\]\(b\)`,
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, build(t), "json"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`"date": "2026-11-26"`,
		`"zone": "Europe/Paris"`,
		`"generated": "2026-11-27T07:00:00+01:00"`,
		`"previous_since": "2026-11-20T09:00:00+01:00"`,
		`"previous_since": null`,
		`"actor_name": "Brazil"`,
		`"accord_name": "Pall Mall Process"`,
		`"detected": "2026-11-26T10:30:00+01:00"`,
		"\n  \"changes\": [\n", // indented
		`"sources": 3`,
		`"current": "declined"`,
		`"current_since": "2026-11-20T09:00:00+01:00"`,
		`"confirmed": true`,
		`"confirmed": false`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %q", want)
		}
	}
	if strings.Contains(out, "<script") {
		t.Error("JSON contains an unescaped <script")
	}

	var back Digest
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if len(back.Changes) != 3 || back.Changes[2].Title != hostileTitle || back.Changes[2].Evidence != hostileEvidence {
		t.Errorf("round trip lost data: %+v", back.Changes)
	}
	if len(back.Contradictions) != 2 || back.Contradictions[1].Evidence != contradictionsFixture()[0].Evidence {
		t.Errorf("round trip lost contradictions: %+v", back.Contradictions)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, build(t), "csv"); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("parsing back: %v", err)
	}
	if len(rows) != 6 {
		t.Fatalf("got %d rows, want header, 3 changes and 2 contradictions", len(rows))
	}
	if strings.Join(rows[0], ",") != "kind,actor,actor_name,accord,accord_name,previous,previous_since,stance,since,evidence,speaker,url,outlet,title,detected,sources,confirmed,"+
		"feed_status,feed_failures,feed_last_error,feed_last_polled,feed_last_success" {
		t.Errorf("header = %v", rows[0])
	}
	col := make(map[string]int)
	for i, h := range rows[0] {
		col[h] = i
	}
	bra := rows[3]
	for field, want := range map[string]string{
		"actor":          "BRA",
		"actor_name":     "Brazil",
		"previous":       "declined",
		"previous_since": "2026-11-20T09:00:00+01:00",
		"since":          "2026-11-26T09:00:00+01:00",
		// Newlines and quotes survive; encoding/csv reads a quoted \r\n as \n.
		"evidence":  strings.ReplaceAll(hostileEvidence, "\r\n", "\n"),
		"speaker":   "'" + hostileSpeaker,
		"outlet":    "'" + hostileOutlet,
		"title":     hostileTitle,
		"detected":  "2026-11-26T10:30:00+01:00",
		"kind":      "change",
		"sources":   "3",
		"confirmed": "",
	} {
		if got := bra[col[field]]; got != want {
			t.Errorf("BRA %s = %q, want %q", field, got, want)
		}
	}
	for row, want := range map[int]map[string]string{
		4: {"kind": "contradiction", "actor": "BRA", "previous": "declined", "previous_since": "2026-11-20T09:00:00+01:00",
			"stance": "signed", "since": "2026-11-26T07:00:00+01:00", "sources": "", "confirmed": "false"},
		5: {"kind": "contradiction", "actor": "USA", "previous": "signed", "stance": "opposes",
			"evidence": "'" + contradictionsFixture()[0].Evidence, "speaker": "'+Spokesperson", "confirmed": "true"},
	} {
		for field, w := range want {
			if got := rows[row][col[field]]; got != w {
				t.Errorf("row %d %s = %q, want %q", row, field, got, w)
			}
		}
	}
	usa := rows[2]
	if got := usa[col["evidence"]]; got != "'-1 The United States declined to sign." {
		t.Errorf("USA evidence = %q", got)
	}
	if got := usa[col["previous_since"]]; got != "" {
		t.Errorf("USA previous_since = %q, want empty", got)
	}
	if got := rows[1][col["since"]]; got != "" {
		t.Errorf("microsoft since = %q, want empty for the zero time", got)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	d := Build("2026-11-26", paris(t), nil, nil, names, time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	for format, want := range map[string]string{
		"md": "# accordwatch digest — 2026-11-26 (Europe/Paris)\n\nNo stance changes on 2026-11-26.\n",
		"json": "{\n  \"date\": \"2026-11-26\",\n  \"zone\": \"Europe/Paris\",\n  \"generated\": \"2026-11-27T07:00:00+01:00\",\n" +
			"  \"changes\": [],\n  \"contradictions\": [],\n  \"board\": {\n    \"accords\": [],\n    \"rows\": []\n  },\n  \"feed_health\": null\n}\n",
		"csv": strings.Join(CSVHeader, ",") + "\n",
	} {
		var buf bytes.Buffer
		if err := Write(&buf, d, format); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if buf.String() != want {
			t.Errorf("%s:\n got %q\nwant %q", format, buf.String(), want)
		}
	}
	// A Digest built by hand with nil Changes still gives "changes": [].
	var buf bytes.Buffer
	if err := Write(&buf, Digest{Date: "2026-11-26", Zone: "UTC"}, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"changes": []`) || !strings.Contains(buf.String(), `"contradictions": []`) ||
		!strings.Contains(buf.String(), `"rows": []`) {
		t.Errorf("nil Changes: %s", buf.String())
	}
}

// TestWriteOnlyContradictions: a day with contradictions but no change
// still lists them.
func TestWriteOnlyContradictions(t *testing.T) {
	d := Build("2026-11-26", paris(t), nil, contradictionsFixture(), names, time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if err := Write(&buf, d, "md"); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"No stance changes on 2026-11-26. 2 contradicting reports flagged.\n",
		"## Contradicting reports",
		"- **Brazil** (BRA) on Pall Mall Process (pall-mall-process): reported signed",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var buf bytes.Buffer
	for _, f := range []string{"", "htm", "HTML", "MD", "markdown"} {
		if err := Write(&buf, build(t), f); err == nil {
			t.Errorf("Write(%q) succeeded, want an error", f)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("an unknown format wrote %q", buf.String())
	}
}

func TestDay(t *testing.T) {
	loc := paris(t)
	for _, tc := range []struct {
		date  string
		loc   *time.Location
		hours float64
		from  string
	}{
		{"2026-11-26", loc, 24, "2026-11-26T00:00:00+01:00"},
		{"2026-10-25", loc, 25, "2026-10-25T00:00:00+02:00"}, // CEST ends
		{"2026-03-29", loc, 23, "2026-03-29T00:00:00+01:00"}, // CEST starts
		{"2026-12-31", loc, 24, "2026-12-31T00:00:00+01:00"},
		{"2026-10-25", nil, 24, "2026-10-25T00:00:00Z"},
	} {
		from, to, err := Day(tc.date, tc.loc)
		if err != nil {
			t.Errorf("Day(%q): %v", tc.date, err)
			continue
		}
		if got := from.Format(time.RFC3339); got != tc.from {
			t.Errorf("Day(%q) from = %s, want %s", tc.date, got, tc.from)
		}
		if got := to.Sub(from).Hours(); got != tc.hours {
			t.Errorf("Day(%q) lasts %vh, want %vh", tc.date, got, tc.hours)
		}
	}
	for _, bad := range []string{"", "2026-13-01", "2026-02-30", "26-11-2026", "2026-1-5", "2026-11-26T00:00:00Z"} {
		if _, _, err := Day(bad, loc); err == nil {
			t.Errorf("Day(%q) succeeded, want an error", bad)
		}
	}
}
