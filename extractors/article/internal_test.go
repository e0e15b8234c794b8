package article

import (
	"slices"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	cet := time.FixedZone("", 2*3600)
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-05-03T15:47:42+02:00", time.Date(2024, 5, 3, 15, 47, 42, 0, cet)},
		{"2024-05-03T15:47:42.389Z", time.Date(2024, 5, 3, 15, 47, 42, 389e6, time.UTC)},
		{"2024-05-03T15:47:42+0200", time.Date(2024, 5, 3, 15, 47, 42, 0, cet)},
		{"2024-05-03T15:47:42", time.Date(2024, 5, 3, 15, 47, 42, 0, time.UTC)},
		{"2024-05-03 15:47", time.Date(2024, 5, 3, 15, 47, 0, 0, time.UTC)},
		{"2024-05-03", time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"Fri, 03 May 2024 13:47:42 GMT", time.Date(2024, 5, 3, 13, 47, 42, 0, time.UTC)},
		{"Fri, 03 May 2024 15:47:42 +0200", time.Date(2024, 5, 3, 15, 47, 42, 0, cet)},
		{"May 3, 2024", time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"03.05.2024", time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)},
		{"1714744062", time.Date(2024, 5, 3, 13, 47, 42, 0, time.UTC)},
		{"Published 2024-05-03T15:47:42+02:00 by staff", time.Date(2024, 5, 3, 15, 47, 42, 0, cet)},
		{"", time.Time{}},
		{"yesterday", time.Time{}},
		{"0000-00-00", time.Time{}},
		{"1970-01-01T00:00:00Z", time.Time{}}, // placeholder, not a real date
	}
	for _, c := range cases {
		if got := parseDate(c.in); !got.Equal(c.want) {
			t.Errorf("parseDate(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestCleanAuthors(t *testing.T) {
	cases := []struct {
		in   []string
		want []string
	}{
		{[]string{"By Jane Doe and John Roe"}, []string{"Jane Doe", "John Roe"}},
		{[]string{"Jane Doe, John Roe & Ann Lee"}, []string{"Jane Doe", "John Roe", "Ann Lee"}},
		{[]string{"Von Anna Schmidt und Max Müller"}, []string{"Anna Schmidt", "Max Müller"}},
		{[]string{"Jane Doe", "jane doe", "JANE DOE"}, []string{"Jane Doe"}},
		{[]string{"https://example.com/staff/jane-doe", "Jane Doe"}, []string{"Jane Doe"}},
		{[]string{"Elena Oberholzer (obe)"}, []string{"Elena Oberholzer"}},
		{[]string{"@janedoe", "jane@example.com", "Updated 12:04 PM"}, nil},
		{[]string{"<b>Jane</b> Doe"}, []string{"Jane Doe"}},
	}
	for _, c := range cases {
		if got := cleanAuthors(c.in); !slices.Equal(got, c.want) {
			t.Errorf("cleanAuthors(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStripSiteName(t *testing.T) {
	cases := []struct{ title, site, host, want string }{
		{"Talks stall | The Daily Ledger", "The Daily Ledger", "", "Talks stall"},
		{"Talks stall - The Daily Ledger", "The Daily Ledger", "", "Talks stall"},
		{"The Daily Ledger: Talks stall", "the daily ledger", "", "Talks stall"},
		{"Talks stall | Tech | BBC", "", "bbc.co.uk", "Talks stall | Tech"},
		{"Talks stall - a view from Geneva", "The Daily Ledger", "ledger.example", "Talks stall - a view from Geneva"},
		{"Russia-Ukraine talks", "Ukraine", "", "Russia-Ukraine talks"},
	}
	for _, c := range cases {
		if got := stripSiteName(c.title, c.site, c.host); got != c.want {
			t.Errorf("stripSiteName(%q, %q, %q) = %q, want %q", c.title, c.site, c.host, got, c.want)
		}
	}
}

func TestToUTF8(t *testing.T) {
	cases := []struct {
		name, in, contentType, want string
	}{
		{"declared latin1 but utf-8 bytes", "<meta charset=iso-8859-1><p>caf\xc3\xa9</p>", "", "<meta charset=iso-8859-1><p>café</p>"},
		{"undeclared windows-1252", "<p>\x93caf\xe9\x94</p>", "", "<p>“café”</p>"},
		{"header wins over meta", "<meta charset=utf-8><p>caf\xe9</p>", "text/html; charset=ISO-8859-1", "<meta charset=utf-8><p>café</p>"},
		{"utf-8 BOM", "\xef\xbb\xbf<p>caf\xc3\xa9</p>", "", "<p>café</p>"},
		{"invalid bytes in utf-8", "<meta charset=utf-8><p>caf\xc3\xa9 \xff</p>", "", "<meta charset=utf-8><p>café \ufffd</p>"},
	}
	for _, c := range cases {
		got, err := toUTF8([]byte(c.in), c.contentType)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if string(got) != c.want {
			t.Errorf("%s: toUTF8 = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestConfirmedTitle(t *testing.T) {
	cases := []struct {
		name       string
		structured []string
		shown      []string
		want       string
	}{
		{"displayed og:title wins over SEO JSON-LD",
			[]string{"Kollaps der Bank: Notenbank räumt Fehler ein", "Bank: Fed räumt Versäumnisse ein"},
			[]string{"Bank: Fed räumt Versäumnisse ein"}, "Bank: Fed räumt Versäumnisse ein"},
		{"kicker set apart by style, not by a colon",
			[]string{"Short SEO title of the story", "Technologie im Klassenzimmer: KI in der Schule"},
			[]string{"Technologie im Klassenzimmer KI in der Schule"}, "Technologie im Klassenzimmer: KI in der Schule"},
		{"display is kicker plus headline",
			[]string{"Trump plant Landeplatz beim Weissen Haus", "Trump plant Landeplatz – während das Projekt stockt"},
			[]string{"Umbau des Weissen Hauses Trump plant Landeplatz – während das Projekt stockt"},
			"Trump plant Landeplatz – während das Projekt stockt"},
		{"nothing displayed", []string{"A headline", "Another"}, []string{"Most read"}, ""},
	}
	for _, c := range cases {
		if got := confirmedTitle(c.structured, c.shown); got != c.want {
			t.Errorf("%s: confirmedTitle = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestIsBylineClass(t *testing.T) {
	for c, want := range map[string]bool{
		"byline": true, "article__author": true, "authorname": true, "c-AuthorName__link": true,
		"author": true, "metaInfoAuthorList-item": false, "author-bio": false, "authority": false, "coauthored": false,
	} {
		if got := isBylineClass(c); got != want {
			t.Errorf("isBylineClass(%q) = %v, want %v", c, got, want)
		}
	}
}

func TestDecodeJSONRepairs(t *testing.T) {
	for _, raw := range []string{
		`{"headline": "A"}`,
		"{\"headline\": \"A\", \"articleBody\": \"line one\nline two\"}",
		`{"headline": "A"}
		},
		// a comment and a stray brace after the object`,
	} {
		v, ok := decodeJSON(raw)
		if m, _ := v.(map[string]any); !ok || m["headline"] != "A" {
			t.Errorf("decodeJSON(%q) = %v, %v", raw, v, ok)
		}
	}
	if _, ok := decodeJSON(`not json`); ok {
		t.Error("decodeJSON accepted garbage")
	}
}

func TestSplitBodyGluedParagraphs(t *testing.T) {
	got := splitBody("NASA confirmed water on Europa, one of Jupiter’s 79 moons.The find means the moon has water. The U.S. team said so.")
	want := []string{"NASA confirmed water on Europa, one of Jupiter’s 79 moons.", "The find means the moon has water. The U.S. team said so."}
	if !slices.Equal(got, want) {
		t.Errorf("splitBody = %q, want %q", got, want)
	}
}

func TestWordsAndTokens(t *testing.T) {
	if !(words{"sidebar"}).in("Layout SideBar-left") || (words{"sidebar"}).in("") {
		t.Error("words.in does not ignore case")
	}
	if !hasToken("top-ads banner", "ad", "ads") || hasToken("download header", "ad", "ads") {
		t.Error("hasToken matches parts of tokens wrongly")
	}
}

func TestStripSection(t *testing.T) {
	sections := []string{"Politics", "E-Sport"}
	cases := []struct{ title, want string }{
		{"Party expels rival-Politics", "Party expels rival"},
		{"Party expels rival | Politics", "Party expels rival"},
		{"Anti-Politics", "Anti-Politics"},                           // one word would be left
		{"The rise of Politics today", "The rise of Politics today"}, // not a segment
	}
	for _, c := range cases {
		if got := stripSection(c.title, sections); got != c.want {
			t.Errorf("stripSection(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}

func TestPlainerVariant(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{`"Why fight" ... Lee calls for unity`, `Why fight ... Lee calls for unity`, `Why fight ... Lee calls for unity`},
		{"Atom plant: towers blown up", "Atom plant - towers blown up", "Atom plant: towers blown up"},
		{"Strava unveils ‘family’ plan", "Strava unveils 'family' plan", ""}, // same length: no preference
		{"Chelsea win at Cobham", "Chelsea win at Cobham over Spurs", ""},    // different words
		{"", "A headline", ""},
	}
	for _, c := range cases {
		if got := plainerVariant(c.a, c.b); got != c.want {
			t.Errorf("plainerVariant(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

func TestCleanAuthorsNumbers(t *testing.T) {
	cases := []struct {
		in   []string
		want []string
	}{
		{[]string{"von Jemima Kelly 05. November 2024 15:36 Uhr 3 Min"}, []string{"Jemima Kelly"}},
		{[]string{"BR24 Redaktion"}, []string{"BR24 Redaktion"}},
		{[]string{"Jane Doe 20.11.2019"}, []string{"Jane Doe"}},
		{[]string{"Updated on 5 May 2024", "Posted 3 hours ago", "Page 2"}, nil},
	}
	for _, c := range cases {
		if got := cleanAuthors(c.in); !slices.Equal(got, c.want) {
			t.Errorf("cleanAuthors(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCutDateline(t *testing.T) {
	for in, want := range map[string]string{
		"Jemima Kelly 05. November 2024 15:36 Uhr":                          "Jemima Kelly",
		"Tom Davies Associated Press Published 12:34 p.m. ET Nov. 19, 2019": "Tom Davies Associated Press Published 12:34 p.m. ET Nov. 19, 2019",
		"Updated on 5 May": "Updated on 5 May",
		"Jane Doe":         "Jane Doe",
		"3 Min Lesezeit":   "3 Min Lesezeit",
	} {
		if got := cutDateline(in); got != want {
			t.Errorf("cutDateline(%q) = %q, want %q", in, got, want)
		}
	}
}
