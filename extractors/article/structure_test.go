package article_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/accordwatch/accordwatch/extractors/article"
)

// extractPage runs Extract on an inline UTF-8 page.
func extractPage(t *testing.T, page string) *article.Article {
	t.Helper()
	a, err := article.Extract([]byte(page), "text/html; charset=utf-8", "https://news.example.org/story")
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return a
}

// sentence returns a paragraph-length sentence about topic n.
func sentence(n int) string {
	return fmt.Sprintf("Paragraph %d: the delegates met again on Tuesday, and after a long night of talks, "+
		"they agreed on a joint text on the protection of hospitals and water works.", n)
}

func TestExtractLooseTextInContainer(t *testing.T) {
	// The article text is set directly in a <div>, between its block
	// children, without a <p>; the page's only paragraph-like block is
	// the address in the footer.
	body := "A team of the home care service registered this morning that two of the five vehicles of the unit " +
		"had been broken into. The vehicles were left without batteries, and the police came to check the damage."
	page := `<html><body><div class="layout"><div class="col-md-9"><p class="title">Cars broken into</p>` +
		`<small>05/10/2018 - Health</small><br><br><img src="a.jpg">` + body + `<br><br><br>` +
		`<div class="row"><a href="/share">Share</a></div></div></div>` +
		`<div class="bottom"><div>Town Hall - 1111 Main Street - Post Box 421 - Phone 2106-8000</div></div></body></html>`
	a := extractPage(t, page)
	if !strings.Contains(a.Text, body) {
		t.Errorf("Text = %q, want the loose article text", a.Text)
	}
	if strings.Contains(a.Text, "Post Box") {
		t.Errorf("Text = %q, want no footer address", a.Text)
	}
}

func TestExtractNestedArticlesAreRelated(t *testing.T) {
	// Articles nested in an article are related posts, however much text
	// they hold and however their classes score.
	var related strings.Builder
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&related, `<article id="post-%d" class="postbox post hentry"><a href="/p%d"><img src="p.jpg"></a><p>%s %s</p></article>`,
			i, i, sentence(100+i), sentence(200+i))
	}
	main := sentence(1) + " " + sentence(2) + " " + sentence(3) + " " + sentence(4)
	page := `<html><body><div id="primary"><article class="articlebox post hentry"><h1 class="entry-title">Only those who love themselves</h1>` +
		`<p>` + main + `</p></article><article id="post-1806" class="postbox post hentry"><h3>You may also like</h3>` +
		related.String() + `</article></div></body></html>`
	a := extractPage(t, page)
	if a.Text != main {
		t.Errorf("Text = %q, want only the main article's paragraph", a.Text)
	}
}

func TestExtractChunkedBody(t *testing.T) {
	// The body is split into chunks by an ad rail, each chunk in its own
	// grid wrapper; the chunks share their class.
	var want []string
	chunk := func(from, to int) string {
		var b strings.Builder
		b.WriteString(`<div class="grid grid-items-2"><div class="body body__container article__body">`)
		for i := from; i <= to; i++ {
			b.WriteString("<p>" + sentence(i) + "</p>")
			want = append(want, sentence(i))
		}
		b.WriteString(`</div><div class="rail"><div class="ad-slot"></div></div></div>`)
		return b.String()
	}
	page := `<html><body><article class="main-content"><div class="article__chunks">` +
		chunk(1, 6) + chunk(7, 11) + `</div></article></body></html>`
	a := extractPage(t, page)
	if got := strings.Split(a.Text, "\n\n"); !slices.Equal(got, want) {
		t.Errorf("Text paragraphs =\n%q\nwant all chunks\n%q", got, want)
	}
}

func TestExtractDivParagraphsBesideTopCandidate(t *testing.T) {
	// The lead paragraphs are <div>s beside the container that holds the
	// rest of the article.
	lead := sentence(1)
	page := `<html><body><section id="body-text"><div class="l-container">` +
		`<div class="zn-body__paragraph">` + lead + `</div>` +
		`<div class="zn-body__read-all">`
	for i := 2; i <= 9; i++ {
		page += `<div class="zn-body__paragraph">` + sentence(i) + `</div>`
	}
	page += `</div></div></section></body></html>`
	a := extractPage(t, page)
	if !strings.HasPrefix(a.Text, lead+"\n\n") {
		t.Errorf("Text = %q, want it to start with the lead paragraph", a.Text)
	}
}

func TestExtractEscapedMarkupInArticleBody(t *testing.T) {
	// The JSON-LD articleBody carries HTML escaped once more than it
	// should be, with paragraphs separated by blank lines.
	first, second := sentence(1), sentence(2)
	ld := `{"@type":"NewsArticle","headline":"Talks resume","articleBody":"` + first +
		`\r\n\r\n&lt;div align=&quot;center&quot;&gt;&lt;img src=&quot;a.jpg&quot; \/&gt;&lt;\/div&gt;\r\n\r\n` +
		`&lt;h2&gt;Next steps&lt;\/h2&gt;\r\n\r\n` + second + `"}`
	page := `<html><head><script type="application/ld+json">` + ld + `</script></head><body><p>Teaser.</p></body></html>`
	a := extractPage(t, page)
	want := []string{first, "Next steps", second}
	if got := strings.Split(a.Text, "\n\n"); !slices.Equal(got, want) {
		t.Errorf("Text paragraphs = %q, want %q", got, want)
	}
}

func TestExtractTitleAgreedStructuredValues(t *testing.T) {
	// JSON-LD and og:title agree; the page also shows the Twitter variant,
	// in a teaser, which must not win.
	page := `<html><head><meta property="og:title" content="Weight-loss jab arrives: this is what it costs">` +
		`<meta name="twitter:title" content="Wegovy: the price of the weight-loss jab">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Weight-loss jab arrives: this is what it costs"}</script>` +
		`</head><body><h2 class="headline">Wegovy: the price of the weight-loss jab</h2><p>` + sentence(1) + `</p></body></html>`
	if a := extractPage(t, page); a.Title != "Weight-loss jab arrives: this is what it costs" {
		t.Errorf("Title = %q, want the value JSON-LD and og:title agree on", a.Title)
	}
}

func TestExtractTitlePlainerVariant(t *testing.T) {
	// JSON-LD and og:title have the same words; the one without the added
	// quotation marks is the headline, whichever the page displays.
	page := `<html><head><meta property="og:title" content="&quot;Why fight each other&quot;... Lee calls for unity in hometown of DJ">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Why fight each other... Lee calls for unity in hometown of DJ"}</script>` +
		`</head><body><h1>"Why fight each other"... Lee calls for unity in hometown of DJ</h1><p>` + sentence(1) + `</p></body></html>`
	if a := extractPage(t, page); a.Title != "Why fight each other... Lee calls for unity in hometown of DJ" {
		t.Errorf("Title = %q", a.Title)
	}
}

func TestExtractTitleSectionSuffix(t *testing.T) {
	// "Headline-Section | Site": the section goes with the site name.
	page := `<html><head><meta property="og:site_name" content="Daily Ledger">` +
		`<meta name="content_category" content="Politics">` +
		`<meta property="og:title" content="Party leader expels rival, but the burden grows-Politics | Daily Ledger">` +
		`</head><body><p>` + sentence(1) + `</p></body></html>`
	if a := extractPage(t, page); a.Title != "Party leader expels rival, but the burden grows" {
		t.Errorf("Title = %q", a.Title)
	}
}

func TestExtractMetadataVariants(t *testing.T) {
	// A date under a respelled key, a byline running on into the date and
	// an outlet name that only starts like the host's.
	page := `<html><head><meta name="article:published:time" content="2024-10-23T15:48:15+00:00">` +
		`<meta name="author" content="n-tv NACHRICHTEN">` +
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Why attacks on character fail",` +
		`"author":[{"@type":"Person","name":"Engin Haupt"},[{"@type":"Organization","name":"BR24 Redaktion"}]]}</script>` +
		`</head><body><p>` + sentence(1) + `</p></body></html>`
	a, err := article.Extract([]byte(page), "", "https://www.n-tv.de/politik/story")
	if err != nil {
		t.Fatal(err)
	}
	if want := mustTime(t, "2024-10-23T15:48:15Z"); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if want := []string{"Engin Haupt", "BR24 Redaktion"}; !slices.Equal(a.Authors, want) {
		t.Errorf("Authors = %q, want %q (nested JSON-LD lists, newsroom names with digits)", a.Authors, want)
	}

	page = `<html><head><meta name="author" content="n-tv NACHRICHTEN"></head><body>` +
		`<div class="article__author">Von Jemima Kelly 05. November 2024 15:36 Uhr 3 Min</div><p>` + sentence(1) + `</p></body></html>`
	a, err = article.Extract([]byte(page), "", "https://www.n-tv.de/politik/story")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Jemima Kelly"}; !slices.Equal(a.Authors, want) {
		t.Errorf("Authors = %q, want %q (the outlet passed over, the date cut off)", a.Authors, want)
	}
}
