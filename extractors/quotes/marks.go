package quotes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is one paragraph (a non-blank line) as byte offsets into the text.
type para struct{ start, end int }

// span is one pair of quotation marks inside a paragraph.
type span struct {
	para           int
	open, close    int // byte offsets of the marks; close is -1 if unclosed
	closeLen       int // byte length of the closing mark
	tStart, tEnd   int // the quoted words, inside the marks
	continuesAfter bool
}

// article holds the text and the structures derived from it.
type article struct {
	text   string
	paras  []para
	spans  []span
	quoted []bool       // per byte: inside quotation marks (marks included)
	ents   *entityHints // loaded on first use; see hints
	hinter EntityHinter // gives the hints instead of prose, if set
	index  *nameIndex
	use    *wordUse // loaded on first use; see usage
}

func newArticle(text string) *article {
	a := &article{text: text}
	a.splitParas()
	a.findSpans()
	a.quoted = make([]bool, len(text)+1)
	for _, s := range a.spans {
		end := s.tEnd
		if s.close >= 0 {
			end = s.close + s.closeLen
		}
		for i := s.open; i < end; i++ {
			a.quoted[i] = true
		}
	}
	a.index = buildNameIndex(a)
	return a
}

func (a *article) splitParas() {
	off := 0
	for _, line := range strings.SplitAfter(a.text, "\n") {
		body := strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(body) != "" {
			lead := len(body) - len(strings.TrimLeft(body, " \t"))
			trail := len(strings.TrimRight(body, " \t"))
			a.paras = append(a.paras, para{off + lead, off + trail})
		}
		off += len(line)
	}
}

// isOpenMark and isCloseMark report the role a double quotation mark can
// play; the straight mark plays both.
func isOpenMark(r rune) bool  { return r == '"' || r == '“' || r == '„' }
func isCloseMark(r rune) bool { return r == '"' || r == '”' }

// findSpans pairs quotation marks paragraph by paragraph. A mark left open at
// the end of a paragraph continues into the next paragraph when that one
// opens with a mark (the multi-paragraph convention).
func (a *article) findSpans() {
	for pi, p := range a.paras {
		open := -1
		openLen := 0
		for i := p.start; i < p.end; {
			r, n := utf8.DecodeRuneInString(a.text[i:])
			switch {
			case open >= 0 && isCloseMark(r) && !(r == '"' && !closesStraight(a.text, i, p)):
				a.spans = append(a.spans, span{para: pi, open: open, close: i, closeLen: n,
					tStart: open + openLen, tEnd: i})
				open = -1
			case open >= 0 && r == '“':
				// A new opening mark while one is open: treat the first as
				// unclosed up to here.
				a.spans = append(a.spans, span{para: pi, open: open, close: -1,
					tStart: open + openLen, tEnd: trimRightSpaceIdx(a.text, open+openLen, i)})
				open, openLen = i, n
			case open < 0 && isOpenMark(r) && r != '”':
				open, openLen = i, n
			}
			i += n
		}
		if open >= 0 {
			s := span{para: pi, open: open, close: -1, tStart: open + openLen,
				tEnd: trimRightSpaceIdx(a.text, open+openLen, p.end)}
			if pi+1 < len(a.paras) {
				r, _ := utf8.DecodeRuneInString(a.text[a.paras[pi+1].start:])
				s.continuesAfter = isOpenMark(r)
			}
			a.spans = append(a.spans, s)
		}
	}
}

// closesStraight decides whether a straight mark at i closes the open quote.
// It always does, except when it is immediately followed by a letter and
// preceded by a space (then it is more likely a new opening mark and the
// earlier one was unbalanced).
func closesStraight(text string, i int, p para) bool {
	if i+1 < p.end {
		next, _ := utf8.DecodeRuneInString(text[i+1:])
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if unicode.IsLetter(next) && unicode.IsSpace(prev) {
			return false
		}
	}
	return true
}

func trimRightSpaceIdx(text string, lo, hi int) int {
	for hi > lo && (text[hi-1] == ' ' || text[hi-1] == '\t') {
		hi--
	}
	return hi
}

// isQuoted reports whether byte i lies inside quotation marks.
func (a *article) isQuoted(i int) bool {
	if i < 0 || i >= len(a.quoted) {
		return false
	}
	return a.quoted[i]
}

// unquoted returns text[lo:hi] with quoted regions blanked out by spaces of
// the same byte length, so offsets are preserved.
func (a *article) unquoted(lo, hi int) string {
	b := []byte(a.text[lo:hi])
	for i := range b {
		if a.quoted[lo+i] {
			b[i] = ' '
		}
	}
	return string(b)
}

// paraOf returns the index of the paragraph containing byte i, or -1.
func (a *article) paraOf(i int) int {
	for pi, p := range a.paras {
		if i >= p.start && i <= p.end {
			return pi
		}
	}
	return -1
}

// abbreviations end with a full stop without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"prof": true, "gen": true, "sen": true, "rep": true, "gov": true, "lt": true, "col": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "aug": true, "sept": true, "sep": true,
	"oct": true, "nov": true, "dec": true, "no": true, "vs": true, "inc": true, "corp": true,
	"co": true, "ltd": true, "mt": true, "ft": true, "hon": true, "rev": true,
}

// sentenceEnds returns the offsets (relative to s) just after each sentence
// end in s. A sentence ends at . ! or ? (optionally followed by closing
// marks) followed by a space and an upper-case letter, a digit or an opening
// mark, unless the word before the stop is an abbreviation or an initial.
func sentenceEnds(s string) []int {
	var ends []int
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if r == '"' || r == '”' || r == '’' || r == '\'' || r == ')' {
				j += n
				continue
			}
			break
		}
		if j >= len(s) {
			ends = append(ends, j)
			continue
		}
		if s[j] != ' ' {
			continue
		}
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) {
			if !(c == '.' && isAbbrevBefore(s, i)) {
				ends = append(ends, j)
			}
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || isOpenMark(r) || r == '‘') {
			continue
		}
		if c == '.' && isAbbrevBefore(s, i) {
			continue
		}
		ends = append(ends, j)
	}
	return ends
}

// isAbbrevBefore reports whether the word ending at the full stop s[i] is an
// abbreviation ("Dr.", "U.S.", "J.").
func isAbbrevBefore(s string, i int) bool {
	k := i
	for k > 0 && s[k-1] != ' ' && s[k-1] != '(' {
		k--
	}
	w := s[k:i]
	if strings.Contains(w, ".") {
		return true // U.S. / U.N. / H.E.
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	return abbreviations[strings.ToLower(w)]
}
