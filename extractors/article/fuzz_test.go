package article_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// extractTimeout bounds how long Extract may take on one fuzz input; real
// pages of a few hundred kilobytes take milliseconds.
const extractTimeout = 10 * time.Second

const fuzzPageURL = "https://news.example.org/2024/05/talks"

// scriptMarker is the content of the scripts that FuzzExtract puts in front
// of each input; it must never reach the article.
const scriptMarker = "zqxLEAKEDscriptMARKERqxz"

// scriptPrefix puts scripts in the head, in the body and inside a paragraph
// that is part of the content, before the fuzzed bytes.
const scriptPrefix = "<!DOCTYPE html><html><head><script>var a = '" + scriptMarker + "';</script></head>" +
	"<body><script>" + scriptMarker + "</script><article><p>The delegates met in Geneva on Tuesday to " +
	"discuss the draft text, officials said.<script>document.write('" + scriptMarker + "')</script></p>" +
	"<noscript>" + scriptMarker + "</noscript>"

// FuzzExtract checks that Extract returns within extractTimeout, without
// panicking, either an error or an article with a title or text whose
// fields are valid UTF-8 plain text, no longer than the input accounts for
// and free of script content.
//
//	go test -run='^$' -fuzz='^FuzzExtract$' -fuzztime=60s ./extractors/article/
func FuzzExtract(f *testing.F) {
	for _, s := range []struct{ body, contentType string }{
		{"", ""},
		{" \n", "text/html"},
		{"<p>", "text/html; charset=utf-8"},
		{"<title>\n  Spaced \u200b title\n</title><p>\n\t Indented\u00a0paragraph  text,\r\n across lines. \n</p>", ""},
		{"<title>T</title><h1>T</h1><p>Body text that is long enough to count as a paragraph.</p>", ""},
		{"<html lang=en><head><meta charset=windows-1252><title>Caf\xe9 \x93talks\x94</title></head>" +
			"<body><div class=content><p>Na\xefve \x80 text, with commas, in a legacy encoding, for the test.</p></div></body></html>", ""},
		{"<meta charset=utf-16><p>not really UTF-16 at all, but declared so in the page itself</p>", "text/html"},
		{"\xff\xfe<\x00p\x00>\x00h\x00i\x00", ""},
		{"<p>Caf\xc3\xa9 \xff\xfe talks resumed after a long break in the negotiations.</p>", "text/html; charset=bogus"},
		{`<script type="application/ld+json">{"@type":"NewsArticle","headline":"<b>H</b>","author":[{"name":"A B"},` +
			`{"givenName":"C","familyName":"D"}],"articleBody":"` + strings.Repeat("Line one of the body.\\n", 12) +
			`<script>alert(1)</script></p>","datePublished":"2024-05-03T15:47:42+02:00"}</script>`, ""},
		{"<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"Article\",\"articleBody\":\"raw\nnew\tline\"}]}</script>", ""},
		{"<body><p>a<br>b<br><br>c</p><ul><li><a href=/x>link</a></li></ul><p>&nGt; &amp;amp; &#0; &#x110000;</p></body>", ""},
		{"<div class=byline>By Jane Doe and jane doe, John Roe</div><p>" + strings.Repeat("Text, ", 40) + "</p>", ""},
		{strings.Repeat("<div>", 500) + "deep paragraph text that goes on for a while" + strings.Repeat("</div>", 500), ""},
		{"<table><tr><td><p>Layout table paragraph with enough words in it to score.</p></td></tr></table>", ""},
		{"<p>one<script>never closed", ""},
		{"<plaintext><p>not a tag</p>", ""},
		{"<textarea><p>inside textarea</p></textarea><template><p>inside template</p></template>", ""},
		{"<svg><p>foreign</p><script>svg script</script></svg><math><mi>x</mi></math>", ""},
		{`<body><template id="B:1"></template><div hidden id="S:1"><p>Streamed text of the article, placed late.</p>` +
			`<template id="B:2"></template></div><div hidden id="S:2"><p>nested</p></div><div hidden id="S:"></div></body>`, ""},
		{`<body><div id=root></div><script>x.push({"html":"\u003cp\u003e` + strings.Repeat("Hydrated text, ", 30) +
			`\u003c/p\u003e","s":"\"\u003cp\u003e"});self.__next_f.push([1,"{\"c\":\"\\u003cp\u003e\"}"])</script></body>`, ""},
	} {
		f.Add([]byte(s.body), s.contentType)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "text/html")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		a, err := extractBounded(t, body, contentType)
		checkExtract(t, body, a, err)

		// The same input behind scripts: none of them may leak. The check
		// is skipped if the input could spell the marker itself, in an
		// ASCII-compatible encoding or in UTF-16 or UTF-32.
		if bytes.Contains(bytes.ReplaceAll(body, []byte{0}, nil), []byte(scriptMarker)) {
			return
		}
		page := append([]byte(scriptPrefix), body...)
		a, err = extractBounded(t, page, contentType)
		checkExtract(t, page, a, err)
		if a != nil {
			for _, field := range append([]string{a.Title, a.Text, a.SiteName, a.Lang}, a.Authors...) {
				if strings.Contains(field, scriptMarker) {
					t.Fatalf("script content leaked into the article: %q", field)
				}
			}
		}
	})
}

// extractBounded runs Extract on body and fails t if it does not return
// within extractTimeout. A panic is not recovered and fails the test.
func extractBounded(t *testing.T, body []byte, contentType string) (*article.Article, error) {
	t.Helper()
	type result struct {
		a   *article.Article
		err error
	}
	done := make(chan result, 1)
	go func() {
		a, err := article.Extract(body, contentType, fuzzPageURL)
		done <- result{a, err}
	}()
	timer := time.NewTimer(extractTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.a, r.err
	case <-timer.C:
		t.Fatalf("Extract did not return within %v on %d bytes", extractTimeout, len(body))
		return nil, nil
	}
}

// checkExtract checks the result of Extract(body) against the promises of
// Extract and Article.
func checkExtract(t *testing.T, body []byte, a *article.Article, err error) {
	t.Helper()
	if len(bytes.TrimSpace(body)) == 0 && !errors.Is(err, article.ErrNoContent) {
		t.Errorf("Extract of a blank body returned %+v, %v; want ErrNoContent", a, err)
	}
	if err != nil {
		if a != nil {
			t.Errorf("Extract returned %+v along with error %v", a, err)
		}
		if err.Error() == "" {
			t.Error("Extract returned an empty error")
		}
		return
	}
	if a == nil {
		t.Fatal("Extract returned neither an article nor an error")
	}
	if a.URL != fuzzPageURL {
		t.Errorf("URL = %q, want %q", a.URL, fuzzPageURL)
	}
	if a.Title == "" && a.Text == "" {
		t.Errorf("Extract returned an article with neither title nor text; want %v", article.ErrNoContent)
	}
	checkPlain(t, "title", a.Title)
	checkPlain(t, "site name", a.SiteName)
	seen := make(map[string]bool)
	for _, name := range a.Authors {
		if name == "" || seen[strings.ToLower(name)] {
			t.Errorf("author %q in %q is empty or repeated", name, a.Authors)
		}
		seen[strings.ToLower(name)] = true
		checkPlain(t, "author", name)
	}
	if a.Text != "" {
		for p := range strings.SplitSeq(a.Text, "\n\n") {
			if p == "" {
				t.Errorf("empty paragraph in text %q", a.Text)
			}
			checkPlain(t, "paragraph", p)
		}
	}
	// Every output byte comes from the input: a byte of a legacy encoding
	// or an invalid byte becomes at most three bytes of UTF-8, and neither
	// entities nor paragraph breaks expand by more. More output means text
	// was duplicated.
	if limit := 3 * len(body); len(a.Text) > limit || len(a.Title) > limit {
		t.Errorf("text of %d bytes and title of %d bytes from %d bytes of input", len(a.Text), len(a.Title), len(body))
	}
}

// checkPlain checks that s is valid UTF-8 with white space collapsed to
// single spaces and none at either end.
func checkPlain(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) || s != strings.Join(strings.Fields(s), " ") {
		t.Errorf("%s %q is not collapsed plain text in valid UTF-8", what, s)
	}
}
