package article_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// paragraphs returns n <p> elements of article text, and the same text as
// Extract should return it.
func paragraphs(from, n int) (markup, text string) {
	var m, t []string
	for i := from; i < from+n; i++ {
		m = append(m, "<p>"+sentence(i)+"</p>")
		t = append(t, sentence(i))
	}
	return strings.Join(m, ""), strings.Join(t, "\n\n")
}

func TestExtractReactStreamedSegment(t *testing.T) {
	// React's streaming rendering sends the late part of the page as a
	// hidden <div id="S:x"> after the layout, and a script swaps it for
	// the <template id="B:x"> placeholder.
	body, want := paragraphs(1, 4)
	page := `<html><body><div class="layout"><h1>Delegates agree</h1><!--$?--><template id="B:1"></template><!--/$-->` +
		`<div class="foot"><p>` + sentence(90) + `</p></div></div>` +
		`<div hidden id="S:1"><div class="prose">` + body + `</div></div>` +
		`<script>$RC("B:1","S:1")</script></body></html>`
	a := extractPage(t, page)
	if !strings.Contains(a.Text, want) {
		t.Errorf("Text = %q, want the streamed article", a.Text)
	}
	if i, j := strings.Index(a.Text, sentence(1)), strings.Index(a.Text, sentence(90)); j >= 0 && j < i {
		t.Errorf("the streamed segment is not in its placeholder's place: %q", a.Text)
	}
}

func TestExtractHiddenDivIsNotAStreamedSegment(t *testing.T) {
	// Only React's "S:" segments are revealed; other hidden blocks stay out.
	body, want := paragraphs(1, 4)
	page := `<html><body><article>` + body + `</article><div hidden id="S-menu"><p>` + sentence(50) + `</p></div></body></html>`
	if a := extractPage(t, page); a.Text != want {
		t.Errorf("Text = %q, want only the article", a.Text)
	}
}

func TestExtractPageInsideForm(t *testing.T) {
	// ASP.NET pages put the whole page in one <form>, here with the
	// article in plain <div>s rather than <p>s; a small search form is
	// still dropped.
	var divs []string
	for i := 1; i <= 5; i++ {
		divs = append(divs, "<div>"+sentence(i)+"</div>")
	}
	page := `<html><body><div class="top"><form class="search" action="/search"><input name="q"><div>Search the archive of the delegates' news</div></form></div>` +
		`<form id="aspnetForm" action="/"><div class="LongDesc">` + strings.Join(divs, "") + `</div></form></body></html>`
	a := extractPage(t, page)
	for i := 1; i <= 5; i++ {
		if !strings.Contains(a.Text, sentence(i)) {
			t.Fatalf("Text = %q, want paragraph %d", a.Text, i)
		}
	}
	if strings.Contains(a.Text, "Search the archive") {
		t.Errorf("Text = %q, want no search form", a.Text)
	}
}

func TestExtractDropsLongConsentDialog(t *testing.T) {
	// A cookie or privacy dialog is long, unlinked text in a container
	// whose class alone would be rescued for being substantial; it must go
	// even when it outscores the article.
	var policy []string
	for i := 0; i < 12; i++ {
		policy = append(policy, "<p>If you are a California consumer, you have the right, at any time, to direct a business, "+
			"including ours, to not sell, share, or process your personal information, and to opt out, as described here.</p>")
	}
	body, want := paragraphs(1, 4)
	for _, dialog := range []string{`<div id="onetrust-consent-sdk"><div class="ot-main-content">`, `<div id="cmp-modal" class="modal fade"><div class="modal-content">`} {
		page := `<html><body>` + dialog + strings.Join(policy, "") + `</div></div>` +
			`<main><article><h1>Delegates agree</h1>` + body + `</article></main></body></html>`
		if a := extractPage(t, page); a.Text != want {
			t.Errorf("%s: Text = %.200q…, want only the article", dialog, a.Text)
		}
	}
}

func TestExtractConsentClassAroundArticleKept(t *testing.T) {
	// A consent-looking class on a wrapper that holds the article itself
	// (set while the banner is open) does not remove the article.
	body, want := paragraphs(1, 4)
	page := `<html><body><div class="page cookie-banner-open"><article><h1>Delegates agree</h1>` + body + `</article></div></body></html>`
	if a := extractPage(t, page); a.Text != want {
		t.Errorf("Text = %q, want the article", a.Text)
	}
}

func TestExtractDecimalCommasAndArticleLists(t *testing.T) {
	// A deals box full of prices with decimal commas, in a list whose
	// class names articles, does not outscore an article split into
	// sections.
	var deals []string
	for i := 0; i < 8; i++ {
		deals = append(deals, fmt.Sprintf("Phone %d 551,%02d € • Watch 194,95 € • Drive 146,89 € • Batteries 17,49 €", i, i))
	}
	s1, w1 := paragraphs(1, 2)
	s2, w2 := paragraphs(3, 2)
	page := `<html><body><div class="g"><article><h1>Delegates agree</h1><div class="formatted"><section>` + s1 + `</section><section><h3>Next steps</h3>` + s2 + `</section></div></article>` +
		`<ul class="list-articles"><li><div class="box"><div class="desc">` + strings.Join(deals, " • ") + `</div></div></li></ul></div></body></html>`
	a := extractPage(t, page)
	if !strings.Contains(a.Text, w1) || !strings.Contains(a.Text, w2) {
		t.Errorf("Text = %q, want both sections of the article", a.Text)
	}
	if strings.Contains(a.Text, "Batteries") {
		t.Errorf("Text = %q, want no deals", a.Text)
	}
}

func TestExtractDoubleEscapedLinkedDataBody(t *testing.T) {
	// Some CMSs escape the ampersands of character references in
	// articleBody once more: "&amp;ccedil;".
	var sentences []string
	for i := 0; i < 8; i++ {
		sentences = append(sentences, fmt.Sprintf("Orman yang&amp;inodot;n&amp;inodot; %d, il&amp;ccedil;ede &amp;ccedil;&amp;inodot;kt&amp;inodot; ve ekipler sabaha kadar &amp;ccedil;al&amp;inodot;&amp;scedil;t&amp;inodot;.", i))
	}
	ld, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Yangın", "articleBody": strings.Join(sentences, " ")})
	page := `<html><head><script type="application/ld+json">` + string(ld) + `</script></head><body><article><p>Orman yangını.</p></article></body></html>`
	a := extractPage(t, page)
	if strings.Contains(a.Text, "&") || !strings.Contains(a.Text, "Orman yangını 0, ilçede çıktı ve ekipler sabaha kadar çalıştı.") {
		t.Errorf("Text = %.300q, want decoded characters", a.Text)
	}
}

func TestExtractStoryUnderThePageHeadline(t *testing.T) {
	// Pages that load the next story as the reader scrolls hold two full
	// <article>s; the one under the page's headline is the page's, even
	// when the next one is longer and shares its classes.
	first, want := paragraphs(1, 3)
	next, _ := paragraphs(20, 8)
	page := `<html><head><meta property="og:title" content="Delegates agree on hospitals"></head><body><main>` +
		`<article class="article-entity"><h1>Delegates agree on hospitals</h1><div class="bodytext">` + first + `</div></article>` +
		`<div class="under-article"><article class="article-entity"><h1>Ministers meet on water works</h1><div class="bodytext">` + next + `</div></article></div>` +
		`</main></body></html>`
	a := extractPage(t, page)
	if a.Text != want {
		t.Errorf("Text = %.300q, want only the first story", a.Text)
	}
}

func TestExtractScreenReaderTextAndButtons(t *testing.T) {
	body, _ := paragraphs(1, 3)
	page := `<html><body><article><h1>Delegates agree</h1>` + body +
		`<div class="box"><span class="h-offscreen">Box aufklappen</span><button>Show more</button><p>` + sentence(4) + `</p></div></article></body></html>`
	a := extractPage(t, page)
	if strings.Contains(a.Text, "aufklappen") || strings.Contains(a.Text, "Show more") {
		t.Errorf("Text = %q, want no screen-reader or button labels", a.Text)
	}
	if !strings.Contains(a.Text, sentence(4)) {
		t.Errorf("Text = %q, want the box's paragraph", a.Text)
	}
}

func TestExtractClassDoesNotLiftAFewLines(t *testing.T) {
	// Sign-up messages in containers named "main_content" do not beat an
	// article in plainer containers.
	var msgs []string
	for i := 0; i < 4; i++ {
		msgs = append(msgs, `<div class="background"><div class="main_content_x`+fmt.Sprint(i)+`"><p>Thank you, your e-mail address, which you entered, has been registered.</p></div></div>`)
	}
	body, want := paragraphs(1, 3)
	page := `<html><body><div class="wrap"><section>` + body + `</section></div>` + strings.Join(msgs, "") + `</body></html>`
	if a := extractPage(t, page); a.Text != want {
		t.Errorf("Text = %q, want the article only", a.Text)
	}
}

func TestExtractHydrationData(t *testing.T) {
	// A page rendered in the browser serves an empty shell and the article
	// as HTML inside the data its script hydrates from.
	body, want := paragraphs(1, 4)
	data, _ := json.Marshal(map[string]any{"detail": map[string]any{"title": "Delegates agree",
		"contentHtml": `<div class="caption"><p>Photo: the delegates.</p></div>` + body}})
	page := `<html><head><title>Delegates agree</title></head><body><div id="root"></div>` +
		`<script>window.__DATA__ = window.__DATA__ || []; window.__DATA__.push(` + string(data) + `);</script></body></html>`
	a := extractPage(t, page)
	if a.Text != want {
		t.Errorf("Text = %q, want the hydrated article", a.Text)
	}
	// And one level deeper: JSON in a string, as RSC payloads are.
	inner, _ := json.Marshal(string(data))
	page = `<html><body><div id="root"></div><script>self.__next_f.push([1,` + string(inner) + `])</script></body></html>`
	if a := extractPage(t, page); a.Text != want {
		t.Errorf("RSC payload: Text = %q, want the hydrated article", a.Text)
	}
}

func TestExtractPaywalledTextAndSidebarLayouts(t *testing.T) {
	// "paywalled" marks the article text a paywall would hide, and
	// "sidebar-grid__content" the content column of a layout with a
	// sidebar; the first, short chunk of a story split across such
	// containers is kept. The paywall's own box and the real sidebar go.
	c1, w1 := paragraphs(1, 2)
	c2, w2 := paragraphs(3, 8)
	page := `<html><body><article class="article">` +
		`<div class="sidebar-grid"><div class="sidebar-grid__container"><div class="sidebar-grid__content article__content">` + c1 + `</div></div></div>` +
		`<div class="sidebar-grid"><div class="sidebar-grid__container"><div class="sidebar-grid__content article__content">` + c2 + `</div></div>` +
		`<div class="sidebar"><p>Most read: the ten best things this week, ranked, with pictures.</p></div></div>` +
		`<div class="paywall"><p>Subscribe now, for one euro a month, to read the rest, and more.</p></div></article></body></html>`
	a := extractPage(t, page)
	if a.Text != w1+"\n\n"+w2 {
		t.Errorf("sidebar layout: Text = %.400q, want both chunks only", a.Text)
	}
	page = `<html><body><article class="c-article-body"><div class="c-container__text-width paywalled"><div>` + c1 + `</div></div>` +
		`<div class="c-container__text-width paywalled"><div>` + c2 + `</div></div></article></body></html>`
	if a := extractPage(t, page); a.Text != w1+"\n\n"+w2 {
		t.Errorf("paywalled: Text = %.400q, want both chunks", a.Text)
	}
}
