package article_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// extractFixture runs Extract on testdata/name.
func extractFixture(t *testing.T, name, contentType, pageURL string) *article.Article {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	a, err := article.Extract(body, contentType, pageURL)
	if err != nil {
		t.Fatalf("Extract(%s): %v", name, err)
	}
	if !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title) {
		t.Errorf("Extract(%s) returned invalid UTF-8", name)
	}
	return a
}

// mustTime parses an RFC 3339 timestamp.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestExtractJSONLDGraph(t *testing.T) {
	a := extractFixture(t, "jsonld_graph.html", "text/html", "https://news.example.org/world/cyber-accord")
	if want := "Ministers clash over cyber accord & its limits"; a.Title != want {
		t.Errorf("Title = %q, want %q", a.Title, want)
	}
	if want := []string{"Lena Fischer", "Tomás Ortega", "Amira Haddad"}; !slices.Equal(a.Authors, want) {
		t.Errorf("Authors = %q, want %q", a.Authors, want)
	}
	if want := mustTime(t, "2024-05-03T15:47:42+02:00"); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if a.SiteName != "Example Wire" {
		t.Errorf("SiteName = %q, want the JSON-LD publisher %q", a.SiteName, "Example Wire")
	}
	if a.Lang != "en-GB" {
		t.Errorf("Lang = %q, want en-GB", a.Lang)
	}
	if a.URL != "https://news.example.org/world/cyber-accord" {
		t.Errorf("URL = %q", a.URL)
	}
	paras := strings.Split(a.Text, "\n\n")
	want := []string{
		"The foreign ministry said on Tuesday that the accord “sets a floor, not a ceiling” for state behaviour in cyberspace.",
		"Officials in Geneva described the negotiations as difficult, with several delegations objecting to language on critical infrastructure.",
		"“We will not sign a text that legitimises attacks on hospitals,” the minister told reporters.",
	}
	if !slices.Equal(paras, want) {
		t.Errorf("Text paragraphs =\n%q\nwant\n%q", paras, want)
	}
}

func TestExtractOpenGraphPage(t *testing.T) {
	a := extractFixture(t, "opengraph.html", "text/html; charset=utf-8", "https://www.ledger.example.com/tech/geneva")
	if want := "Geneva talks stall on norms"; a.Title != want {
		t.Errorf("Title = %q, want %q (site suffix stripped)", a.Title, want)
	}
	if a.SiteName != "The Daily Ledger" {
		t.Errorf("SiteName = %q", a.SiteName)
	}
	if want := []string{"Ruth Okafor"}; !slices.Equal(a.Authors, want) {
		t.Errorf("Authors = %q, want %q", a.Authors, want)
	}
	if want := mustTime(t, "2023-11-14T09:30:00Z"); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if a.Lang != "en-US" {
		t.Errorf("Lang = %q, want en-US", a.Lang)
	}
	want := strings.Join([]string{
		"Negotiators in Geneva failed on Monday to agree on a common text, after three weeks of talks on how states should behave in cyberspace.",
		"The draft, seen by the Ledger, commits signatories to refrain from attacks on “critical civilian infrastructure”, a phrase several delegations wanted to narrow.",
		"A divided room",
		"“We came here to protect hospitals, not to protect loopholes,” said the Estonian envoy, Kaja Rebane, in a statement after the session.",
		`"The text is not dead," a senior diplomat said, asking not to be named.`,
		"Talks are due to resume in January, with a smaller group of states working on compromise wording in the meantime.",
	}, "\n\n")
	if a.Text != want {
		t.Errorf("Text =\n%s\n\nwant\n%s", a.Text, want)
	}
	for _, junk := range []string{"cookies", "Politics", "Share on", "Photo: Agency", "newsletter", "Related stories", "ransomware", "pointless", "Great reporting", "moon", "All rights reserved", "Home"} {
		if strings.Contains(a.Text, junk) {
			t.Errorf("Text contains boilerplate %q", junk)
		}
	}
}

func TestExtractWindows1252MetaCharset(t *testing.T) {
	a := extractFixture(t, "windows1252.html", "text/html", "https://www.lequotidien.example.fr/a")
	if want := "Le “traité” numérique signé à Genève"; a.Title != want {
		t.Errorf("Title = %q, want %q", a.Title, want)
	}
	for _, s := range []string{
		"La délégation française a qualifié l’accord de “premier pas” vers une régulation commune",
		"Le ministre a précisé que la ratification prendrait plusieurs mois",
	} {
		if !strings.Contains(a.Text, s) {
			t.Errorf("Text lacks %q:\n%s", s, a.Text)
		}
	}
	if want := time.Date(2022, 6, 30, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if a.Lang != "fr" {
		t.Errorf("Lang = %q, want fr", a.Lang)
	}
}

func TestExtractCharsetFromContentType(t *testing.T) {
	a := extractFixture(t, "header_charset.html", "text/html; charset=windows-1251", "https://www.vesti.example.ru/news/1")
	if want := "Переговоры о киберпространстве продолжаются"; a.Title != want {
		t.Errorf("Title = %q, want %q", a.Title, want)
	}
	if want := "следующий раунд переговоров пройдёт в Женеве"; !strings.Contains(a.Text, want) {
		t.Errorf("Text lacks %q:\n%s", want, a.Text)
	}
	if a.SiteName != "vesti.example.ru" {
		t.Errorf("SiteName = %q, want the host without www.", a.SiteName)
	}
}

func TestExtractTitleWithScript(t *testing.T) {
	a := extractFixture(t, "script_title.html", "", "")
	if want := "Patch & pray"; a.Title != want {
		t.Errorf("Title = %q, want %q", a.Title, want)
	}

	// Without og:title the <title> element is used; it must be cleaned the
	// same way. Without an h1 either, so that only <title> is left.
	page := `<html><head><title>Patch &amp; pray <script>alert(1)</script><style>b{}</style> | Example News</title>` +
		`<meta property="og:site_name" content="Example News"></head><body><p>Short.</p></body></html>`
	b, err := article.Extract([]byte(page), "", "")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if b.Title != "Patch & pray" {
		t.Errorf("Title from <title> = %q, want %q", b.Title, "Patch & pray")
	}
}

func TestExtractByline(t *testing.T) {
	a := extractFixture(t, "byline.html", "", "https://example.com/2021/09/15/treaty")
	if want := []string{"Jane Doe", "John Roe"}; !slices.Equal(a.Authors, want) {
		t.Errorf("Authors = %q, want %q", a.Authors, want)
	}
	if want := mustTime(t, "2021-09-15T18:04:00-04:00"); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if a.Title != "Senate ratifies the data treaty" {
		t.Errorf("Title = %q", a.Title)
	}
	if strings.Contains(a.Text, "Jane Doe") || strings.Contains(a.Text, "September 15") {
		t.Errorf("Text contains the byline:\n%s", a.Text)
	}
	want := "The Senate voted 71 to 28 on Wednesday to ratify the treaty, which sets rules for cross-border access to electronic evidence." +
		"\n\nSupporters said the vote, the first on such an accord in a decade, would speed up criminal investigations."
	if a.Text != want {
		t.Errorf("Text =\n%q\nwant\n%q", a.Text, want)
	}
}

func TestExtractEmptyAndGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	cases := map[string][]byte{
		"nil":         nil,
		"empty":       {},
		"whitespace":  []byte(" \n\t "),
		"empty html":  []byte("<html><head></head><body></body></html>"),
		"tags only":   []byte("<<<>>><div><div></span></p></table>"),
		"random":      random,
		"bad utf8":    []byte("\xff\xfe\xfd<p>\xc3\x28\xa0\xa1</p>"),
		"broken json": []byte(`<script type="application/ld+json">{"@type":"NewsArticle","headline":</script>`),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := article.Extract(body, "text/html; charset=utf-8", "")
			if err != nil {
				if !errors.Is(err, article.ErrNoContent) {
					t.Errorf("err = %v, want ErrNoContent", err)
				}
				return
			}
			if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text) {
				t.Errorf("invalid UTF-8 in %+v", a)
			}
			if name == "nil" || name == "empty" || name == "whitespace" || name == "empty html" {
				t.Errorf("Extract returned %+v, want ErrNoContent", a)
			}
		})
	}
}

func TestExtractInvalidUTF8InText(t *testing.T) {
	page := "<html><head><meta charset=utf-8><title>Caf\xc3\xa9 \xff talks</title></head><body><article>" +
		"<p>The delegates met at the caf\xc3\xa9 near the lake, where \xfe\xff the talks resumed after a long break.</p></article></body></html>"
	a, err := article.Extract([]byte(page), "", "")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text) {
		t.Fatalf("invalid UTF-8: %q / %q", a.Title, a.Text)
	}
	if !strings.Contains(a.Text, "caf\u00e9 near the lake") {
		t.Errorf("Text = %q, want the valid UTF-8 kept", a.Text)
	}
}
