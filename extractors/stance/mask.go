package stance

import (
	"regexp"
	"strings"
)

// span is a byte range [start, end) of the text.
type span struct{ start, end int }

// parentheticalStartRe matches how a comma-enclosed aside begins: a
// relative clause ("which sat on the group"), an indefinite or lower-case
// apposition ("a British firm", "the host", "executive director of"), a
// participle ("speaking for the EU"). A capitalised start is a list item,
// never an aside.
var parentheticalStartRe = regexp.MustCompile(`^\s*(?:(?:a|an)\s+\S|the\s+[\p{Ll}\d]|(?:which|who|whose|where|whom|one|speaking|acting|itself)\b|[\p{Ll}\d][\p{L}\d’'-]*\s)`)

// capitalisedArticleRe matches a start that is a name, not an aside: "the
// Netherlands" (while "a British firm" is an aside).
var capitalisedArticleRe = regexp.MustCompile(`^\s*the\s+\p{Lu}`)

// describedNameRe matches an apposition that describes with a name as
// modifier: "the Israeli spyware maker", "the European Union's top diplomat".
var describedNameRe = regexp.MustCompile(`^\s*the\s+(?:\p{Lu}[\p{L}’'.-]*\s+)+\p{Ll}`)

// conjRe matches a conjunction inside a segment, which makes it part of a
// list ("the Netherlands and Norway").
var conjRe = regexp.MustCompile(`\s(?:and|or|as\s+well\s+as)\s`)

// frontedRe matches an adverbial phrase that opens a sentence and ends at
// its first comma; the subject comes after it.
var frontedRe = regexp.MustCompile(`^\s*(?:On|In|At|After|Before|During|Following|Despite|Under|Without|From|Speaking|Addressing|Ahead\s+of|Since|Unlike|Like|Amid|Through|Throughout|Within|Across|Beyond|By)\s[^,;:]{0,160},`)

// notAsideRe matches comma segments that continue the sentence rather than
// interrupt it ("and Russia", "but not", "including Japan").
var notAsideRe = regexp.MustCompile(`^\s*(?:and|or|but|nor|plus|as|while|including|among|such|then|so|yet|not|with|alongside|along|together|said|says|told|according)\b`)

// parentheticals returns the asides of the sentence [start, end) — segments
// enclosed in commas, dashes or brackets that interrupt it — which end
// before limit (limit < 0: anywhere) and do not contain limit.
func parentheticals(text string, start, end, limit int) []span {
	var out []span
	add := func(a, b int) {
		if limit >= 0 && (b > limit || (a <= limit && limit < b)) {
			return
		}
		out = append(out, span{a, b})
	}
	// a fronted adverbial: "On the occasion of the forum hosted by UNESCO, …"
	if loc := frontedRe.FindStringIndex(text[start:end]); loc != nil {
		add(start, start+loc[1])
	}
	// brackets
	for i := start; i < end; i++ {
		if text[i] == '(' {
			if j := strings.IndexByte(text[i:end], ')'); j > 0 {
				add(i, i+j+1)
				i += j
			}
		}
	}
	// dashes: " — … — "
	for _, dash := range []string{" — ", " – "} {
		seg := text[start:end]
		off := 0
		for {
			i := strings.Index(seg[off:], dash)
			if i < 0 {
				break
			}
			a := off + i
			j := strings.Index(seg[a+len(dash):], dash)
			if j < 0 {
				break
			}
			b := a + len(dash) + j + len(dash)
			add(start+a, start+b-1)
			off = b
		}
	}
	// commas
	seg := text[start:end]
	for i := 0; i < len(seg); i++ {
		if seg[i] != ',' {
			continue
		}
		j := strings.IndexByte(seg[i+1:], ',')
		if j < 0 {
			break
		}
		inner := seg[i+1 : i+1+j]
		descriptive := describedNameRe.MatchString(inner) && !conjRe.MatchString(inner)
		if strings.ContainsAny(inner, ";:") || notAsideRe.MatchString(inner) || (capitalisedArticleRe.MatchString(inner) && !descriptive) || (!descriptive && !parentheticalStartRe.MatchString(inner)) {
			continue
		}
		if len(strings.Fields(inner)) > 25 {
			continue
		}
		add(start+i, start+i+1+j+1)
		i += j
	}
	return out
}

// inMasks reports whether pos lies inside one of the spans.
func inMasks(masks []span, pos int) bool {
	for _, k := range masks {
		if pos >= k.start && pos < k.end {
			return true
		}
	}
	return false
}

// maskText returns text[a:b] with the parts inside spans blanked out.
func maskText(text string, a, b int, masks []span) string {
	if a >= b {
		return ""
	}
	buf := []byte(text[a:b])
	for _, k := range masks {
		for p := max(k.start, a); p < min(k.end, b); p++ {
			buf[p-a] = ' '
		}
	}
	return string(buf)
}
