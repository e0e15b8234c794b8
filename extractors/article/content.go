package article

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Class and id patterns, after readability.js, that mark boilerplate.
var (
	// unlikely marks containers that are removed unless they also match
	// maybe (e.g. "article-header" survives, "site-header" does not);
	// so are containers with an "ad" or "ads" token.
	unlikely = words{"-ad-", "advert", "ai2html", "banner", "breadcrumb", "combx", "comment", "community", "cookie",
		"consent", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related",
		"remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor", "supplemental",
		"ad-break", "agegate", "pagination", "pager", "popup", "yom-remote", "share", "sharing", "newsletter",
		"subscribe", "subscription", "promo", "recommend", "toolbar", "signup", "paywall", "outbrain", "taboola",
		"mostread", "most-read", "mostpopular", "most-popular", "trending", "byline", "caption", "credit",
		"masthead", "navbar", "nav-", "skip-", "modal", "overlay", "login", "donate", "more-stories", "readmore",
		"read-more", "readnext", "read-next", "tags"}
	// maybe rescues containers whose class also says they hold content.
	// "paywalled" marks the article text that a paywall would hide, not
	// the paywall's box.
	maybe = words{"and", "article", "body", "column", "content", "main", "shadow", "story", "entry", "paywalled"}
	// always marks containers that are removed even when maybe matches,
	// unless they hold a large amount of unlinked paragraph text (which
	// happens with layout classes such as "content has-sidebar").
	always = words{"comment", "disqus", "newsletter", "share", "social", "outbrain",
		"taboola", "related", "sidebar", "breadcrumb", "subscribe", "promo", "recommend", "mostread",
		"most-read", "advert"}
	// dialog marks consent banners and modal dialogs: removed however much
	// text they hold (a cookie policy is long and unlinked), unless they
	// wrap the article itself; so are containers with a "cmp" token
	// (consent management platform).
	dialog = words{"consent", "cookie", "gdpr", "onetrust", "didomi", "usercentrics", "sp_message", "modal"}
	// positive and negative weight candidate containers; so does a "hid"
	// token, negatively.
	positive = words{"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination",
		"post", "text", "blog", "story"}
	negative = words{"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer",
		"footnote", "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
		"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "caption",
		"byline", "author", "credit"}
	// hiddenStyleRe matches inline styles that hide an element.
	hiddenStyleRe = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)
	// commentTokenRe matches a class or id token of a reader comment or a
	// comment list.
	commentTokenRe = regexp.MustCompile(`(?i)^(?:comments?|commentlist|comment-list|comment-body|comments-area|comment-respond|disqus_thread)$`)
)

// boilerplateRoles are ARIA roles of page chrome.
var boilerplateRoles = map[string]bool{
	"navigation": true, "complementary": true, "contentinfo": true, "banner": true,
	"dialog": true, "alertdialog": true, "menu": true, "menubar": true, "search": true, "alert": true,
}

// removedTags are dropped from the page before looking for the content.
var removedTags = map[atom.Atom]bool{
	atom.Nav: true, atom.Aside: true, atom.Footer: true, atom.Header: true,
	atom.Figcaption: true, atom.Dialog: true, atom.Menu: true, atom.Input: true,
	atom.Label: true, atom.Button: true, atom.Link: true, atom.Meta: true, atom.Video: true, atom.Audio: true,
	atom.Picture: true, atom.Img: true, atom.Source: true, atom.Map: true,
}

// blockTags end the current paragraph when they start or end.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Br: true, atom.Caption: true,
	atom.Center: true, atom.Dd: true, atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figure: true, atom.Footer: true, atom.Form: true, atom.H1: true,
	atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hr: true, atom.Li: true, atom.Main: true, atom.Ol: true, atom.P: true, atom.Pre: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Td: true, atom.Th: true,
	atom.Tr: true, atom.Ul: true,
}

// holdsLooseText lists the containers whose loose text, set between their
// block children without a <p> of its own, is scored as paragraphs.
var holdsLooseText = map[atom.Atom]bool{
	atom.Body: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Center: true, atom.Form: true,
}

// minParagraph is the length below which a text block does not count
// towards a container's score.
const minParagraph = 25

// minLooseParagraph is the length from which loose text, set in a container
// between its block children, is scored as a paragraph. It is longer than
// minParagraph because such text is often a dateline or a label.
const minLooseParagraph = 100

// extractText returns the paragraphs of the main content under root, which
// it modifies. With strict set, containers are also removed on the strength
// of their class and id. title, the page's headline, may be empty.
func extractText(root *html.Node, strict bool, title string) []string {
	prune(root, strict)
	top, scores := topCandidate(root)
	if top == nil {
		return nil
	}
	top = headlineArticle(root, top, scores, title)
	var paras []string
	for _, n := range contentNodes(top, scores) {
		cleanConditionally(n)
		paras = appendParagraphs(paras, n)
	}
	return paras
}

// prune removes non-content elements from the tree under n.
func prune(n *html.Node, strict bool) {
	pruneIn(n, strict, false)
}

// pruneIn is prune, which also removes the <article> elements under n if
// dropArticles is set.
//
// Articles nested in an article are, in HTML's terms, related to it:
// comments, or the list of related posts. In strict mode, an <article>
// holding two or more of them loses them; a single nested <article> may be
// the story inside a page-wide <article> and is kept. Pages that misuse
// nested articles for the story itself are left to the retry without
// strict pruning.
func pruneIn(n *html.Node, strict, dropArticles bool) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			n.RemoveChild(c)
		case html.ElementNode:
			switch {
			case dropArticles && c.DataAtom == atom.Article, isBoilerplate(c, strict):
				n.RemoveChild(c)
			case c.DataAtom == atom.Article && !dropArticles:
				pruneIn(c, strict, strict && countArticles(c, 2) >= 2)
			default:
				pruneIn(c, strict, dropArticles)
			}
		}
		c = next
	}
}

// countArticles counts the <article> elements under n, up to limit.
func countArticles(n *html.Node, limit int) int {
	count := 0
	for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.Article {
			count++
			continue
		}
		count += countArticles(c, limit-count)
	}
	return count
}

// isBoilerplate reports whether element n is page chrome rather than
// article content.
func isBoilerplate(n *html.Node, strict bool) bool {
	if invisible[n.DataAtom] || removedTags[n.DataAtom] {
		return true
	}
	var class, id, role, style string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "role":
			role = strings.ToLower(a.Val)
		case "style":
			style = a.Val
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		}
	}
	if boilerplateRoles[role] || (style != "" && hiddenStyleRe.MatchString(style)) || srOnly.in(class) {
		return true
	}
	switch n.DataAtom {
	case atom.Form:
		// Whole ASP.NET pages live inside one <form>, with or without
		// <p> elements; drop only small ones.
		if paragraphTextLen(n) >= 200 {
			return false
		}
		total, linked := textStats(n)
		return total-linked < minPageForm
	case atom.Figure:
		return !hasDescendant(n, atom.Blockquote) && paragraphTextLen(n) < 200
	case atom.Body, atom.Article, atom.Main, atom.Html:
		return false
	}
	key := class + " " + id
	for _, tok := range strings.Fields(key) {
		if commentTokenRe.MatchString(tok) {
			return true // however long the discussion
		}
	}
	if !strict {
		return false
	}
	if strings.TrimSpace(key) == "" {
		return false
	}

	if (dialog.in(key) || hasToken(key, "cmp")) && !holdsArticle(n) {
		return true
	}
	key = layoutSidebar(key)
	if always.in(key) {
		return !isSubstantial(n)
	}
	if (unlikely.in(key) || hasToken(key, "ad", "ads")) && !maybe.in(singular(key)) {
		return !isSubstantial(n)
	}
	return false
}

// sidebarLayout marks, next to "sidebar", a token that names a page
// layout with a sidebar rather than the sidebar itself.
var sidebarLayout = words{"grid", "layout", "has-", "with-"}

// layoutSidebar returns the class and id key without the "sidebar" of
// tokens that name a layout with a sidebar ("sidebar-grid__container",
// "has-sidebar") or its content part ("main-sidebar__content"), so that
// they are judged by their other words.
func layoutSidebar(key string) string {
	if !strings.Contains(key, "sidebar") {
		return key
	}
	toks := strings.Fields(key)
	for i, tok := range toks {
		if !strings.Contains(tok, "sidebar") {
			continue
		}
		if rest := strings.ReplaceAll(tok, "sidebar", ""); sidebarLayout.in(rest) || maybe.in(rest) {
			toks[i] = rest
		}
	}
	return strings.Join(toks, " ")
}

// holdsArticle reports whether n contains what marks an article: an <h1>,
// an <article> or <main> element, or microdata's articleBody.
func holdsArticle(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.H1 || c.DataAtom == atom.Article || c.DataAtom == atom.Main || attr(c, "itemprop") == "articleBody" || holdsArticle(c) {
			return true
		}
	}
	return false
}

// minPageForm is the length of unlinked text from which a <form> is taken
// for a page laid out inside a form rather than for a search, login or
// sign-up box.
const minPageForm = 500

// isSubstantial reports whether n holds so much unlinked paragraph text
// that a boilerplate-looking class must be a page layout class.
func isSubstantial(n *html.Node) bool {
	if paragraphTextLen(n) < 1000 {
		return false
	}
	return linkDensity(n) < 0.25
}

// hasBlock reports whether n contains a block element other than <br>.
func hasBlock(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (blockTags[c.DataAtom] && c.DataAtom != atom.Br || hasBlock(c)) {
			return true
		}
	}
	return false
}

// hasDescendant reports whether n contains an element of type a.
func hasDescendant(n *html.Node, a atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == a || hasDescendant(c, a)) {
			return true
		}
	}
	return false
}

// paragraphTextLen returns the length of the text in <p> elements under n.
func paragraphTextLen(n *html.Node) int {
	total := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.P {
				total += len(nodeText(c))
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return total
}

// textStats returns the length of the visible text under n and of the part
// of it inside links.
func textStats(n *html.Node) (total, linked int) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l := len(strings.TrimSpace(c.Data))
				total += l
				if inLink {
					linked += l
				}
			case html.ElementNode:
				if !invisible[c.DataAtom] {
					walk(c, inLink || c.DataAtom == atom.A)
				}
			}
		}
	}
	walk(n, false)
	return total, linked
}

// linkDensity returns the fraction of n's text that is inside links.
func linkDensity(n *html.Node) float64 {
	total, linked := textStats(n)
	if total == 0 {
		return 0
	}
	return float64(linked) / float64(total)
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// listPlurals are the plurals that name a list of other pages ("list-articles",
// "more-posts") rather than the article itself.
var listPlurals = strings.NewReplacer("articles", "", "Articles", "", "posts", "", "Posts", "")

// singular returns a class or id without the words that name lists of
// articles, so that they do not count as content.
func singular(s string) string {
	if !strings.Contains(s, "rticles") && !strings.Contains(s, "osts") {
		return s // the common case, without allocating
	}
	return listPlurals.Replace(s)
}

// classWeight scores n's class and id: +25 for each that looks like
// content, -25 for each that looks like chrome.
func classWeight(n *html.Node) float64 {
	w := 0.0
	for _, v := range []string{attr(n, "class"), attr(n, "id")} {
		if v == "" {
			continue
		}
		if negative.in(layoutSidebar(v)) || hasToken(v, "hid") {
			w -= 25
		}
		if positive.in(singular(v)) {
			w += 25
		}
	}
	return w
}

// initialScore is a container's score before its paragraphs are counted.
func initialScore(n *html.Node) float64 {
	s := classWeight(n)
	switch n.DataAtom {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		s += 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s += 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s -= 3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s -= 5
	}
	if attr(n, "itemprop") == "articleBody" {
		s += 50
	}
	return s
}

// isParagraphLike reports whether n is scored as a paragraph: a <p>, <pre>
// or <td>, or a <div> without block-level children.
func isParagraphLike(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.Td:
		return true
	case atom.Div:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && blockTags[c.DataAtom] && c.DataAtom != atom.Br {
				return false
			}
		}
		return true
	}
	return false
}

// topCandidate scores the containers under root, readability-style, and
// returns the best one with the scores of all containers, or nil if the
// page has no paragraphs.
func topCandidate(root *html.Node) (*html.Node, map[*html.Node]float64) {
	scores := make(map[*html.Node]float64)
	mass := make(map[*html.Node]int) // runes of the paragraphs credited
	var order []*html.Node
	// add credits a paragraph with the given text to its container
	// parent and the container's ancestors.
	add := func(parent *html.Node, text string, minLen int) {
		l := runeLen(text)
		if l < minLen {
			return
		}
		score := 1 + float64(countCommas(text)) + min(float64(l)/100, 3)
		level := 0
		for a := parent; a != nil && a.Type == html.ElementNode && level < 5; a = a.Parent {
			if _, ok := scores[a]; !ok {
				scores[a] = initialScore(a)
				order = append(order, a)
			}
			div := 1.0
			switch {
			case level == 1:
				div = 2
			case level > 1:
				div = float64(level) * 3
			}
			scores[a] += score / div
			mass[a] += l
			level++
		}
	}
	var run strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		// Text set directly in a block container, between its block
		// children, is a paragraph without a <p>.
		loose := holdsLooseText[n.DataAtom]
		run.Reset()
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				if loose {
					run.WriteString(c.Data)
				}
				continue
			}
			if c.Type != html.ElementNode {
				continue
			}
			if loose && (c.DataAtom == atom.Br || !blockTags[c.DataAtom] && !hasBlock(c)) {
				appendText(&run, c)
				continue
			}
			if loose && run.Len() > 0 {
				add(n, collapseSpace(run.String()), minLooseParagraph)
				run.Reset()
			}
			if !isParagraphLike(c) {
				walk(c)
				continue
			}
			if c.DataAtom == atom.Td {
				walk(c) // tables used for layout hold the real paragraphs
			}
			add(c.Parent, nodeText(c), minParagraph)
		}
		if loose && run.Len() > 0 {
			add(n, collapseSpace(run.String()), minLooseParagraph)
			run.Reset()
		}
	}
	walk(root)
	var (
		best      *html.Node
		bestScore float64
	)
	for _, n := range order {
		s := scores[n]
		if mass[n] < minCandidateText {
			// A content-like class alone does not make a few lines
			// the article.
			s -= max(classWeight(n), 0)
		}
		s *= 1 - linkDensity(n)
		scores[n] = s
		if best == nil || s > bestScore {
			best, bestScore = n, s
		}
	}
	if best == nil {
		return nil, nil
	}
	// Article bodies split into chunks by ads or embeds, each chunk in
	// its own wrapper, repeat the chunk's class: take the smallest
	// element that holds them all.
	if class := firstToken(attr(best, "class")); class != "" {
		chunk := best
		for _, n := range order {
			if n == chunk || n.DataAtom != chunk.DataAtom || scores[n] < bestScore*chunkShare || firstToken(attr(n, "class")) != class {
				continue
			}
			if a := commonAncestor(best, n); a != nil && a != best && a != n && depthBelow(chunk, a) <= maxChunkClimb {
				best = a
			}
		}
	}
	// Climb while the parent is a plain wrapper holding little else.
	for best.Parent != nil && best.Parent.Type == html.ElementNode && best.Parent.DataAtom != atom.Body && onlyElementChild(best.Parent) == best {
		best = best.Parent
	}
	return best, scores
}

// minCandidateText is the length of paragraph text, in runes, below which
// a container's class does not add to its score.
const minCandidateText = 200

// minHeadlineArticleShare is the share of the best score from which the
// article under the page's headline is preferred to another one.
const minHeadlineArticleShare = 0.3

// headlineArticle returns the content to take instead of top on a page
// that holds several stories in <article> elements, as pages that load the
// next story as the reader scrolls do: the best container inside the
// article that carries the page's headline, if top is or takes in another
// story and that container scores at least minHeadlineArticleShare of
// top's score.
func headlineArticle(root, top *html.Node, scores map[*html.Node]float64, title string) *html.Node {
	key := letterKey(title)
	if key == "" {
		return top
	}
	heading := findHeadline(root, key)
	if heading == nil {
		return top
	}
	headArticle := enclosing(heading, atom.Article)
	if headArticle == nil || headArticle == top || contains(headArticle, top) {
		return top
	}
	// Another story must be in play: top is in an <article> of its own,
	// or takes in one besides the headline's that scores.
	other := enclosing(top, atom.Article) != nil
	var best *html.Node
	for n, s := range scores {
		switch {
		case n == headArticle || contains(headArticle, n):
			if best == nil || s > scores[best] {
				best = n
			}
		case !other && s > 0 && contains(top, n) && !contains(n, headArticle):
			if a := enclosing(n, atom.Article); a != nil && a != headArticle && !contains(a, headArticle) {
				other = true
			}
		}
	}
	if !other || best == nil || scores[best] < minHeadlineArticleShare*scores[top] {
		return top
	}
	return best
}

// findHeadline returns the first <h1> under root whose letters and digits
// are key, the headline's, or, if both are long enough not to match by
// chance, hold key or are held by it.
func findHeadline(root *html.Node, key string) *html.Node {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.H1 {
			k := letterKey(nodeText(c))
			if k == key || min(utf8.RuneCountInString(k), utf8.RuneCountInString(key)) >= minKickedHeadline && (strings.Contains(k, key) || strings.Contains(key, k)) {
				return c
			}
		}
		if h := findHeadline(c, key); h != nil {
			return h
		}
	}
	return nil
}

// enclosing returns n or its nearest ancestor of type a, or nil.
func enclosing(n *html.Node, a atom.Atom) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == a {
			return n
		}
	}
	return nil
}

// contains reports whether n is a proper ancestor of d.
func contains(n, d *html.Node) bool {
	for d = d.Parent; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}

// chunkShare is the share of the best score from which a container of the
// same class as the best one is taken for another chunk of the article.
const chunkShare = 0.3

// maxChunkClimb is how many levels above the best chunk the element
// holding all chunks may be.
const maxChunkClimb = 5

// depthBelow returns how many levels n is below its ancestor a.
func depthBelow(n, a *html.Node) int {
	d := 0
	for ; n != nil && n != a; n = n.Parent {
		d++
	}
	return d
}

// firstToken returns the first of the space-separated tokens of s.
func firstToken(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// commonAncestor returns the innermost element that contains both a and
// b, or nil if they are not in the same tree.
func commonAncestor(a, b *html.Node) *html.Node {
	depth := func(n *html.Node) int {
		d := 0
		for ; n != nil; n = n.Parent {
			d++
		}
		return d
	}
	da, db := depth(a), depth(b)
	for ; da > db; da-- {
		a = a.Parent
	}
	for ; db > da; db-- {
		b = b.Parent
	}
	for a != b {
		a, b = a.Parent, b.Parent
	}
	return a
}

// onlyElementChild returns n's single element child, or nil if it has none
// or several, or has text of its own.
func onlyElementChild(n *html.Node) *html.Node {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return nil
			}
		case html.ElementNode:
			if only != nil {
				return nil
			}
			only = c
		}
	}
	return only
}

// contentNodes returns top and those of its siblings that also look like
// part of the article, in document order.
func contentNodes(top *html.Node, scores map[*html.Node]float64) []*html.Node {
	parent := top.Parent
	if parent == nil {
		return []*html.Node{top}
	}
	threshold := max(10, scores[top]*0.2)
	topClass := attr(top, "class")
	var nodes []*html.Node
	for s := parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type != html.ElementNode {
			continue
		}
		if s == top {
			nodes = append(nodes, s)
			continue
		}
		bonus := 0.0
		if topClass != "" && attr(s, "class") == topClass {
			bonus = scores[top] * 0.2
		}
		if sc, ok := scores[s]; ok && sc+bonus >= threshold {
			nodes = append(nodes, s)
			continue
		}
		if s.DataAtom == atom.P || s.DataAtom == atom.Div && isParagraphLike(s) {
			text := nodeText(s)
			l := runeLen(text)
			ld := linkDensity(s)
			if (l > 80 && ld < 0.25) || (s.DataAtom == atom.P && l > 0 && l <= 80 && ld == 0 && strings.ContainsAny(text, ".!?")) {
				nodes = append(nodes, s)
			}
		}
	}
	return nodes
}

// countCommas counts the commas that set clauses apart in s, including
// the CJK and Arabic ones. A comma between digits is a decimal or
// thousands separator ("551,88 €", "1,000") and does not count.
func countCommas(s string) int {
	n := strings.Count(s, "，") + strings.Count(s, "、") + strings.Count(s, "،")
	for i := strings.IndexByte(s, ','); i >= 0; i = strings.IndexByte(s, ',') {
		if i == 0 || i+1 >= len(s) || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
			n++
		}
		s = s[i+1:]
	}
	return n
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// cleanConditionally removes, inside the chosen content, lists, tables and
// containers that look like link lists, image galleries or widgets.
func cleanConditionally(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			cleanConditionally(c)
			if isJunkContainer(c) {
				n.RemoveChild(c)
			}
		}
		c = next
	}
}

// isJunkContainer applies readability's conditional-cleaning heuristics to
// a single container.
func isJunkContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Section, atom.Ul, atom.Ol, atom.Table, atom.Form, atom.Dl:
	default:
		return false
	}
	if attr(n, "itemprop") == "articleBody" {
		return false
	}
	text := nodeText(n)
	if countCommas(text) >= 10 {
		return false
	}
	weight := classWeight(n)
	if weight < 0 && !isSubstantial(n) {
		// Unless the class is a layout class around a chunk of the
		// article ("sidebar-grid__container").
		return true
	}
	var p, li, inputs, headings int
	var count func(*html.Node)
	count = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.P:
				p++
			case atom.Li:
				li++
			case atom.Input, atom.Select, atom.Textarea, atom.Button:
				inputs++
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				headings++
			}
			count(c)
		}
	}
	count(n)
	isList := n.DataAtom == atom.Ul || n.DataAtom == atom.Ol
	ld := linkDensity(n)
	l := runeLen(text)
	switch {
	case isList && ld > 0.5:
		return true
	case !isList && li > p+10 && ld > 0.2:
		return true
	case inputs > p/3+1:
		return true
	case ld > 0.5 && weight < 25:
		return true
	case ld > 0.2 && weight < 25 && l < 200 && p == 0:
		return true
	case l == 0:
		return true
	}
	return false
}

// paragraph accumulates the text of one output paragraph.
type paragraph struct {
	text   strings.Builder
	linked int // bytes of text inside links
	dated  int // bytes of text inside <time> elements
}

// appendParagraphs appends the text blocks under n to paras, one entry per
// paragraph, heading, list item or quotation. Blocks that are mostly links
// (short "read more" teasers) or only a <time> element (datelines) are
// left out.
func appendParagraphs(paras []string, n *html.Node) []string {
	var cur paragraph
	flush := func() {
		t := collapseSpace(cur.text.String())
		visible := len(strings.ReplaceAll(t, " ", ""))
		mostlyLinks := cur.linked*10 > visible*8 && len(t) < 300
		onlyDate := cur.dated >= visible
		if t != "" && !mostlyLinks && !onlyDate {
			paras = append(paras, t)
		}
		cur.text.Reset()
		cur.linked, cur.dated = 0, 0
	}
	var walk func(*html.Node, bool, bool)
	walk = func(n *html.Node, inLink, inTime bool) {
		switch n.Type {
		case html.TextNode:
			cur.text.WriteString(n.Data)
			l := len(strings.ReplaceAll(strings.TrimSpace(n.Data), " ", ""))
			if inLink {
				cur.linked += l
			}
			if inTime {
				cur.dated += l
			}
			return
		case html.ElementNode:
			if invisible[n.DataAtom] {
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink || n.DataAtom == atom.A, inTime || n.DataAtom == atom.Time)
		}
		if block {
			flush()
		}
	}
	walk(n, false, false)
	flush()
	return paras
}
